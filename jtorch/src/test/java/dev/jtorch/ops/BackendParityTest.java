package dev.jtorch.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every primitive {@link Op} executed directly on {@link Strided} operands by each backend under test and by
 * the naive {@link ReferenceBackend}, on seeded random data with contiguous, permuted, sliced (step 2, offset
 * 1) and broadcast (stride 0) layouts, small and large enough to take the parallel paths. The whole output
 * storage is compared, so writes outside the output view are caught too.
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

    /** How closely a backend must agree with the reference. */
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

    /**
     * One op execution: the operands live in host storages; {@code out} starts with random contents (the
     * parts outside the view must survive).
     */
    record Case(String name, Op op, Strided out, Strided[] in, Object[] args, Tol tol) {}

    static final DType[] FLOATS = {DType.float32, DType.float64, DType.float16, DType.bfloat16};
    static final DType[] INTS = {DType.int64, DType.int32, DType.int16, DType.int8, DType.uint8};
    static final DType[] ALL = DType.values();

    static DType[] numeric() {
        List<DType> l = new ArrayList<>(List.of(FLOATS));
        l.addAll(List.of(INTS));
        return l.toArray(new DType[0]);
    }

    static DType[] intsAndBool() {
        List<DType> l = new ArrayList<>(List.of(INTS));
        l.add(DType.bool);
        return l.toArray(new DType[0]);
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

    /** One switch over every op (no default): a new Op does not compile until it has parity cases. */
    static void addCases(Op op, List<Case> out) {
        switch (op) {
            case MemoryOp m -> {
                switch (m) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case FILL -> {
                        for (DType t : ALL)
                            for (Number v : new Number[]{2.5, 7L, -3L, 0.0})
                                for (String lo : OUT_LAYOUTS)
                                    out.add(new Case(op + " " + t + " " + v + " out:" + lo, op, operand(seed(m, t, lo, v), t, SMALL, lo, Dom.N),
                                            new Strided[0], new Object[]{v}, Tol.EXACT));
                    }
                    case COPY -> {
                        for (DType from : ALL)
                            for (DType to : ALL)
                                for (String lo : IN_LAYOUTS) {
                                    long s = seed(m, from, to, lo);
                                    out.add(new Case(op + " " + from + "->" + to + " " + lo, op, operand(s, to, SMALL, "c", Dom.N),
                                            new Strided[]{operand(s + 1, from, SMALL, lo, Dom.WIDE)}, new Object[0], Tol.EXACT));
                                }
                        for (DType t : new DType[]{DType.float32, DType.float16, DType.int64})
                            out.add(new Case(op + " " + t + " large t->t", op, operand(seed(m, t), t, LARGE, "t", Dom.N),
                                    new Strided[]{operand(seed(m, t, 1), t, LARGE, "t", Dom.N)}, new Object[0], Tol.EXACT));
                    }
                }
            }
            case UnaryOp u -> {
                switch (u) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case NEG, ABS, SIGN, CEIL, FLOOR, ROUND, TRUNC -> unary(u, numeric(), Dom.HALVES, Tol.EXACT, out);
                    case BITWISE_NOT -> unary(u, intsAndBool(), Dom.N, Tol.EXACT, out);
                    case LOGICAL_NOT -> unaryTo(u, ALL, DType.bool, Dom.INTLIKE, Tol.EXACT, out);
                    case SQRT, RSQRT, RECIPROCAL -> unary(u, FLOATS, Dom.N, Tol.EXACT, out);
                    case EXP, EXP2, EXPM1, SIN, COS, TAN, ATAN, SINH, COSH, TANH, SIGMOID, SINC -> unary(u, FLOATS, Dom.N, Tol.MATH, out);
                    case LOG, LOG2, LOG10, LOG1P -> unary(u, FLOATS, Dom.MOSTLY_POSITIVE, Tol.MATH, out);
                    case ASIN, ACOS -> unary(u, FLOATS, Dom.UNIT, Tol.MATH, out);
                    case ATANH, ERFINV -> unary(u, FLOATS, Dom.UNIT, Tol.SPECIAL, out);
                    case ASINH, ERF, ERFC -> unary(u, FLOATS, Dom.N, Tol.SPECIAL, out);
                    case ACOSH -> unary(u, FLOATS, Dom.GE1, Tol.SPECIAL, out);
                    case LGAMMA, DIGAMMA -> unary(u, FLOATS, Dom.LGAMMA, Tol.SPECIAL, out);
                }
            }
            case BinaryOp b -> {
                switch (b) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case ADD -> {
                        binary(b, ALL, null, Dom.N, Dom.N, Tol.EXACT, out);
                        withAlpha(b, ALL, out);
                    }
                    case MUL, MAXIMUM, MINIMUM -> binary(b, ALL, null, Dom.N, Dom.N, Tol.EXACT, out);
                    case SUB -> {
                        binary(b, numeric(), null, Dom.N, Dom.N, Tol.EXACT, out);
                        withAlpha(b, numeric(), out);
                    }
                    case DIV, COPYSIGN -> binary(b, FLOATS, null, Dom.N, Dom.N, Tol.EXACT, out);
                    case FLOOR_DIVIDE, REMAINDER, FMOD -> binary(b, numeric(), null, Dom.N, Dom.NONZERO, Tol.EXACT, out);
                    case POW -> {
                        binary(b, FLOATS, null, Dom.N, Dom.HALVES, Tol.MATH, out);
                        binary(b, INTS, null, Dom.SMALL, Dom.EXPONENT, Tol.EXACT, out);
                    }
                    case ATAN2, HYPOT -> binary(b, FLOATS, null, Dom.N, Dom.N, Tol.MATH, out);
                    case BITWISE_AND, BITWISE_OR, BITWISE_XOR -> binary(b, intsAndBool(), null, Dom.WIDE, Dom.WIDE, Tol.EXACT, out);
                    case BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT -> binary(b, INTS, null, Dom.WIDE, Dom.SHIFT, Tol.EXACT, out);
                    case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> binary(b, ALL, DType.bool, Dom.INTLIKE, Dom.INTLIKE, Tol.EXACT, out);
                }
            }
            case TernaryOp w -> {
                switch (w) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case WHERE -> {
                        for (DType t : ALL)
                            for (String lo : IN_LAYOUTS) {
                                long s = seed(w, t, lo);
                                out.add(new Case(op + " " + t + " " + lo, op, operand(s, t, SMALL, "c", Dom.N), new Strided[]{
                                        operand(s + 1, DType.bool, SMALL, lo, Dom.N), operand(s + 2, t, SMALL, "c", Dom.N),
                                        operand(s + 3, t, SMALL, lo, Dom.N)}, new Object[0], Tol.EXACT));
                            }
                    }
                }
            }
            case ReduceOp r -> {
                switch (r) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case SUM, PROD, MEAN, AMAX, AMIN, ALL, ANY, ARGMAX, ARGMIN -> reductions(r, out);
                }
            }
            case ScanOp s -> {
                switch (s) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case CUMSUM, CUMPROD, ARGSORT -> scans(s, out);
                }
            }
            case MatmulOp mm -> {
                switch (mm) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case MATMUL -> matmuls(out);
                }
            }
            case JoinOp j -> {
                switch (j) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case CAT -> cats(out);
                }
            }
            case IndexOp i -> {
                switch (i) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case INDEX, INDEX_PUT -> indexing(i, out);
                }
            }
            case ViewOp v -> {
                switch (v) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case VIEW, PERMUTE, EXPAND, SLICE, SELECT -> { } // metadata only: never reaches a backend
                }
            }
        }
    }

    static long seed(Object... parts) { return Arrays.deepHashCode(parts) * 0x9E3779B97F4A7C15L; }

    static void unary(UnaryOp op, DType[] dtypes, Dom dom, Tol tol, List<Case> out) {
        for (DType t : dtypes) unaryTo(op, new DType[]{t}, t, dom, tol, out);
    }

    static void unaryTo(UnaryOp op, DType[] dtypes, DType outType, Dom dom, Tol tol, List<Case> out) {
        for (DType t : dtypes) {
            DType o = outType == null ? t : outType;
            for (String lo : IN_LAYOUTS)
                for (String olo : new String[]{"c", "t"}) {
                    long s = seed(op, t, lo, olo);
                    out.add(new Case(op + " " + t + " in:" + lo + " out:" + olo, op, operand(s, o, SMALL, olo, Dom.N),
                            new Strided[]{operand(s + 1, t, SMALL, lo, dom)}, new Object[0], tol));
                }
            for (String lo : new String[]{"c", "t"}) {
                long s = seed(op, t, "large", lo);
                out.add(new Case(op + " " + t + " large " + lo, op, operand(s, o, LARGE, "c", Dom.N),
                        new Strided[]{operand(s + 1, t, LARGE, lo, dom)}, new Object[0], tol));
            }
        }
    }

    static void binary(BinaryOp op, DType[] dtypes, DType outType, Dom da, Dom db, Tol tol, List<Case> out) {
        for (DType t : dtypes) {
            DType o = outType == null ? t : outType;
            String[][] combos = {{"c", "c", "c"}, {"t", "c", "c"}, {"c", "s", "t"}, {"b", "t", "c"}, {"s", "b", "s"}};
            for (String[] lo : combos) {
                long s = seed(op, t, lo[0], lo[1], lo[2]);
                out.add(new Case(op + " " + t + " " + lo[0] + "," + lo[1] + " out:" + lo[2], op, operand(s, o, SMALL, lo[2], Dom.N),
                        new Strided[]{operand(s + 1, t, SMALL, lo[0], da), operand(s + 2, t, SMALL, lo[1], db)}, new Object[0], tol));
            }
            // a 0-dim operand standing for a scalar
            long s = seed(op, t, "scalar");
            out.add(new Case(op + " " + t + " with a 0-dim operand", op, operand(s, o, SMALL, "c", Dom.N),
                    new Strided[]{operand(s + 1, t, SMALL, "t", da), scalarAsBroadcast(s + 2, t, SMALL, db)}, new Object[0], tol));
            for (String lo : new String[]{"c", "t"}) {
                long s2 = seed(op, t, "large", lo);
                out.add(new Case(op + " " + t + " large " + lo, op, operand(s2, o, LARGE, "c", Dom.N),
                        new Strided[]{operand(s2 + 1, t, LARGE, lo, da), operand(s2 + 2, t, LARGE, "c", db)}, new Object[0], tol));
            }
        }
    }

    /**
     * ADD / SUB with an alpha arg (Double for floating dtypes, Long otherwise). The floating alphas are exact in every
     * dtype, so a GPU (alpha in float) and the CPU (alpha in the dtype) must agree bit for bit.
     */
    static void withAlpha(BinaryOp op, DType[] dtypes, List<Case> out) {
        String[][] combos = {{"c", "c", "c"}, {"t", "s", "c"}, {"b", "c", "t"}};
        for (DType t : dtypes) {
            Number[] alphas = t.isFloatingPoint() ? new Number[]{-2.5, 0.375} : new Number[]{3L, -2L};
            for (Number alpha : alphas) {
                for (String[] lo : combos) {
                    long s = seed(op, t, alpha, lo[0], lo[1], lo[2]);
                    out.add(new Case(op + " " + t + " alpha=" + alpha + " " + lo[0] + "," + lo[1] + " out:" + lo[2], op,
                            operand(s, t, SMALL, lo[2], Dom.N), new Strided[]{operand(s + 1, t, SMALL, lo[0], Dom.N),
                            operand(s + 2, t, SMALL, lo[1], Dom.N)}, new Object[]{alpha}, Tol.EXACT));
                }
                for (String lo : new String[]{"c", "t"}) {
                    long s = seed(op, t, alpha, "large", lo);
                    out.add(new Case(op + " " + t + " alpha=" + alpha + " large " + lo, op, operand(s, t, LARGE, "c", Dom.N),
                            new Strided[]{operand(s + 1, t, LARGE, "c", Dom.N), operand(s + 2, t, LARGE, lo, Dom.N)}, new Object[]{alpha}, Tol.EXACT));
                }
            }
        }
    }

    static void reductions(ReduceOp op, List<Case> out) {
        DType[] dtypes = switch (op) {
            case SUM, PROD -> new DType[]{DType.float32, DType.float64, DType.float16, DType.bfloat16, DType.int64, DType.int32, DType.uint8};
            case MEAN -> FLOATS;
            case ALL, ANY -> ALL;
            case AMAX, AMIN, ARGMAX, ARGMIN -> numeric();
        };
        long[] shape = {4, 5, 6};
        int[][] dimSets = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? new int[][]{{0}, {1}, {2}} : new int[][]{{0}, {1}, {2}, {0, 2}, {0, 1, 2}};
        Dom dom = op == ReduceOp.PROD ? Dom.NEAR_ONE : op == ReduceOp.ALL || op == ReduceOp.ANY ? Dom.INTLIKE : Dom.N;
        Tol tol = op == ReduceOp.SUM || op == ReduceOp.MEAN || op == ReduceOp.PROD ? Tol.ACCUM : Tol.EXACT;
        for (DType t : dtypes) {
            DType o = op == ReduceOp.ALL || op == ReduceOp.ANY ? DType.bool : op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? DType.int64 : t;
            for (int[] dims : dimSets)
                for (String lo : new String[]{"c", "t", "s"}) {
                    long[] os = shape.clone();
                    for (int d : dims) os[d] = 1;
                    long s = seed(op, t, Arrays.toString(dims), lo);
                    out.add(new Case(op + " " + t + " dims " + Arrays.toString(dims) + " " + lo, op, operand(s, o, os, "c", Dom.N),
                            new Strided[]{operand(s + 1, t, shape, lo, dom)}, new Object[0], tol));
                }
            for (int d = 0; d < 2; d++) {
                long[] os = LARGE.clone();
                os[d] = 1;
                long s = seed(op, t, "large", d);
                out.add(new Case(op + " " + t + " large dim " + d, op, operand(s, o, os, "c", Dom.N),
                        new Strided[]{operand(s + 1, t, LARGE, d == 0 ? "t" : "c", dom)}, new Object[0], tol));
            }
            if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
                long s = seed(op, t, "ties");
                out.add(new Case(op + " " + t + " ties", op, operand(s, o, new long[]{5, 1}, "c", Dom.N),
                        new Strided[]{operand(s + 1, t, new long[]{5, 9}, "c", Dom.TIES)}, new Object[0], tol));
            }
        }
    }

    static void scans(ScanOp op, List<Case> out) {
        DType[] dtypes = op == ScanOp.ARGSORT ? ALL : new DType[]{DType.float32, DType.float64, DType.float16, DType.bfloat16, DType.int64, DType.int32};
        long[] shape = {4, 5, 6};
        Dom dom = op == ScanOp.CUMPROD ? Dom.NEAR_ONE : op == ScanOp.ARGSORT ? Dom.TIES : Dom.N;
        Tol tol = op == ScanOp.ARGSORT ? Tol.EXACT : Tol.ACCUM;
        for (DType t : dtypes) {
            DType o = op == ScanOp.ARGSORT ? DType.int64 : t;
            for (int dim = 0; dim < 3; dim++)
                for (String lo : new String[]{"c", "t", "s"})
                    for (Boolean desc : op == ScanOp.ARGSORT ? new Boolean[]{false, true} : new Boolean[]{null}) {
                        long s = seed(op, t, dim, lo, desc);
                        Object[] args = desc == null ? new Object[]{dim} : new Object[]{dim, desc};
                        out.add(new Case(op + " " + t + " dim " + dim + " " + lo + (desc == null ? "" : desc ? " desc" : " asc"), op,
                                operand(s, o, shape, lo.equals("t") ? "t" : "c", Dom.N), new Strided[]{operand(s + 1, t, shape, lo, dom)}, args, tol));
                    }
            long s = seed(op, t, "large");
            long[] big = {3, 3001};
            Object[] args = op == ScanOp.ARGSORT ? new Object[]{1, true} : new Object[]{1};
            out.add(new Case(op + " " + t + " large", op, operand(s, o, big, "c", Dom.N),
                    new Strided[]{operand(s + 1, t, big, "c", op == ScanOp.CUMPROD ? Dom.NEAR_ONE : Dom.N)}, args, tol));
        }
        if (op == ScanOp.ARGSORT)
            for (DType t : new DType[]{DType.float32, DType.float64}) {
                long s = seed(op, t, "specials");
                out.add(new Case(op + " " + t + " nan and inf", op, operand(s, DType.int64, new long[]{40}, "c", Dom.N),
                        new Strided[]{operand(s + 1, t, new long[]{40}, "c", Dom.SPECIALS)}, new Object[]{0, false}, tol));
            }
    }

    static void matmuls(List<Case> out) {
        Op op = MatmulOp.MATMUL;
        DType[] dtypes = {DType.float32, DType.float64, DType.float16, DType.bfloat16, DType.int64, DType.int32};
        for (DType t : dtypes) {
            String[][] combos = {{"c", "c", "c"}, {"t", "c", "c"}, {"c", "t", "t"}, {"s", "b", "c"}, {"b", "s", "c"}};
            for (String[] lo : combos) {
                long s = seed(op, t, lo[0], lo[1], lo[2]);
                out.add(new Case(op + " " + t + " " + String.join(",", lo), op, operand(s, t, new long[]{2, 5, 3}, lo[2], Dom.N),
                        new Strided[]{operand(s + 1, t, new long[]{2, 5, 7}, lo[0], Dom.SMALL_INT_OR_N),
                                operand(s + 2, t, new long[]{2, 7, 3}, lo[1], Dom.SMALL_INT_OR_N)}, new Object[0], Tol.ACCUM));
            }
            long s = seed(op, t, "large");
            out.add(new Case(op + " " + t + " large", op, operand(s, t, new long[]{1, 64, 48}, "c", Dom.N),
                    new Strided[]{operand(s + 1, t, new long[]{1, 64, 80}, "c", Dom.SMALL_INT_OR_N),
                            operand(s + 2, t, new long[]{1, 80, 48}, "t", Dom.SMALL_INT_OR_N)}, new Object[0], Tol.ACCUM));
            long s2 = seed(op, t, "empty k");
            out.add(new Case(op + " " + t + " k=0", op, operand(s2, t, new long[]{2, 3, 4}, "c", Dom.N),
                    new Strided[]{operand(s2 + 1, t, new long[]{2, 3, 0}, "c", Dom.N), operand(s2 + 2, t, new long[]{2, 0, 4}, "c", Dom.N)},
                    new Object[0], Tol.ACCUM));
        }
    }

    static void cats(List<Case> out) {
        Op op = JoinOp.CAT;
        for (DType t : ALL)
            for (int dim = 0; dim < 2; dim++)
                for (String lo : new String[]{"c", "t", "s"}) {
                    long s = seed(op, t, dim, lo);
                    long[][] shapes = dim == 0 ? new long[][]{{2, 5}, {3, 5}, {0, 5}, {1, 5}} : new long[][]{{4, 2}, {4, 3}, {4, 0}, {4, 1}};
                    long[] os = dim == 0 ? new long[]{6, 5} : new long[]{4, 6};
                    Strided[] in = new Strided[shapes.length];
                    for (int i = 0; i < in.length; i++) in[i] = operand(s + 1 + i, t, shapes[i], i % 2 == 0 && numel(shapes[i]) > 0 ? lo : "c", Dom.N);
                    out.add(new Case(op + " " + t + " dim " + dim + " " + lo, op, operand(s, t, os, lo.equals("s") ? "s" : "c", Dom.N),
                            in, new Object[]{dim}, Tol.EXACT));
                }
    }

    static void indexing(IndexOp op, List<Case> out) {
        for (DType t : new DType[]{DType.float32, DType.float64, DType.float16, DType.int64, DType.int8, DType.bool})
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

    enum Dom { N, WIDE, HALVES, INTLIKE, MOSTLY_POSITIVE, UNIT, GE1, LGAMMA, NONZERO, SMALL, EXPONENT, SHIFT, NEAR_ONE, TIES, SPECIALS, SMALL_INT_OR_N }

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
            case SMALL, EXPONENT, SHIFT -> r.nextInt(5);
            case NEAR_ONE -> (r.nextInt(8) == 0 ? -1 : 1) * (0.6 + r.nextDouble() * 0.8);
            case SPECIALS -> throw new AssertionError();
        };
    }

    static long drawLong(Random r, DType t, Dom dom) {
        if (t == DType.bool) return r.nextInt(2);
        long v = switch (dom) {
            case WIDE -> r.nextInt(2001) - 1000;
            case NONZERO -> (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(20));
            case SMALL, SMALL_INT_OR_N -> r.nextInt(7) - 3;
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
