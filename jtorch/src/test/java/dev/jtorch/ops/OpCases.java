package dev.jtorch.ops;

import static dev.jtorch.Torch.*;

import dev.jtorch.GoldenText;
import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The op-case table, Java side. The cases themselves live in {@code golden/ops/cases.txt} (one line per
 * case: name, PyTorch expression, Java key, input specs, dtype variants, tolerance, grad, and optionally the kernel
 * column that BackendParityTest reads), which {@code gen_ops.py} reads to
 * write {@code golden/ops/ops_golden.txt}: the expanded cases with their inputs and PyTorch's outputs.
 * This class maps each Java key to the jtorch call, parses the goldens and rebuilds the inputs.
 *
 * <p>To add an op: add a line to cases.txt, a key here, rerun {@code gen_ops.py} (see its header).
 */
public final class OpCases {
    private OpCases() {}

    /** A jtorch call over the case's input tensors; the result is a Tensor, a List of them or a record of them. */
    @FunctionalInterface
    public interface Call { Object apply(Tensor[] in); }

    /** A call parameterized by the dtype after the ':' in its key, e.g. {@code to:f16}. */
    @FunctionalInterface
    public interface DtypeCall { Object apply(Tensor[] in, DType dtype); }

    // ================================================================ golden records

    /** One input: a base tensor of {@code baseShape} holding {@code values}, viewed through {@code layout}. */
    public record Input(DType dtype, long[] shape, String layout, long[] baseShape, String[] values) {
        @Override public String toString() { return short_(dtype) + Arrays.toString(shape) + (layout.equals("-") ? "" : "@" + layout); }
    }

    /** One output tensor of PyTorch's result. */
    public record Output(DType dtype, long[] shape, String[] values, String repr) {}

    /** One expanded case with PyTorch's outcome: outputs, or the exception it raised. */
    public record Golden(String name, String key, String expr, List<Input> inputs, List<Output> outputs, String srepr,
                         String errType, String errMessage, int line, List<String> notes) {
        public boolean raises() { return errType != null; }

        @Override public String toString() { return name; }
    }

    public static final String GOLDEN = "/golden/ops/ops_golden.txt";
    public static final String TABLE = "/golden/ops/cases.txt";

    private static List<Golden> goldens;
    private static String header;

    /** The first line of the golden file: which PyTorch made it. */
    public static synchronized String header() {
        goldens();
        return header;
    }

    public static synchronized List<Golden> goldens() {
        if (goldens == null) {
            List<String> comments = new ArrayList<>();
            goldens = parse(GOLDEN, comments);
            header = comments.isEmpty() ? null : comments.get(0);
        }
        return goldens;
    }

