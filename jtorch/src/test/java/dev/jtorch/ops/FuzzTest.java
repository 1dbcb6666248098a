package dev.jtorch.ops;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.DType;
import dev.jtorch.GoldenText;
import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleFunction;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzz test: thousands of random op calls (random ops, dtypes, shapes with 0-size dims and
 * 0-dim tensors, strided layouts, out-of-range dims and indices, invalid arguments) that PyTorch ran
 * ({@code golden/ops/fuzz_golden.txt}, made by {@code gen_fuzz.py} with fixed seeds), replayed on jtorch.
 *
 * <p>Where PyTorch returned, jtorch must return the same dtype, shape and values: bit for bit for ops that
 * select, move, compare or convert, within {@link OpGoldenTest}'s tolerances for the ones that compute. Where
 * PyTorch raised, jtorch must throw with PyTorch's message, as the other golden tests map the kinds: IndexError
 * is an {@link IndexOutOfBoundsException}, ValueError and TypeError an {@link IllegalArgumentException},
 * RuntimeError any other {@link RuntimeException}. An internal exception (an array index, a null, a cast, a
 * negative array size, an arithmetic exception, any {@link Error}) fails a call either way, and so does a call
 * that does not end within {@link #TIMEOUT_S} seconds. All calls run; the failure counts every category and
 * shows its first calls (run with {@code -Djtorch.fuzz.report=FILE} to have all of them written to FILE).
 *
 * <p>A call's key names the jtorch call and its arguments ({@code NAME:ARG=VALUE,...}, see gen_fuzz.py);
 * {@link Args} parses it and {@link #OPS} maps NAME to the call.
 */
class FuzzTest {

    static final String GOLDEN = "/golden/ops/fuzz_golden.txt";
    static final long TIMEOUT_S = 20;

    // ================================================================ documented differences

    /**
     * PyTorch 1.13's messages that 2.x (which jtorch follows) words differently: pattern, replacement, and why.
     * The goldens come from 1.13, the one PyTorch on the machines that make them.
     */
    record Rewording(Pattern from, java.util.function.Function<java.util.regex.MatchResult, String> to, String why) {
        Rewording(String from, String to, String why) { this(Pattern.compile(from), m -> Pattern.compile(from).matcher(m.group()).replaceFirst(to), why); }

        Rewording(String from, java.util.function.Function<java.util.regex.MatchResult, String> to, String why) {
            this(Pattern.compile(from), to, why);
        }
    }

    static final List<Rewording> REWORDINGS = List.of(
            new Rewording("^size mismatch, got (\\d+), (\\d+)x(\\d+),(\\d+)$", "size mismatch, got input ($1), mat ($2x$3), vec ($4)",
                    "2.x names the operands of mv's size check"),
            new Rewording("^upper bound and larger bound inconsistent with step sign$", "upper bound and lower bound inconsistent with step sign",
                    "2.x fixed the wording of arange's check"),
            new Rewording("at::Half without overflow$", "c10::Half without overflow", "2.x prints Half's C++ type as c10::Half"),
            new Rewording("desired output type bool$", "desired output type Bool", "2.x names the scalar type, not the C++ type"),
            new Rewording("^norm\\(\\): input dtype should be either floating point or complex\\. Got (\\w+) instead\\.$",
                    "linalg.vector_norm: Expected a floating point or complex tensor as input. Got $1",
                    "2.x's norm calls linalg.vector_norm, which checks the dtype"),
            new Rewording("^(gather|scatter)\\(\\): Expected dtype int64 for index$", "$1(): Expected dtype int32/int64 for index",
                    "2.x takes int32 indices in gather and scatter (scatter_gather_dtype_check)"),
            new Rewording("^tensors used as indices must be long, byte or bool tensors$", "tensors used as indices must be long, int, byte or bool tensors",
                    "2.x takes int32 indices in a[idx] (checkIndexTensorTypes with allow_int)"),
            new Rewording("^expected scalar type (\\w+) but found (\\w+)$",
                    m -> "expected m1 and m2 to have the same dtype, but got: " + cppType(m.group(1)) + " != " + cppType(m.group(2)),
                    "2.x checks the operands' dtypes of mm, mv and bmm before the BLAS call, naming the C++ types"));

    /** The C++ type PyTorch prints for a scalar type. */
    static String cppType(String scalarType) {
        return switch (scalarType) {
            case "Float" -> "float"; case "Double" -> "double"; case "Half" -> "c10::Half"; case "BFloat16" -> "c10::BFloat16";
            case "Long" -> "long int"; case "Int" -> "int"; case "Short" -> "short int"; case "Char" -> "signed char";
            case "Byte" -> "unsigned char"; case "Bool" -> "bool";
            default -> scalarType;
        };
    }

    /**
     * The calls whose record holds PyTorch 2.x's outcome where it differs from 1.13's in more than the message
     * ({@code fuzz_differences.txt}: NAME REASON, written by gen_fuzz.py with the records, each of which carries a
     * note "2.x: REASON: PyTorch 1.13 ..."). The test checks that the list and the notes agree.
     */
    static final String DIFFERENCES = "/golden/ops/fuzz_differences.txt";

    static Map<String, String> documentedDifferences() {
        Map<String, String> diff = new LinkedHashMap<>();
        try (var in = FuzzTest.class.getResourceAsStream(DIFFERENCES)) {
            if (in == null) throw new IllegalStateException(DIFFERENCES + " is missing from the test resources");
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split(" ", 2);
                diff.put(f[0], f.length > 1 ? f[1] : "");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return diff;
    }

    // ================================================================ open findings

    static final String OPEN = "/golden/ops/fuzz_open.txt";

    /**
     * The calls jtorch still gets wrong, each with its category and the finding it belongs to
     * ({@code fuzz_open.txt}: NAME CATEGORY REASON). They are bugs to fix, listed so that every other call
     * guards against regressions meanwhile: a listed call that fails in its category is tolerated, one that
     * passes or fails otherwise fails the test (delete its line). Listed hangs are not run.
     */
    static Map<String, String[]> openFindings() {
        Map<String, String[]> open = new LinkedHashMap<>();
        try (var in = FuzzTest.class.getResourceAsStream(OPEN)) {
            if (in == null) return open;
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split(" ", 3);
                open.put(f[0], new String[]{f[1], f.length > 2 ? f[2] : ""});
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return open;
    }

    // ================================================================ the key's arguments

    /** The arguments in a key {@code NAME:ARG=VALUE,ARG=VALUE}: integers, floats, dtypes, words and '/'-separated int lists. */
    record Args(String name, Map<String, String> values) {
        static Args parse(String key) {
            int colon = key.indexOf(':');
            Map<String, String> v = new LinkedHashMap<>();
            if (colon >= 0) {
                for (String kv : key.substring(colon + 1).split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) throw new IllegalArgumentException("bad argument '" + kv + "' in key " + key);
                    v.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return new Args(colon < 0 ? key : key.substring(0, colon), v);
        }

        String s(String k) {
            String s = values.get(k);
            if (s == null) throw new IllegalArgumentException("key " + name + " has no argument " + k);
            return s;
        }

        int i(String k) { return Integer.parseInt(s(k)); }
        long l(String k) { return Long.parseLong(s(k)); }
        double d(String k) { return OpCases.parseDouble(s(k)); }
        boolean b(String k) { return s(k).equals("1"); }
        DType dtype(String k) { return OpCases.dtype(s(k)); }

        /** Whether a scalar was a Python int (Python's repr of a float always has a '.', an 'e', or is inf or nan). */
        boolean isInt(String k) { return s(k).matches("-?[0-9]+"); }

        long[] longs(String k) {
            String s = s(k);
            return s.isEmpty() ? new long[0] : Arrays.stream(s.split("/")).mapToLong(Long::parseLong).toArray();
        }

        int[] ints(String k) { return Arrays.stream(longs(k)).mapToInt(x -> (int) x).toArray(); }

        /** The call for a Python scalar: the long overload for an int, the double one for a float. */
        Object scalar(String k, LongFunction<Object> ifInt, DoubleFunction<Object> ifFloat) {
            return isInt(k) ? ifInt.apply(l(k)) : ifFloat.apply(d(k));
        }
    }

    // ================================================================ the calls

    @FunctionalInterface
    interface Op { Object apply(Tensor[] in, Args a); }

    static final Map<String, Op> OPS = new HashMap<>();

    private static void op(String name, Op op) {
        if (OPS.put(name, op) != null) throw new IllegalStateException("duplicate op " + name);
    }

    private static void unary(String name, java.util.function.UnaryOperator<Tensor> f) { op(name, (in, a) -> f.apply(in[0])); }

    private static void binary(String name, java.util.function.BinaryOperator<Tensor> f) { op(name, (in, a) -> f.apply(in[0], in[1])); }

    /** Ops whose every value must be PyTorch's to the bit: they select, move, compare, convert or fill. */
    static final Set<String> EXACT = Set.of("neg", "abs", "sign", "sgn", "ceil", "floor", "round", "trunc", "frac", "square",
            "relu", "bitwise_not", "logical_not", "isnan", "isinf", "isfinite", "add", "sub", "mul", "maximum", "minimum",
            "fmax", "fmin", "copysign", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor",
            "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "add_s", "sub_s",
            "mul_s", "eq_s", "ne_s", "lt_s", "le_s", "gt_s", "ge_s", "rsub_s", "where", "clamp_t", "clamp", "clamp_min",
            "clamp_max", "amax", "amax_dims", "amin", "amin_dims", "argmax", "argmax_dim", "argmin", "argmin_dim", "max",
            "max_dim", "min", "min_dim", "all", "all_dim", "any", "any_dim", "sort", "argsort", "topk", "view", "reshape",
            "permute", "transpose", "swapaxes", "t", "squeeze", "squeeze_dim", "unsqueeze", "flatten", "unflatten", "flip",
            "expand", "broadcast_to", "repeat", "narrow", "select", "slice", "get", "chunk", "split", "split_sizes", "unbind",
            "cat", "stack", "index_select", "gather", "take_along_dim", "scatter", "index", "masked_fill", "masked_select",
            "nonzero", "to", "long", "float", "double", "half", "bool", "int", "zeros", "ones", "full", "eye", "zeros_like",
            "ones_like", "full_like", "add_", "sub_", "mul_", "clamp_", "fill_", "zero_", "copy_", "masked_fill_");

    static {
        // ---------------------------------------------------------------- unary
        unary("exp", Tensor::exp);
        unary("exp2", Tensor::exp2);
        unary("expm1", Tensor::expm1);
        unary("log", Tensor::log);
        unary("log2", Tensor::log2);
        unary("log10", Tensor::log10);
        unary("log1p", Tensor::log1p);
        unary("sqrt", Tensor::sqrt);
        unary("rsqrt", Tensor::rsqrt);
        unary("sin", Tensor::sin);
        unary("cos", Tensor::cos);
        unary("tan", Tensor::tan);
        unary("asin", Tensor::asin);
        unary("acos", Tensor::acos);
        unary("atan", Tensor::atan);
        unary("sinh", Tensor::sinh);
        unary("cosh", Tensor::cosh);
        unary("tanh", Tensor::tanh);
        unary("asinh", Tensor::asinh);
        unary("acosh", Tensor::acosh);
        unary("atanh", Tensor::atanh);
        unary("sigmoid", Tensor::sigmoid);
        unary("erf", Tensor::erf);
        unary("erfc", Tensor::erfc);
        unary("erfinv", Tensor::erfinv);
        unary("lgamma", Tensor::lgamma);
        unary("digamma", Tensor::digamma);
        unary("reciprocal", Tensor::reciprocal);
        unary("neg", Tensor::neg);
        unary("abs", Tensor::abs);
        unary("sign", Tensor::sign);
        unary("sgn", Tensor::sgn);
        unary("ceil", Tensor::ceil);
        unary("floor", Tensor::floor);
        unary("round", Tensor::round);
        unary("trunc", Tensor::trunc);
        unary("frac", Tensor::frac);
        unary("square", Tensor::square);
        unary("relu", Tensor::relu);
        unary("bitwise_not", Tensor::bitwiseNot);
        unary("logical_not", Tensor::logicalNot);
        unary("isnan", Tensor::isnan);
        unary("isinf", Tensor::isinf);
        unary("isfinite", Tensor::isfinite);

        // ---------------------------------------------------------------- binary, tensor and tensor
        op("add", (in, a) -> a.values().containsKey("alpha")
                ? a.scalar("alpha", x -> in[0].add(in[1], x), x -> in[0].add(in[1], x)) : in[0].add(in[1]));
        op("sub", (in, a) -> a.values().containsKey("alpha")
                ? a.scalar("alpha", x -> in[0].sub(in[1], x), x -> in[0].sub(in[1], x)) : in[0].sub(in[1]));
        binary("mul", Tensor::mul);
        op("div", (in, a) -> a.values().containsKey("rounding") ? in[0].div(in[1], a.s("rounding")) : in[0].div(in[1]));
        binary("maximum", Tensor::maximum);
        binary("minimum", Tensor::minimum);
        binary("fmax", Tensor::fmax);
        binary("fmin", Tensor::fmin);
        binary("atan2", Tensor::atan2);
        binary("hypot", Tensor::hypot);
        binary("pow", Tensor::pow);
        binary("copysign", Tensor::copysign);
        binary("eq", Tensor::eq);
        binary("ne", Tensor::ne);
        binary("lt", Tensor::lt);
        binary("le", Tensor::le);
        binary("gt", Tensor::gt);
        binary("ge", Tensor::ge);
        binary("logical_and", Tensor::logicalAnd);
        binary("logical_or", Tensor::logicalOr);
        binary("logical_xor", Tensor::logicalXor);
        binary("bitwise_and", Tensor::bitwiseAnd);
        binary("bitwise_or", Tensor::bitwiseOr);
        binary("bitwise_xor", Tensor::bitwiseXor);
        binary("bitwise_left_shift", Tensor::bitwiseLeftShift);
        binary("bitwise_right_shift", Tensor::bitwiseRightShift);
        binary("xlogy", Tensor::xlogy);
        binary("remainder", Tensor::remainder);
        binary("fmod", Tensor::fmod);
        binary("floor_divide", Tensor::floorDivide);

        // ---------------------------------------------------------------- binary, tensor and Python scalar
        op("add_s", (in, a) -> a.scalar("s", in[0]::add, in[0]::add));
        op("sub_s", (in, a) -> a.scalar("s", in[0]::sub, in[0]::sub));
        op("mul_s", (in, a) -> a.scalar("s", in[0]::mul, in[0]::mul));
        op("div_s", (in, a) -> a.scalar("s", in[0]::div, in[0]::div));
        op("pow_s", (in, a) -> a.scalar("s", in[0]::pow, in[0]::pow));
        op("remainder_s", (in, a) -> a.scalar("s", in[0]::remainder, in[0]::remainder));
        op("fmod_s", (in, a) -> a.scalar("s", in[0]::fmod, in[0]::fmod));
        op("floor_divide_s", (in, a) -> a.scalar("s", in[0]::floorDivide, in[0]::floorDivide));
        op("eq_s", (in, a) -> a.scalar("s", in[0]::eq, in[0]::eq));
        op("ne_s", (in, a) -> a.scalar("s", in[0]::ne, in[0]::ne));
        op("lt_s", (in, a) -> a.scalar("s", in[0]::lt, in[0]::lt));
        op("le_s", (in, a) -> a.scalar("s", in[0]::le, in[0]::le));
        op("gt_s", (in, a) -> a.scalar("s", in[0]::gt, in[0]::gt));
        op("ge_s", (in, a) -> a.scalar("s", in[0]::ge, in[0]::ge));
        op("rsub_s", (in, a) -> a.scalar("s", in[0]::rsub, in[0]::rsub));
        op("rdiv_s", (in, a) -> a.scalar("s", in[0]::rdiv, in[0]::rdiv));
        op("rpow_s", (in, a) -> a.scalar("s", in[0]::rpow, in[0]::rpow));

        // ---------------------------------------------------------------- ternary and clamp
        op("where", (in, a) -> where(in[0], in[1], in[2]));
        op("lerp", (in, a) -> in[0].lerp(in[1], in[2]));
        op("lerp_s", (in, a) -> in[0].lerp(in[1], a.d("w")));
        op("addcmul", (in, a) -> a.scalar("v", v -> in[0].addcmul(in[1], in[2], v), v -> in[0].addcmul(in[1], in[2], v)));
        op("addcdiv", (in, a) -> in[0].addcdiv(in[1], in[2], a.d("v")));
        op("clamp_t", (in, a) -> in[0].clamp(in[1], in[2]));
        op("clamp", (in, a) -> a.isInt("lo") ? in[0].clamp(a.l("lo"), a.l("hi")) : in[0].clamp(a.d("lo"), a.d("hi")));
        op("clamp_min", (in, a) -> a.scalar("s", in[0]::clampMin, in[0]::clampMin));
        op("clamp_max", (in, a) -> a.scalar("s", in[0]::clampMax, in[0]::clampMax));

        // ---------------------------------------------------------------- reductions
        unary("sum", Tensor::sum);
        op("sum_dim", (in, a) -> in[0].sum(a.i("dim"), a.b("keepdim")));
        op("sum_dims", (in, a) -> in[0].sum(a.ints("dims"), a.b("keepdim")));
        op("sum_dtype", (in, a) -> in[0].sum(a.dtype("dtype")));
        unary("nansum", Tensor::nansum);
        unary("mean", Tensor::mean);
        op("mean_dim", (in, a) -> in[0].mean(a.i("dim"), a.b("keepdim")));
        op("mean_dims", (in, a) -> in[0].mean(a.ints("dims"), a.b("keepdim")));
        unary("prod", Tensor::prod);
        op("prod_dim", (in, a) -> in[0].prod(a.i("dim"), a.b("keepdim")));
        unary("amax", Tensor::amax);
        op("amax_dims", (in, a) -> in[0].amax(a.ints("dims"), a.b("keepdim")));
        unary("amin", Tensor::amin);
        op("amin_dims", (in, a) -> in[0].amin(a.ints("dims"), a.b("keepdim")));
        unary("argmax", Tensor::argmax);
        op("argmax_dim", (in, a) -> in[0].argmax(a.i("dim"), a.b("keepdim")));
        unary("argmin", Tensor::argmin);
        op("argmin_dim", (in, a) -> in[0].argmin(a.i("dim"), a.b("keepdim")));
        op("max", (in, a) -> in[0].max());
        op("max_dim", (in, a) -> in[0].max(a.i("dim"), a.b("keepdim")));
        op("min", (in, a) -> in[0].min());
        op("min_dim", (in, a) -> in[0].min(a.i("dim"), a.b("keepdim")));
        unary("all", Tensor::all);
        op("all_dim", (in, a) -> in[0].all(a.i("dim"), a.b("keepdim")));
        unary("any", Tensor::any);
        op("any_dim", (in, a) -> in[0].any(a.i("dim"), a.b("keepdim")));
        unary("std", Tensor::std);
        op("std_dim", (in, a) -> in[0].std(a.i("dim"), a.b("unbiased"), a.b("keepdim")));
        op("std_dims", (in, a) -> in[0].std(a.ints("dims"), a.d("correction"), a.b("keepdim")));
        unary("var", Tensor::var);
        op("var_dim", (in, a) -> in[0].var(a.i("dim"), a.b("unbiased"), a.b("keepdim")));
        op("var_dims", (in, a) -> in[0].var(a.ints("dims"), a.d("correction"), a.b("keepdim")));
        op("logsumexp_dims", (in, a) -> in[0].logsumexp(a.ints("dims"), a.b("keepdim")));
        op("norm", (in, a) -> in[0].norm(a.d("p")));
        op("norm_dim", (in, a) -> in[0].norm(a.d("p"), a.i("dim"), a.b("keepdim")));

        // ---------------------------------------------------------------- scans, softmax, sorting
        op("cumsum", (in, a) -> in[0].cumsum(a.i("dim")));
        op("cumsum_dtype", (in, a) -> in[0].cumsum(a.i("dim"), a.dtype("dtype")));
        op("cumprod", (in, a) -> in[0].cumprod(a.i("dim")));
        op("softmax", (in, a) -> F.softmax(in[0], a.i("dim")));
        op("log_softmax", (in, a) -> F.logSoftmax(in[0], a.i("dim")));
        op("sort", (in, a) -> in[0].sort(a.i("dim"), a.b("descending")));
        op("argsort", (in, a) -> in[0].argsort(a.i("dim"), a.b("descending")));
        op("topk", (in, a) -> in[0].topk(a.i("k"), a.i("dim"), a.b("largest")));

        // ---------------------------------------------------------------- views and shapes
        op("view", (in, a) -> in[0].view(a.longs("shape")));
        op("reshape", (in, a) -> in[0].reshape(a.longs("shape")));
        op("permute", (in, a) -> in[0].permute(a.ints("dims")));
        op("transpose", (in, a) -> in[0].transpose(a.i("d0"), a.i("d1")));
        op("swapaxes", (in, a) -> in[0].swapaxes(a.i("d0"), a.i("d1")));
        unary("t", Tensor::t);
        unary("squeeze", Tensor::squeeze);
        op("squeeze_dim", (in, a) -> in[0].squeeze(a.i("dim")));
        op("unsqueeze", (in, a) -> in[0].unsqueeze(a.i("dim")));
        op("flatten", (in, a) -> in[0].flatten(a.i("start"), a.i("end")));
        op("unflatten", (in, a) -> in[0].unflatten(a.i("dim"), a.longs("sizes")));
        op("flip", (in, a) -> in[0].flip(a.ints("dims")));
        op("expand", (in, a) -> in[0].expand(a.longs("sizes")));
        op("broadcast_to", (in, a) -> in[0].broadcastTo(a.longs("sizes")));
        op("repeat", (in, a) -> in[0].repeat(a.longs("sizes")));
        op("narrow", (in, a) -> in[0].narrow(a.i("dim"), a.l("start"), a.l("length")));
        op("select", (in, a) -> in[0].select(a.i("dim"), a.l("index")));
        op("slice", (in, a) -> { // a[:, :, start:end:step] as Python indexes
            Object[] idx = new Object[a.i("dim") + 1];
            Arrays.fill(idx, slice());
            idx[idx.length - 1] = slice(a.l("start"), a.l("end"), a.l("step"));
            return in[0].get(idx);
        });
        op("get", (in, a) -> in[0].get(a.l("index")));
        op("chunk", (in, a) -> in[0].chunk(a.i("chunks"), a.i("dim")));
        op("split", (in, a) -> in[0].split(a.l("size"), a.i("dim")));
        op("split_sizes", (in, a) -> in[0].split(a.longs("sizes"), a.i("dim")));
        op("unbind", (in, a) -> in[0].unbind(a.i("dim")));
        op("cat", (in, a) -> cat(List.of(in), a.i("dim")));
        op("stack", (in, a) -> stack(List.of(in), a.i("dim")));

        // ---------------------------------------------------------------- indexing
        op("index_select", (in, a) -> in[0].indexSelect(a.i("dim"), in[1]));
        op("gather", (in, a) -> in[0].gather(a.i("dim"), in[1]));
        op("take_along_dim", (in, a) -> in[0].takeAlongDim(in[1], a.i("dim")));
        op("scatter", (in, a) -> in[0].scatter(a.i("dim"), in[1], in[2]));
        op("scatter_add", (in, a) -> in[0].scatterAdd(a.i("dim"), in[1], in[2]));
        binary("index", Tensor::get);
        op("masked_fill", (in, a) -> a.scalar("s", s -> in[0].maskedFill(in[1], s), s -> in[0].maskedFill(in[1], s)));
        binary("masked_select", Tensor::maskedSelect);
        unary("nonzero", Tensor::nonzero);

        // ---------------------------------------------------------------- matrix products
        binary("matmul", Tensor::matmul);
        binary("mm", Tensor::mm);
        binary("bmm", Tensor::bmm);
        binary("mv", Tensor::mv);
        binary("dot", Tensor::dot);
        binary("outer", Tensor::outer);

        // ---------------------------------------------------------------- conversions
        op("to", (in, a) -> in[0].to(a.dtype("dtype")));
        unary("long", Tensor::int64);
        unary("float", Tensor::float32);
        unary("double", Tensor::float64);
        unary("half", Tensor::half);
        unary("bool", Tensor::bool);
        unary("int", Tensor::int32);

        // ---------------------------------------------------------------- factories
        op("zeros", (in, a) -> zeros(a.longs("shape"), a.dtype("dtype")));
        op("ones", (in, a) -> ones(a.longs("shape"), a.dtype("dtype")));
        op("full", (in, a) -> a.scalar("s", s -> full(a.longs("shape"), s, a.dtype("dtype")), s -> full(a.longs("shape"), s, a.dtype("dtype"))));
        op("arange", (in, a) -> a.isInt("start") && a.isInt("end") && a.isInt("step")
                ? arange(a.l("start"), a.l("end"), a.l("step")) : arange(a.d("start"), a.d("end"), a.d("step")));
        op("arange_dtype", (in, a) -> arange(a.d("start"), a.d("end"), a.d("step"), a.dtype("dtype")));
        op("linspace", (in, a) -> linspace(a.d("start"), a.d("end"), a.l("steps"), a.dtype("dtype")));
        op("eye", (in, a) -> eye(a.l("n"), a.l("m"), a.dtype("dtype")));
        unary("zeros_like", dev.jtorch.Torch::zerosLike);
        unary("ones_like", dev.jtorch.Torch::onesLike);
        op("full_like", (in, a) -> fullLike(in[0], a.d("s")));

        // ---------------------------------------------------------------- in place
        binary("add_", Tensor::add_);
        binary("sub_", Tensor::sub_);
        binary("mul_", Tensor::mul_);
        binary("div_", Tensor::div_);
        op("clamp_", (in, a) -> a.isInt("lo") ? in[0].clamp_(a.l("lo"), a.l("hi")) : in[0].clamp_(a.d("lo"), a.d("hi")));
        op("fill_", (in, a) -> a.scalar("s", in[0]::fill_, in[0]::fill_));
        unary("zero_", Tensor::zero_);
        binary("copy_", Tensor::copy_);
        op("masked_fill_", (in, a) -> a.scalar("s", s -> in[0].maskedFill_(in[1], s), s -> in[0].maskedFill_(in[1], s)));
        unary("exp_", Tensor::exp_);
    }

    // ================================================================ running a call

    /** How a call went wrong. */
    enum Category {
        NO_JAVA_OP("no Java op for the key"),
        HANG("did not end in time"),
        INTERNAL("internal exception"),
        ACCEPTED_INVALID("PyTorch raised, jtorch returned"),
        REFUSED_VALID("PyTorch returned, jtorch threw"),
        WRONG_EXCEPTION_TYPE("exception of the wrong kind"),
        WRONG_MESSAGE("exception with another message"),
        WRONG_COUNT("another number of output tensors"),
        WRONG_DTYPE("another dtype"),
        WRONG_SHAPE("another shape"),
        WRONG_VALUE("another value");

        final String what;

        Category(String what) { this.what = what; }
    }

    record Failure(Category category, OpCases.Golden golden, String detail) {
        @Override public String toString() {
            return category + " " + golden.name() + " (fuzz_golden.txt:" + golden.line() + "): " + golden.expr() + "  [key " + golden.key()
                    + "]  inputs " + golden.inputs() + "\n    " + detail;
        }
    }

    /** Exceptions that only a bug throws: jtorch must check its arguments before they can happen. */
    static boolean internal(Throwable t) {
        return t instanceof Error || t instanceof ArrayIndexOutOfBoundsException || t instanceof StringIndexOutOfBoundsException
                || t instanceof NullPointerException || t instanceof ClassCastException || t instanceof NegativeArraySizeException
                || t instanceof ArithmeticException || t instanceof ArrayStoreException || !(t instanceof RuntimeException);
    }

    /** Whether jtorch's exception is of the kind PyTorch's error maps to. */
    static boolean sameKind(String pyType, RuntimeException e) {
        return switch (pyType) {
            case "IndexError" -> e instanceof IndexOutOfBoundsException;
            case "ValueError", "TypeError" -> e instanceof IllegalArgumentException;
            case "NotImplementedError" -> e instanceof UnsupportedOperationException;
            default -> !(e instanceof IndexOutOfBoundsException);
        };
    }

    static String expectedMessage(String message) {
        for (Rewording r : REWORDINGS) message = r.from().matcher(message).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(r.to().apply(m)));
        return message;
    }

    private ExecutorService worker = newWorker();

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-call");
            t.setDaemon(true);
            return t;
        });
    }

    /** The call's result, or the Throwable it threw, or null when it did not end in time. */
    private Object[] runWithTimeout(Op op, Tensor[] in, Args args) throws InterruptedException {
        Future<Object> f = worker.submit(() -> op.apply(in, args));
        try {
            return new Object[]{f.get(TIMEOUT_S, TimeUnit.SECONDS), null};
        } catch (ExecutionException e) {
            return new Object[]{null, e.getCause()};
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow(); // the hung thread is a daemon: it cannot keep the JVM alive
            worker = newWorker();
            return null;
        }
    }

    Failure check(OpCases.Golden g) throws InterruptedException {
        Args args = Args.parse(g.key());
        Op op = OPS.get(args.name());
        if (op == null) return new Failure(Category.NO_JAVA_OP, g, "add '" + args.name() + "' to FuzzTest.OPS");
        Object[] r;
        try {
            Tensor[] in = OpCases.buildInputs(g);
            r = runWithTimeout(op, in, args);
        } catch (RuntimeException e) {
            return new Failure(Category.INTERNAL, g, "building the inputs threw " + e);
        }
        if (r == null) return new Failure(Category.HANG, g, "no result after " + TIMEOUT_S + " s");
        Throwable thrown = (Throwable) r[1];
        if (thrown != null && internal(thrown)) return new Failure(Category.INTERNAL, g, trace(thrown));
        if (g.raises()) {
            if (thrown == null) return new Failure(Category.ACCEPTED_INVALID, g, "PyTorch: " + g.errType() + ": " + g.errMessage());
            RuntimeException e = (RuntimeException) thrown;
            if (!sameKind(g.errType(), e))
                return new Failure(Category.WRONG_EXCEPTION_TYPE, g, "PyTorch " + g.errType() + ", jtorch " + e);
            String want = expectedMessage(g.errMessage());
            if (!want.equals(e.getMessage()))
                return new Failure(Category.WRONG_MESSAGE, g, "PyTorch: " + want + "\n    jtorch:  " + e.getMessage());
            return null;
        }
        if (thrown != null) return new Failure(Category.REFUSED_VALID, g, trace(thrown));
        List<Tensor> outs;
        try {
            outs = OpCases.tensorsOf(r[0]);
        } catch (RuntimeException e) {
            return new Failure(Category.WRONG_COUNT, g, e.toString());
        }
        if (outs.size() != g.outputs().size())
            return new Failure(Category.WRONG_COUNT, g, "PyTorch " + g.outputs().size() + ", jtorch " + outs.size());
        for (int i = 0; i < outs.size(); i++) {
            OpCases.Output want = g.outputs().get(i);
            Tensor got = outs.get(i);
            String which = outs.size() > 1 ? "output " + i + ": " : "";
            if (want.dtype() != got.dtype())
                return new Failure(Category.WRONG_DTYPE, g, which + "PyTorch " + want.dtype() + ", jtorch " + got.dtype());
            if (!Arrays.equals(want.shape(), got.shape().toArray()))
                return new Failure(Category.WRONG_SHAPE, g, which + "PyTorch " + Arrays.toString(want.shape()) + ", jtorch "
                        + Arrays.toString(got.shape().toArray()));
            String diff;
            try {
                diff = EXACT.contains(args.name()) ? bitwise(want, got) : OpGoldenTest.compare(want, got, tolerance(args.name()),
                        OpGoldenTest.inputScale(g));
            } catch (RuntimeException e) {
                return new Failure(Category.INTERNAL, g, "reading the result threw " + trace(e));
            }
            if (diff != null) return new Failure(Category.WRONG_VALUE, g, which + diff);
        }
        return null;
    }

    /** Ops (or prefixes ending in '*') computed with library math functions. */
    private static final List<String> TRANSCENDENTAL = List.of("exp*", "log*", "sqrt", "rsqrt", "sin", "cos", "tan", "asin",
            "acos", "atan*", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "erf*", "lgamma", "digamma",
            "pow*", "rpow*", "hypot", "xlogy", "softmax*", "log_softmax*", "norm*", "std*", "var*", "lerp*", "addc*",
            "reciprocal", "div*", "rdiv*", "remainder*", "fmod*", "floor_divide*", "round_dec2", "mean*");

    /** Ops that accumulate (summation order differs between implementations) or are composites. */
    private static final List<String> ACCUMULATING = List.of("sum*", "mean*", "prod*", "std*", "var*", "norm*",
            "logsumexp*", "cumsum*", "cumprod*", "matmul", "mm", "bmm", "mv", "dot", "outer", "softmax*", "log_softmax*",
            "linspace*", "logspace*", "arange*", "lerp*", "addc*", "round_dec2", "xlogy");

    private static boolean matches(List<String> patterns, String name) {
        for (String p : patterns)
            if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) return true;
        return false;
    }

    /**
     * The tolerance class of a fuzzed op: the fuzz calls are not rows of the op-case table, so their class comes from
     * the op's name, as the table's classes were first assigned (nansum sums as sum does).
     */
    static OpCases.Tolerance tolerance(String name) {
        String n = name.equals("nansum") ? "sum" : name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        boolean t = matches(TRANSCENDENTAL, n), a = matches(ACCUMULATING, n);
        return t && a ? OpCases.Tolerance.TRANSC_ACCUM : t ? OpCases.Tolerance.TRANSC : a ? OpCases.Tolerance.ACCUM : OpCases.Tolerance.ARITH;
    }

    /** Null when every value has PyTorch's bits (any NaN matches any NaN), else the first differences. */
    static String bitwise(OpCases.Output want, Tensor got) {
        if (!want.dtype().isFloatingPoint()) return OpGoldenTest.compare(want, got, OpCases.Tolerance.ARITH, 0);
        double[] g = got.toDoubleArray();
        StringBuilder sb = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < g.length; i++) {
            double e = OpCases.parseDouble(want.values()[i]);
            boolean ok = Double.isNaN(e) ? Double.isNaN(g[i]) : Double.doubleToRawLongBits(e) == Double.doubleToRawLongBits(g[i]);
            if (!ok && bad++ < 6) sb.append(String.format("[%d] expected %s got %s; ", i, Double.toHexString(e), Double.toHexString(g[i])));
        }
        return bad == 0 ? null : bad + "/" + g.length + " values differ (bitwise): " + sb;
    }

    static String trace(Throwable t) {
        StringBuilder sb = new StringBuilder(t.toString());
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(4, st.length); i++) sb.append("\n      at ").append(st[i]);
        return sb.toString();
    }

    // ================================================================ the test

    @Test
    void jtorchAgreesWithPyTorchOnRandomCalls() throws InterruptedException {
        List<String> comments = new ArrayList<>();
        List<OpCases.Golden> goldens = OpCases.parse(GOLDEN, comments);
        assertTrue(!comments.isEmpty() && GoldenText.Header.parse(comments.get(0)) != null, "fuzz_golden.txt has no header naming its PyTorch");

        // the coverage the goldens must have
        Set<String> ops = new TreeSet<>();
        Set<DType> dtypes = new TreeSet<>();
        int raising = 0;
        for (OpCases.Golden g : goldens) {
            ops.add(Args.parse(g.key()).name());
            for (OpCases.Input in : g.inputs()) dtypes.add(in.dtype());
            if (g.raises()) raising++;
        }
        assertTrue(goldens.size() >= 5000, "too few calls: " + goldens.size());
        assertTrue(ops.size() >= 90, "too few ops: " + ops.size());
        assertTrue(dtypes.size() >= 7, "too few dtypes: " + dtypes);

        Map<String, String> differences = documentedDifferences();
        Map<String, String> noted = new LinkedHashMap<>();
        for (OpCases.Golden g : goldens)
            for (String note : g.notes()) if (note.startsWith("2.x: ")) noted.put(g.name(), note.substring(5, note.indexOf(": PyTorch ")));
        assertTrue(noted.equals(differences), "fuzz_differences.txt and the goldens' 2.x notes disagree: list " + differences + ", notes " + noted);

        Map<String, String[]> open = openFindings();
        List<Failure> failures = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        int tolerated = 0;
        try {
            for (OpCases.Golden g : goldens) {
                String[] known = open.get(g.name());
                if (known != null && known[0].equals(Category.HANG.name())) continue;
                Failure f = check(g);
                if (known != null && f != null && f.category().name().equals(known[0])) tolerated++;
                else if (f != null) failures.add(f);
                else if (known != null) stale.add(g.name() + " " + known[0] + " (now passes)");
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.println("FuzzTest: " + goldens.size() + " calls, " + ops.size() + " ops, " + dtypes.size() + " dtypes; "
                + tolerated + " open findings (" + OPEN + "), " + differences.size() + " records with 2.x's outcome (" + DIFFERENCES + ")");
        assertTrue(stale.isEmpty(), "fixed, delete their lines from fuzz_open.txt: " + stale);
        if (failures.isEmpty()) return;
        Map<Category, List<Failure>> by = new TreeMap<>();
        for (Failure f : failures) by.computeIfAbsent(f.category(), k -> new ArrayList<>()).add(f);
        StringBuilder sb = new StringBuilder().append(failures.size()).append(" of ").append(goldens.size()).append(" calls (")
                .append(ops.size()).append(" ops, ").append(raising).append(" raising in PyTorch) disagree with ")
                .append(comments.get(0)).append('\n');
        by.forEach((c, list) -> sb.append(String.format("  %5d  %s (%s)%n", list.size(), c, c.what)));
        by.forEach((c, list) -> {
            sb.append("\n== ").append(c).append('\n');
            for (Failure f : list.subList(0, Math.min(list.size(), 8))) sb.append(f).append('\n');
        });
        String report = System.getProperty("jtorch.fuzz.report");
        if (report != null) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(report), failures.stream().map(Failure::toString)
                        .collect(java.util.stream.Collectors.joining("\n")) + "\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        throw new AssertionError(sb.toString());
    }
}
