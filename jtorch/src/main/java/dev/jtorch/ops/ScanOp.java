package dev.jtorch.ops;

/** Scans along one dim. */
public enum ScanOp implements Op {
    CUMSUM(Result.SAME),
    CUMPROD(Result.SAME),
    /** Stable ascending or descending sort order along one dim: out int64. */
    ARGSORT(Result.INDEX);

    private final Result result;

    ScanOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
