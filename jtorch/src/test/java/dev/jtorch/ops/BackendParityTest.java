package dev.jtorch.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Torch;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.KernelCalls;
import dev.jtorch.backend.Strided;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every primitive {@link Op} executed directly on {@link Strided} operands by each backend under test and by
 * the naive {@link ReferenceBackend}, on seeded random data with contiguous, permuted, sliced (step 2, offset
 * 1) and broadcast (stride 0) layouts, small and large enough to take the parallel paths. The whole output
 * storage is compared, so writes outside the output view are caught too.
 *
 * <p>Which dtypes, value domains and tolerance each primitive is checked with comes from the op-case table
 * ({@code golden/ops/cases.txt}): the rows whose kernel column names the op ({@link #kernelRows}); this class only
 * says how each kind of kernel is driven. A primitive without such a row fails here.
 *
 * <p>To put another backend under test, add it to {@link #hostBackends()} (or, for a device backend, write a
 * factory like {@link #cudaMatchesReference()}): {@link #check} moves the operands to its device and back.
 */
class BackendParityTest {

    /** A backend under test; {@code slack} widens the ulp tolerances (a GPU computes float32 in float32). */
    record Impl(String name, Backend backend, int slack) {}

    /** Backends over host memory to hold to the reference. */
    static List<Impl> hostBackends() {
        return List.of(new Impl("cpu", Backends.cpu(), 0));
    }

    @TestFactory
    Stream<DynamicTest> cpuMatchesReference() {
        return hostBackends().stream().flatMap(impl -> cases().stream()
                .map(c -> DynamicTest.dynamicTest(impl.name() + ": " + c.name(), () -> check(impl, c))));
    }

    @Tag("cuda")
    @TestFactory
    Stream<DynamicTest> cudaMatchesReference() {
        assumeTrue(Torch.cuda.isAvailable(), "no CUDA device");
        Impl impl = new Impl("cuda", Backends.of(Device.of("cuda")), 4);
        return cases().stream().map(c -> DynamicTest.dynamicTest("cuda: " + c.name(), () -> check(impl, c)));
    }

    // ================================================================ cases

    /** How closely a backend must agree with the reference: the kernel column of cases.txt names it ({@link #tol}). */
    enum Tol {
        /** bit for bit (integers, bool, and float ops both compute exactly in double then round once) */
        EXACT,
        /**
         * library math: a few double ulps in float64 (Math vs StrictMath); 3 ulps of a narrower output, which a
         * kernel may compute in float32 (PyTorch's vectorized float kernels are as accurate)
         */
        MATH,
        /** special functions the reference computes its own way: 1e-10 relative in float64 */
        SPECIAL,
        /** sums and products whose order and precision differ: relative to the output's and the terms' magnitudes */
        ACCUM
    }

    /** The tolerance a name of the kernel column of cases.txt stands for. */
    static Tol tol(String column) {
        return switch (column) {
            case "exact" -> Tol.EXACT;
            case "math" -> Tol.MATH;
            case "special" -> Tol.SPECIAL;
            case "accum" -> Tol.ACCUM;
            default -> throw new IllegalArgumentException("unknown kernel tolerance '" + column + "' (exact, math, special, accum)");
        };
    }

    /**
     * How this test samples a value domain of cases.txt (gen_ops.py's draw_float and draw_int): over the same range,
     * except that pos and unit reach a little past their edges (so the kernels' out-of-domain NaNs are compared too),
     * sp mixes the special values with small integers, and small is 0..4 (0..5 for integers).
     */
    static Dom dom(String tableDomain) {
        return switch (tableDomain) {
            case "n" -> Dom.N;
            case "pos" -> Dom.MOSTLY_POSITIVE;
            case "unit" -> Dom.UNIT;
            case "ge1" -> Dom.GE1;
            case "nz" -> Dom.NONZERO;
            case "int" -> Dom.INTLIKE;
            case "half" -> Dom.HALVES;
            case "sp", "sp2" -> Dom.SPECIALS;
            case "zero" -> Dom.ZERO;
            case "wide", "conv" -> Dom.WIDE;
            case "lg" -> Dom.LGAMMA;
            case "small", "cls" -> Dom.EXPONENT;
            case "shift" -> Dom.SHIFT;
            default -> throw new IllegalArgumentException("domain '" + tableDomain + "' of cases.txt has no sampler in BackendParityTest.dom");
        };
    }

    /**
     * One op execution: the operands live in host storages; {@code out} starts with random contents (the
     * parts outside the view must survive).
     */
    record Case(String name, Op op, Strided out, Strided[] in, Object[] args, Tol tol) {}

    /**
     * What one expanded case of a row whose kernel column names a primitive says about that primitive's kernel: the dtype
     * the kernel computes in ({@code in}: the promoted dtype of the case's inputs, float32 for integral inputs of an op
     * with a float result, as the dispatcher converts them), the dtype it writes ({@code out}: by the op's result rule; for
     * COPY and FILL the dtype of PyTorch's output), the inputs' domains and the tolerance. Cases PyTorch rejects (their
     * golden raises) never reach a kernel and say nothing.
     */
    record KernelRow(DType in, DType out, List<Dom> doms, Tol tol) {
        /** The domains of a kernel with {@code arity} operands (-1: any number), or a clear failure naming the row's op. */
        List<Dom> doms(Op op, int arity) {
            if (arity >= 0 ? doms.size() != arity : doms.isEmpty())
                throw new IllegalStateException("a row of cases.txt whose kernel column names " + op.torchName() + " has " + doms.size()
                        + " inputs; its kernel takes " + (arity < 0 ? "one or more" : arity));
            return doms;
        }

        @Override public String toString() { return in + (out == in ? "" : "->" + out) + " " + doms; }
    }

    private static Map<String, List<KernelRow>> kernelRows;

    /** The kernel-level variants of {@code op} that cases.txt states, in table order, without repeats. */
    static synchronized List<KernelRow> kernelRows(Op op) {
        if (kernelRows == null) {
            Map<String, OpCases.Golden> goldens = new HashMap<>();
            for (OpCases.Golden g : OpCases.goldens()) goldens.put(g.name(), g);
            Map<String, Op> ops = new HashMap<>();
            for (Op o : Op.values()) ops.put(o.torchName(), o);
            Map<String, Set<KernelRow>> m = new HashMap<>();
            for (OpCases.TableCase c : OpCases.tableCases()) {
                if (c.kernelOp() == null) continue;
                Op o = ops.get(c.kernelOp());
                if (o == null) throw new IllegalStateException(OpCases.TABLE + ":" + c.line() + ": the kernel column names " + c.kernelOp() + ", no primitive op");
                OpCases.Golden g = goldens.get(c.name());
                if (g == null) throw new IllegalStateException(c.name() + " has no golden in " + OpCases.GOLDEN + " (rerun gen_ops.py)");
                if (g.raises()) continue;
                DType in = null;
                for (OpCases.Input i : g.inputs()) in = in == null ? i.dtype() : DType.promote(in, i.dtype());
                DType written = g.outputs().getFirst().dtype();
                if (in == null) in = written;
                if (o.result() == Op.Result.FLOAT && !in.isFloatingPoint()) in = DType.float32;
                List<Dom> doms = new ArrayList<>();
                for (int i = 0; i < c.inputs().size(); i++) doms.add(dom(c.domain(i)));
                KernelRow k = switch (o.result()) {
                    case SAME, FLOAT, INTEGRAL -> o == MemoryOp.FILL
                            ? new KernelRow(written, written, List.of(), tol(c.kernelTolerance())) // FILL reads no operand
                            : new KernelRow(in, o == MemoryOp.COPY ? written : in, List.copyOf(doms), tol(c.kernelTolerance()));
                    case BOOL -> new KernelRow(in, DType.bool, List.copyOf(doms), tol(c.kernelTolerance()));
                    case INDEX -> new KernelRow(in, DType.int64, List.copyOf(doms), tol(c.kernelTolerance()));
                };
                m.computeIfAbsent(o.torchName(), x -> new LinkedHashSet<>()).add(k);
            }
            Map<String, List<KernelRow>> frozen = new HashMap<>();
            m.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            kernelRows = frozen;
        }
        List<KernelRow> rows = kernelRows.get(op.torchName());
        if (rows == null)
            throw new IllegalStateException(op + " has no row in " + OpCases.TABLE + " whose kernel column names it ('" + op.torchName()
                    + " TOLERANCE'): its kernel-level dtypes, domains and tolerance come from there (see the table's header)");
        return rows;
    }

    /** Every primitive a backend executes has kernel rows in cases.txt (the views never reach a backend). */
    @Test
    void everyPrimitiveHasKernelRows() {
        List<String> missing = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op instanceof ViewOp) continue;
            try {
                kernelRows(op);
            } catch (IllegalStateException e) {
                missing.add(op.torchName());
            }
        }
        assertTrue(missing.isEmpty(), "primitives without a row of golden/ops/cases.txt whose kernel column names them: " + missing);
    }

    /** Operand layouts: contiguous, permuted (dims reversed in memory), sliced with step 2 and offset 1, broadcast. */
    static final String[] IN_LAYOUTS = {"c", "t", "s", "b"};
    static final String[] OUT_LAYOUTS = {"c", "t", "s"};

    static final long[] SMALL = {5, 7};
    static final long[] LARGE = {131, 271}; // 35501 elements: above the CPU's parallel grain and many chunks

    private static List<Case> cache;

    static synchronized List<Case> cases() {
        if (cache == null) {
            List<Case> out = new ArrayList<>();
            for (Op op : Op.values()) addCases(op, out);
            cache = out;
        }
        return cache;
    }

    /**
     * One switch over every op (no default): a new Op does not compile until it has parity cases. The dtypes, domains
     * and tolerances come from the op's kernel rows in cases.txt; what stays here is how each kind of kernel is driven
     * (layouts, sizes, alpha, reduced dims, scan dims, index plans).
     */
    static void addCases(Op op, List<Case> out) {
        // per family, the same for every op: the op's kernel rows say the dtypes, domain and tolerance; only what is
        // particular to a kind (alpha, reduced and scanned dims, index plans) is written here
        switch (op) {
            case MemoryOp m -> {
                switch (m) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case FILL -> { for (KernelRow k : kernelRows(m)) fill(m, k, out); }
                    case COPY -> { for (KernelRow k : kernelRows(m)) copy(m, k, out); }
                }
            }
            case UnaryOp u -> { for (KernelRow k : kernelRows(u)) unary(u, k, out); }
            case BinaryOp b -> {
                for (KernelRow k : kernelRows(b)) {
                    binary(b, k, out);
                    if (b == BinaryOp.ADD || b == BinaryOp.SUB) withAlpha(b, k, out); // the ops with an alpha
                }
            }
            case TernaryOp w -> { for (KernelRow k : kernelRows(w)) where(w, k, out); }
            case ReduceOp r -> { for (KernelRow k : kernelRows(r)) reductions(r, k, out); }
            case ScanOp s -> { for (KernelRow k : kernelRows(s)) scans(s, k, out); }
            case MatmulOp mm -> { for (KernelRow k : kernelRows(mm)) matmuls(mm, k, out); }
            case JoinOp j -> { for (KernelRow k : kernelRows(j)) cats(j, k, out); }
            case IndexOp i -> indexing(i, out);
            case ViewOp v -> { } // metadata only: never reaches a backend
        }
    }

    static long seed(Object... parts) { return Arrays.deepHashCode(parts) * 0x9E3779B97F4A7C15L; }

    static void fill(MemoryOp op, KernelRow k, List<Case> out) {
        DType t = k.out();
        for (Number v : new Number[]{2.5, 7L, -3L, 0.0})
            for (String lo : OUT_LAYOUTS)
                out.add(new Case(op + " " + t + " " + v + " out:" + lo, op, operand(seed(op, t, lo, v), t, SMALL, lo, Dom.N),
                        new Strided[0], new Object[]{v}, k.tol()));
    }

    static void copy(MemoryOp op, KernelRow k, List<Case> out) {
        Dom dom = k.doms(op, 1).getFirst();
        for (String lo : IN_LAYOUTS) {
            long s = seed(op, k.in(), k.out(), dom, lo);
            out.add(new Case(op + " " + k + " " + lo, op, operand(s, k.out(), SMALL, "c", Dom.N),
                    new Strided[]{operand(s + 1, k.in(), SMALL, lo, dom)}, new Object[0], k.tol()));
        }
        if (k.in() == k.out()) {
            long s = seed(op, k.in(), dom, "large");
            out.add(new Case(op + " " + k + " large t->t", op, operand(s, k.out(), LARGE, "t", Dom.N),
                    new Strided[]{operand(s + 1, k.in(), LARGE, "t", dom)}, new Object[0], k.tol()));
        }
    }

    static void unary(UnaryOp op, KernelRow k, List<Case> out) {
        DType t = k.in(), o = k.out();
        Dom dom = k.doms(op, 1).getFirst();
        for (String lo : IN_LAYOUTS)
            for (String olo : new String[]{"c", "t"}) {
                long s = seed(op, t, dom, lo, olo);
                out.add(new Case(op + " " + k + " in:" + lo + " out:" + olo, op, operand(s, o, SMALL, olo, Dom.N),
                        new Strided[]{operand(s + 1, t, SMALL, lo, dom)}, new Object[0], k.tol()));
            }
        for (String lo : new String[]{"c", "t"}) {
            long s = seed(op, t, dom, "large", lo);
            out.add(new Case(op + " " + k + " large " + lo, op, operand(s, o, LARGE, "c", Dom.N),
                    new Strided[]{operand(s + 1, t, LARGE, lo, dom)}, new Object[0], k.tol()));
        }
    }

    static void binary(BinaryOp op, KernelRow k, List<Case> out) {
        DType t = k.in(), o = k.out();
        Dom da = k.doms(op, 2).get(0), db = k.doms(op, 2).get(1);
        String[][] combos = {{"c", "c", "c"}, {"t", "c", "c"}, {"c", "s", "t"}, {"b", "t", "c"}, {"s", "b", "s"}};
        for (String[] lo : combos) {
            long s = seed(op, t, da, db, lo[0], lo[1], lo[2]);
            out.add(new Case(op + " " + k + " " + lo[0] + "," + lo[1] + " out:" + lo[2], op, operand(s, o, SMALL, lo[2], Dom.N),
                    new Strided[]{operand(s + 1, t, SMALL, lo[0], da), operand(s + 2, t, SMALL, lo[1], db)}, new Object[0], k.tol()));
        }
        // a 0-dim operand standing for a scalar
        long s = seed(op, t, da, db, "scalar");
        out.add(new Case(op + " " + k + " with a 0-dim operand", op, operand(s, o, SMALL, "c", Dom.N),
                new Strided[]{operand(s + 1, t, SMALL, "t", da), scalarAsBroadcast(s + 2, t, SMALL, db)}, new Object[0], k.tol()));
        for (String lo : new String[]{"c", "t"}) {
            long s2 = seed(op, t, da, db, "large", lo);
            out.add(new Case(op + " " + k + " large " + lo, op, operand(s2, o, LARGE, "c", Dom.N),
                    new Strided[]{operand(s2 + 1, t, LARGE, lo, da), operand(s2 + 2, t, LARGE, "c", db)}, new Object[0], k.tol()));
        }
    }

    /**
     * ADD / SUB with an alpha arg (Double for floating dtypes, Long otherwise). The floating alphas are exact in every
     * dtype, so a GPU (alpha in float) and the CPU (alpha in the dtype) must agree bit for bit.
     */
    static void withAlpha(BinaryOp op, KernelRow k, List<Case> out) {
        DType t = k.in();
        Dom da = k.doms(op, 2).get(0), db = k.doms(op, 2).get(1);
        String[][] combos = {{"c", "c", "c"}, {"t", "s", "c"}, {"b", "c", "t"}};
        Number[] alphas = t.isFloatingPoint() ? new Number[]{-2.5, 0.375} : new Number[]{3L, -2L};
        for (Number alpha : alphas) {
            for (String[] lo : combos) {
                long s = seed(op, t, da, db, alpha, lo[0], lo[1], lo[2]);
                out.add(new Case(op + " " + k + " alpha=" + alpha + " " + lo[0] + "," + lo[1] + " out:" + lo[2], op,
                        operand(s, t, SMALL, lo[2], Dom.N), new Strided[]{operand(s + 1, t, SMALL, lo[0], da),
                        operand(s + 2, t, SMALL, lo[1], db)}, new Object[]{alpha}, Tol.EXACT));
            }
            for (String lo : new String[]{"c", "t"}) {
                long s = seed(op, t, da, db, alpha, "large", lo);
                out.add(new Case(op + " " + k + " alpha=" + alpha + " large " + lo, op, operand(s, t, LARGE, "c", Dom.N),
                        new Strided[]{operand(s + 1, t, LARGE, "c", da), operand(s + 2, t, LARGE, lo, db)}, new Object[]{alpha}, Tol.EXACT));
            }
        }
    }

    /** WHERE's table inputs are torch.where(c, a, b)'s a, b, c; the kernel takes (cond, a, b). */
    static void where(TernaryOp op, KernelRow k, List<Case> out) {
        DType t = k.in();
        List<Dom> d = k.doms(op, 3);
        for (String lo : IN_LAYOUTS) {
            long s = seed(op, t, d.toString(), lo);
            out.add(new Case(op + " " + k + " " + lo, op, operand(s, t, SMALL, "c", Dom.N), new Strided[]{
                    operand(s + 1, DType.bool, SMALL, lo, d.get(2)), operand(s + 2, t, SMALL, "c", d.get(0)),
                    operand(s + 3, t, SMALL, lo, d.get(1))}, new Object[0], k.tol()));
        }
    }

    static void reductions(ReduceOp op, KernelRow k, List<Case> out) {
        DType t = k.in(), o = k.out();
        long[] shape = {4, 5, 6};
        int[][] dimSets = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? new int[][]{{0}, {1}, {2}} : new int[][]{{0}, {1}, {2}, {0, 2}, {0, 1, 2}};
        // a product over hundreds of elements stays finite and away from zero only near 1
        Dom dom = op == ReduceOp.PROD ? Dom.NEAR_ONE : k.doms(op, 1).getFirst();
        for (int[] dims : dimSets)
            for (String lo : new String[]{"c", "t", "s"}) {
                long[] os = shape.clone();
                for (int d : dims) os[d] = 1;
                long s = seed(op, t, dom, Arrays.toString(dims), lo);
                out.add(new Case(op + " " + k + " dims " + Arrays.toString(dims) + " " + lo, op, operand(s, o, os, "c", Dom.N),
                        new Strided[]{operand(s + 1, t, shape, lo, dom)}, new Object[0], k.tol()));
            }
        for (int d = 0; d < 2; d++) {
            long[] os = LARGE.clone();
            os[d] = 1;
            long s = seed(op, t, dom, "large", d);
            out.add(new Case(op + " " + k + " large dim " + d, op, operand(s, o, os, "c", Dom.N),
                    new Strided[]{operand(s + 1, t, LARGE, d == 0 ? "t" : "c", dom)}, new Object[0], k.tol()));
        }
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            long s = seed(op, t, dom, "ties");
            out.add(new Case(op + " " + k + " ties", op, operand(s, o, new long[]{5, 1}, "c", Dom.N),
                    new Strided[]{operand(s + 1, t, new long[]{5, 9}, "c", Dom.TIES)}, new Object[0], k.tol()));
        }
    }

    static void scans(ScanOp op, KernelRow k, List<Case> out) {
        DType t = k.in(), o = k.out();
        long[] shape = {4, 5, 6};
        // a running product over thousands of elements stays finite and away from zero only near 1
        Dom dom = op == ScanOp.CUMPROD ? Dom.NEAR_ONE : k.doms(op, 1).getFirst();
        for (int dim = 0; dim < 3; dim++)
            for (String lo : new String[]{"c", "t", "s"})
                for (Boolean desc : op == ScanOp.ARGSORT ? new Boolean[]{false, true} : new Boolean[]{null}) {
                    long s = seed(op, t, dom, dim, lo, desc);
                    Object[] args = desc == null ? new Object[]{dim} : new Object[]{dim, desc};
                    out.add(new Case(op + " " + k + " dim " + dim + " " + lo + (desc == null ? "" : desc ? " desc" : " asc"), op,
                            operand(s, o, shape, lo.equals("t") ? "t" : "c", Dom.N), new Strided[]{operand(s + 1, t, shape, lo, dom)}, args, k.tol()));
                }
        long s = seed(op, t, dom, "large");
        long[] big = {3, 3001};
        Object[] args = op == ScanOp.ARGSORT ? new Object[]{1, true} : new Object[]{1};
        out.add(new Case(op + " " + k + " large", op, operand(s, o, big, "c", Dom.N),
                new Strided[]{operand(s + 1, t, big, "c", dom)}, args, k.tol()));
    }

    /** Operands of small integers (in any dtype) keep half-precision products and sums exact whatever the order. */
    static void matmuls(MatmulOp op, KernelRow k, List<Case> out) {
        DType t = k.in();
        k.doms(op, 2);
        String[][] combos = {{"c", "c", "c"}, {"t", "c", "c"}, {"c", "t", "t"}, {"s", "b", "c"}, {"b", "s", "c"}};
        for (String[] lo : combos) {
            long s = seed(op, t, lo[0], lo[1], lo[2]);
            out.add(new Case(op + " " + k + " " + String.join(",", lo), op, operand(s, t, new long[]{2, 5, 3}, lo[2], Dom.N),
                    new Strided[]{operand(s + 1, t, new long[]{2, 5, 7}, lo[0], Dom.SMALL_INT_OR_N),
                            operand(s + 2, t, new long[]{2, 7, 3}, lo[1], Dom.SMALL_INT_OR_N)}, new Object[0], k.tol()));
        }
        long s = seed(op, t, "large");
        out.add(new Case(op + " " + k + " large", op, operand(s, t, new long[]{1, 64, 48}, "c", Dom.N),
                new Strided[]{operand(s + 1, t, new long[]{1, 64, 80}, "c", Dom.SMALL_INT_OR_N),
                        operand(s + 2, t, new long[]{1, 80, 48}, "t", Dom.SMALL_INT_OR_N)}, new Object[0], k.tol()));
        long s2 = seed(op, t, "empty k");
        out.add(new Case(op + " " + k + " k=0", op, operand(s2, t, new long[]{2, 3, 4}, "c", Dom.N),
                new Strided[]{operand(s2 + 1, t, new long[]{2, 3, 0}, "c", Dom.N), operand(s2 + 2, t, new long[]{2, 0, 4}, "c", Dom.N)},
                new Object[0], k.tol()));
    }

    static void cats(JoinOp op, KernelRow k, List<Case> out) {
        DType t = k.in();
        Dom dom = k.doms(op, -1).getFirst();
        for (int dim = 0; dim < 2; dim++)
            for (String lo : new String[]{"c", "t", "s"}) {
                long s = seed(op, t, dom, dim, lo);
                long[][] shapes = dim == 0 ? new long[][]{{2, 5}, {3, 5}, {0, 5}, {1, 5}} : new long[][]{{4, 2}, {4, 3}, {4, 0}, {4, 1}};
                long[] os = dim == 0 ? new long[]{6, 5} : new long[]{4, 6};
                Strided[] in = new Strided[shapes.length];
                for (int i = 0; i < in.length; i++) in[i] = operand(s + 1 + i, t, shapes[i], i % 2 == 0 && numel(shapes[i]) > 0 ? lo : "c", dom);
                out.add(new Case(op + " " + k + " dim " + dim + " " + lo, op, operand(s, t, os, lo.equals("s") ? "s" : "c", Dom.N),
                        in, new Object[]{dim}, k.tol()));
            }
    }

    /** INDEX and INDEX_PUT on the dtypes of their kernel rows, through fixed index plans (INDEX_PUT also accumulating). */
    static void indexing(IndexOp op, List<Case> out) {
        List<DType> dtypes = kernelRows(op).stream().map(KernelRow::in).distinct().toList();
        for (DType t : dtypes)
            for (String lo : new String[]{"c", "t"})
                for (boolean acc : op == IndexOp.INDEX ? new boolean[]{false} : new boolean[]{false, true}) {
                    long s = seed(op, t, lo, acc);
                    Random r = new Random(s);
                    // source/destination x of shape [6, 5]; index dim 0 with idx of shape [4] -> result shape [4, 5]
                    Strided x = operand(s + 1, t, new long[]{6, 5}, lo, Dom.N);
                    long[] idxVals = acc ? new long[]{1, -1, 1, 3} : new long[]{4, -1, 0, 2};
                    if (r.nextBoolean()) idxVals = new long[]{idxVals[3], idxVals[2], idxVals[1], idxVals[0]};
                    ArrayStorage is = new ArrayStorage(idxVals, DType.int64);
                    Strided idx = new Strided(is, DType.int64, new long[]{4, 5}, new long[]{1, 0}, 0);
                    long[] strides = {x.stride()[0]}, sizes = {x.shape()[0]};
                    Strided restrided = new Strided(x.storage(), t, new long[]{4, 5}, new long[]{0, x.stride()[1]}, x.offset());
                    if (op == IndexOp.INDEX) {
                        out.add(new Case(op + " " + t + " " + lo, op, operand(s + 2, t, new long[]{4, 5}, "c", Dom.N),
                                new Strided[]{restrided, idx}, new Object[]{strides, sizes}, Tol.EXACT));
                    } else {
                        Strided values = operand(s + 3, t, new long[]{4, 5}, "c", Dom.N);
                        out.add(new Case(op + " " + t + " " + lo + (acc ? " accumulate" : ""), op, restrided,
                                new Strided[]{values, idx}, new Object[]{strides, sizes, acc}, Tol.EXACT));
                    }
                }
    }

    // ================================================================ operands

    /** How operand values are drawn: the table's domains ({@link #dom}) and the kernel-specific ones (NEAR_ONE, TIES, SMALL_INT_OR_N). */
    enum Dom { N, WIDE, HALVES, INTLIKE, MOSTLY_POSITIVE, UNIT, GE1, LGAMMA, NONZERO, ZERO, EXPONENT, SHIFT, NEAR_ONE, TIES, SPECIALS, SMALL_INT_OR_N }

    static final double[] SPECIAL_VALUES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0};

    static double drawFloat(Random r, Dom dom) {
        if (dom == Dom.SPECIALS) return r.nextInt(3) == 0 ? SPECIAL_VALUES[r.nextInt(SPECIAL_VALUES.length)] : r.nextInt(7) - 3;
        // a few special values in the elementwise domains
        if ((dom == Dom.N || dom == Dom.MOSTLY_POSITIVE || dom == Dom.UNIT || dom == Dom.HALVES) && r.nextInt(40) == 0)
            return SPECIAL_VALUES[r.nextInt(SPECIAL_VALUES.length)];
        return switch (dom) {
            case N, SMALL_INT_OR_N -> r.nextDouble() * 6 - 3;
            case WIDE -> r.nextDouble() * 600 - 300;
            case HALVES -> (r.nextInt(21) - 10) / 2.0;
            case INTLIKE, TIES -> r.nextInt(5) - 2;
            case MOSTLY_POSITIVE -> r.nextDouble() * 4.5 - 0.5;
            case UNIT -> r.nextDouble() * 2.2 - 1.1;
            case GE1 -> r.nextDouble() * 5 + 0.5;
            case LGAMMA -> {
                double x = r.nextDouble() * 10 - 4.5;
                yield x < 0 && Math.abs(x - Math.rint(x)) < 0.05 ? x + 0.25 : x;
            }
            case NONZERO -> (r.nextBoolean() ? 1 : -1) * (0.25 + r.nextDouble() * 3);
            case EXPONENT, SHIFT -> r.nextInt(5);
            case ZERO -> r.nextBoolean() ? 0.0 : -0.0;
            case NEAR_ONE -> (r.nextInt(8) == 0 ? -1 : 1) * (0.6 + r.nextDouble() * 0.8);
            case SPECIALS -> throw new AssertionError();
        };
    }

    static long drawLong(Random r, DType t, Dom dom) {
        if (t == DType.bool) return r.nextInt(2);
        long v = switch (dom) {
            case WIDE -> r.nextInt(2001) - 1000;
            case NONZERO -> (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(20));
            case SMALL_INT_OR_N -> r.nextInt(7) - 3;
            case ZERO -> 0;
            case EXPONENT -> r.nextInt(6);
            case SHIFT -> r.nextInt(t.itemSize() * 8 + 4) - 1;
            case INTLIKE, TIES -> r.nextInt(5) - 2;
            case NEAR_ONE -> r.nextInt(3) - 1;
            default -> r.nextInt(101) - 50;
        };
        if (t == DType.uint8 && v < 0) v = dom == Dom.SHIFT ? 0 : -v;
        return v;
    }

    /** A view of logical shape {@code shape} over a fresh random storage, laid out as {@code layout}. */
    static Strided operand(long seed, DType t, long[] shape, String layout, Dom dom) {
        int nd = shape.length;
        long[] stride;
        long offset = 0, storageSize;
        switch (layout) {
            case "c" -> {
                stride = Strided.contiguousStrides(shape);
                storageSize = numel(shape);
            }
            case "t" -> {
                long[] rev = new long[nd];
                for (int i = 0; i < nd; i++) rev[i] = shape[nd - 1 - i];
                long[] rs = Strided.contiguousStrides(rev);
                stride = new long[nd];
                for (int i = 0; i < nd; i++) stride[i] = rs[nd - 1 - i];
                storageSize = numel(shape);
            }
            case "s" -> {
                long[] base = shape.clone();
                base[nd - 1] = 2 * shape[nd - 1] + 1;
                stride = Strided.contiguousStrides(base);
                stride[nd - 1] *= 2;
                offset = 1;
                storageSize = numel(base);
            }
            case "b" -> {
                long[] base = shape.clone();
                base[0] = 1;
                stride = Strided.contiguousStrides(base);
                stride[0] = 0;
                storageSize = numel(base);
            }
            default -> throw new IllegalArgumentException(layout);
        }
        return new Strided(randomStorage(seed, t, (int) Math.max(storageSize, 0), dom), t, shape.clone(), stride, offset);
    }

    /** A 0-dim operand broadcast to {@code shape} (all strides 0). */
    static Strided scalarAsBroadcast(long seed, DType t, long[] shape, Dom dom) {
        return new Strided(randomStorage(seed, t, 1, dom), t, shape.clone(), new long[shape.length], 0);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    static ArrayStorage randomStorage(long seed, DType t, int n, Dom dom) {
        Random r = new Random(seed);
        ArrayStorage st = ArrayStorage.allocate(t, n);
        Strided flat = new Strided(st, t, new long[]{n}, new long[]{1}, 0);
        for (int i = 0; i < n; i++) {
            if (t.isFloatingPoint()) ReferenceBackend.setD(flat, i, dom == Dom.SMALL_INT_OR_N ? r.nextInt(7) - 3 : drawFloat(r, dom));
            else ReferenceBackend.setL(flat, i, drawLong(r, t, dom));
        }
        return st;
    }

    // ================================================================ running and comparing

    static ArrayStorage cloneStorage(Storage s) {
        ArrayStorage a = (ArrayStorage) s;
        Object arr = a.array();
        Object copy = switch (arr) {
            case float[] x -> x.clone();
            case double[] x -> x.clone();
            case long[] x -> x.clone();
            case int[] x -> x.clone();
            case short[] x -> x.clone();
            case byte[] x -> x.clone();
            case boolean[] x -> x.clone();
            default -> throw new IllegalArgumentException(arr.getClass().toString());
        };
        return new ArrayStorage(copy, a.dtype());
    }

    /** The operand moved to the backend's device (a copy of its whole storage, same view). */
    static Strided toBackend(Backend b, Strided host) {
        ArrayStorage copy = cloneStorage(host.storage());
        if (b.device().equals(Device.CPU)) return new Strided(copy, host.dtype(), host.shape(), host.stride(), host.offset());
        long n = copy.numel();
        Storage dev = b.allocate(host.dtype(), n);
        b.copyFromHost(copy, new Strided(dev, host.dtype(), new long[]{n}, new long[]{1}, 0));
        return new Strided(dev, host.dtype(), host.shape(), host.stride(), host.offset());
    }

    /** The whole storage behind a view, back on the host. */
    static ArrayStorage toHost(Backend b, Strided s) {
        if (s.storage() instanceof ArrayStorage a) return a;
        long n = s.storage().numel();
        return b.copyToHost(new Strided(s.storage(), s.dtype(), new long[]{n}, new long[]{1}, 0));
    }

    record Outcome(ArrayStorage out, RuntimeException error) {}

    static Outcome execute(Backend b, Case c) {
        Strided[] in = new Strided[c.in().length];
        for (int i = 0; i < in.length; i++) in[i] = toBackend(b, c.in()[i]);
        Strided out = toBackend(b, c.out());
        try {
            b.execute(KernelCalls.of(c.op(), out, in, c.args()));
            b.synchronize();
        } catch (RuntimeException e) {
            return new Outcome(null, e);
        }
        return new Outcome(toHost(b, out), null);
    }

    static void check(Impl impl, Case c) {
        Outcome want = execute(new ReferenceBackend(), c);
        Outcome got = execute(impl.backend(), c);
        if (want.error() != null || got.error() != null) {
            if (want.error() == null) throw new AssertionError(c.name() + ": " + impl.name() + " threw but the reference did not", got.error());
            if (got.error() == null) fail(c.name() + ": the reference threw " + want.error() + " but " + impl.name() + " did not");
            assertEquals(want.error().getClass(), got.error().getClass(), c.name() + ": exception type");
            return;
        }
        DType t = c.out().dtype();
        Strided wf = flat(want.out()), gf = flat(got.out());
        int n = (int) want.out().numel();
        assertEquals(n, got.out().numel(), c.name() + ": output storage size");
        StringBuilder sb = new StringBuilder();
        int bad = 0;
        if (t.isFloatingPoint()) {
            double accum = accumulationError(c);
            double maxAbs = 0;
            for (int i = 0; i < n; i++) {
                double v = ReferenceBackend.getD(wf, i);
                if (Double.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            for (int i = 0; i < n; i++) {
                double e = ReferenceBackend.getD(wf, i), g = ReferenceBackend.getD(gf, i);
                if (!close(e, g, t, c.tol(), impl.slack(), maxAbs, accum) && bad++ < 5)
                    sb.append(String.format("[%d] reference %s (%s), %s %s (%s); ", i, e, Double.toHexString(e), impl.name(), g, Double.toHexString(g)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                long e = ReferenceBackend.getL(wf, i), g = ReferenceBackend.getL(gf, i);
                if (e != g && bad++ < 5) sb.append(String.format("[%d] reference %d, %s %d; ", i, e, impl.name(), g));
            }
        }
        if (bad > 0) fail(c.name() + ": " + bad + " of " + n + " stored elements differ: " + sb);
    }

    static Strided flat(ArrayStorage s) {
        return new Strided(s, s.dtype(), new long[]{s.numel()}, new long[]{1}, 0);
    }

    static double ulp(DType t, double v) {
        double a = Math.abs(v);
        return switch (t) {
            case float64 -> Math.ulp(a);
            case float32 -> Math.ulp((float) a);
            case float16 -> a < 0x1p-14 ? 0x1p-24 : Math.scalb(1.0, Math.getExponent(a) - 10);
            case bfloat16 -> a < Float.MIN_NORMAL ? Math.scalb(1.0, -133) : Math.scalb(1.0, Math.getExponent(a) - 7);
            default -> 0;
        };
    }

    static double eps(DType t) {
        return switch (t) { case float64 -> 0x1p-52; case float32 -> 0x1p-23; case float16 -> 0x1p-10; case bfloat16 -> 0x1p-7; default -> 0; };
    }

    /**
     * What summing in the output's precision may lose (a kernel may accumulate float32 in float32, as PyTorch
     * does): 4 eps of the output dtype times the largest term times the square root of the number of terms.
     */
    static double accumulationError(Case c) {
        if (c.tol() != Tol.ACCUM) return 0;
        double[] max = new double[c.in().length];
        long n = 1;
        for (int k = 0; k < c.in().length; k++) {
            Strided in = c.in()[k];
            ArrayStorage st = (ArrayStorage) in.storage();
            Strided flat = flat(st);
            for (int i = 0; i < st.numel(); i++) {
                double v = ReferenceBackend.getD(flat, i);
                if (Double.isFinite(v)) max[k] = Math.max(max[k], Math.abs(v));
            }
            n = Math.max(n, in.numel());
        }
        double term = c.op() == MatmulOp.MATMUL ? max[0] * max[1] : max.length == 0 ? 0 : max[0];
        return 4 * eps(c.out().dtype()) * term * Math.sqrt(n);
    }

    static boolean close(double e, double g, DType t, Tol tol, int slack, double maxAbs, double accum) {
        if (Double.isNaN(e) || Double.isNaN(g)) return Double.isNaN(e) && Double.isNaN(g);
        if (Double.isInfinite(e) || Double.isInfinite(g)) return e == g;
        if (e == g) return true;
        double d = Math.abs(e - g);
        double u = ulp(t, e);
        return switch (tol) {
            case EXACT -> d <= slack * u;
            case MATH -> d <= (t == DType.float64 ? 1 + slack : 3 + slack) * u + (t == DType.float64 ? 1e-14 * Math.abs(e) : 0);
            case SPECIAL -> d <= (1 + slack) * u + (t == DType.float64 ? 1e-10 * Math.abs(e) : 0) + 1e-13;
            case ACCUM -> d <= (2 + slack) * u + (2 + slack) * ulp(t, maxAbs) + (t == DType.float64 ? 1e-11 * maxAbs : 0) + accum;
        };
    }
}
