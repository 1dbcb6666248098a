package dev.jtorch.ops;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The closed vocabulary of primitive ops, as a sealed family of small enums, one per kind: everything
 * autograd records and (except the views) everything a backend executes. Composite ops (softmax,
 * mse_loss, linear, ...) are written once on {@code Tensor} from these.
 *
 * <p>Each family is one kind of op, which fixes how the dispatcher prepares operands and which typed
 * kernel call a backend receives. Every switch over a family (the CPU kernels, the CUDA code generator,
 * the reference backend, the derivatives) is exhaustive and has no {@code default}, so a new constant
 * fails to compile in every place that must handle it. Each constant says its {@link Result} rule.
 */
public sealed interface Op permits MemoryOp, UnaryOp, BinaryOp, TernaryOp, ReduceOp, ScanOp, MatmulOp, JoinOp, IndexOp, ViewOp {

    /** The output dtype rule, given the promoted input dtype. */
    enum Result {
        /** the promoted input dtype */
        SAME,
        /** integral and bool inputs give the default float dtype */
        FLOAT,
        /** bool */
        BOOL,
        /** int64 */
        INDEX,
        /** only integral and bool inputs are allowed; the promoted dtype */
        INTEGRAL
    }

    /** The constant's name, e.g. {@code BITWISE_NOT} (implemented by each enum). */
    String name();

    /** The output dtype rule. */
    Result result();

    /** The name PyTorch uses for this op, e.g. {@code bitwise_not}. */
    default String torchName() { return name().toLowerCase(Locale.ROOT); }

    /** Every primitive op, family by family. */
    static List<Op> values() { return AllOps.LIST; }
}

/** The list behind {@link Op#values()}, built on first use. */
final class AllOps {
    private AllOps() {}

    static final List<Op> LIST = Stream.of(MemoryOp.values(), UnaryOp.values(), BinaryOp.values(), TernaryOp.values(),
            ReduceOp.values(), ScanOp.values(), MatmulOp.values(), JoinOp.values(), IndexOp.values(), ViewOp.values())
            .<Op>flatMap(Stream::of).toList();
}
