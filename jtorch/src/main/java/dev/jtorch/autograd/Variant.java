package dev.jtorch.autograd;

import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.IndexOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.UnaryOp;
import dev.jtorch.ops.ViewOp;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The overloads of a primitive that PyTorch records under their own grad_fn names, and the one table of
 * those names: {@link #gradFnName(Op, Variant)}. {@link #PRIMARY} is the op itself, named by rule
 * ({@code MUL} → {@code MulBackward0}); every other constant is one overload of one op with the name
 * PyTorch gives its node (derivatives.yaml numbers a function's overloads {@code Backward0},
 * {@code Backward1}, ...). A formula that differs by overload reads the variant, never the name.
 * jtorch internals: passed by the callers that record an overload.
 */
public enum Variant {
    /** The op itself, named by rule. */
    PRIMARY(null, null),

    /** {@code x.to(dtype)}. */
    TO_COPY(MemoryOp.COPY, "ToCopyBackward0"),
    /** {@code x.clone()}. */
    CLONE(MemoryOp.COPY, "CloneBackward0"),
    /** {@code x.copy_(src)}: PyTorch's node for it is named without a number. */
    COPY_(MemoryOp.COPY, "CopyBackwards"),
    /** {@code x.pin_memory()}. */
    PIN_MEMORY(MemoryOp.COPY, "PinMemoryBackward0"),

    /** {@code div(rounding_mode='trunc')} on floats: a trunc recorded as div's overload. */
    DIV_TRUNC(UnaryOp.TRUNC, "DivBackward2"),
    /** {@code div(rounding_mode='floor')}: zero gradients, unlike {@code floor_divide}. */
    DIV_FLOOR(BinaryOp.FLOOR_DIVIDE, "DivBackward2"),
    /** {@code torch.floor_divide}: PyTorch has no derivative for it. */
    FLOOR_DIVIDE(BinaryOp.FLOOR_DIVIDE, "NotImplemented"),
    /** {@code div(Tensor, Scalar)} as ATen calls it from C++ (Python's {@code x / 2} is {@code DivBackward0}). */
    DIV_SCALAR(BinaryOp.DIV, "DivBackward1"),
    /** {@code 2 - x}. */
    RSUB_SCALAR(BinaryOp.SUB, "RsubBackward1"),
    /** {@code x ** 2}. */
    POW_TENSOR_SCALAR(BinaryOp.POW, "PowBackward0"),
    /** {@code x ** y}. */
    POW_TENSOR_TENSOR(BinaryOp.POW, "PowBackward1"),
    /** {@code 2 ** x}. */
    POW_SCALAR_TENSOR(BinaryOp.POW, "PowBackward2"),
    /** {@code x % 2}. */
    REMAINDER_SCALAR(BinaryOp.REMAINDER, "RemainderBackward0"),
    /** {@code x % y}. */
    REMAINDER_TENSOR(BinaryOp.REMAINDER, "RemainderBackward1"),
    /** {@code torch.fmod(x, 2)}. */
    FMOD_SCALAR(BinaryOp.FMOD, "FmodBackward0"),
    /** {@code torch.fmod(x, y)}. */
    FMOD_TENSOR(BinaryOp.FMOD, "FmodBackward1"),
    /** {@code torch.copysign(x, y)}. */
    COPYSIGN_TENSOR(BinaryOp.COPYSIGN, "CopysignBackward0"),
    /** {@code torch.copysign(x, 2)}. */
    COPYSIGN_SCALAR(BinaryOp.COPYSIGN, "CopysignBackward1"),
    /** {@code x.clamp_min(v)}: the gradient passes where x ≥ v. */
    CLAMP_MIN(BinaryOp.MAXIMUM, "ClampMinBackward0"),
    /** {@code x.relu()}: the gradient passes where x > 0. */
    RELU(BinaryOp.MAXIMUM, "ReluBackward0"),
    /** {@code x.clamp_max(v)}: the gradient passes where x ≤ v. */
    CLAMP_MAX(BinaryOp.MINIMUM, "ClampMaxBackward0"),

    /** {@code x.sum(dims)}. */
    SUM_DIM(ReduceOp.SUM, "SumBackward1"),
    /** {@code x.mean(dims)}. */
    MEAN_DIM(ReduceOp.MEAN, "MeanBackward1"),
    /** {@code x.prod(dim)}. */
    PROD_DIM(ReduceOp.PROD, "ProdBackward1"),
    /** {@code x.max()}: also changes the empty-input error's wording. */
    MAX(ReduceOp.AMAX, "MaxBackward1"),
    /** {@code x.min()}. */
    MIN(ReduceOp.AMIN, "MinBackward1"),

    /** {@code torch.bmm} and the matrix products built on it. */
    BMM(MatmulOp.MATMUL, "BmmBackward0"),

    /** {@code x.index_select(dim, index)}. */
    INDEX_SELECT(IndexOp.INDEX, "IndexSelectBackward0"),
    /** {@code x.gather(dim, index)}. */
    GATHER(IndexOp.INDEX, "GatherBackward0"),
    /** {@code x.scatter_(dim, index, src)}. */
    SCATTER(IndexOp.INDEX_PUT, "ScatterBackward0"),
    /** {@code x.scatter_add_(dim, index, src)}. */
    SCATTER_ADD(IndexOp.INDEX_PUT, "ScatterAddBackward0"),

    /** {@code x.reshape(...)} of a copy. */
    UNSAFE_VIEW(ViewOp.VIEW, "UnsafeViewBackward0"),
    /** {@code x.squeeze()}. */
    SQUEEZE(ViewOp.VIEW, "SqueezeBackward0"),
    /** {@code x.squeeze(dim)}. */
    SQUEEZE_DIM(ViewOp.VIEW, "SqueezeBackward1"),
    /** {@code x.squeeze_(dim)}, as ATen's matmul of a vector and a matrix ends. */
    SQUEEZE_DIM_INPLACE(ViewOp.VIEW, "SqueezeBackward4"),
    /** {@code x.unsqueeze(dim)}. */
    UNSQUEEZE(ViewOp.VIEW, "UnsqueezeBackward0"),
    /** {@code x.transpose(a, b)}. */
    TRANSPOSE(ViewOp.PERMUTE, "TransposeBackward0"),
    /** {@code x.t()}. */
    T(ViewOp.PERMUTE, "TBackward0");

    private final Op op;
    private final String gradFnName;

    Variant(Op op, String gradFnName) {
        this.op = op;
        this.gradFnName = gradFnName;
    }

    /** The op this is an overload of (null for {@link #PRIMARY}). */
    public Op op() { return op; }

    /** PyTorch's node name for {@code op} recorded as {@code variant}. */
    public static String gradFnName(Op op, Variant variant) {
        if (variant != PRIMARY) return variant.gradFnName;
        return PRIMARY_NAMES.get(op);
    }

    /**
     * The overload PyTorch picks for a binary op given which operand is a Java number: {@code x ** 2} is
     * {@code PowBackward0}, {@code x ** y} {@code PowBackward1}, {@code 2 - x} {@code RsubBackward1}.
     */
    static Variant ofOperands(BinaryOp op, boolean scalarA, boolean scalarB) {
        return switch (op) {
            case POW -> scalarB ? POW_TENSOR_SCALAR : scalarA ? POW_SCALAR_TENSOR : POW_TENSOR_TENSOR;
            case SUB -> scalarA ? RSUB_SCALAR : PRIMARY;
            case REMAINDER -> scalarB ? REMAINDER_SCALAR : REMAINDER_TENSOR;
            case FMOD -> scalarB ? FMOD_SCALAR : FMOD_TENSOR;
            case COPYSIGN -> scalarB ? COPYSIGN_SCALAR : COPYSIGN_TENSOR;
            case MAXIMUM -> scalarB ? CLAMP_MIN : PRIMARY;
            case MINIMUM -> scalarB ? CLAMP_MAX : PRIMARY;
            case FLOOR_DIVIDE -> FLOOR_DIVIDE;
            case ADD, MUL, DIV, ATAN2, HYPOT, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, EQ, NE,
                 LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> PRIMARY;
        };
    }

    private static final Map<Op, String> PRIMARY_NAMES = new HashMap<>();

    static {
        for (Op op : Op.values()) PRIMARY_NAMES.put(op, titleName(op));
    }

    /** The op name in Python's {@code str.title()} without underscores, then {@code Backward0}: {@code LOG1P} → {@code Log1PBackward0}. */
    private static String titleName(Op op) {
        StringBuilder sb = new StringBuilder();
        boolean afterLetter = false;
        for (char c : op.name().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') { afterLetter = false; continue; }
            sb.append(afterLetter ? c : Character.toUpperCase(c));
            afterLetter = Character.isLetter(c);
        }
        return sb.append("Backward0").toString();
    }
}
