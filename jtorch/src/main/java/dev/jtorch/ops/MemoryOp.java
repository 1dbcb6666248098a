package dev.jtorch.ops;

/** Creation and movement: FILL writes one value everywhere; COPY converts dtype and layout (and is {@code to}'s primitive). */
public enum MemoryOp implements Op {
    FILL(Result.SAME),
    COPY(Result.SAME);

    private final Result result;

    MemoryOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
