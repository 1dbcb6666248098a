package dev.jtorch.autograd;

import dev.jtorch.Tensor;

/**
 * What a backward node keeps of its op's arguments besides the tensors it saves: one small record per
 * kind. Each formula in {@link Derivatives} names the kind it reads, and recording an op with another
 * kind is an internal error, so formulas read typed fields, never casts. Separate from the kernel's
 * {@code backend.Kernel} records: a kernel gets what it computes with, a node what its gradient needs.
 * jtorch internals: made by the dispatcher and the view and index code.
 */
public sealed interface SavedArgs {
    /** No arguments: most ops. */
    SavedArgs NONE = new NoArgs();

    /** Whether the arguments hold tensors, which a non-retaining backward frees. */
    default boolean holdsTensors() { return false; }

    /** No arguments. */
    record NoArgs() implements SavedArgs {}

    /** ADD's / SUB's alpha as the kernel used it (Double for floating dtypes, Long otherwise); null when none was given. */
    record Alpha(Number alpha) implements SavedArgs {
        /** No alpha: the gradient is not multiplied. */
        public static final Alpha ABSENT = new Alpha(null);

        /** The alpha record for a kernel's alpha, null meaning none. */
        public static Alpha of(Number alpha) { return alpha == null ? ABSENT : new Alpha(alpha); }
    }

    /** A reduction's dims (normalized) and keepdim. */
    record Dims(int[] dims, boolean keepdim) implements SavedArgs {}

    /** A scan's or join's dim (normalized). */
    record Dim(int dim) implements SavedArgs {}

    /** A permutation of the dims: {@code out.dim(i) = in.dim(dims[i])}. */
    record Permutation(int[] dims) implements SavedArgs {}

    /** A slice along one dim: {@code start}, {@code end}, {@code step} normalized. */
    record Slice(int dim, long start, long end, long step) implements SavedArgs {}

    /** One index picked along a dim. */
    record Select(int dim, long index) implements SavedArgs {}

    /** Advanced indexing's int64 index tensors, one per leading dim (null where none). */
    record Indices(Tensor[] indices) implements SavedArgs {
        @Override public boolean holdsTensors() { return true; }
    }

    /** index_put's indices and whether it accumulated. */
    record IndexPut(Tensor[] indices, boolean accumulate) implements SavedArgs {
        @Override public boolean holdsTensors() { return true; }
    }

    /**
     * Whether each operand of a batched matrix product was stored column by column (a transposed row-major matrix,
     * like {@code w.t()}): its gradient is then made in that layout.
     */
    record MatmulLayout(boolean aColumnMajor, boolean bColumnMajor) implements SavedArgs {}
}
