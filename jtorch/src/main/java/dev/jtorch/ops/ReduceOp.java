package dev.jtorch.ops;

/** Reductions: out has in's rank with the reduced dims of size 1. */
public enum ReduceOp implements Op {
    SUM(Result.SAME),
    PROD(Result.SAME),
    MEAN(Result.SAME),
    AMAX(Result.SAME),
    AMIN(Result.SAME),
    ALL(Result.BOOL),
    ANY(Result.BOOL),
    /** int64 index of the first maximum (NaN counts as maximal) along the one reduced dim. */
    ARGMAX(Result.INDEX),
    ARGMIN(Result.INDEX);

    private final Result result;

    ReduceOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
