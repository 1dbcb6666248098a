package dev.jtorch.ops;

/**
 * The closed vocabulary of primitive ops: everything a backend must execute. Composite ops
 * (sigmoid-free softmax, mse_loss, linear, ...) are written once on {@code Tensor} from these.
 *
 * <p>Each constant says its {@link Kind} (which fixes how the dispatcher prepares operands and
 * what the backend receives) and its {@link Result} rule (the output dtype given the promoted
 * input dtype). Adding a constant makes every exhaustive switch over {@code Op} (backends,
 * derivatives) fail to compile until it is handled.
 */
public enum Op {
    // --- creation and movement: FILL(out; args: value Number), COPY(out, in) converts dtype and layout
    FILL(Kind.FILL, Result.SAME),
    COPY(Kind.COPY, Result.SAME),

    // --- unary elementwise: out = f(in), in already in the computation dtype
    NEG(Kind.UNARY, Result.SAME),
    ABS(Kind.UNARY, Result.SAME),
    SIGN(Kind.UNARY, Result.SAME),
    CEIL(Kind.UNARY, Result.SAME),
    FLOOR(Kind.UNARY, Result.SAME),
    ROUND(Kind.UNARY, Result.SAME),
    TRUNC(Kind.UNARY, Result.SAME),
    BITWISE_NOT(Kind.UNARY, Result.INTEGRAL),
    LOGICAL_NOT(Kind.UNARY, Result.BOOL),
    EXP(Kind.UNARY, Result.FLOAT),
    EXP2(Kind.UNARY, Result.FLOAT),
    EXPM1(Kind.UNARY, Result.FLOAT),
    LOG(Kind.UNARY, Result.FLOAT),
    LOG2(Kind.UNARY, Result.FLOAT),
    LOG10(Kind.UNARY, Result.FLOAT),
    LOG1P(Kind.UNARY, Result.FLOAT),
    SQRT(Kind.UNARY, Result.FLOAT),
    RSQRT(Kind.UNARY, Result.FLOAT),
    RECIPROCAL(Kind.UNARY, Result.FLOAT),
    SIN(Kind.UNARY, Result.FLOAT),
    COS(Kind.UNARY, Result.FLOAT),
    TAN(Kind.UNARY, Result.FLOAT),
    ASIN(Kind.UNARY, Result.FLOAT),
    ACOS(Kind.UNARY, Result.FLOAT),
    ATAN(Kind.UNARY, Result.FLOAT),
    SINH(Kind.UNARY, Result.FLOAT),
    COSH(Kind.UNARY, Result.FLOAT),
    TANH(Kind.UNARY, Result.FLOAT),
    ASINH(Kind.UNARY, Result.FLOAT),
    ACOSH(Kind.UNARY, Result.FLOAT),
    ATANH(Kind.UNARY, Result.FLOAT),
    SIGMOID(Kind.UNARY, Result.FLOAT),
    ERF(Kind.UNARY, Result.FLOAT),
    ERFC(Kind.UNARY, Result.FLOAT),
    ERFINV(Kind.UNARY, Result.FLOAT),
    LGAMMA(Kind.UNARY, Result.FLOAT),
    DIGAMMA(Kind.UNARY, Result.FLOAT),

    // --- binary elementwise: out = f(a, b), a and b broadcast to out's shape, same dtype
    // ADD and SUB take an optional arg, alpha (Double for floating dtypes, Long otherwise): out = a + alpha * b
    // (a - alpha * b) as one kernel that rounds like PyTorch's kernel on that device
    ADD(Kind.BINARY, Result.SAME),
    SUB(Kind.BINARY, Result.SAME),
    MUL(Kind.BINARY, Result.SAME),
    DIV(Kind.BINARY, Result.FLOAT),
    FLOOR_DIVIDE(Kind.BINARY, Result.SAME),
    REMAINDER(Kind.BINARY, Result.SAME),
    FMOD(Kind.BINARY, Result.SAME),
    POW(Kind.BINARY, Result.SAME),
    MAXIMUM(Kind.BINARY, Result.SAME),
    MINIMUM(Kind.BINARY, Result.SAME),
    ATAN2(Kind.BINARY, Result.FLOAT),
    HYPOT(Kind.BINARY, Result.FLOAT),
    COPYSIGN(Kind.BINARY, Result.FLOAT),
    BITWISE_AND(Kind.BINARY, Result.INTEGRAL),
    BITWISE_OR(Kind.BINARY, Result.INTEGRAL),
    BITWISE_XOR(Kind.BINARY, Result.INTEGRAL),
    BITWISE_LEFT_SHIFT(Kind.BINARY, Result.INTEGRAL),
    BITWISE_RIGHT_SHIFT(Kind.BINARY, Result.INTEGRAL),
    EQ(Kind.BINARY, Result.BOOL),
    NE(Kind.BINARY, Result.BOOL),
    LT(Kind.BINARY, Result.BOOL),
    LE(Kind.BINARY, Result.BOOL),
    GT(Kind.BINARY, Result.BOOL),
    GE(Kind.BINARY, Result.BOOL),
    LOGICAL_AND(Kind.BINARY, Result.BOOL),
    LOGICAL_OR(Kind.BINARY, Result.BOOL),
    LOGICAL_XOR(Kind.BINARY, Result.BOOL),

