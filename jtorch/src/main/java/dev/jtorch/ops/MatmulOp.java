package dev.jtorch.ops;

/** Batched matrix product: {@code out[b] = a[b] @ b[b]}, all 3-D, any strides. */
public enum MatmulOp implements Op {
    MATMUL(Result.SAME);

    private final Result result;

    MatmulOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
