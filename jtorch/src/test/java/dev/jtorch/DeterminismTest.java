package dev.jtorch;

import dev.jtorch.dispatch.Dispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.IndexOp;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;
import dev.jtorch.ops.ViewOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give the same bits (issue 17, item 8): every elementwise op, reduction, scan and the
 * matrix product, over every floating dtype (the integral ones for integer-only ops), contiguous, strided
 * (a transposed view) and tail-length inputs, gives identical bits
 * <ul>
 *   <li>interpreted (a fresh JVM with {@code -Xint}, where nothing is compiled and the Vector API runs its
 *       Java fallback) and after warm-up in this JVM (C2-compiled, intrinsics in place), and</li>
 *   <li>with 1, 2 and 4 intra-op threads, on inputs large enough to be split across them.</li>
 * </ul>
 * The cases come from {@link Op}'s values by family, so a new op is covered (or fails here) without editing
 * this test. Results are compared as raw bits with NaN payloads canonicalized (PyTorch does not define them);
 * an op that refuses a dtype must refuse it the same way everywhere, so its message is part of the result.
 */
class DeterminismTest {
    /** The families compared here; the others hold no arithmetic (views, copies, fills, joins, indexing). */
    private static boolean covered(Op op) {
        return switch (op) {
            case UnaryOp u -> true;
            case BinaryOp b -> true;
            case TernaryOp t -> true;
            case ReduceOp r -> true;
            case ScanOp s -> true;
            case MatmulOp m -> true;
            case MemoryOp m -> false;
            case JoinOp j -> false;
            case ViewOp v -> false;
            case IndexOp i -> false;
        };
    }

    private static final DType[] FLOATS = {DType.float32, DType.float64, DType.float16, DType.bfloat16};

