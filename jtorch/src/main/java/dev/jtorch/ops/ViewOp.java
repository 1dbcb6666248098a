package dev.jtorch.ops;

/** Views: metadata only, never executed by a backend; here so that autograd's table covers them. */
public enum ViewOp implements Op {
    /** view/reshape/flatten/unflatten/squeeze/unsqueeze */
    VIEW(Result.SAME),
    /** permute/transpose/t */
    PERMUTE(Result.SAME),
    /** expand/broadcast_to */
    EXPAND(Result.SAME),
    /** slicing with a step along one dim */
    SLICE(Result.SAME),
    /** picking one index along a dim */
    SELECT(Result.SAME);

    private final Result result;

    ViewOp(Result result) { this.result = result; }

    @Override public Result result() { return result; }
}
