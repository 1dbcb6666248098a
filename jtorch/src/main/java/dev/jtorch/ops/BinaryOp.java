package dev.jtorch.ops;

/** Binary elementwise: {@code out = f(a, b)}, a and b broadcast to out's shape, same dtype. ADD and SUB take an optional
 * alpha (Double for floating dtypes, Long otherwise): {@code out = a + alpha * b} ({@code a - alpha * b}) as one kernel that
 * rounds like PyTorch's kernel on that device. */
public enum BinaryOp implements Op {
    ADD(Result.SAME),
    SUB(Result.SAME),
    MUL(Result.SAME),
    DIV(Result.FLOAT),
    FLOOR_DIVIDE(Result.SAME),
    REMAINDER(Result.SAME),
    FMOD(Result.SAME),
    POW(Result.SAME),
    MAXIMUM(Result.SAME),
    MINIMUM(Result.SAME),
    ATAN2(Result.FLOAT),
    HYPOT(Result.FLOAT),
    COPYSIGN(Result.FLOAT),
    BITWISE_AND(Result.INTEGRAL),
    BITWISE_OR(Result.INTEGRAL),
    BITWISE_XOR(Result.INTEGRAL),
    BITWISE_LEFT_SHIFT(Result.INTEGRAL),
    BITWISE_RIGHT_SHIFT(Result.INTEGRAL),
    EQ(Result.BOOL),
    NE(Result.BOOL),
    LT(Result.BOOL),
    LE(Result.BOOL),
    GT(Result.BOOL),
    GE(Result.BOOL),
    LOGICAL_AND(Result.BOOL),
    LOGICAL_OR(Result.BOOL),
    LOGICAL_XOR(Result.BOOL);

    private final Result result;

    BinaryOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