    /** Values with every regime the kernels branch on: small, large, tiny, negative, zeros, inf, NaN, huge sin arguments. */
    private static double[] values(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        double[] special = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-40, -3e-39, 89.0, -104.0, 3e6, 1e30, 0.5};
        for (int i = 0; i < n; i++) {
            v[i] = switch (i % 7) {
                case 0 -> r.nextGaussian();
                case 1 -> (r.nextDouble() - 0.5) * 40;
                case 2 -> r.nextDouble();
                case 3 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(60) - 40);
                case 4 -> special[r.nextInt(special.length)];
                case 5 -> -r.nextDouble() * 3;
                default -> Math.floor((r.nextDouble() - 0.5) * 20);
            };
        }
        return v;
    }

    private static Tensor input(long[] shape, DType dtype, long seed) {
        int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = values(n, seed);
        if (!dtype.isFloatingPoint()) for (int i = 0; i < n; i++) v[i] = Double.isFinite(v[i]) ? Math.floor(v[i] % 1000) : 3;
        return Torch.tensor(v, DType.float64).reshape(shape).to(dtype);
    }

    /** What the test runs: a name and a computation. */
    private record Case(String name, java.util.function.Supplier<Tensor> run) {}

    /** Every covered op on every dtype it is defined for, on inputs of the given shapes (2-D ones also transposed). */
    static List<Case> cases(long[][] shapes) {
        List<Case> out = new ArrayList<>();
        for (Op op : Op.values()) {
            if (!covered(op)) continue;
            boolean integral = op.name().startsWith("BITWISE");
            DType[] dtypes = integral ? new DType[]{DType.int64, DType.int32} : FLOATS;
            for (DType t : dtypes) {
                for (long[] shape : shapes) {
                    for (boolean transposed : shape.length == 2 ? new boolean[]{false, true} : new boolean[]{false}) {
                        String name = op + "/" + t + "/" + java.util.Arrays.toString(shape) + (transposed ? "ᵀ" : "");
                        java.util.function.Function<Long, Tensor> in = seed -> {
                            Tensor x = input(shape, t, seed);
                            return transposed ? x.t() : x;
                        };
                        switch (op) {
                            case UnaryOp u -> out.add(new Case(name, () -> Dispatch.unary(u, in.apply(1L))));
                            case BinaryOp b -> {
                                out.add(new Case(name, () -> Dispatch.binary(b, in.apply(1L), in.apply(2L))));
                                out.add(new Case(name + "/scalar", () -> Dispatch.binary(b, in.apply(1L), Torch.tensor(2.0, DType.float64).to(t))));
                            }
                            case TernaryOp w -> out.add(new Case(name, () -> {
                                Tensor a = in.apply(1L);
                                return Dispatch.where(a.gt(Torch.tensor(0.0, DType.float64).to(t)), a, in.apply(2L));
                            }));
                            case ReduceOp r -> {
                                out.add(new Case(name + "/all", () -> Dispatch.reduce(r, in.apply(1L), null, false, null, null)));
                                for (int d = 0; d < shape.length; d++) {
                                    int dim = d;
                                    out.add(new Case(name + "/dim" + d, () -> Dispatch.reduce(r, in.apply(1L), new int[]{dim}, false, null, null)));
                                }
                            }
                            case ScanOp s -> {
                                for (int d = 0; d < shape.length; d++) {
                                    int dim = d;
                                    out.add(new Case(name + "/dim" + d, () -> Dispatch.scan(s, in.apply(1L), dim, null, false)));
                                }
                            }
                            case MatmulOp m -> {
                                if (shape.length == 2)
                                    out.add(new Case(name, () -> in.apply(1L).matmul(in.apply(2L).t())));
                            }
                            case MemoryOp m -> fail("no determinism case for " + op);
                            case JoinOp j -> fail("no determinism case for " + op);
                            case ViewOp v -> fail("no determinism case for " + op);
                            case IndexOp i -> fail("no determinism case for " + op);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A result as text: dtype, shape and a hash of its bits (NaN canonicalized), or the refusal's message. */
    static String fingerprint(Case c) {
        Tensor y;
        try {
            y = c.run.get();
        } catch (RuntimeException e) {
            return "refused: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        long h = 1125899906842597L;
        if (y.dtype().isFloatingPoint()) {
            for (double v : y.to(DType.float64).toDoubleArray()) h = 31 * h + Double.doubleToLongBits(v);
        } else {
            for (long v : y.to(DType.int64).toLongArray()) h = 31 * h + v;
        }
        return y.dtype() + "" + y.shape() + " " + Long.toHexString(h);
    }

    /** Small shapes: one with a partial last vector, one shorter than any vector, one 2-D (also transposed). */
    static final long[][] SMALL = {{1003}, {5}, {29, 37}};

    static Map<String, String> fingerprints(List<Case> cases) {
        Map<String, String> r = new LinkedHashMap<>();
        for (Case c : cases) r.put(c.name, fingerprint(c));
        return r;
    }

    /** Run in a fresh JVM: prints every small case's fingerprint, one per line. */
    public static void main(String[] args) {
        for (Map.Entry<String, String> e : fingerprints(cases(SMALL)).entrySet()) System.out.println(e.getKey() + "\t" + e.getValue());
    }

    @Test
    void interpretedAndCompiledGiveTheSameBits() throws IOException, InterruptedException {
        List<Case> cases = cases(SMALL);
        // The cold side: nothing compiled, the Vector API on its Java fallback.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector", "-Xss8m",
                "-cp", System.getProperty("java.class.path"), DeterminismTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the -Xint run did not finish");
        }
        assertEquals(0, p.exitValue(), "the -Xint run failed");
        Map<String, String> cold = new LinkedHashMap<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) cold.put(line.substring(0, tab), line.substring(tab + 1));
        }
        // The warm side: the kernels run until C2 has compiled them (loops of 2^14 elements pass the
        // back-edge thresholds within a few calls), then every case.
        warmUp();
        Map<String, String> warm = fingerprints(cases);
        assertEquals(cases.size(), cold.size(), "cases seen by the -Xint run");
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> e : warm.entrySet())
            if (!e.getValue().equals(cold.get(e.getKey()))) differ.add(e.getKey() + ": interpreted " + cold.get(e.getKey()) + ", compiled " + e.getValue());
        assertEquals(List.of(), differ);
    }

    private static void warmUp() {
        for (Op op : Op.values()) {
            if (!(op instanceof UnaryOp || op instanceof BinaryOp || op instanceof ReduceOp)) continue;
            if (op.name().startsWith("BITWISE")) continue;
            for (DType t : new DType[]{DType.float32, DType.float64}) {
                Tensor a = input(new long[]{1 << 14}, t, 5), b = input(new long[]{1 << 14}, t, 6);
                for (int k = 0; k < 40; k++) {
                    try {
                        if (op instanceof UnaryOp u) Dispatch.unary(u, a);
                        else if (op instanceof BinaryOp bo) Dispatch.binary(bo, a, b);
                        else Dispatch.reduce((ReduceOp) op, a, null, false, null, null);
                    } catch (RuntimeException refused) {
                        break;
                    }
                }
            }
        }
    }

    /** Large enough that elementwise work, long sums and row / column reductions are split across threads. */
    static final long[][] LARGE = {{140_001}, {257, 263}};

    @Test
    void oneTwoAndFourThreadsGiveTheSameBits() {
        int before = Torch.getNumThreads();
        List<Case> cases = new ArrayList<>();
        for (Case c : cases(LARGE)) if (!c.name.contains("float16") && !c.name.contains("bfloat16") || c.name.startsWith("SUM") || c.name.startsWith("MEAN")) cases.add(c);
        try {
            Torch.setNumThreads(1);
            Map<String, String> one = fingerprints(cases);
            for (int threads : new int[]{2, 4}) {
                Torch.setNumThreads(threads);
                Map<String, String> many = fingerprints(cases);
                List<String> differ = new ArrayList<>();
                for (Map.Entry<String, String> e : one.entrySet())
                    if (!e.getValue().equals(many.get(e.getKey()))) differ.add(e.getKey() + ": 1 thread " + e.getValue() + ", " + threads + " threads " + many.get(e.getKey()));
                assertEquals(List.of(), differ, threads + " threads");
            }
        } finally {
            Torch.setNumThreads(before);
        }
    }
}
