package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import dev.jtorch.ops.Op;
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
    private static final Set<Op> NOT_DIFFERENTIABLE = EnumSet.of(Op.FILL, Op.BITWISE_NOT, Op.LOGICAL_NOT, Op.BITWISE_AND,
            Op.BITWISE_OR, Op.BITWISE_XOR, Op.BITWISE_LEFT_SHIFT, Op.BITWISE_RIGHT_SHIFT, Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT,
            Op.GE, Op.LOGICAL_AND, Op.LOGICAL_OR, Op.LOGICAL_XOR, Op.ALL, Op.ANY, Op.ARGMAX, Op.ARGMIN, Op.ARGSORT);

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
        c("to(float32) and back", Op.COPY, x -> x[0].to(float32).to(float64), n(3, 4));
        CASES.set(CASES.size() - 1, new Case("to(float32) and back", Op.COPY, x -> x[0].to(float32).to(float64), new Tensor[]{n(3, 4)}, 1e-3, 1e-3));
        c("clone", Op.COPY, x -> x[0].clone(), nc(-1, 1, 3, 4));
        c("contiguous", Op.COPY, x -> x[0].contiguous(), nc(-1, 1, 3, 4));
        c("neg", Op.NEG, x -> x[0].neg(), nc(-1, 1, 3, 4));
        c("abs", Op.ABS, x -> x[0].abs(), nz(3, 4));
        c("sign", Op.SIGN, x -> x[0].sign(), nz(3, 4));
        c("ceil", Op.CEIL, x -> x[0].ceil(), u(0.1, 0.9, 3, 4));
        c("floor", Op.FLOOR, x -> x[0].floor(), u(0.1, 0.9, 3, 4));
        c("round", Op.ROUND, x -> x[0].round(), u(0.1, 0.4, 3, 4));
        c("trunc", Op.TRUNC, x -> x[0].trunc(), u(0.1, 0.9, 3, 4));
        c2("exp", Op.EXP, x -> x[0].exp(), nc(-1, 1, 3, 4));
        c("exp2", Op.EXP2, x -> x[0].exp2(), n(3, 4));
        c("expm1", Op.EXPM1, x -> x[0].expm1(), n(3, 4));
        c2("log", Op.LOG, x -> x[0].log(), nc(0.5, 2, 3, 4));
        c("log2", Op.LOG2, x -> x[0].log2(), u(0.5, 2, 3, 4));
        c("log10", Op.LOG10, x -> x[0].log10(), u(0.5, 2, 3, 4));
        c("log1p", Op.LOG1P, x -> x[0].log1p(), u(-0.5, 2, 3, 4));
        c("sqrt", Op.SQRT, x -> x[0].sqrt(), u(0.5, 2, 3, 4));
        c("rsqrt", Op.RSQRT, x -> x[0].rsqrt(), u(0.5, 2, 3, 4));
        c("reciprocal", Op.RECIPROCAL, x -> x[0].reciprocal(), nz(3, 4));
        c("sin", Op.SIN, x -> x[0].sin(), n(3, 4));
        c("cos", Op.COS, x -> x[0].cos(), n(3, 4));
        c("tan", Op.TAN, x -> x[0].tan(), u(-1, 1, 3, 4));
        c("asin", Op.ASIN, x -> x[0].asin(), u(-0.9, 0.9, 3, 4));
        c("acos", Op.ACOS, x -> x[0].acos(), u(-0.9, 0.9, 3, 4));
        c("atan", Op.ATAN, x -> x[0].atan(), n(3, 4));
        c("sinh", Op.SINH, x -> x[0].sinh(), n(3, 4));
        c("cosh", Op.COSH, x -> x[0].cosh(), n(3, 4));
        c2("tanh", Op.TANH, x -> x[0].tanh(), nc(-2, 2, 3, 4));
        c("asinh", Op.ASINH, x -> x[0].asinh(), n(3, 4));
        c("acosh", Op.ACOSH, x -> x[0].acosh(), u(1.5, 3, 3, 4));
        c("atanh", Op.ATANH, x -> x[0].atanh(), u(-0.9, 0.9, 3, 4));
        c2("sigmoid", Op.SIGMOID, x -> x[0].sigmoid(), n(3, 4));
        c("erf", Op.ERF, x -> x[0].erf(), n(3, 4));
        c("erfc", Op.ERFC, x -> x[0].erfc(), n(3, 4));
        c("erfinv", Op.ERFINV, x -> x[0].erfinv(), u(-0.9, 0.9, 3, 4));
        c("lgamma", Op.LGAMMA, x -> x[0].lgamma(), u(0.5, 4, 3, 4));
        c("lgamma of negatives", Op.LGAMMA, x -> x[0].lgamma(), u(-2.9, -2.1, 3));
        c("digamma", Op.DIGAMMA, x -> x[0].digamma(), u(0.5, 4, 3, 4));
        c("digamma of negatives", Op.DIGAMMA, x -> x[0].digamma(), u(-0.9, -0.1, 4));

        // ---- binary, with broadcasting and scalars
        c2("add", Op.ADD, x -> x[0].add(x[1]), n(3, 4), n(4));
        c("add scalar", Op.ADD, x -> x[0].add(2.5), nc(-1, 1, 3, 4));
        c("add alpha", Op.ADD, x -> x[0].add(x[1], 2.0), n(3, 1), n(1, 4));
        c("sub", Op.SUB, x -> x[0].sub(x[1]), nc(-1, 1, 3, 4), n(3, 1));
        c("rsub", Op.SUB, x -> x[0].rsub(2), n(3, 4));
        c2("mul", Op.MUL, x -> x[0].mul(x[1]), n(3, 4), nc(-1, 1, 3, 4));
        c("mul broadcast", Op.MUL, x -> x[0].mul(x[1]), n(2, 1, 4), n(3, 1));
        c("mul scalar", Op.MUL, x -> x[0].mul(-1.5), n(3, 4));
        c2("div", Op.DIV, x -> x[0].div(x[1]), n(3, 4), nz(4));
        c("rdiv", Op.DIV, x -> x[0].rdiv(2), nz(3, 4));
        c("div floor (zero gradient)", Op.FLOOR_DIVIDE, x -> x[0].div(x[1], "floor"), u(0.1, 0.9, 3, 4), u(2.1, 2.9, 4));
        c("div trunc (zero gradient)", Op.DIV, x -> x[0].div(x[1], "trunc"), u(0.1, 0.9, 3, 4), u(2.1, 2.9, 4));
        c("remainder", Op.REMAINDER, x -> x[0].remainder(x[1]), u(2.1, 2.9, 3, 4), u(1.1, 1.9, 4));
        c("remainder scalar", Op.REMAINDER, x -> x[0].remainder(1.0), u(-0.9, -0.1, 3, 4));
        c("fmod", Op.FMOD, x -> x[0].fmod(x[1]), u(-2.9, -2.1, 3, 4), u(1.1, 1.9, 4));
        c2("pow", Op.POW, x -> x[0].pow(x[1]), u(0.5, 2, 3, 4), n(4));
        c("pow scalar", Op.POW, x -> x[0].pow(2.5), nc(0.5, 2, 3, 4));
        c("pow integer scalar", Op.POW, x -> x[0].pow(3), n(3, 4));
        c("pow zero exponent", Op.POW, x -> x[0].pow(0), n(3));
        c("rpow", Op.POW, x -> x[0].rpow(1.7), n(3, 4));
        c("square", Op.POW, x -> x[0].square(), n(3, 4));
        c("maximum", Op.MAXIMUM, x -> x[0].maximum(x[1]), n(3, 4), n(4));
        c("minimum", Op.MINIMUM, x -> x[0].minimum(x[1]), n(3, 4), nc(-1, 1, 3, 4));
        c("atan2", Op.ATAN2, x -> x[0].atan2(x[1]), n(3, 4), nz(3, 1));
        c("hypot", Op.HYPOT, x -> x[0].hypot(x[1]), nz(3, 4), nz(4));
        c("copysign", Op.COPYSIGN, x -> x[0].copysign(x[1]), nz(3, 4), nz(4));
        c("copysign scalar", Op.COPYSIGN, x -> x[0].copysign(-1.0), nz(3, 4));
        c("where", Op.WHERE, x -> where(x[0].gt(0), x[0], x[1]), nz(3, 4), n(4));
        c("where scalar", Op.WHERE, x -> where(x[0].gt(0), x[0], 0.5), nz(3, 4));
        c("relu", Op.MAXIMUM, x -> x[0].relu(), nz(3, 4));
        c("clamp", Op.MAXIMUM, x -> x[0].clamp(-0.4, 0.4), nz(3, 4).mul(0.6).detach().requiresGrad_());
        c("clampMin", Op.MAXIMUM, x -> x[0].clampMin(0.2), n(3, 4));
        c("clampMax", Op.MINIMUM, x -> x[0].clampMax(0.2), n(3, 4));
        c("clamp tensors", Op.MINIMUM, x -> x[0].clamp(x[1], x[2]), n(3, 4), u(-1.5, -0.5, 4), u(0.5, 1.5, 3, 1));

        // ---- reductions and scans
        c2("sum", Op.SUM, x -> x[0].sum(), nc(-1, 1, 3, 4));
        c("sum dim", Op.SUM, x -> x[0].sum(1), n(2, 3, 4));
        c("sum dims keepdim", Op.SUM, x -> x[0].sum(new int[]{0, 2}, true), n(2, 3, 4));
        c2("mean", Op.MEAN, x -> x[0].mean(), n(3, 4));
        c("mean dim", Op.MEAN, x -> x[0].mean(-1), nc(-1, 1, 3, 4));
        c("mean dims keepdim", Op.MEAN, x -> x[0].mean(new int[]{0, 1}, true), n(2, 3, 4));
        c("prod", Op.PROD, x -> x[0].prod(), u(0.5, 1.5, 3, 4));
        c("prod dim", Op.PROD, x -> x[0].prod(1), nz(3, 4));
        c("prod with a zero", Op.PROD, x -> x[0].prod(), withZeros(nz(3, 4), 5));
        c("prod dim with zeros", Op.PROD, x -> x[0].prod(1, true), withZeros(nz(3, 4), 1, 6, 7));
        c("amax", Op.AMAX, x -> x[0].amax(), n(3, 4));
        c("amax dim", Op.AMAX, x -> x[0].amax(new int[]{1}, true), n(3, 4));
        c("amin dim", Op.AMIN, x -> x[0].amin(0), nc(-1, 1, 3, 4));
        c("max", Op.AMAX, x -> x[0].max(), n(3, 4));
        c("min", Op.AMIN, x -> x[0].min(), n(3, 4));
        c("max dim", Op.INDEX, x -> x[0].max(1).values(), n(3, 4));
        c("min dim keepdim", Op.INDEX, x -> x[0].min(0, true).values(), n(3, 4));
        c("cumsum", Op.CUMSUM, x -> x[0].cumsum(1), nc(-1, 1, 3, 4));
        c("cumprod", Op.CUMPROD, x -> x[0].cumprod(0), nz(3, 4));
        c("cumprod with zeros", Op.CUMPROD, x -> x[0].cumprod(1), withZeros(nz(3, 4), 1, 4, 7, 11));
        c("logsumexp", Op.SUM, x -> x[0].logsumexp(1), n(3, 4));
        c("logsumexp dims keepdim", Op.SUM, x -> x[0].logsumexp(new int[]{0, 2}, true), n(2, 3, 2));
        c("var", Op.MEAN, x -> x[0].var(), n(3, 4));
        c("var dim biased", Op.MEAN, x -> x[0].var(1, false, true), nc(-1, 1, 3, 4));
        c("std", Op.SQRT, x -> x[0].std(), n(3, 4));
        c("std dim", Op.SQRT, x -> x[0].std(0), n(3, 4));
        c("norm", Op.SQRT, x -> x[0].norm(), n(3, 4));
        c("norm 1", Op.ABS, x -> x[0].norm(1), nz(3, 4));
        c("norm 3 dim", Op.POW, x -> x[0].norm(3, 1, false), nz(3, 4));
        c("norm inf", Op.AMAX, x -> x[0].norm(Double.POSITIVE_INFINITY), n(3, 4));
        c2("softmax", Op.EXP, x -> F.softmax(x[0], 1), n(3, 4));
        c("softmax dim 0", Op.EXP, x -> F.softmax(x[0], 0), nc(-2, 2, 3, 4));
        c("logSoftmax", Op.LOG, x -> F.logSoftmax(x[0], 1), n(3, 4));
        c("sort", Op.INDEX, x -> x[0].sort(1, false).values(), n(3, 4));
        c("topk", Op.INDEX, x -> x[0].topk(2).values(), n(3, 4));

        // ---- matrix products
        c2("matmul 2d", Op.MATMUL, x -> x[0].matmul(x[1]), n(3, 4), nc(-1, 1, 4, 2));
        c("matmul 1d 2d", Op.MATMUL, x -> x[0].matmul(x[1]), n(4), n(4, 3));
        c("matmul 2d 1d", Op.MATMUL, x -> x[0].matmul(x[1]), n(3, 4), n(4));
        c("matmul 1d 1d", Op.MATMUL, x -> x[0].matmul(x[1]), n(4), n(4));
        c("matmul 3d 2d", Op.MATMUL, x -> x[0].matmul(x[1]), n(2, 3, 4), n(4, 2));
        c("matmul broadcast batch", Op.MATMUL, x -> x[0].matmul(x[1]), n(2, 1, 3, 4), n(3, 4, 2));
        c("matmul 1d 3d", Op.MATMUL, x -> x[0].matmul(x[1]), n(4), n(2, 4, 3));
        c("matmul 3d 1d", Op.MATMUL, x -> x[0].matmul(x[1]), n(2, 3, 4), n(4));
        c("mm", Op.MATMUL, x -> x[0].mm(x[1]), nc(-1, 1, 3, 4), n(4, 2));
        c("bmm", Op.MATMUL, x -> x[0].bmm(x[1]), n(2, 3, 4), n(2, 4, 2));
        c("mv", Op.MATMUL, x -> x[0].mv(x[1]), n(3, 4), n(4));
        c("dot", Op.MATMUL, x -> x[0].dot(x[1]), n(4), n(4));
        c("outer", Op.MUL, x -> x[0].outer(x[1]), n(3), n(4));

        // ---- joins and views
        c("cat", Op.CAT, x -> cat(List.of(x[0], x[1]), 1), n(3, 2), nc(-1, 1, 3, 4));
        c("stack", Op.CAT, x -> stack(List.of(x[0], x[1]), 1), n(3, 4), n(3, 4));
        c("view", Op.VIEW, x -> x[0].view(2, 6), n(3, 4));
        c("reshape non-contiguous", Op.VIEW, x -> x[0].reshape(12), nc(-1, 1, 3, 4));
        c("flatten", Op.VIEW, x -> x[0].flatten(), n(2, 3, 2));
        c("unflatten", Op.VIEW, x -> x[0].unflatten(1, 2, 2), n(3, 4));
        c("unsqueeze", Op.VIEW, x -> x[0].unsqueeze(1).mul(x[1]), n(3, 4), n(3, 1, 4));
        c("squeeze", Op.VIEW, x -> x[0].squeeze(1), n(3, 1, 4));
        c("transpose", Op.PERMUTE, x -> x[0].transpose(0, 2), n(2, 3, 4));
        c("permute", Op.PERMUTE, x -> x[0].permute(2, 0, 1), n(2, 3, 4));
        c("t", Op.PERMUTE, x -> x[0].t(), nc(-1, 1, 3, 4));
        c("expand", Op.EXPAND, x -> x[0].expand(2, 3, 4), n(3, 1));
        c("expandAs", Op.EXPAND, x -> x[0].expandAs(x[1]), n(4), n(3, 4));
        c("repeat", Op.EXPAND, x -> x[0].repeat(2, 1, 2), n(3, 2));
        c("narrow", Op.SLICE, x -> x[0].narrow(1, 1, 2), n(3, 4));
        c("slice with step", Op.SLICE, x -> x[0].slice(1, 0, 4, 2), nc(-1, 1, 3, 4));
        c("split", Op.SLICE, x -> x[0].split(3, 1).get(1), n(2, 5));
        c("chunk", Op.SLICE, x -> x[0].chunk(2, 0).get(0), n(4, 3));
        c("select", Op.SELECT, x -> x[0].select(0, -1), n(3, 4));
        c("unbind", Op.SELECT, x -> x[0].unbind(1).get(2), n(3, 4));
        c("get int", Op.SELECT, x -> x[0].get(1), n(3, 4));
        c("get slice string", Op.SLICE, x -> x[0].get(":, 1:"), n(3, 4));
        c("get ellipsis", Op.SELECT, x -> x[0].get("..., -1"), n(2, 3, 4));
        c("get index tensor", Op.INDEX, x -> x[0].get(tensor(new long[]{0, 2, 0})), n(3, 4));
        c("get mask", Op.INDEX, x -> x[0].get(constant(x[0]).gt(0)), nz(3, 4));
        c("get two index tensors", Op.INDEX, x -> x[0].index(new Tensor[]{tensor(new long[]{0, 2}), tensor(new long[]{1, 3})}), n(3, 4));
        c("gather", Op.INDEX, x -> x[0].gather(1, tensor(new long[][]{{0, 1}, {3, 3}, {2, 0}})), n(3, 4));
        c("indexSelect", Op.INDEX, x -> x[0].indexSelect(0, tensor(new long[]{2, 0, 2})), n(3, 4));
        c("flip", Op.INDEX, x -> x[0].flip(0, 1), n(3, 4));
        c("maskedFill", Op.WHERE, x -> x[0].maskedFill(constant(x[0]).gt(0), 0.5), nz(3, 4));
        c("set slice", Op.INDEX_PUT, x -> {
            Tensor y = x[0].clone();
            y.set(":, 1", x[1]);
            return y;
        }, n(3, 4), n(3));
        c("set mask", Op.INDEX_PUT, x -> {
            Tensor y = x[0].mul(1);
            y.set(constant(x[0]).gt(0), x[1].sum());
            return y;
        }, nz(3, 4), n(2));
        c("in-place on views", Op.MUL, x -> {
            Tensor y = x[0].mul(1);
            y.narrow(0, 1, 1).copy_(x[1].expand(1, 4).mul(x[0].narrow(0, 2, 1)));
            y.get(0).mul_(x[1]);
            y.select(1, 2).exp_();  // last: it saves its result, which a later write would invalidate
            return y;
        }, n(3, 4), n(4));
        c("indexPut accumulate", Op.INDEX_PUT, x -> x[0].indexPut(new Tensor[]{tensor(new long[]{0, 2, 0})}, x[1], true), n(3, 4), n(4));
        c("scatterAdd", Op.INDEX_PUT, x -> x[0].scatterAdd(1, tensor(new long[][]{{0, 1}, {3, 3}, {2, 0}}), x[1]), n(3, 4), n(3, 2));

        // ---- composites written with primitives
        c("lerp", Op.ADD, x -> x[0].lerp(x[1], 0.3), n(3, 4), n(4));
        c("lerp tensor weight", Op.ADD, x -> x[0].lerp(x[1], x[2]), n(3, 4), n(3, 4), u(0, 1, 4));
        c("addcmul", Op.MUL, x -> x[0].addcmul(x[1], x[2], 0.5), n(3, 4), n(4), n(3, 1));
        c("addcdiv", Op.DIV, x -> x[0].addcdiv(x[1], x[2], 0.5), n(3, 4), n(4), nz(3, 1));
        c("xlogy", Op.LOG, x -> x[0].xlogy(x[1]), n(3, 4), u(0.5, 2, 4));
        c("logit", Op.LOG, x -> x[0].logit(), u(0.1, 0.9, 3, 4));
        c("frac", Op.TRUNC, x -> x[0].frac(), u(0.1, 0.9, 3, 4));
        c("fmax", Op.MAXIMUM, x -> x[0].fmax(x[1]), n(3, 4), n(4));
        c("mseLoss", Op.MEAN, x -> F.mseLoss(x[0], x[1]), n(3, 4), n(3, 4));
        c("custom Function", Op.EXP, x -> new AutogradTest.Exp().apply(x[0]), n(3));
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

    @TestFactory
    Stream<DynamicTest> gradgradcheck() {
        return SECOND_ORDER.stream().map(c -> DynamicTest.dynamicTest(c.op + ": " + c.name, () -> {
            manualSeed(7);
            assertTrue(GradCheck.gradgradcheck(c.f, c.inputs));
        }));
    }

    @Test
    void everyDifferentiableOpHasAGradcheckCase() {
        Set<Op> covered = EnumSet.noneOf(Op.class);
        for (Case c : CASES) covered.add(c.op);
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
