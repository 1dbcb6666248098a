package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.IndexOp;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;
import dev.jtorch.ops.ViewOp;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Finite-difference gradcheck (float64, PyTorch's eps/atol/rtol) over every differentiable primitive
 * ({@link Op} constants whose backward is not "not differentiable") and the composites built from
 * them; gradgradcheck over a representative subset. Inputs are seeded, broadcast, and often
 * non-contiguous; each op gets a domain where it is smooth.
 */
class GradcheckTest {

    /** Ops whose derivative is "not implemented" in PyTorch too (integer, boolean or index results). */
    private static final Set<Op> NOT_DIFFERENTIABLE = Set.of(MemoryOp.FILL, UnaryOp.BITWISE_NOT, UnaryOp.LOGICAL_NOT, BinaryOp.BITWISE_AND,
            BinaryOp.BITWISE_OR, BinaryOp.BITWISE_XOR, BinaryOp.BITWISE_LEFT_SHIFT, BinaryOp.BITWISE_RIGHT_SHIFT, BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT,
            BinaryOp.GE, BinaryOp.LOGICAL_AND, BinaryOp.LOGICAL_OR, BinaryOp.LOGICAL_XOR, ReduceOp.ALL, ReduceOp.ANY, ReduceOp.ARGMAX, ReduceOp.ARGMIN, ScanOp.ARGSORT);

    private record Case(String name, Op op, Function<Tensor[], Tensor> f, Tensor[] inputs, double eps, double atol) {}

    private static final List<Case> CASES = new ArrayList<>();
    private static final List<Case> SECOND_ORDER = new ArrayList<>();
    private static long seed = 1;

    // ---------------------------------------------------------------- inputs

    /** Standard normal float64 leaf of the given shape. */
    private static Tensor n(long... shape) {
        manualSeed(seed++);
        return randn(shape, float64).requiresGrad_();
    }

    /** Uniform in [lo, hi). */
    private static Tensor u(double lo, double hi, long... shape) {
        manualSeed(seed++);
        return rand(shape, float64).mul(hi - lo).add(lo).detach().requiresGrad_();
    }

    /** A non-contiguous leaf: the transpose of a [b, a] tensor, uniform in [lo, hi). */
    private static Tensor nc(double lo, double hi, long a, long b) {
        manualSeed(seed++);
        Tensor t = rand(new long[]{b, a}, float64).mul(hi - lo).add(lo).t().detach().requiresGrad_();
        assertFalse(t.isContiguous());
        return t;
    }

    /** Away from zero: |x| in [0.5, 1.5) with random sign. */
    private static Tensor nz(long... shape) {
        manualSeed(seed++);
        Tensor mag = rand(shape, float64).add(0.5);
        Tensor sign = rand(shape, float64).gt(0.5).to(float64).mul(2).sub(1);
        return mag.mul(sign).detach().requiresGrad_();
    }

    private static Tensor constant(Tensor t) { return t.detach(); }

    private static void c(String name, Op op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        CASES.add(new Case(name, op, f, inputs, GradCheck.EPS, GradCheck.ATOL));
    }

    private static void c2(String name, Op op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        c(name, op, f, inputs);
        SECOND_ORDER.add(new Case(name, op, f, inputs, GradCheck.EPS, GradCheck.ATOL));
    }

    static {
        // ---- movement and unary
        c("to(float32) and back", MemoryOp.COPY, x -> x[0].to(float32).to(float64), n(3, 4));
        CASES.set(CASES.size() - 1, new Case("to(float32) and back", MemoryOp.COPY, x -> x[0].to(float32).to(float64), new Tensor[]{n(3, 4)}, 1e-3, 1e-3));
        c("clone", MemoryOp.COPY, x -> x[0].clone(), nc(-1, 1, 3, 4));
        c("contiguous", MemoryOp.COPY, x -> x[0].contiguous(), nc(-1, 1, 3, 4));
        c("neg", UnaryOp.NEG, x -> x[0].neg(), nc(-1, 1, 3, 4));
        c("abs", UnaryOp.ABS, x -> x[0].abs(), nz(3, 4));
        c("sign", UnaryOp.SIGN, x -> x[0].sign(), nz(3, 4));
        c("ceil", UnaryOp.CEIL, x -> x[0].ceil(), u(0.1, 0.9, 3, 4));
        c("floor", UnaryOp.FLOOR, x -> x[0].floor(), u(0.1, 0.9, 3, 4));
        c("round", UnaryOp.ROUND, x -> x[0].round(), u(0.1, 0.4, 3, 4));
        c("trunc", UnaryOp.TRUNC, x -> x[0].trunc(), u(0.1, 0.9, 3, 4));
        c2("exp", UnaryOp.EXP, x -> x[0].exp(), nc(-1, 1, 3, 4));
        c("exp2", UnaryOp.EXP2, x -> x[0].exp2(), n(3, 4));
        c("expm1", UnaryOp.EXPM1, x -> x[0].expm1(), n(3, 4));
        c2("log", UnaryOp.LOG, x -> x[0].log(), nc(0.5, 2, 3, 4));
        c("log2", UnaryOp.LOG2, x -> x[0].log2(), u(0.5, 2, 3, 4));
        c("log10", UnaryOp.LOG10, x -> x[0].log10(), u(0.5, 2, 3, 4));
        c("log1p", UnaryOp.LOG1P, x -> x[0].log1p(), u(-0.5, 2, 3, 4));
        c("sqrt", UnaryOp.SQRT, x -> x[0].sqrt(), u(0.5, 2, 3, 4));
        c("rsqrt", UnaryOp.RSQRT, x -> x[0].rsqrt(), u(0.5, 2, 3, 4));
        c("reciprocal", UnaryOp.RECIPROCAL, x -> x[0].reciprocal(), nz(3, 4));
        c("sin", UnaryOp.SIN, x -> x[0].sin(), n(3, 4));
        c("cos", UnaryOp.COS, x -> x[0].cos(), n(3, 4));
        c("tan", UnaryOp.TAN, x -> x[0].tan(), u(-1, 1, 3, 4));
        c("asin", UnaryOp.ASIN, x -> x[0].asin(), u(-0.9, 0.9, 3, 4));
        c("acos", UnaryOp.ACOS, x -> x[0].acos(), u(-0.9, 0.9, 3, 4));
        c("atan", UnaryOp.ATAN, x -> x[0].atan(), n(3, 4));
        c("sinh", UnaryOp.SINH, x -> x[0].sinh(), n(3, 4));
        c("cosh", UnaryOp.COSH, x -> x[0].cosh(), n(3, 4));
        c2("tanh", UnaryOp.TANH, x -> x[0].tanh(), nc(-2, 2, 3, 4));
        c("asinh", UnaryOp.ASINH, x -> x[0].asinh(), n(3, 4));
        c("acosh", UnaryOp.ACOSH, x -> x[0].acosh(), u(1.5, 3, 3, 4));
        c("atanh", UnaryOp.ATANH, x -> x[0].atanh(), u(-0.9, 0.9, 3, 4));
        c2("sigmoid", UnaryOp.SIGMOID, x -> x[0].sigmoid(), n(3, 4));
        c("erf", UnaryOp.ERF, x -> x[0].erf(), n(3, 4));
        c("erfc", UnaryOp.ERFC, x -> x[0].erfc(), n(3, 4));
        c("erfinv", UnaryOp.ERFINV, x -> x[0].erfinv(), u(-0.9, 0.9, 3, 4));
        c("lgamma", UnaryOp.LGAMMA, x -> x[0].lgamma(), u(0.5, 4, 3, 4));
        c("lgamma of negatives", UnaryOp.LGAMMA, x -> x[0].lgamma(), u(-2.9, -2.1, 3));
        c("digamma", UnaryOp.DIGAMMA, x -> x[0].digamma(), u(0.5, 4, 3, 4));
        c("digamma of negatives", UnaryOp.DIGAMMA, x -> x[0].digamma(), u(-0.9, -0.1, 4));

        // ---- binary, with broadcasting and scalars
        c2("add", BinaryOp.ADD, x -> x[0].add(x[1]), n(3, 4), n(4));
        c("add scalar", BinaryOp.ADD, x -> x[0].add(2.5), nc(-1, 1, 3, 4));
        c("add alpha", BinaryOp.ADD, x -> x[0].add(x[1], 2.0), n(3, 1), n(1, 4));
        c("sub", BinaryOp.SUB, x -> x[0].sub(x[1]), nc(-1, 1, 3, 4), n(3, 1));
        c("rsub", BinaryOp.SUB, x -> x[0].rsub(2), n(3, 4));
        c2("mul", BinaryOp.MUL, x -> x[0].mul(x[1]), n(3, 4), nc(-1, 1, 3, 4));
        c("mul broadcast", BinaryOp.MUL, x -> x[0].mul(x[1]), n(2, 1, 4), n(3, 1));
        c("mul scalar", BinaryOp.MUL, x -> x[0].mul(-1.5), n(3, 4));
        c2("div", BinaryOp.DIV, x -> x[0].div(x[1]), n(3, 4), nz(4));
        c("rdiv", BinaryOp.DIV, x -> x[0].rdiv(2), nz(3, 4));
        c("div floor (zero gradient)", BinaryOp.FLOOR_DIVIDE, x -> x[0].div(x[1], "floor"), u(0.1, 0.9, 3, 4), u(2.1, 2.9, 4));
        c("div trunc (zero gradient)", BinaryOp.DIV, x -> x[0].div(x[1], "trunc"), u(0.1, 0.9, 3, 4), u(2.1, 2.9, 4));
        c("remainder", BinaryOp.REMAINDER, x -> x[0].remainder(x[1]), u(2.1, 2.9, 3, 4), u(1.1, 1.9, 4));
        c("remainder scalar", BinaryOp.REMAINDER, x -> x[0].remainder(1.0), u(-0.9, -0.1, 3, 4));
        c("fmod", BinaryOp.FMOD, x -> x[0].fmod(x[1]), u(-2.9, -2.1, 3, 4), u(1.1, 1.9, 4));
        c2("pow", BinaryOp.POW, x -> x[0].pow(x[1]), u(0.5, 2, 3, 4), n(4));
        c("pow scalar", BinaryOp.POW, x -> x[0].pow(2.5), nc(0.5, 2, 3, 4));
        c("pow integer scalar", BinaryOp.POW, x -> x[0].pow(3), n(3, 4));
        c("pow zero exponent", BinaryOp.POW, x -> x[0].pow(0), n(3));
        c("rpow", BinaryOp.POW, x -> x[0].rpow(1.7), n(3, 4));
        c("square", BinaryOp.POW, x -> x[0].square(), n(3, 4));
        c("maximum", BinaryOp.MAXIMUM, x -> x[0].maximum(x[1]), n(3, 4), n(4));
        c("minimum", BinaryOp.MINIMUM, x -> x[0].minimum(x[1]), n(3, 4), nc(-1, 1, 3, 4));
        c("atan2", BinaryOp.ATAN2, x -> x[0].atan2(x[1]), n(3, 4), nz(3, 1));
        c("hypot", BinaryOp.HYPOT, x -> x[0].hypot(x[1]), nz(3, 4), nz(4));
        c("copysign", BinaryOp.COPYSIGN, x -> x[0].copysign(x[1]), nz(3, 4), nz(4));
        c("copysign scalar", BinaryOp.COPYSIGN, x -> x[0].copysign(-1.0), nz(3, 4));
        c("where", TernaryOp.WHERE, x -> where(x[0].gt(0), x[0], x[1]), nz(3, 4), n(4));
        c("where scalar", TernaryOp.WHERE, x -> where(x[0].gt(0), x[0], 0.5), nz(3, 4));
        c("relu", BinaryOp.MAXIMUM, x -> x[0].relu(), nz(3, 4));
        c("clamp", BinaryOp.MAXIMUM, x -> x[0].clamp(-0.4, 0.4), nz(3, 4).mul(0.6).detach().requiresGrad_());
        c("clampMin", BinaryOp.MAXIMUM, x -> x[0].clampMin(0.2), n(3, 4));
        c("clampMax", BinaryOp.MINIMUM, x -> x[0].clampMax(0.2), n(3, 4));
        c("clamp tensors", BinaryOp.MINIMUM, x -> x[0].clamp(x[1], x[2]), n(3, 4), u(-1.5, -0.5, 4), u(0.5, 1.5, 3, 1));

        // ---- reductions and scans
        c2("sum", ReduceOp.SUM, x -> x[0].sum(), nc(-1, 1, 3, 4));
        c("sum dim", ReduceOp.SUM, x -> x[0].sum(1), n(2, 3, 4));
        c("sum dims keepdim", ReduceOp.SUM, x -> x[0].sum(new int[]{0, 2}, true), n(2, 3, 4));
        c2("mean", ReduceOp.MEAN, x -> x[0].mean(), n(3, 4));
        c("mean dim", ReduceOp.MEAN, x -> x[0].mean(-1), nc(-1, 1, 3, 4));
        c("mean dims keepdim", ReduceOp.MEAN, x -> x[0].mean(new int[]{0, 1}, true), n(2, 3, 4));
        c("prod", ReduceOp.PROD, x -> x[0].prod(), u(0.5, 1.5, 3, 4));
        c("prod dim", ReduceOp.PROD, x -> x[0].prod(1), nz(3, 4));
        c("prod with a zero", ReduceOp.PROD, x -> x[0].prod(), withZeros(nz(3, 4), 5));
        c("prod dim with zeros", ReduceOp.PROD, x -> x[0].prod(1, true), withZeros(nz(3, 4), 1, 6, 7));
        c("amax", ReduceOp.AMAX, x -> x[0].amax(), n(3, 4));
        c("amax dim", ReduceOp.AMAX, x -> x[0].amax(new int[]{1}, true), n(3, 4));
        c("amin dim", ReduceOp.AMIN, x -> x[0].amin(0), nc(-1, 1, 3, 4));
        c("max", ReduceOp.AMAX, x -> x[0].max(), n(3, 4));
        c("min", ReduceOp.AMIN, x -> x[0].min(), n(3, 4));
        c("max dim", IndexOp.INDEX, x -> x[0].max(1).values(), n(3, 4));
        c("min dim keepdim", IndexOp.INDEX, x -> x[0].min(0, true).values(), n(3, 4));
        c("cumsum", ScanOp.CUMSUM, x -> x[0].cumsum(1), nc(-1, 1, 3, 4));
        c("cumprod", ScanOp.CUMPROD, x -> x[0].cumprod(0), nz(3, 4));
        c("cumprod with zeros", ScanOp.CUMPROD, x -> x[0].cumprod(1), withZeros(nz(3, 4), 1, 4, 7, 11));
        c("logsumexp", ReduceOp.SUM, x -> x[0].logsumexp(1), n(3, 4));
        c("logsumexp dims keepdim", ReduceOp.SUM, x -> x[0].logsumexp(new int[]{0, 2}, true), n(2, 3, 2));
        c("var", ReduceOp.MEAN, x -> x[0].var(), n(3, 4));
        c("var dim biased", ReduceOp.MEAN, x -> x[0].var(1, false, true), nc(-1, 1, 3, 4));
        c("std", UnaryOp.SQRT, x -> x[0].std(), n(3, 4));
        c("std dim", UnaryOp.SQRT, x -> x[0].std(0), n(3, 4));
        c("norm", UnaryOp.SQRT, x -> x[0].norm(), n(3, 4));
        c("norm 1", UnaryOp.ABS, x -> x[0].norm(1), nz(3, 4));
        c("norm 3 dim", BinaryOp.POW, x -> x[0].norm(3, 1, false), nz(3, 4));
        c("norm inf", ReduceOp.AMAX, x -> x[0].norm(Double.POSITIVE_INFINITY), n(3, 4));
        c2("softmax", UnaryOp.EXP, x -> F.softmax(x[0], 1), n(3, 4));
        c("softmax dim 0", UnaryOp.EXP, x -> F.softmax(x[0], 0), nc(-2, 2, 3, 4));
        c("logSoftmax", UnaryOp.LOG, x -> F.logSoftmax(x[0], 1), n(3, 4));
        c("sort", IndexOp.INDEX, x -> x[0].sort(1, false).values(), n(3, 4));
        c("topk", IndexOp.INDEX, x -> x[0].topk(2).values(), n(3, 4));

        // ---- matrix products
        c2("matmul 2d", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(3, 4), nc(-1, 1, 4, 2));
        c("matmul 1d 2d", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(4), n(4, 3));
        c("matmul 2d 1d", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(3, 4), n(4));
        c("matmul 1d 1d", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(4), n(4));
        c("matmul 3d 2d", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(2, 3, 4), n(4, 2));
        c("matmul broadcast batch", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(2, 1, 3, 4), n(3, 4, 2));
        c("matmul 1d 3d", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(4), n(2, 4, 3));
        c("matmul 3d 1d", MatmulOp.MATMUL, x -> x[0].matmul(x[1]), n(2, 3, 4), n(4));
        c("mm", MatmulOp.MATMUL, x -> x[0].mm(x[1]), nc(-1, 1, 3, 4), n(4, 2));
        c("bmm", MatmulOp.MATMUL, x -> x[0].bmm(x[1]), n(2, 3, 4), n(2, 4, 2));
        c("mv", MatmulOp.MATMUL, x -> x[0].mv(x[1]), n(3, 4), n(4));
        c("dot", MatmulOp.MATMUL, x -> x[0].dot(x[1]), n(4), n(4));
        c("outer", BinaryOp.MUL, x -> x[0].outer(x[1]), n(3), n(4));

        // ---- joins and views
        c("cat", JoinOp.CAT, x -> cat(List.of(x[0], x[1]), 1), n(3, 2), nc(-1, 1, 3, 4));
        c("stack", JoinOp.CAT, x -> stack(List.of(x[0], x[1]), 1), n(3, 4), n(3, 4));
        c("view", ViewOp.VIEW, x -> x[0].view(2, 6), n(3, 4));
        c("reshape non-contiguous", ViewOp.VIEW, x -> x[0].reshape(12), nc(-1, 1, 3, 4));
        c("flatten", ViewOp.VIEW, x -> x[0].flatten(), n(2, 3, 2));
        c("unflatten", ViewOp.VIEW, x -> x[0].unflatten(1, 2, 2), n(3, 4));
        c("unsqueeze", ViewOp.VIEW, x -> x[0].unsqueeze(1).mul(x[1]), n(3, 4), n(3, 1, 4));
        c("squeeze", ViewOp.VIEW, x -> x[0].squeeze(1), n(3, 1, 4));
        c("transpose", ViewOp.PERMUTE, x -> x[0].transpose(0, 2), n(2, 3, 4));
        c("permute", ViewOp.PERMUTE, x -> x[0].permute(2, 0, 1), n(2, 3, 4));
        c("t", ViewOp.PERMUTE, x -> x[0].t(), nc(-1, 1, 3, 4));
        c("expand", ViewOp.EXPAND, x -> x[0].expand(2, 3, 4), n(3, 1));
        c("expandAs", ViewOp.EXPAND, x -> x[0].expandAs(x[1]), n(4), n(3, 4));
        c("repeat", ViewOp.EXPAND, x -> x[0].repeat(2, 1, 2), n(3, 2));
        c("narrow", ViewOp.SLICE, x -> x[0].narrow(1, 1, 2), n(3, 4));
        c("slice with step", ViewOp.SLICE, x -> x[0].slice(1, 0, 4, 2), nc(-1, 1, 3, 4));
        c("split", ViewOp.SLICE, x -> x[0].split(3, 1).get(1), n(2, 5));
        c("chunk", ViewOp.SLICE, x -> x[0].chunk(2, 0).get(0), n(4, 3));
        c("select", ViewOp.SELECT, x -> x[0].select(0, -1), n(3, 4));
        c("unbind", ViewOp.SELECT, x -> x[0].unbind(1).get(2), n(3, 4));
        c("get int", ViewOp.SELECT, x -> x[0].get(1), n(3, 4));
        c("get slice string", ViewOp.SLICE, x -> x[0].get(":, 1:"), n(3, 4));
        c("get ellipsis", ViewOp.SELECT, x -> x[0].get("..., -1"), n(2, 3, 4));
        c("get index tensor", IndexOp.INDEX, x -> x[0].get(tensor(new long[]{0, 2, 0})), n(3, 4));
        c("get mask", IndexOp.INDEX, x -> x[0].get(constant(x[0]).gt(0)), nz(3, 4));
        c("get two index tensors", IndexOp.INDEX, x -> x[0].index(new Tensor[]{tensor(new long[]{0, 2}), tensor(new long[]{1, 3})}), n(3, 4));
        c("gather", IndexOp.INDEX, x -> x[0].gather(1, tensor(new long[][]{{0, 1}, {3, 3}, {2, 0}})), n(3, 4));
        c("indexSelect", IndexOp.INDEX, x -> x[0].indexSelect(0, tensor(new long[]{2, 0, 2})), n(3, 4));
        c("flip", IndexOp.INDEX, x -> x[0].flip(0, 1), n(3, 4));
        c("maskedFill", TernaryOp.WHERE, x -> x[0].maskedFill(constant(x[0]).gt(0), 0.5), nz(3, 4));
        c("set slice", IndexOp.INDEX_PUT, x -> {
            Tensor y = x[0].clone();
            y.set(":, 1", x[1]);
            return y;
        }, n(3, 4), n(3));
        c("set mask", IndexOp.INDEX_PUT, x -> {
            Tensor y = x[0].mul(1);
            y.set(constant(x[0]).gt(0), x[1].sum());
            return y;
        }, nz(3, 4), n(2));
        c("in-place on views", BinaryOp.MUL, x -> {
            Tensor y = x[0].mul(1);
            y.narrow(0, 1, 1).copy_(x[1].expand(1, 4).mul(x[0].narrow(0, 2, 1)));
            y.get(0).mul_(x[1]);
            y.select(1, 2).exp_();  // last: it saves its result, which a later write would invalidate
            return y;
        }, n(3, 4), n(4));
        c("indexPut accumulate", IndexOp.INDEX_PUT, x -> x[0].indexPut(new Tensor[]{tensor(new long[]{0, 2, 0})}, x[1], true), n(3, 4), n(4));
        c("scatterAdd", IndexOp.INDEX_PUT, x -> x[0].scatterAdd(1, tensor(new long[][]{{0, 1}, {3, 3}, {2, 0}}), x[1]), n(3, 4), n(3, 2));

        // ---- composites written with primitives
        c("lerp", BinaryOp.ADD, x -> x[0].lerp(x[1], 0.3), n(3, 4), n(4));
        c("lerp tensor weight", BinaryOp.ADD, x -> x[0].lerp(x[1], x[2]), n(3, 4), n(3, 4), u(0, 1, 4));
        c("addcmul", BinaryOp.MUL, x -> x[0].addcmul(x[1], x[2], 0.5), n(3, 4), n(4), n(3, 1));
        c("addcdiv", BinaryOp.DIV, x -> x[0].addcdiv(x[1], x[2], 0.5), n(3, 4), n(4), nz(3, 1));
        c("xlogy", UnaryOp.LOG, x -> x[0].xlogy(x[1]), n(3, 4), u(0.5, 2, 4));
        c("logit", UnaryOp.LOG, x -> x[0].logit(), u(0.1, 0.9, 3, 4));
        c("frac", UnaryOp.TRUNC, x -> x[0].frac(), u(0.1, 0.9, 3, 4));
        c("fmax", BinaryOp.MAXIMUM, x -> x[0].fmax(x[1]), n(3, 4), n(4));
        c("mseLoss", ReduceOp.MEAN, x -> F.mseLoss(x[0], x[1]), n(3, 4), n(3, 4));
        c("custom Function", UnaryOp.EXP, x -> new AutogradTest.Exp().apply(x[0]), n(3));
    }

    /** A copy of t with zeros at the given flat (row-major) positions, as a new leaf. */
    private static Tensor withZeros(Tensor t, int... at) {
        double[] v = t.toDoubleArray();
        for (int i : at) v[i] = 0;
        return tensor(v, float64).reshape(t.shape().toArray()).requiresGrad_();
    }

    @TestFactory
    Stream<DynamicTest> gradcheck() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.op + ": " + c.name, () ->
                assertTrue(GradCheck.gradcheck(c.f, c.eps, c.atol, GradCheck.RTOL, c.inputs))));
    }

    /**
     * Each case again under every other non-empty subset of its differentiable inputs requiring grad
     * (the full set is {@link #gradcheck()}): the formulas save and return per input that needs a gradient.
     */
    @TestFactory
    Stream<DynamicTest> gradcheckEverySubsetOfInputs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : CASES) {
            List<Integer> diff = new ArrayList<>();
            for (int i = 0; i < c.inputs.length; i++) if (c.inputs[i] != null && c.inputs[i].requiresGrad()) diff.add(i);
            int all = (1 << diff.size()) - 1;
            for (int mask = 1; mask < all; mask++) {
                Tensor[] in = c.inputs.clone();
                StringBuilder wrt = new StringBuilder();
                for (int k = 0; k < diff.size(); k++) {
                    int i = diff.get(k);
                    boolean requires = (mask & 1 << k) != 0;
                    in[i] = requires ? c.inputs[i].detach().requiresGrad_() : c.inputs[i].detach();
                    if (requires) wrt.append(' ').append(i);
                }
                tests.add(DynamicTest.dynamicTest(c.op + ": " + c.name + " wrt inputs" + wrt, () ->
                        assertTrue(GradCheck.gradcheck(c.f, c.eps, c.atol, GradCheck.RTOL, in))));
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> gradgradcheck() {
        return SECOND_ORDER.stream().map(c -> DynamicTest.dynamicTest(c.op + ": " + c.name, () -> {
            manualSeed(7);
            assertTrue(GradCheck.gradgradcheck(c.f, c.inputs));
        }));
    }

    @Test
    void everyDifferentiableOpHasAGradcheckCase() {
        Set<Op> covered = new java.util.HashSet<>();
        for (Case c : CASES) covered.add(c.op);
        // or a differentiable row of the op-case table, which OpCasesGradcheckTest gradchecks under every subset of inputs
        Set<String> tableKeys = new java.util.HashSet<>();
        for (dev.jtorch.ops.OpCases.Golden g : dev.jtorch.ops.OpCases.goldens())
            if (dev.jtorch.ops.OpCases.row(g.name()).differentiable()) tableKeys.add(g.key());
        for (Op op : Op.values()) if (tableKeys.contains(op.torchName())) covered.add(op);
        List<Op> missing = new ArrayList<>();
        for (Op op : Op.values()) if (!NOT_DIFFERENTIABLE.contains(op) && !covered.contains(op)) missing.add(op);
        assertTrue(missing.isEmpty(), "ops without a gradcheck case: " + missing);
    }

    @Test
    void nonDifferentiableOpsSayWhy() {
        Tensor x = n(3);
        // their results are integral or boolean, so nothing is recorded
        assertFalse(x.gt(0).requiresGrad());
        assertFalse(x.argmax().requiresGrad());
        Tensor y = n(3);
        Tensor fd = x.floorDivide(y);
        assertEquals("NotImplemented", fd.gradFn().name());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> fd.sum().backward());
        assertEquals("the derivative for 'floor_divide' is not implemented.", e.getMessage());
    }

    @Test
    void gradcheckReportsAMismatch() {
        Function<Tensor[], Tensor> wrong = x -> new Function_Wrong().apply(x[0]);
        GradCheck.GradcheckError e = assertThrows(GradCheck.GradcheckError.class, () -> GradCheck.gradcheck(wrong, n(2)));
        assertTrue(e.getMessage().startsWith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[2.0000, 0.0000],\n"),
                e.getMessage());
        assertTrue(e.getMessage().contains("\nanalytical:tensor([[3., 0.],\n"), e.getMessage());
    }

    /** Doubles its input but claims the derivative is 3. */
    static final class Function_Wrong extends dev.jtorch.autograd.Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) { return in[0].mul(2); }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... grad) { return new Tensor[]{grad[0].mul(3)}; }
    }

    @Test
    void secondOrderOfComposites() {
        // d²/dx² of x³ is 6x, through every route a user takes
        Tensor x = tensor(new double[]{-1.5, 0.5, 2}, float64).requiresGrad_();
        assertTrue(GradCheck.gradgradcheck(t -> t[0].pow(3), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].mul(t[0]).mul(t[0]), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].logsumexp(0), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].var(), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].prod(), withZeros(x, 1)));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].cumprod(0), withZeros(x, 1)));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].digamma(), u(0.5, 3, 3)));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].get(tensor(new long[]{0, 2, 2})).pow(2), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].slice(0, 0, 3, 2).pow(2), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].select(0, 1).pow(3), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].matmul(t[1]).tanh(), n(2, 3), n(3)));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].norm(), x));
        assertTrue(GradCheck.gradgradcheck(t -> {
            Tensor y = t[0].mul(t[0]);
            y.narrow(0, 0, 2).mul_(t[0].narrow(0, 1, 2));
            return y;
        }, x));
    }
}