    // --- ternary elementwise: WHERE(out, cond(bool), a, b)
    WHERE(Kind.TERNARY, Result.SAME),

    // --- reductions: out has in's rank with the reduced dims of size 1
    SUM(Kind.REDUCE, Result.SAME),
    PROD(Kind.REDUCE, Result.SAME),
    MEAN(Kind.REDUCE, Result.SAME),
    AMAX(Kind.REDUCE, Result.SAME),
    AMIN(Kind.REDUCE, Result.SAME),
    ALL(Kind.REDUCE, Result.BOOL),
    ANY(Kind.REDUCE, Result.BOOL),
    /** int64 index of the first maximum (NaN counts as maximal) along the one reduced dim. */
    ARGMAX(Kind.REDUCE, Result.INDEX),
    ARGMIN(Kind.REDUCE, Result.INDEX),

    // --- scans along one dim: args: (int dim)
    CUMSUM(Kind.SCAN, Result.SAME),
    CUMPROD(Kind.SCAN, Result.SAME),
    /** Stable ascending or descending sort order along one dim: out int64; args: (int dim, boolean descending). */
    ARGSORT(Kind.SCAN, Result.INDEX),

    // --- batched matrix product: out[b] = a[b] @ b[b], all 3-D, any strides
    MATMUL(Kind.MATMUL, Result.SAME),

    // --- joins: CAT(out, inputs...; args: int dim) copies each input into its slice of out
    CAT(Kind.JOIN, Result.SAME),

    // --- views: metadata only, never executed by a backend; here so autograd's table covers them
    /** view/reshape/flatten/unflatten/squeeze/unsqueeze; args: (long[] inputShape) */
    VIEW(Kind.VIEW, Result.SAME),
    /** permute/transpose/t; args: (int[] dims) */
    PERMUTE(Kind.VIEW, Result.SAME),
    /** expand/broadcast_to; args: (long[] inputShape) */
    EXPAND(Kind.VIEW, Result.SAME),
    /** slicing with a step along one dim; args: (int dim, long start, long end, long step) */
    SLICE(Kind.VIEW, Result.SAME),
    /** picking one index along a dim; args: (int dim, long index) */
    SELECT(Kind.VIEW, Result.SAME),

    // --- indexing
    /**
     * out[i] = in[offset(i) + sum_k idx_k[i] * args[k]]: in is restrided to out's shape with stride 0 on the
     * indexed dims, the int64 index tensors are broadcast to out's shape, args are the indexed dims' strides
     * (long[]) then their sizes (long[], for bounds checks).
     */
    INDEX(Kind.INDEX, Result.SAME),
    /**
     * The scatter form of INDEX: out is the destination restrided like INDEX's input; inputs are
     * (values, idx...) broadcast to the index shape; args: strides, sizes, then accumulate (Boolean).
     */
    INDEX_PUT(Kind.INDEX, Result.SAME);

    /** How the dispatcher prepares operands for the backend. */
    public enum Kind { FILL, COPY, UNARY, BINARY, TERNARY, REDUCE, SCAN, MATMUL, JOIN, VIEW, INDEX }

    /** The output dtype rule, given the promoted input dtype. */
    public enum Result {
        /** the promoted input dtype */
        SAME,
        /** integral and bool inputs give the default float dtype */
        FLOAT,
        /** bool */
        BOOL,
        /** int64 */
        INDEX,
        /** only integral and bool inputs are allowed; the promoted dtype */
        INTEGRAL
    }

    private final Kind kind;
    private final Result result;

    Op(Kind kind, Result result) {
        this.kind = kind;
        this.result = result;
    }

    public Kind kind() { return kind; }

    public Result result() { return result; }

    /** The name PyTorch uses for this op, e.g. {@code bitwise_not}. */
    public String torchName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
