package dev.jtorch.backend;

import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;

/**
 * One typed call of a backend: which op, the output view and the operand views, and the op's own arguments.
 * A backend switches over these records (exhaustively, with no {@code default}), then over the op family.
 * The dispatcher has already checked shapes and dtypes, promoted, broadcast and allocated: a backend only computes.
 */
public sealed interface Kernel {
    /** The view written. */
    Strided out();

    /** The views read, in order. */
    Strided[] inputs();

    /** The same call on other views of the same shapes (staging and splitting use it). */
    Kernel with(Strided out, Strided[] inputs);

    /** Writes {@code value} (a Long, Double or Boolean) into every element of out. */
    record Fill(Strided out, Number value) implements Kernel {
        @Override public Strided[] inputs() { return new Strided[0]; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Fill(out, value); }
    }

    /** out ← in, converting dtype and layout; in has out's shape. */
    record Copy(Strided out, Strided in) implements Kernel {
        @Override public Strided[] inputs() { return new Strided[]{in}; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Copy(out, inputs[0]); }
    }

    /** out = op(in), in already in the computation dtype. */
    record Unary(UnaryOp op, Strided out, Strided in) implements Kernel {
        @Override public Strided[] inputs() { return new Strided[]{in}; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Unary(op, out, inputs[0]); }
    }

    /**
     * out = op(a, b), both broadcast to out's shape in one dtype. For ADD and SUB a non-null {@code alpha} (Double for
     * floating dtypes, Long otherwise) gives {@code a ± alpha * b} as one kernel that rounds like PyTorch's; null: none.
     */
    record Binary(BinaryOp op, Strided out, Strided a, Strided b, Number alpha) implements Kernel {
        public Binary(BinaryOp op, Strided out, Strided a, Strided b) { this(op, out, a, b, null); }
        @Override public Strided[] inputs() { return new Strided[]{a, b}; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Binary(op, out, inputs[0], inputs[1], alpha); }
    }

    /** out = op(a, b, c); WHERE: a is the bool condition. */
    record Ternary(TernaryOp op, Strided out, Strided a, Strided b, Strided c) implements Kernel {
        @Override public Strided[] inputs() { return new Strided[]{a, b, c}; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Ternary(op, out, inputs[0], inputs[1], inputs[2]); }
    }

    /** out (in's rank, the reduced dims of size 1) = op over the reduced dims of in; ARGMAX/ARGMIN reduce one dim. */
    record Reduce(ReduceOp op, Strided out, Strided in) implements Kernel {
        @Override public Strided[] inputs() { return new Strided[]{in}; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Reduce(op, out, inputs[0]); }
    }

    /** out = the scan of in along {@code dim}; {@code descending} is ARGSORT's order (false for the others). */
    record Scan(ScanOp op, Strided out, Strided in, int dim, boolean descending) implements Kernel {
        @Override public Strided[] inputs() { return new Strided[]{in}; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Scan(op, out, inputs[0], dim, descending); }
    }

    /** out[b] = a[b] @ b[b]: all 3-D, any strides, one dtype. */
    record Matmul(Strided out, Strided a, Strided b) implements Kernel {
        @Override public Strided[] inputs() { return new Strided[]{a, b}; }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Matmul(out, inputs[0], inputs[1]); }
    }

    /** CAT: each input copied into its slice of out along {@code dim}. */
    record Join(JoinOp op, Strided out, Strided[] in, int dim) implements Kernel {
        @Override public Strided[] inputs() { return in.clone(); }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Join(op, out, inputs, dim); }
    }

    /**
     * Gather: {@code out[i] = in[offset(i) + sum_k indices_k[i] * strides[k]]}: in is restrided to out's shape with
     * stride 0 on the indexed dims, the int64 index tensors are broadcast to out's shape, {@code strides} are the
     * indexed dims' strides and {@code sizes} their sizes (for bounds checks).
     */
    record Index(Strided out, Strided in, Strided[] indices, long[] strides, long[] sizes) implements Kernel {
        @Override public Strided[] inputs() { return prepend(in, indices); }
        @Override public Kernel with(Strided out, Strided[] inputs) { return new Index(out, inputs[0], rest(inputs), strides, sizes); }
    }

    /**
     * Scatter, the inverse of {@link Index}: out is the destination restrided like Index's input, {@code values} and the
     * indices are broadcast to the index shape; {@code accumulate} adds instead of writing.
     */
    record IndexPut(Strided out, Strided values, Strided[] indices, long[] strides, long[] sizes, boolean accumulate) implements Kernel {
        @Override public Strided[] inputs() { return prepend(values, indices); }
        @Override public Kernel with(Strided out, Strided[] inputs) {
            return new IndexPut(out, inputs[0], rest(inputs), strides, sizes, accumulate);
        }
    }

    private static Strided[] prepend(Strided first, Strided[] rest) {
        Strided[] all = new Strided[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Strided[] rest(Strided[] all) { return java.util.Arrays.copyOfRange(all, 1, all.length); }
}
