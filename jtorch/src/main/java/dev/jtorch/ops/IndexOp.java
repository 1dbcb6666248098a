package dev.jtorch.ops;

/** Advanced indexing (gather and scatter through int64 index tensors). */
public enum IndexOp implements Op {
    /** Gather: {@code out[i] = in[offset(i) + sum_k idx_k[i] * stride_k]} (the backend's {@code Kernel.Index}). */
    INDEX(Result.SAME),
    /** Scatter, the inverse of INDEX, writing or accumulating (the backend's {@code Kernel.IndexPut}). */
    INDEX_PUT(Result.SAME);

    private final Result result;

    IndexOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
