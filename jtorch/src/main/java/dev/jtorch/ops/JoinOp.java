package dev.jtorch.ops;

/** Joins: CAT copies each input into its slice of out along one dim. */
public enum JoinOp implements Op {
    CAT(Result.SAME);

    private final Result result;

    JoinOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
