package dev.jtorch.ops;

/** Unary elementwise: {@code out = f(in)}, {@code in} already in the computation dtype. */
public enum UnaryOp implements Op {
    NEG(Result.SAME),
    ABS(Result.SAME),
    SIGN(Result.SAME),
    CEIL(Result.SAME),
    FLOOR(Result.SAME),
    ROUND(Result.SAME),
    TRUNC(Result.SAME),
    BITWISE_NOT(Result.INTEGRAL),
    LOGICAL_NOT(Result.BOOL),
    EXP(Result.FLOAT),
    EXP2(Result.FLOAT),
    EXPM1(Result.FLOAT),
    LOG(Result.FLOAT),
    LOG2(Result.FLOAT),
    LOG10(Result.FLOAT),
    LOG1P(Result.FLOAT),
    SQRT(Result.FLOAT),
    RSQRT(Result.FLOAT),
    RECIPROCAL(Result.FLOAT),
    SIN(Result.FLOAT),
    COS(Result.FLOAT),
    TAN(Result.FLOAT),
    ASIN(Result.FLOAT),
    ACOS(Result.FLOAT),
    ATAN(Result.FLOAT),
    SINH(Result.FLOAT),
    COSH(Result.FLOAT),
    TANH(Result.FLOAT),
    ASINH(Result.FLOAT),
    ACOSH(Result.FLOAT),
    ATANH(Result.FLOAT),
    SIGMOID(Result.FLOAT),
    ERF(Result.FLOAT),
    ERFC(Result.FLOAT),
    ERFINV(Result.FLOAT),
    LGAMMA(Result.FLOAT),
    DIGAMMA(Result.FLOAT),
    /** {@code sin(pi x) / (pi x)}, 1 at 0. */
    SINC(Result.FLOAT);

    private final Result result;

    UnaryOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
