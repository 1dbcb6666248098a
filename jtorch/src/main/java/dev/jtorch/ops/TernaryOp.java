package dev.jtorch.ops;

/** Ternary elementwise: WHERE(out, cond (bool), a, b). */
public enum TernaryOp implements Op {
    WHERE(Result.SAME);

    private final Result result;

    TernaryOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