    /**
     * The records of a golden file in this format; its comment lines (the first is the header) go to
     * {@code comments}. An {@code out} line without a {@code repr} line has a null repr; {@code note} lines
     * say where a record is not PyTorch's plain outcome, and why.
     */
    static List<Golden> parse(String resource, List<String> comments) {
        List<Golden> out = new ArrayList<>();
        try (InputStream in = OpCases.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int lineNo = 0, start = 0;
            String name = null, key = null, expr = null, srepr = null, errType = null, errMsg = null;
            List<String> notes = new ArrayList<>();
            List<Input> inputs = new ArrayList<>();
            List<Output> outputs = new ArrayList<>();
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.startsWith("#")) {
                    comments.add(line);
                    continue;
                }
                if (line.isEmpty()) continue;
                int sp = line.indexOf(' ');
                String tag = sp < 0 ? line : line.substring(0, sp), rest = sp < 0 ? "" : line.substring(sp + 1);
                switch (tag) {
                    case "case" -> {
                        name = rest;
                        start = lineNo;
                        key = expr = srepr = errType = errMsg = null;
                        inputs = new ArrayList<>();
                        outputs = new ArrayList<>();
                        notes = new ArrayList<>();
                    }
                    case "key" -> key = rest;
                    case "expr" -> expr = rest;
                    case "in" -> {
                        String[] head = rest.substring(0, rest.indexOf(" : ") < 0 ? rest.length() : rest.indexOf(" : ")).split(" ");
                        String vals = rest.contains(" : ") ? rest.substring(rest.indexOf(" : ") + 3) : "";
                        inputs.add(new Input(dtype(head[0]), shape(head[1]), head[2], shape(head[3]), words(vals)));
                    }
                    case "out" -> {
                        String[] head = rest.substring(0, rest.indexOf(" :")).split(" ");
                        int c = rest.indexOf(" : ");
                        outputs.add(new Output(dtype(head[0]), shape(head[1]), c < 0 ? new String[0] : words(rest.substring(c + 3)), null));
                    }
                    case "repr" -> {
                        Output o = outputs.removeLast();
                        outputs.add(new Output(o.dtype(), o.shape(), o.values(), GoldenText.unescape(rest)));
                    }
                    case "note" -> notes.add(rest);
                    case "srepr" -> srepr = GoldenText.unescape(rest);
                    case "err" -> {
                        int s2 = rest.indexOf(' ');
                        errType = s2 < 0 ? rest : rest.substring(0, s2);
                        errMsg = s2 < 0 ? "" : GoldenText.unescape(rest.substring(s2 + 1));
                    }
                    case "end" -> out.add(new Golden(name, key, expr, List.copyOf(inputs), List.copyOf(outputs), srepr, errType, errMsg, start, List.copyOf(notes)));
                    default -> throw new IllegalStateException(resource + ":" + lineNo + ": unknown record " + tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String[] words(String s) { return s.isBlank() ? new String[0] : s.trim().split(" "); }

    static long[] shape(String s) {
        String body = s.substring(1, s.length() - 1);
        if (body.isEmpty()) return new long[0];
        return Arrays.stream(body.split(",")).mapToLong(Long::parseLong).toArray();
    }

    public static DType dtype(String s) {
        return switch (s) {
            case "f32" -> DType.float32; case "f64" -> DType.float64; case "f16" -> DType.float16; case "bf16" -> DType.bfloat16;
            case "i64" -> DType.int64; case "i32" -> DType.int32; case "i16" -> DType.int16; case "i8" -> DType.int8;
            case "u8" -> DType.uint8; case "b" -> DType.bool;
            default -> throw new IllegalArgumentException("unknown dtype " + s);
        };
    }

    public static String short_(DType d) {
        return switch (d) {
            case float32 -> "f32"; case float64 -> "f64"; case float16 -> "f16"; case bfloat16 -> "bf16"; case int64 -> "i64";
            case int32 -> "i32"; case int16 -> "i16"; case int8 -> "i8"; case uint8 -> "u8"; case bool -> "b";
        };
    }

    public static double parseDouble(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    // ================================================================ the table itself

    /**
     * How closely jtorch's floating-point results must agree with PyTorch's: the tolerance column of cases.txt
     * (its header gives the numbers). Integer and bool results are always exact.
     */
    public enum Tolerance {
        /** elementwise arithmetic, correctly rounded */
        ARITH("arith", false, false),
        /** library math functions (and divisions) */
        TRANSC("transc", true, false),
        /** sums, products and composites: summation order and precision differ */
        ACCUM("accum", false, true),
        /** both */
        TRANSC_ACCUM("transc+accum", true, true);

        public final String column;
        final boolean transcendental;
        /** whether an absolute allowance scaled by the magnitudes involved applies (see OpGoldenTest.compare) */
        public final boolean accumulates;

        Tolerance(String column, boolean transcendental, boolean accumulates) {
            this.column = column;
            this.transcendental = transcendental;
            this.accumulates = accumulates;
        }

        static Tolerance of(String column) {
            for (Tolerance t : values()) if (t.column.equals(column)) return t;
            throw new IllegalArgumentException("unknown tolerance class '" + column + "' (arith, transc, accum, transc+accum)");
        }

        /** The relative tolerance for results of dtype {@code d}. */
        public double rtol(DType d) {
            return switch (d) {
                case float64 -> transcendental ? 1e-10 : 1e-12;
                case float32 -> (transcendental ? 16 : 4) * 0x1p-23;
                case float16 -> (transcendental ? 2 : 1) * 0x1p-10;
                case bfloat16 -> (transcendental ? 2 : 1) * 0x1p-7;
                default -> 0;
            };
        }
    }

    /**
     * A case of cases.txt after expanding its variants: what its golden must say, how closely ({@code tolerance}),
     * whether its result is differentiable ({@code grad}: "yes", "no", "raises" or "skip REASON"), its input specs with
     * '$' replaced ({@code inputs}, e.g. {@code f32[3,4]:pos@T}), and, where the kernel column names one, the primitive
     * op whose kernel-level cases this case's dtypes and domains define ({@code kernelOp}, its torch name) and how
     * closely a backend must agree with the reference backend there ({@code kernelTolerance}); both null otherwise.
     */
    public record TableCase(String name, String expr, String key, int line, Tolerance tolerance, String grad, List<String> inputs,
                            String kernelOp, String kernelTolerance) {
        /** Gradcheck must hold at the case's float64 inputs. */
        public boolean differentiable() { return grad.equals("yes"); }

        /** Why gradcheck cannot run on a differentiable case, or null. */
        public String gradSkipReason() { return grad.startsWith("skip ") ? grad.substring(5) : null; }

        /** The value domain of input {@code i} (its spec's {@code :DOMAIN}, {@code n} by default). */
        public String domain(int i) {
            String spec = inputs.get(i);
            int at = spec.indexOf('@'), colon = spec.indexOf(':');
            return colon < 0 ? "n" : spec.substring(colon + 1, at < 0 ? spec.length() : at);
        }
    }

    private static Map<String, TableCase> byName;

    /** The table's row for an expanded case name (a golden's name). */
    public static synchronized TableCase row(String caseName) {
        if (byName == null) {
            Map<String, TableCase> m = new HashMap<>();
            for (TableCase c : tableCases()) m.put(c.name(), c);
            byName = m;
        }
        TableCase c = byName.get(caseName);
        if (c == null) throw new IllegalStateException(caseName + " has no row in " + TABLE + " (rerun gen_ops.py)");
        return c;
    }

    /**
     * The torch name of every primitive op of the op vocabulary ({@link Op}): each must be the java key of some row
     * (OpTableTest). The one place the tests enumerate the vocabulary.
     */
    public static List<String> allPrimitiveOps() {
        List<String> out = new ArrayList<>();
        for (Op op : Op.values()) out.add(op.name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }

    private static final Map<String, List<String>> MACROS = Map.of(
            "*FL", List.of("f32", "f64", "f16", "bf16"),
            "*INT", List.of("i64", "i32", "i16", "i8", "u8"),
            "*NUM", List.of("f32", "f64", "f16", "bf16", "i64", "i32", "i16", "i8", "u8"),
            "*ALL", List.of("f32", "f64", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "b"));

    /** The dtypes a variant macro of cases.txt stands for, e.g. {@code *FL}: float32, float64, float16, bfloat16. */
    public static List<DType> macro(String name) {
        List<String> shorts = MACROS.get(name);
        if (shorts == null) throw new IllegalArgumentException("cases.txt has no variant macro " + name + " (" + MACROS.keySet() + ")");
        return shorts.stream().map(OpCases::dtype).toList();
    }

    private static String torchName(String shortName) {
        return "torch." + dtype(shortName).name();
    }

    /** The cases of cases.txt, expanded the way gen_ops.py expands them. */
    public static List<TableCase> tableCases() {
        List<TableCase> out = new ArrayList<>();
        try (InputStream in = OpCases.class.getResourceAsStream(TABLE)) {
            if (in == null) throw new IllegalStateException(TABLE + " is missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String raw;
            int lineNo = 0;
            while ((raw = r.readLine()) != null) {
                lineNo++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\\|", -1);
                for (int i = 0; i < f.length; i++) f[i] = f[i].strip();
                if (f.length != 7 && f.length != 8)
                    throw new IllegalStateException(TABLE + ":" + lineNo + ": expected 7 or 8 columns, found " + f.length);
                String variants = f[4], grad = f[6];
                Tolerance tol = Tolerance.of(f[5]);
                if (!grad.equals("yes") && !grad.equals("no") && !grad.equals("raises") && !grad.startsWith("skip "))
                    throw new IllegalStateException(TABLE + ":" + lineNo + ": grad column '" + grad + "' is not yes, no, raises or 'skip REASON'");
                String[] kernel = f.length == 8 && !f[7].equals("-") ? f[7].split("\\s+") : null;
                if (kernel != null && kernel.length != 2)
                    throw new IllegalStateException(TABLE + ":" + lineNo + ": kernel column '" + f[7] + "' is not '-' or 'OP TOLERANCE'");
                String kernelOp = kernel == null ? null : kernel[0], kernelTol = kernel == null ? null : kernel[1];
                List<String> specs = f[3].equals("-") ? List.of() : List.of(f[3].split("\\s+"));
                if (variants.equals("-")) {
                    out.add(new TableCase(f[0], f[1], f[2], lineNo, tol, grad, specs, kernelOp, kernelTol));
                    continue;
                }
                for (String v : variants.split("\\s+")) {
                    for (String tok : MACROS.getOrDefault(v, List.of(v))) {
                        String dt = tok.contains("@") ? tok.substring(0, tok.indexOf('@')) : tok;
                        String layout = tok.contains("@") ? tok.substring(tok.indexOf('@') + 1) : "";
                        List<String> expanded = specs.stream().map(sp -> sp.replace("$", dt)).toList();
                        out.add(new TableCase(f[0] + "_" + dt + layout, f[1].replace("$T", torchName(dt)), f[2].replace("$", dt), lineNo, tol, grad,
                                expanded, kernelOp, kernelTol));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    // ================================================================ inputs

    /** A dense tensor of {@code dtype} holding the golden values (exact: they are representable in the dtype). */
    public static Tensor dense(DType dtype, long[] shape, String[] values) {
        int n = values.length;
        Object array = switch (dtype) {
            case float32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) parseDouble(values[i]); yield a; }
            case float64 -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = parseDouble(values[i]); yield a; }
            case float16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = Float.floatToFloat16((float) parseDouble(values[i])); yield a; }
            case bfloat16 -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    float f = (float) parseDouble(values[i]);
                    a[i] = Float.isNaN(f) ? (short) 0x7fc0 : (short) (Float.floatToRawIntBits(f) >>> 16);
                }
                yield a;
            }
            case int64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = Long.parseLong(values[i]); yield a; }
            case int32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = (int) Long.parseLong(values[i]); yield a; }
            case int16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = (short) Long.parseLong(values[i]); yield a; }
            case int8, uint8 -> { byte[] a = new byte[n]; for (int i = 0; i < n; i++) a[i] = (byte) Long.parseLong(values[i]); yield a; }
            case bool -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = !values[i].equals("0"); yield a; }
        };
        Tensor flat = fromArray(array, dtype, n);
        return flat.reshape(shape);
    }

    /** The input tensor, laid out as the golden says (a view of its base for the non-contiguous layouts). */
    public static Tensor build(Input in) { return build(in, Device.CPU); }

    /** The input tensor on {@code device}: its base is copied there, then viewed as the golden says. */
    public static Tensor build(Input in, Device device) {
        Tensor base = dense(in.dtype(), in.baseShape(), in.values());
        if (!device.equals(Device.CPU)) base = base.to(device);
        long[] s = in.shape();
        return switch (in.layout()) {
            case "-" -> base;
            case "T" -> {
                int[] perm = new int[s.length];
                for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
                yield base.permute(perm);
            }
            case "s2" -> base.slice(-1, 0, base.size(-1), 2);
            case "x" -> base.expand(s);
            case "o3" -> base.slice(0, 3, base.size(0), 1).view(s);
            default -> throw new IllegalArgumentException("unknown layout " + in.layout());
        };
    }

    public static Tensor[] buildInputs(Golden g) { return buildInputs(g, Device.CPU); }

    /** The case's inputs on {@code device}. */
    public static Tensor[] buildInputs(Golden g, Device device) {
        Tensor[] t = new Tensor[g.inputs().size()];
        for (int i = 0; i < t.length; i++) t[i] = build(g.inputs().get(i), device);
        return t;
    }

    /** The output tensors of a call's result: a Tensor, a List, or a record of tensors (null components skipped). */
    public static List<Tensor> tensorsOf(Object r) {
        List<Tensor> out = new ArrayList<>();
        if (r instanceof Tensor t) {
            out.add(t);
        } else if (r instanceof List<?> l) {
            for (Object o : l) out.addAll(tensorsOf(o));
        } else if (r != null && r.getClass().isRecord()) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(r);
                    if (v != null) out.addAll(tensorsOf(v));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            throw new IllegalArgumentException("a case gave " + (r == null ? "null" : r.getClass().getName()) + ", not tensors");
        }
        return out;
    }

