package dev.jtorch.backend;

import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.IndexOp;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;
import dev.jtorch.ops.ViewOp;
import java.util.Arrays;

/** Tests' short form of a kernel call: the op, out, the inputs in order and the op's arguments, as one typed {@link Kernel}. */
public final class KernelCalls {
    private KernelCalls() {}

    /**
     * The kernel for {@code op}; {@code args}: FILL the value; ADD/SUB an optional alpha; scans the dim (and ARGSORT's
     * descending); CAT the dim; INDEX strides, sizes; INDEX_PUT strides, sizes, accumulate.
     */
    public static Kernel of(Op op, Strided out, Strided[] in, Object... args) {
        return switch (op) {
            case MemoryOp m -> switch (m) {
                case FILL -> new Kernel.Fill(out, (Number) args[0]);
                case COPY -> new Kernel.Copy(out, in[0]);
            };
            case UnaryOp u -> new Kernel.Unary(u, out, in[0]);
            case BinaryOp b -> new Kernel.Binary(b, out, in[0], in[1], args.length > 0 ? (Number) args[0] : null);
            case TernaryOp t -> new Kernel.Ternary(t, out, in[0], in[1], in[2]);
            case ReduceOp r -> new Kernel.Reduce(r, out, in[0]);
            case ScanOp s -> new Kernel.Scan(s, out, in[0], (Integer) args[0], args.length > 1 && (Boolean) args[1]);
            case MatmulOp m -> new Kernel.Matmul(out, in[0], in[1]);
            case JoinOp j -> new Kernel.Join(j, out, in, (Integer) args[0]);
            case IndexOp i -> switch (i) {
                case INDEX -> new Kernel.Index(out, in[0], rest(in), (long[]) args[0], (long[]) args[1]);
                case INDEX_PUT -> new Kernel.IndexPut(out, in[0], rest(in), (long[]) args[0], (long[]) args[1], (Boolean) args[2]);
            };
            case ViewOp v -> throw new IllegalArgumentException(v + " is a view: no backend runs it");
        };
    }

    private static Strided[] rest(Strided[] in) { return Arrays.copyOfRange(in, 1, in.length); }
}
