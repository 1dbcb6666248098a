package dev.jtorch;

import dev.jtorch.dispatch.Shapes;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.nn.F;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.OpCases;
import dev.jtorch.ops.OpGoldenTest;
import dev.jtorch.ops.OpTableTest;
import dev.jtorch.ops.ViewOp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Tensor-level ops on CUDA. Every case of the op-case table ({@code golden/ops/cases.txt}) with tensor inputs runs
 * on the GPU against PyTorch's golden, with the row's dtypes, domains and tolerance, exactly as OpGoldenTest runs it
 * on the CPU ({@link #tableCasesOnCuda}). Then scenarios at sizes the table does not reach (many blocks, long
 * reductions and scans, composites, autograd, in-place sequences, indexing) run once per device from the same
 * seeded host inputs, and the results must agree: exactly for integers and bool, within the table's loosest
 * tolerance class for floating point ({@link #cudaMatchesCpu}). The GPU parts are skipped where no GPU is present;
 * the CPU-side checks run everywhere.
 */
class CudaOpsTest {
    static final Device CPU = Device.CPU, GPU = Device.of("cuda");

    record Case(String name, Function<Device, Object> run) {}

    // ---------------------------------------------------------------- inputs

    /** Random floats in [-3, 3) of the given dtype on {@code d}. */
    static Tensor r(Device d, long seed, DType t, long... shape) {
        Random rnd = new Random(seed);
        int n = (int) Shapes.numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextDouble() * 6 - 3;
        return Torch.fromArray(v, shape).to(t).to(d);
    }

    /** Random positive floats in [0.1, 4.1). */
    static Tensor pos(Device d, long seed, DType t, long... shape) { return r(CPU, seed, DType.float64, shape).abs().add(0.1).to(t).to(d); }

    /** Random integers in [lo, hi) of the given dtype on {@code d}. */
    static Tensor ri(Device d, long seed, DType t, long lo, long hi, long... shape) {
        Random rnd = new Random(seed);
        int n = (int) Shapes.numel(shape);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = lo + (long) Math.floor(rnd.nextDouble() * (hi - lo));
        return Torch.fromArray(v, shape).to(t).to(d);
    }

    static Tensor mask(Device d, long seed, long... shape) { return r(CPU, seed, DType.float32, shape).gt(0).to(d); }

    // ---------------------------------------------------------------- comparison

    static List<Tensor> flatten(Object o) {
        List<Tensor> out = new ArrayList<>();
        switch (o) {
            case Tensor t -> out.add(t);
            case Tensor[] ts -> out.addAll(List.of(ts));
            case List<?> l -> { for (Object x : l) out.addAll(flatten(x)); }
            case ReturnTypes.Max m -> { out.add(m.values()); out.add(m.indices()); }
            case ReturnTypes.Min m -> { out.add(m.values()); out.add(m.indices()); }
            case ReturnTypes.Sort s -> { out.add(s.values()); out.add(s.indices()); }
            case ReturnTypes.Topk s -> { out.add(s.values()); out.add(s.indices()); }
            case Number n -> out.add(Torch.tensor(n.doubleValue(), DType.float64));
            case Boolean b -> out.add(Torch.tensor(b));
            default -> throw new IllegalArgumentException("unexpected result " + o.getClass());
        }
        return out;
    }

    /**
     * A scenario mixes library math with sums, so it is held to the table's loosest class, transc+accum
     * ({@link OpCases.Tolerance}): that relative tolerance of each value plus that tolerance times the output's largest
     * magnitude (sums run in another order on the GPU).
     */
    static final OpCases.Tolerance SCENARIO_TOLERANCE = OpCases.Tolerance.TRANSC_ACCUM;

    static void assertSame(String name, Tensor want, Tensor got) {
        assertEquals(want.dtype(), got.dtype(), name + ": dtype");
        assertArrayEquals(want.shape().toArray(), got.shape().toArray(), name + ": shape");
        Tensor g = got.cpu();
        if (!want.dtype().isFloatingPoint()) {
            assertArrayEquals(want.toLongArray(), g.toLongArray(), name + ": values");
            return;
        }
        double[] w = want.toDoubleArray(), v = g.toDoubleArray();
        double scale = 0;
        for (double x : w) if (Double.isFinite(x)) scale = Math.max(scale, Math.abs(x));
        double rt = SCENARIO_TOLERANCE.rtol(want.dtype());
        int bad = 0;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            boolean ok;
            if (Double.isNaN(w[i]) || Double.isNaN(v[i])) ok = Double.isNaN(w[i]) && Double.isNaN(v[i]);
            else if (Double.isInfinite(w[i]) || Double.isInfinite(v[i])) ok = w[i] == v[i];
            else ok = Math.abs(w[i] - v[i]) <= rt * Math.abs(w[i]) + rt * scale; // sums in another order: error relative to the output's scale
            if (!ok && bad++ < 5) sb.append(String.format("[%d] cpu %s cuda %s; ", i, w[i], v[i]));
        }
        if (bad > 0) fail(name + ": " + bad + " of " + w.length + " differ: " + sb);
    }

    static void check(Case c) {
        Object want = c.run().apply(CPU);
        Object got = c.run().apply(GPU);
        List<Tensor> w = flatten(want), g = flatten(got);
        assertEquals(w.size(), g.size(), c.name() + ": number of results");
        for (int i = 0; i < w.size(); i++) {
            Tensor gi = g.get(i);
            if (w.get(i).dim() > 0 && !(want instanceof Number) && !(want instanceof Boolean))
                assertTrue(gi.isCuda(), c.name() + ": result " + i + " is on " + gi.device());
            assertSame(c.name() + "[" + i + "]", w.get(i), gi);
        }
    }

    // ---------------------------------------------------------------- cases

    /** The table's dtype macros: every floating and every integral dtype. */
    static final List<DType> FLOATS = OpCases.macro("*FL"), INTS = OpCases.macro("*INT");

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        for (DType t : FLOATS) {
            String s = " " + t;
            cs.add(new Case("unary math" + s, d -> {
                Tensor x = r(d, 1, t, 33, 17), p = pos(d, 2, t, 33, 17);
                return List.of(x.neg(), x.abs(), x.sign(), x.floor(), x.ceil(), x.round(), x.trunc(), x.exp(), x.expm1(), x.exp2(),
                        p.log(), p.log2(), p.log10(), x.abs().log1p(), p.sqrt(), p.rsqrt(), p.reciprocal(), x.sin(), x.cos(), x.tan(),
                        x.mul(0.3).asin(), x.mul(0.3).acos(), x.atan(), x.sinh(), x.cosh(), x.tanh(), x.asinh(), p.add(1).acosh(),
                        x.mul(0.3).atanh(), x.sigmoid(), x.erf(), x.erfc(), x.mul(0.3).erfinv(), p.lgamma(), p.digamma(), x.relu(), x.frac());
            }));
            cs.add(new Case("binary broadcast" + s, d -> {
                Tensor a = r(d, 3, t, 8, 1, 9), b = r(d, 4, t, 5, 1), p = pos(d, 5, t, 5, 9);
                return List.of(a.add(b), a.sub(b), a.mul(b), a.div(b), a.maximum(b), a.minimum(b), a.atan2(b), a.hypot(b),
                        a.copysign(b), p.pow(b.mul(0.5)), a.remainder(p), a.fmod(p), a.floorDivide(p), a.add(b, 2.5));
            }));
            cs.add(new Case("scalar operands" + s, d -> {
                Tensor a = r(d, 6, t, 7, 13);
                return List.of(a.add(2.5), a.mul(-3), a.sub(0.25), a.div(7), a.pow(2), a.rsub(1), a.rdiv(2), a.pow(0.5),
                        a.gt(0.5), a.le(0), a.eq(a), a.clamp(-1, 1), a.remainder(1.5), a.floorDivide(0.75));
            }));
            cs.add(new Case("reductions" + s, d -> {
                Tensor x = r(d, 7, t, 6, 7, 8);
                return List.of(x.sum(), x.sum(1), x.sum(new int[]{0, 2}, true), x.mean(), x.mean(2), x.mean(new int[]{0, 1}, false),
                        x.amax(1), x.amin(0), x.max(2), x.min(1), x.argmax(1), x.argmin(2), x.argmax(), x.max(), x.min(),
                        x.div(3).prod(2), x.gt(0).all(1), x.gt(0).any(0), x.var(1), x.std(), x.norm(), x.logsumexp(1),
                        x.transpose(0, 2).sum(1), x.get(":, 1::2, :").mean(0));
            }));
            cs.add(new Case("scans and sorts" + s, d -> {
                Tensor x = r(d, 8, t, 5, 40);
                return List.of(x.cumsum(1), x.cumsum(0), x.div(2).cumprod(1), x.argsort(1, false), x.argsort(0, true),
                        x.sort(1, false), x.topk(3, 1, true));
            }));
            cs.add(new Case("softmax and losses" + s, d -> {
                Tensor x = r(d, 9, t, 16, 10), y = r(d, 10, t, 16, 10);
                return List.of(F.softmax(x, 1), F.logSoftmax(x, 1), F.mseLoss(x, y), x.sigmoid().mul(y).sum(0));
            }));
            cs.add(new Case("matmul" + s, d -> {
                Tensor a = r(d, 11, t, 33, 65), b = r(d, 12, t, 65, 17), c = r(d, 13, t, 4, 33, 65), v = r(d, 14, t, 65);
                return List.of(a.matmul(b), a.t().t().matmul(b.t().contiguous().t()), c.matmul(b), c.bmm(r(d, 15, t, 4, 65, 9)),
                        a.matmul(v), v.dot(v), a.matmul(b.get(":, 3:5")), a.get("::2, :").matmul(b), b.t().matmul(a.t()));
            }));
            cs.add(new Case("copies and views" + s, d -> {
                Tensor x = r(d, 16, t, 4, 6, 5);
                return List.of(x.permute(2, 0, 1).contiguous(), x.transpose(0, 1).clone(), x.get("..., ::2").contiguous(),
                        x.get(":, 1").expand(3, 4, 5).contiguous(), x.flip(1), x.to(DType.float64), x.to(DType.int32), x.to(DType.bool),
                        x.to(DType.float16), x.to(DType.bfloat16), x.to(DType.uint8), x.repeat(2, 1, 1), x.reshape(20, 6));
            }));
            cs.add(new Case("cat stack split" + s, d -> {
                Tensor a = r(d, 17, t, 3, 5), b = r(d, 18, t, 2, 5), c = r(d, 19, t, 3, 4);
                return List.of(Torch.cat(List.of(a, b), 0), Torch.cat(List.of(a, c), 1), Torch.stack(List.of(a, a.neg()), 1),
                        Torch.cat(List.of(a.t(), c.t()), 0), a.split(2, 1), a.chunk(2, 0));
            }));
            cs.add(new Case("where and masks" + s, d -> {
                Tensor x = r(d, 20, t, 9, 11), y = r(d, 21, t, 9, 11), m = mask(d, 22, 9, 11);
                return List.of(Torch.where(m, x, y), Torch.where(m, x, 0.5), x.maskedFill(m, -7), x.get(m), x.clone().set(m, 3.0),
                        x.isnan(), x.nonzero());
            }));
            cs.add(new Case("indexing" + s, d -> {
                Tensor x = r(d, 23, t, 7, 6);
                Tensor idx = ri(d, 24, DType.int64, -7, 7, 5), idx2 = ri(d, 25, DType.int64, 0, 6, 7, 3);
                Tensor acc = r(d, 26, t, 5, 6);
                return List.of(x.get(idx), x.indexSelect(1, idx.remainder(6)), x.gather(1, idx2), x.get(":, 2"), x.get("1:5:2, ::3"),
                        x.clone().indexPut_(new Tensor[]{idx}, acc, true), x.scatterAdd(1, idx2, r(d, 27, t, 7, 3)),
                        x.clone().scatter_(1, idx2, r(d, 28, t, 7, 3).mul(0).add(1)), x.takeAlongDim(idx2, 1));
            }));
            cs.add(new Case("in-place" + s, d -> {
                Tensor x = r(d, 29, t, 6, 5), y = r(d, 30, t, 5);
                Tensor z = x.clone();
                z.add_(y).mul_(2).clamp_(-3, 3);
                Tensor w = x.clone();
                w.set(":2", 0.5);
                w.get(":, 1").copy_(r(CPU, 31, t, 6));
                Tensor f = x.clone().fill_(1.25);
                return List.of(z, w, f, x.clone().zero_(), x.clone().exp_(), x.clone().sub_(1).abs_());
            }));
        }
        for (DType t : INTS) {
            String s = " " + t;
            long lo = t == DType.uint8 ? 0 : -40, hi = 40;
            cs.add(new Case("integer ops" + s, d -> {
                Tensor a = ri(d, 40, t, lo, hi, 9, 8), b = ri(d, 41, t, 1, 9, 8), sh = ri(d, 42, t, 0, 9, 8);
                return List.of(a.add(b), a.sub(b), a.mul(b), a.floorDivide(b), a.remainder(b), a.fmod(b), a.maximum(b), a.minimum(b),
                        a.bitwiseAnd(b), a.bitwiseOr(b), a.bitwiseXor(b), a.bitwiseNot(), a.bitwiseLeftShift(sh), a.bitwiseRightShift(sh),
                        a.abs(), a.neg(), a.sign(), a.pow(ri(d, 43, t, 0, 4, 8)), a.eq(b), a.lt(b), a.ge(3), a.logicalAnd(b), a.logicalNot(),
                        a.div(b), a.add(3), a.mul(2.5), a.to(DType.float32), a.to(DType.int8), a.to(DType.bool), a.sqrt());
            }));
            cs.add(new Case("integer reductions and scans" + s, d -> {
                Tensor a = ri(d, 44, t, lo, hi, 5, 6, 7);
                return List.of(a.sum(), a.sum(1), a.prod(2), a.amax(0), a.amin(2), a.argmax(1), a.argmin(0), a.max(2), a.all(1), a.any(0),
                        a.cumsum(2), a.cumsum(0), a.argsort(1, false), a.sort(2, true));
            }));
            cs.add(new Case("integer matmul and indexing" + s, d -> {
                Tensor a = ri(d, 45, t, 0, 5, 6, 9), b = ri(d, 46, t, 0, 5, 9, 4), idx = ri(d, 47, DType.int64, 0, 6, 8);
                return List.of(t == DType.uint8 ? a.add(0) : a.matmul(b), a.get(idx), a.clone().indexPut_(new Tensor[]{idx}, ri(d, 48, t, 0, 3, 8, 9), true),
                        Torch.cat(List.of(a, a.mul(2)), 1), Torch.where(a.gt(2), a, b.get(":6, :1")));
            }));
        }
        cs.add(new Case("bool ops", d -> {
            Tensor a = mask(d, 50, 7, 9), b = mask(d, 51, 7, 9);
            return List.of(a.logicalAnd(b), a.logicalOr(b), a.logicalXor(b), a.logicalNot(), a.bitwiseAnd(b), a.bitwiseNot(), a.add(b),
                    a.mul(b), a.all(), a.any(1), a.sum(0), a.to(DType.float32), a.eq(b), a.clone().indexPut_(new Tensor[]{ri(d, 52, DType.int64, 0, 7, 4)}, b.get(":4"), true));
        }));
        cs.add(new Case("creation", d -> List.of(Torch.zeros(new long[]{3, 4}, DType.float32, d), Torch.ones(new long[]{5}, DType.int64, d),
                Torch.full(new long[]{2, 3}, 2.5, DType.float16, d), Torch.full(new long[]{2, 3}, 7L, DType.int8, d),
                Torch.zerosLike(r(d, 53, DType.float32, 4, 4)), Torch.onesLike(r(d, 54, DType.bfloat16, 3)),
                Torch.arange(0, 10, 3).to(d), Torch.eye(4, 4, DType.float32).to(d), Torch.full(new long[]{0, 3}, 1.0, DType.float32, d))));
        cs.add(new Case("empty and 0-dim", d -> {
            Tensor e = Torch.zeros(new long[]{0, 4}, DType.float32, d), z = r(d, 55, DType.float32, 1).reshape();
            return List.of(e.sum(0), e.sum(), e.mean(0), e.add(1), e.prod(), z.add(z), z.mul(3), z.exp(), z.sum(), e.matmul(Torch.zeros(new long[]{4, 2}, DType.float32, d)));
        }));
        cs.add(new Case("item and lists", d -> {
            Tensor x = r(d, 56, DType.float64, 3, 4);
            return List.of(x.sum().item(), x.get(1, 2).item(), (double) x.argmax().itemLong(), Torch.tensor(x.toDoubleArray()).sum().item(), (double) x.toList().size());
        }));
        cs.add(new Case("large reductions", d -> {
            Tensor x = r(d, 57, DType.float32, 1 << 20), y = r(d, 58, DType.float32, 1000, 3000);
            return List.of(x.sum(), x.mean(), x.amax(), x.argmax(), y.sum(0), y.sum(1), y.amax(0), y.argmin(1), x.cumsum(0), x.abs().sqrt().sum());
        }));
        cs.add(new Case("autograd", d -> {
            Tensor w1 = r(d, 60, DType.float32, 8, 16).requiresGrad_(), b1 = r(d, 61, DType.float32, 16).requiresGrad_();
            Tensor w2 = r(d, 62, DType.float32, 16, 3).requiresGrad_();
            Tensor x = r(d, 63, DType.float32, 32, 8), target = r(d, 64, DType.float32, 32, 3);
            Tensor loss = x.matmul(w1).add(b1).tanh().matmul(w2).sub(target).pow(2).mean();
            loss.backward();
            return List.of(loss.detach(), w1.grad(), b1.grad(), w2.grad());
        }));
        return cs;
    }

    /** The table's cases that have tensor inputs: those have a device to run on (creation cases do not). */
    static List<OpCases.Golden> tableCases() {
        return OpCases.goldens().stream().filter(g -> !g.inputs().isEmpty()).toList();
    }

    @Tag("cuda")
    @TestFactory
    Stream<DynamicTest> tableCasesOnCuda() {
        Assumptions.assumeTrue(Torch.cuda.isAvailable(), "no CUDA device");
        return tableCases().stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> OpGoldenTest.checkValues(g, GPU)));
    }

    @Tag("cuda")
    @TestFactory
    Stream<DynamicTest> cudaMatchesCpu() {
        Assumptions.assumeTrue(Torch.cuda.isAvailable(), "no CUDA device");
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    /**
     * CPU side: the table's cases that run on a GPU reach every primitive a backend executes through a row whose kernel
     * column names it (a primitive whose only such rows are creation cases would go untested there).
     */
    @Test
    void tableCasesReachEveryPrimitive() {
        Set<String> reached = new HashSet<>();
        Map<String, OpCases.Golden> byName = new HashMap<>();
        for (OpCases.Golden g : tableCases()) byName.put(g.name(), g);
        for (OpCases.TableCase c : OpCases.tableCases()) {
            OpCases.Golden g = byName.get(c.name());
            if (g != null && !g.raises() && c.kernelOp() != null) reached.add(c.kernelOp());
        }
        List<String> missing = new ArrayList<>();
        for (Op op : Op.values())
            if (!(op instanceof ViewOp) && !reached.contains(op.torchName()))
                missing.add(op.torchName());
        assertTrue(missing.isEmpty(), "primitives no GPU-run case of cases.txt reaches (give one a kernel row with tensor inputs): " + missing);
    }

    /** CPU side: every scenario runs on the CPU and gives tensors the comparison can read. */
    @Test
    void scenariosRunOnTheCpu() {
        for (Case c : cases()) {
            List<Tensor> out = flatten(c.run().apply(CPU));
            assertFalse(out.isEmpty(), c.name());
        }
    }
}