    // ================================================================ the calls

    private static final Map<String, Call> CALLS = new HashMap<>();
    private static final Map<String, DtypeCall> DTYPE_CALLS = new HashMap<>();

    /** The jtorch call for a key, or null when the table has no Java side for it. */
    public static Call call(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) return CALLS.containsKey(key) ? CALLS.get(key) : tensorMethod(key);
        DtypeCall dc = DTYPE_CALLS.get(key.substring(0, colon));
        if (dc == null) return null;
        DType d = dtype(key.substring(colon + 1));
        return in -> dc.apply(in, d);
    }

    public static java.util.Set<String> keys() {
        java.util.Set<String> s = new java.util.TreeSet<>(CALLS.keySet());
        for (String k : DTYPE_CALLS.keySet()) s.add(k + ":");
        return s;
    }

    /** A key naming a public no-argument {@code Tensor} method (a plain unary op, e.g. {@code sinc}) calls it: such a row needs no entry here. */
    private static Call tensorMethod(String key) {
        java.lang.reflect.Method m;
        try {
            m = Tensor.class.getMethod(key);
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (m.getReturnType() != Tensor.class) return null;
        return in -> {
            try {
                return m.invoke(in[0]);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void c(String key, Call call) {
        if (CALLS.put(key, call) != null) throw new IllegalStateException("duplicate key " + key);
    }

    private static void d(String key, DtypeCall call) {
        if (DTYPE_CALLS.put(key, call) != null) throw new IllegalStateException("duplicate key " + key);
    }

    private static final double INF = Double.POSITIVE_INFINITY;

    static {
        // ---------------------------------------------------------------- unary
        c("exp", in -> in[0].exp());
        c("exp2", in -> in[0].exp2());
        c("expm1", in -> in[0].expm1());
        c("log", in -> in[0].log());
        c("log2", in -> in[0].log2());
        c("log10", in -> in[0].log10());
        c("log1p", in -> in[0].log1p());
        c("sqrt", in -> in[0].sqrt());
        c("rsqrt", in -> in[0].rsqrt());
        c("reciprocal", in -> in[0].reciprocal());
        c("sin", in -> in[0].sin());
        c("cos", in -> in[0].cos());
        c("tan", in -> in[0].tan());
        c("asin", in -> in[0].asin());
        c("acos", in -> in[0].acos());
        c("atan", in -> in[0].atan());
        c("sinh", in -> in[0].sinh());
        c("cosh", in -> in[0].cosh());
        c("tanh", in -> in[0].tanh());
        c("asinh", in -> in[0].asinh());
        c("acosh", in -> in[0].acosh());
        c("atanh", in -> in[0].atanh());
        c("sigmoid", in -> in[0].sigmoid());
        c("erf", in -> in[0].erf());
        c("erfc", in -> in[0].erfc());
        c("erfinv", in -> in[0].erfinv());
        c("lgamma", in -> in[0].lgamma());
        c("digamma", in -> in[0].digamma());
        c("neg", in -> in[0].neg());
        c("abs", in -> in[0].abs());
        c("sign", in -> in[0].sign());
        c("sgn", in -> in[0].sgn());
        c("ceil", in -> in[0].ceil());
        c("floor", in -> in[0].floor());
        c("round", in -> in[0].round());
        c("round_dec2", in -> in[0].round(2));
        c("trunc", in -> in[0].trunc());
        c("frac", in -> in[0].frac());
        c("square", in -> in[0].square());
        c("relu", in -> in[0].relu());

        // ---------------------------------------------------------------- binary
        c("add", in -> in[0].add(in[1]));
        c("add_alpha2", in -> in[0].add(in[1], 2));
        c("add_alpha0.5", in -> in[0].add(in[1], 0.5));
        c("add_2.5", in -> in[0].add(2.5));
        c("add_1", in -> in[0].add(1));
        c("add_300", in -> in[0].add(300));
        c("radd_1", in -> in[0].add(1));
        c("sub", in -> in[0].sub(in[1]));
        c("sub_1", in -> in[0].sub(1));
        c("sub_2.5", in -> in[0].sub(2.5));
        c("rsub_2.5", in -> in[0].rsub(2.5));
        c("rsub_1", in -> in[0].rsub(1));
        c("sub_alpha3", in -> in[0].sub(in[1], 3));
        c("mul", in -> in[0].mul(in[1]));
        c("mul_2.5", in -> in[0].mul(2.5));
        c("mul_2", in -> in[0].mul(2));
        c("mul_-1", in -> in[0].mul(-1));
        c("div", in -> in[0].div(in[1]));
        c("div_2.5", in -> in[0].div(2.5));
        c("div_2", in -> in[0].div(2));
        c("rdiv_2", in -> in[0].rdiv(2));
        c("div_floor", in -> in[0].div(in[1], "floor"));
        c("div_trunc", in -> in[0].div(in[1], "trunc"));
        c("div_floor_2", in -> in[0].div(2, "floor"));
        c("div_trunc_-2.5", in -> in[0].div(-2.5, "trunc"));
        c("floor_divide", in -> in[0].floorDivide(in[1]));
        c("floor_divide_3", in -> in[0].floorDivide(3));
        c("remainder", in -> in[0].remainder(in[1]));
        c("remainder_3", in -> in[0].remainder(3));
        c("remainder_-1.5", in -> in[0].remainder(-1.5));
        c("fmod", in -> in[0].fmod(in[1]));
        c("fmod_3", in -> in[0].fmod(3));
        c("pow", in -> in[0].pow(in[1]));
        c("pow_2", in -> in[0].pow(2));
        c("pow_0.5", in -> in[0].pow(0.5));
        c("pow_3", in -> in[0].pow(3));
        c("pow_-1", in -> in[0].pow(-1));
        c("pow_-2.0", in -> in[0].pow(-2.0));
        c("rpow_2", in -> in[0].rpow(2));
        c("rpow_1.5", in -> in[0].rpow(1.5));
        c("atan2", in -> in[0].atan2(in[1]));
        c("hypot", in -> in[0].hypot(in[1]));
        c("maximum", in -> in[0].maximum(in[1]));
        c("minimum", in -> in[0].minimum(in[1]));
        c("fmax", in -> in[0].fmax(in[1]));
        c("fmin", in -> in[0].fmin(in[1]));
        c("copysign", in -> in[0].copysign(in[1]));
        c("copysign_-1.0", in -> in[0].copysign(-1.0));
        c("lerp_0.3", in -> in[0].lerp(in[1], 0.3));
        c("lerp", in -> in[0].lerp(in[1], in[2]));
        c("addcmul_0.5", in -> in[0].addcmul(in[1], in[2], 0.5));
        c("addcmul", in -> in[0].addcmul(in[1], in[2]));
        c("addcmul_2", in -> in[0].addcmul(in[1], in[2], 2));
        c("addcdiv_0.5", in -> in[0].addcdiv(in[1], in[2], 0.5));
        c("addcdiv", in -> in[0].addcdiv(in[1], in[2]));
        c("xlogy", in -> in[0].xlogy(in[1]));

        // ---------------------------------------------------------------- comparisons, logical, bitwise
        c("eq", in -> in[0].eq(in[1]));
        c("eq_2", in -> in[0].eq(2));
        c("eq_2.5", in -> in[0].eq(2.5));
        c("ne", in -> in[0].ne(in[1]));
        c("ne_0", in -> in[0].ne(0));
        c("lt", in -> in[0].lt(in[1]));
        c("lt_0.5", in -> in[0].lt(0.5));
        c("le", in -> in[0].le(in[1]));
        c("le_1", in -> in[0].le(1));
        c("gt", in -> in[0].gt(in[1]));
        c("gt_0", in -> in[0].gt(0));
        c("ge", in -> in[0].ge(in[1]));
        c("ge_-1", in -> in[0].ge(-1));
        c("isnan", in -> in[0].isnan());
        c("isinf", in -> in[0].isinf());
        c("isfinite", in -> in[0].isfinite());
        c("isclose", in -> in[0].isclose(in[1], 1e-5, 1e-8));
        c("equal", in -> tensor(in[0].equal(in[1])));
        c("logical_and", in -> in[0].logicalAnd(in[1]));
        c("logical_or", in -> in[0].logicalOr(in[1]));
        c("logical_xor", in -> in[0].logicalXor(in[1]));
        c("logical_not", in -> in[0].logicalNot());
        c("bitwise_and", in -> in[0].bitwiseAnd(in[1]));
        c("bitwise_and_6", in -> in[0].bitwiseAnd(6));
        c("bitwise_or", in -> in[0].bitwiseOr(in[1]));
        c("bitwise_xor", in -> in[0].bitwiseXor(in[1]));
        c("bitwise_not", in -> in[0].bitwiseNot());
        c("lshift", in -> in[0].bitwiseLeftShift(in[1]));
        c("lshift_2", in -> in[0].bitwiseLeftShift(2));
        c("rshift", in -> in[0].bitwiseRightShift(in[1]));
        c("rshift_1", in -> in[0].bitwiseRightShift(1));

        // ---------------------------------------------------------------- clamp, where, masked_fill
        c("clamp_-1.0_1.0", in -> in[0].clamp(-1.0, 1.0));
        c("clamp_-2_3", in -> in[0].clamp(-2, 3));
        c("clamp_-1.5_2.5", in -> in[0].clamp(-1.5, 2.5));
        c("clamp_1.0_-1.0", in -> in[0].clamp(1.0, -1.0));
        c("clamp_min_0.5", in -> in[0].clampMin(0.5));
        c("clamp_max_-0.5", in -> in[0].clampMax(-0.5));
        c("clamp_t", in -> in[0].clamp(in[1], in[2]));
        c("where", in -> where(in[2], in[0], in[1]));
        c("where_s0.0", in -> where(in[1], in[0], 0.0));
        c("where_s0", in -> where(in[1], in[0], 0));
        c("where_1.5s", in -> where(in[1], 1.5, in[0]));
        c("where_gt0", in -> where(in[0].gt(0), in[0], in[1]));
        c("masked_fill_-1.5", in -> in[0].maskedFill(in[1], -1.5));
        c("masked_fill_2.0", in -> in[0].maskedFill(in[1], 2.0));
        c("masked_fill_t7", in -> in[0].maskedFill(in[1], tensor(7.0)));
        c("masked_fill_2", in -> in[0].maskedFill(in[1], 2));
        c("masked_fill_300", in -> in[0].maskedFill(in[1], 300));

        // ---------------------------------------------------------------- reductions
        c("sum", in -> in[0].sum());
        c("sum_d0", in -> in[0].sum(0));
        c("sum_d1", in -> in[0].sum(1));
        c("sum_d2", in -> in[0].sum(2));
        c("sum_d0k", in -> in[0].sum(0, true));
        c("sum_d-1", in -> in[0].sum(-1));
        c("sum_d02", in -> in[0].sum(new int[]{0, 2}, false));
        c("sum_d02k", in -> in[0].sum(new int[]{0, 2}, true));
        c("sum_f64", in -> in[0].sum(float64));
        c("sum_i32", in -> in[0].sum(int32));
        c("mean", in -> in[0].mean());
        c("mean_d1", in -> in[0].mean(1));
        c("mean_d02k", in -> in[0].mean(new int[]{0, 2}, true));
        c("mean_f64", in -> in[0].mean(float64));
        c("prod", in -> in[0].prod());
        c("prod_d1", in -> in[0].prod(1));
        c("prod_d0k", in -> in[0].prod(0, true));
        c("std", in -> in[0].std());
        c("std_d1", in -> in[0].std(1));
        c("std_d1_biased", in -> in[0].std(1, false, false));
        c("std_d0k", in -> in[0].std(0, true, true));
        c("std_d02_c0", in -> in[0].std(new int[]{0, 2}, 0, false));
        c("std_d1_c2k", in -> in[0].std(new int[]{1}, 2, true));
        c("var", in -> in[0].var());
        c("var_d1", in -> in[0].var(1));
        c("var_biased", in -> in[0].var(false));
        c("var_d1_biased", in -> in[0].var(1, false, false));
        c("var_d01_c0", in -> in[0].var(new int[]{0, 1}, 0, false));
        c("max", in -> in[0].max());
        c("max_d0", in -> in[0].max(0));
        c("max_d1", in -> in[0].max(1));
        c("max_d0k", in -> in[0].max(0, true));
        c("min", in -> in[0].min());
        c("min_d1", in -> in[0].min(1));
        c("min_d-1k", in -> in[0].min(-1, true));
        c("amax", in -> in[0].amax());
        c("amax_d0", in -> in[0].amax(0));
        c("amax_d1", in -> in[0].amax(1));
        c("amax_d01k", in -> in[0].amax(new int[]{0, 1}, true));
        c("amin", in -> in[0].amin());
        c("amin_d0", in -> in[0].amin(0));
        c("amin_d12", in -> in[0].amin(new int[]{1, 2}, false));
        c("argmax", in -> in[0].argmax());
        c("argmax_d1", in -> in[0].argmax(1));
        c("argmax_d0k", in -> in[0].argmax(0, true));
        c("argmax_d0", in -> in[0].argmax(0));
        c("argmin", in -> in[0].argmin());
        c("argmin_d0", in -> in[0].argmin(0));
        c("argmin_d1", in -> in[0].argmin(1));
        c("all", in -> in[0].all());
        c("all_d1", in -> in[0].all(1));
        c("all_d0k", in -> in[0].all(0, true));
        c("any", in -> in[0].any());
        c("any_d1", in -> in[0].any(1));
        c("norm", in -> in[0].norm());
        c("norm_1", in -> in[0].norm(1));
        c("norm_3", in -> in[0].norm(3));
        c("norm_inf", in -> in[0].norm(INF));
        c("norm_-inf", in -> in[0].norm(-INF));
        c("norm_0", in -> in[0].norm(0));
        c("norm_2_d1", in -> in[0].norm(2, 1, false));
        c("norm_2_d01k", in -> in[0].norm(2, new int[]{0, 1}, true));
        c("norm_1_d0", in -> in[0].norm(1, 0, false));
        c("logsumexp_d0", in -> in[0].logsumexp(0));
        c("logsumexp_d1", in -> in[0].logsumexp(1));
        c("logsumexp_d01k", in -> in[0].logsumexp(new int[]{0, 1}, true));
        c("cumsum_d0", in -> in[0].cumsum(0));
        c("cumsum_d1", in -> in[0].cumsum(1));
        c("cumsum_d-1", in -> in[0].cumsum(-1));
        c("cumsum_d0_f64", in -> in[0].cumsum(0, float64));
        c("cumprod_d0", in -> in[0].cumprod(0));
        c("cumprod_d1", in -> in[0].cumprod(1));

        // ---------------------------------------------------------------- unique, sort, topk
        c("unique", in -> unique(in[0]));
        c("unique_inv_counts", in -> unique(in[0], true, true, true));
        c("unique_inv", in -> unique(in[0], true, true, false));
        c("unique_counts", in -> unique(in[0], true, false, true));
        c("sort", in -> in[0].sort(-1, false));
        c("sort_desc", in -> in[0].sort(-1, true));
        c("sort_d1_desc", in -> in[0].sort(1, true));
        c("sort_d0", in -> in[0].sort(0, false));
        c("argsort", in -> in[0].argsort(-1, false));
        c("argsort_d0_desc", in -> in[0].argsort(0, true));
        c("argsort_d1", in -> in[0].argsort(1, false));
        c("topk_2", in -> in[0].topk(2));
        c("topk_2_d0", in -> in[0].topk(2, 0, true));
        c("topk_3_smallest", in -> in[0].topk(3, -1, false));
        c("topk_0", in -> in[0].topk(0));
        c("topk_5", in -> in[0].topk(5));

        // ---------------------------------------------------------------- joins and splits
        c("cat_d0", in -> cat(List.of(in[0], in[1]), 0));
        c("cat_d1", in -> cat(List.of(in[0], in[1]), 1));
        c("cat_d-1", in -> cat(List.of(in[0], in[1], in[2]), -1));
        c("cat1_d1", in -> cat(List.of(in[0]), 1));
        c("stack", in -> stack(in[0], in[1]));
        c("stack_d1", in -> stack(List.of(in[0], in[1]), 1));
        c("stack_d-1", in -> stack(List.of(in[0], in[1], in[2]), -1));
        c("chunk_3_d1", in -> chunk(in[0], 3, 1));
        c("chunk_3", in -> in[0].chunk(3));
        c("chunk_4", in -> in[0].chunk(4));
        c("chunk_5", in -> in[0].chunk(5));
        c("split_2_d1", in -> split(in[0], 2, 1));
        c("split_3", in -> in[0].split(3));
        c("split_1_3_d1", in -> in[0].split(new long[]{1, 3}, 1));
        c("split_1_2_d1", in -> in[0].split(new long[]{1, 2}, 1));
        c("unbind_d1", in -> in[0].unbind(1));

        // ---------------------------------------------------------------- matrix products
        c("matmul", in -> in[0].matmul(in[1]));
        c("mm", in -> in[0].mm(in[1]));
        c("bmm", in -> in[0].bmm(in[1]));
        c("mv", in -> in[0].mv(in[1]));
        c("dot", in -> in[0].dot(in[1]));
        c("outer", in -> in[0].outer(in[1]));

        // ---------------------------------------------------------------- conversions
        d("to", (in, t) -> in[0].to(t));
        c("long", in -> in[0].int64());
        c("float", in -> in[0].float32());
        c("double", in -> in[0].float64());
        c("half", in -> in[0].half());
        c("bool", in -> in[0].bool());
        c("int", in -> in[0].int32());

        // ---------------------------------------------------------------- nn.functional
        c("softmax_d0", in -> F.softmax(in[0], 0));
        c("softmax_d1", in -> F.softmax(in[0], 1));
        c("softmax_d-1", in -> F.softmax(in[0], -1));
        c("softmax_d-3", in -> F.softmax(in[0], -3));
        c("log_softmax_d0", in -> F.logSoftmax(in[0], 0));
        c("log_softmax_d1", in -> F.logSoftmax(in[0], 1));
        c("one_hot", in -> F.oneHot(in[0]));
        c("one_hot_6", in -> F.oneHot(in[0], 6));
        c("one_hot_3", in -> F.oneHot(in[0], 3));

        // ---------------------------------------------------------------- views and copies
        c("view_4_3", in -> in[0].view(4, 3));
        c("view_-1_6", in -> in[0].view(-1, 6));
        c("view_5_-1", in -> in[0].view(5, -1));
        c("view_5_3", in -> in[0].view(5, 3));
        c("view_12", in -> in[0].view(12));
        c("reshape_12", in -> in[0].reshape(12));
        c("reshape_2_6", in -> in[0].reshape(2, 6));
        c("t", in -> in[0].t());
        c("transpose_0_2", in -> in[0].transpose(0, 2));
        c("permute_2_0_1", in -> in[0].permute(2, 0, 1));
        c("permute_0_1", in -> in[0].permute(0, 1));
        c("expand_3_4", in -> in[0].expand(3, 4));
        c("squeeze", in -> in[0].squeeze());
        c("unsqueeze_1", in -> in[0].unsqueeze(1));
        c("flatten", in -> in[0].flatten());
        c("narrow_1_1_2", in -> in[0].narrow(1, 1, 2));
        c("select_1_-1", in -> in[0].select(1, -1));
        c("select_1_4", in -> in[0].select(1, 4));
        c("item", in -> tensor(in[0].item()));
        c("item_t", in -> in[0].dtype().isFloatingPoint() ? tensor(in[0].item()) : tensor(in[0].itemLong()));
        c("sum_d-3", in -> in[0].sum(-3));
        c("unsqueeze_3", in -> in[0].unsqueeze(3));
        c("reshape_4_2", in -> in[0].reshape(4, 2));
        c("view_-1_-1", in -> in[0].view(-1, -1));
        c("get_5", in -> in[0].get(5));
        c("index", in -> in[0].index(new Tensor[]{in[1]}));
        c("index_put_acc", in -> in[0].indexPut(new Tensor[]{in[1]}, in[2], true));
        c("contiguous", in -> in[0].contiguous());
        c("clone", in -> in[0].clone());
        c("flip_0_1", in -> in[0].flip(0, 1));
        c("repeat_2_1_2", in -> in[0].repeat(2, 1, 2));

        // ---------------------------------------------------------------- in place
        c("add_", in -> in[0].clone().add_(in[1]));
        c("add__1.5", in -> in[0].clone().add_(1.5));
        c("mul__2", in -> in[0].clone().mul_(2));
        c("div_", in -> in[0].clone().div_(in[1]));
        c("sub_", in -> in[0].clone().sub_(in[1]));
        c("exp_", in -> in[0].clone().exp_());
        c("clamp__-1.0_1.0", in -> in[0].clone().clamp_(-1.0, 1.0));
        c("clamp__-1_1", in -> in[0].clone().clamp_(-1, 1));
        c("mul_", in -> in[0].clone().mul_(in[1]));
        c("fill__nan", in -> in[0].clone().fill_(Double.NaN));
        c("fill__1e10", in -> in[0].clone().fill_(1e10));
        c("copy_", in -> in[0].clone().copy_(in[1]));
        c("fill__2.5", in -> in[0].clone().fill_(2.5));
        c("zero_", in -> in[0].clone().zero_());
        c("masked_fill__0.5", in -> in[0].clone().maskedFill_(in[1], 0.5));
        c("t_add__1", in -> in[0].clone().t().add_(1));

        // ---------------------------------------------------------------- creation
        d("zeros", (in, t) -> zeros(new long[]{2, 3}, t));
        c("zeros_def", in -> zeros(2, 3));
        c("zeros_def_0_3", in -> zeros(0, 3));
        d("ones", (in, t) -> ones(new long[]{2, 3}, t));
        c("ones_def", in -> ones(4));
        c("full_2.5", in -> full(new long[]{2, 3}, 2.5));
        c("full_7", in -> full(new long[]{2, 3}, 7));
        c("full_true", in -> full(new long[]{2, 2}, true));
        d("full_-1.5", (in, t) -> full(new long[]{2, 3}, -1.5, t));
        c("full_1e10_f32", in -> full(new long[]{2}, 1e10, float32));
        d("full_1e5", (in, t) -> full(new long[]{2}, 1e5, t));
        d("full_-1", (in, t) -> full(new long[]{2}, -1, t));
        d("full_300", (in, t) -> full(new long[]{2}, 300, t));
        c("eye_3", in -> eye(3));
        c("eye_2_4", in -> eye(2, 4));
        d("eye3_dt", (in, t) -> eye(3, t));
        c("arange_10", in -> arange(10));
        c("arange_1_2.5_0.5", in -> arange(1, 2.5, 0.5));
        c("arange_0_1_0.1", in -> arange(0, 1, 0.1));
        c("arange_-3_3_0.7", in -> arange(-3, 3, 0.7));
        c("arange_5_-5_-3", in -> arange(5, -5, -3));
        c("arange_10_f64", in -> arange(0, 10, 1, float64));
        c("arange_4.5", in -> arange(4.5));
        d("arange_0_6_2", (in, t) -> arange(0, 6, 2, t));
        c("arange_0_10_-1", in -> arange(0, 10, -1));
        c("linspace_3_10_5", in -> linspace(3, 10, 5));
        c("linspace_-1_1_7", in -> linspace(-1, 1, 7));
        c("linspace_0_1_11_f64", in -> linspace(0, 1, 11, float64));
        c("linspace_2_5_1", in -> linspace(2, 5, 1));
        c("linspace_2_5_0", in -> linspace(2, 5, 0));
        c("linspace_0_10_4_i64", in -> linspace(0, 10, 4, int64));
        c("linspace_0.1_0.9_9", in -> linspace(0.1, 0.9, 9));
        c("logspace_0_2_5", in -> logspace(0, 2, 5));
        c("logspace_-1_1_4_b2", in -> logspace(-1, 1, 4, 2.0));
        c("logspace_-2_2_9_f64", in -> logspace(-2, 2, 9, 10.0, float64));
        c("zeros_like", in -> zerosLike(in[0]));
        c("ones_like", in -> onesLike(in[0]));
        c("full_like_3.5", in -> fullLike(in[0], 3.5));
        c("ones_like_f64", in -> onesLike(in[0], float64));
        c("tensor_long2d", in -> tensor(new long[][]{{1, 2}, {3, 4}}));
        c("tensor_double1d", in -> tensor(new double[]{1.5, -2.0}));
        c("tensor_bool1d", in -> tensor(new boolean[]{true, false}));
        c("tensor_long1d_i32", in -> tensor(new long[]{1, 2, 3}, int32));
        c("tensor_2.5", in -> tensor(2.5));
    }
}
