package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;

import dev.jtorch.Tensor;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.IndexOp;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;
import dev.jtorch.ops.ViewOp;
import java.util.Arrays;
import java.util.List;

/**
 * The one table of backward formulas: for each primitive, the gradients of its inputs given the
 * gradient {@code g} of its output (at the output's shape; {@link OpNode} reduces broadcasts), as
 * PyTorch's {@code derivatives.yaml} writes them. Written with tensor ops, so they are
 * differentiable again (higher-order gradients). {@link #savedInputs} and {@link #savesOutput} say
 * what each formula reads, so a node keeps nothing else alive.
 */
final class Derivatives {
    private Derivatives() {}

    private static final double LN2 = 0.6931471805599453, LN10 = 2.3025850929940456;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI), HALF_SQRT_PI = 0.5 * Math.sqrt(Math.PI);

    /** PyTorch's {@code maybe_multiply(grad, alpha)}: the gradient times ADD's / SUB's alpha when it has one. */
    private static Tensor timesAlpha(OpNode n, Tensor g) {
        if (n.argCount() == 0) return g;
        return n.arg(0) instanceof Long l ? g.mul(l) : g.mul((Double) n.arg(0));
    }

    static Tensor[] backward(OpNode n, Tensor g) {
        return switch (n.op) {
            case MemoryOp op -> switch (op) {
                case FILL -> new Tensor[0];
                case COPY -> of(g);
            };
            case UnaryOp op -> switch (op) {
                case NEG -> of(g.neg());
                case ABS -> of(g.mul(n.input(0).sgn()));
                case SIGN, CEIL, FLOOR, ROUND, TRUNC -> of(zerosLike(g));
                case BITWISE_NOT, LOGICAL_NOT ->
                        throw notDifferentiable(op);
                case EXP -> of(g.mul(n.output()));
                case EXP2 -> of(g.mul(n.output()).mul(LN2));
                case EXPM1 -> of(g.mul(n.output().add(1)));
                case LOG -> of(g.div(n.input(0)));
                case LOG2 -> of(g.div(n.input(0).mul(LN2)));
                case LOG10 -> of(g.div(n.input(0).mul(LN10)));
                case LOG1P -> of(g.div(n.input(0).add(1)));
                case SQRT -> of(g.div(n.output().mul(2)));
                case RSQRT -> of(g.mul(-0.5).mul(n.output().pow(3)));
                case RECIPROCAL -> { Tensor y = n.output(); yield of(g.neg().mul(y.mul(y))); }
                case SIN -> of(g.mul(n.input(0).cos()));
                case COS -> of(g.mul(n.input(0).sin().neg()));
                case TAN -> of(g.mul(n.output().pow(2).add(1)));
                case ASIN -> { Tensor x = n.input(0); yield of(g.mul(x.neg().mul(x).add(1).rsqrt())); }
                case ACOS -> { Tensor x = n.input(0); yield of(g.mul(x.neg().mul(x).add(1).rsqrt().neg())); }
                case ATAN -> { Tensor x = n.input(0); yield of(g.div(x.mul(x).add(1))); }
                case SINH -> of(g.mul(n.input(0).cosh()));
                case COSH -> of(g.mul(n.input(0).sinh()));
                case TANH -> { Tensor y = n.output(); yield of(g.mul(y.mul(y).rsub(1))); }
                case ASINH -> of(g.mul(n.input(0).pow(2).add(1).rsqrt()));
                case ACOSH -> of(g.mul(n.input(0).pow(2).sub(1).rsqrt()));
                case ATANH -> of(g.mul(n.input(0).pow(2).rsub(1).reciprocal()));
                case SIGMOID -> { Tensor y = n.output(); yield of(g.mul(y.rsub(1)).mul(y)); }
                case ERF -> of(n.input(0).pow(2).neg().exp().mul(TWO_OVER_SQRT_PI).mul(g));
                case ERFC -> of(n.input(0).pow(2).neg().exp().mul(-TWO_OVER_SQRT_PI).mul(g));
                case ERFINV -> of(n.output().pow(2).exp().mul(HALF_SQRT_PI).mul(g));
                case LGAMMA -> of(g.mul(n.input(0).digamma()));
                case DIGAMMA -> of(g.mul(Polygamma.polygamma(1, n.input(0))));
            };
            case BinaryOp op -> switch (op) {
                case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT ->
                        throw notDifferentiable(op);
                case ADD -> of(g, n.needsGrad(1) ? timesAlpha(n, g) : null);
                case SUB -> of(g, n.needsGrad(1) ? timesAlpha(n, g.neg()) : null);
                case MUL -> of(n.needsGrad(0) ? g.mul(n.input(1)) : null, n.needsGrad(1) ? g.mul(n.input(0)) : null);
                case DIV -> {
                    Tensor b = n.input(1);
                    yield of(n.needsGrad(0) ? g.div(b) : null, n.needsGrad(1) ? g.neg().mul(n.input(0).div(b).div(b)) : null);
                }
                case FLOOR_DIVIDE -> {
                    // div(rounding_mode='floor') has zero gradients (DivBackward2); torch.floor_divide has none at all
                    if (!n.name().equals("DivBackward2")) throw notDifferentiable(op);
                    yield of(zerosLike(g), n.needsGrad(1) ? zerosLike(g) : null);
                }
                case REMAINDER -> of(g, n.needsGrad(1) ? g.neg().mul(n.input(0).div(n.input(1), "floor")) : null);
                case FMOD -> of(g, n.needsGrad(1) ? g.neg().mul(n.input(0).div(n.input(1), "trunc")) : null);
                case POW -> pow(n, g);
                case MAXIMUM, MINIMUM -> {
                    Tensor a = n.input(0), b = n.input(1);
                    boolean max = op == BinaryOp.MAXIMUM;
                    if (n.wrapped(1)) {
                        // clamp_min / clamp_max / relu: the gradient passes where the bound is not exceeded (relu: not at 0)
                        Tensor zero = zeros(new long[0], g.dtype(), g.device());
                        Tensor pass = n.name().equals("ReluBackward0") ? a.le(b).logicalNot() : max ? a.ge(b) : a.le(b);
                        yield of(where(pass, g, zero), null);
                    }
                    Tensor ga = null, gb = null;
                    if (n.needsGrad(0)) ga = where(a.eq(b), g.div(2), g).maskedFill(max ? a.lt(b) : a.gt(b), 0);
                    if (n.needsGrad(1)) gb = where(a.eq(b), g.div(2), g).maskedFill(max ? b.lt(a) : b.gt(a), 0);
                    yield of(ga, gb);
                }
                case ATAN2 -> {
                    Tensor a = n.input(0), b = n.input(1), recip = a.mul(a).add(b.mul(b)).reciprocal();
                    yield of(n.needsGrad(0) ? g.mul(b).mul(recip) : null, n.needsGrad(1) ? g.mul(a.neg()).mul(recip) : null);
                }
                case HYPOT -> {
                    Tensor out = n.output();
                    yield of(n.needsGrad(0) ? g.mul(n.input(0)).div(out) : null, n.needsGrad(1) ? g.mul(n.input(1)).div(out) : null);
                }
                case COPYSIGN -> {
                    Tensor a = n.input(0);
                    yield of(g.mul(n.output().div(a).maskedFill(a.eq(0), 0)), n.needsGrad(1) ? zerosLike(g) : null);
                }
            };
            case TernaryOp op -> switch (op) {
                case WHERE -> {
                    Tensor c = n.input(0);
                    Tensor zero = zeros(new long[0], g.dtype(), g.device());
                    yield of(null, n.needsGrad(1) ? where(c, g, zero) : null, n.needsGrad(2) ? where(c, zero, g) : null);
                }
            };
            case ReduceOp op -> switch (op) {
                case ALL, ANY, ARGMAX, ARGMIN ->
                        throw notDifferentiable(op);
                case SUM -> of(keepDims(n, g).expand(n.inputShape(0)));
                case MEAN -> of(keepDims(n, g).expand(n.inputShape(0)).div(reducedCount(n)));
                case PROD -> of(prod(n, g));
                case AMAX, AMIN -> {
                    Tensor a = n.input(0), out = keepDims(n, n.output());
                    Tensor mask = a.eq(out).logicalOr(a.isnan().logicalAnd(out.isnan()));
                    Tensor count = mask.sum((int[]) n.arg(0), true).to(g.dtype());
                    yield of(keepDims(n, g).div(count).mul(mask));
                }
            };
            case ScanOp op -> switch (op) {
                case ARGSORT ->
                        throw notDifferentiable(op);
                case CUMSUM -> {
                    int dim = (Integer) n.arg(0);
                    yield of(g.flip(dim).cumsum(dim).flip(dim));
                }
                case CUMPROD -> of(cumprod(g, n.input(0), n.output(), (Integer) n.arg(0)));
            };
            case MatmulOp op -> switch (op) {
                case MATMUL -> of(n.needsGrad(0) ? bmmGrad(g, n.input(1).transpose(1, 2), (Boolean) n.arg(0)) : null,
                        n.needsGrad(1) ? bmmGrad(n.input(0).transpose(1, 2), g, (Boolean) n.arg(1)) : null);
            };
            case JoinOp op -> switch (op) {
                case CAT -> {
                    int dim = (Integer) n.arg(0);
                    Tensor[] out = new Tensor[n.numInputs()];
                    long at = 0;
                    for (int i = 0; i < out.length; i++) {
                        long size = n.inputShape(i)[dim];
                        if (n.needsGrad(i)) out[i] = g.narrow(dim, at, size);
                        at += size;
                    }
                    yield out;
                }
            };
            case IndexOp op -> switch (op) {
                case INDEX -> {
                    Tensor z = zeros(n.inputShape(0), g.dtype(), g.device());
                    yield of(z.indexPut((Tensor[]) n.arg(0), g, true));
                }
                case INDEX_PUT -> {
                    Tensor[] indices = (Tensor[]) n.arg(0);
                    boolean accumulate = (Boolean) n.arg(1);
                    Tensor self = null;
                    if (n.needsGrad(0))
                        self = accumulate ? g : g.indexPut(indices, zeros(new long[0], g.dtype(), g.device()), false);
                    yield of(self, n.needsGrad(1) ? g.index(indices) : null);
                }
            };
            case ViewOp op -> switch (op) {
                case VIEW -> of(g.reshape(n.inputShape(0)));
                case PERMUTE -> {
                    int[] dims = (int[]) n.arg(0);
                    int[] inverse = new int[dims.length];
                    for (int i = 0; i < dims.length; i++) inverse[dims[i]] = i;
                    yield of(g.permute(inverse));
                }
                case EXPAND -> of(g.sumToSize(n.inputShape(0)));
                case SLICE -> {
                    Tensor z = zeros(n.inputShape(0), g.dtype(), g.device());
                    int dim = (Integer) n.arg(0);
                    long start = (Long) n.arg(1), end = (Long) n.arg(2), step = (Long) n.arg(3);
                    if (!GradMode.isEnabled()) {
                        z.slice(dim, start, end, step).copy_(g);
                        yield of(z);
                    }
                    // differentiable form for double backward: scatter g into zeros
                    long len = g.size(dim);
                    Tensor idx = arange(start, start + len * step, step).to(g.device());
                    Tensor[] index = new Tensor[dim + 1];
                    index[dim] = idx;
                    yield of(z.indexPut(index, g, false));
                }
                case SELECT -> {
                    Tensor z = zeros(n.inputShape(0), g.dtype(), g.device());
                    int dim = (Integer) n.arg(0);
                    long index = (Long) n.arg(1);
                    if (!GradMode.isEnabled()) {
                        z.select(dim, index).copy_(g);
                        yield of(z);
                    }
                    Tensor[] ix = new Tensor[dim + 1];
                    ix[dim] = tensor(index);
                    yield of(z.indexPut(ix, g, false));
                }
            };
        };
    }

    /**
     * The inputs {@code op}'s formula reads (bit i = input i), given which inputs need a gradient;
     * everything else is not kept.
     */
    static long savedInputs(Op op, boolean[] needs) {
        return switch (op) {
            case MemoryOp o -> 0;
            case UnaryOp o -> switch (o) {
                case NEG, SIGN, CEIL, FLOOR, ROUND, TRUNC, BITWISE_NOT, LOGICAL_NOT, EXP, EXP2, EXPM1, SQRT, RSQRT, RECIPROCAL, TAN, TANH, SIGMOID, ERFINV -> 0;
                case ABS, LOG, LOG2, LOG10, LOG1P, SIN, COS, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, ERFC, LGAMMA, DIGAMMA -> 1;
            };
            case BinaryOp o -> switch (o) {
                case ADD, SUB, FLOOR_DIVIDE, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> 0;
                case MUL -> (needs[0] ? 2 : 0) | (needs[1] ? 1 : 0);
                case DIV -> (needs[0] || needs[1] ? 2 : 0) | (needs[1] ? 1 : 0);
                case REMAINDER, FMOD -> needs[1] ? 3 : 0;
                case POW, MAXIMUM, MINIMUM, ATAN2, HYPOT -> 3;
                case COPYSIGN -> 1;
            };
            case TernaryOp o -> 1;
            case ReduceOp o -> switch (o) {
                case SUM, MEAN, ALL, ANY, ARGMAX, ARGMIN -> 0;
                case PROD, AMAX, AMIN -> 1;
            };
            case ScanOp o -> switch (o) {
                case CUMSUM, ARGSORT -> 0;
                case CUMPROD -> 1;
            };
            case MatmulOp o -> (needs[0] ? 2 : 0) | (needs[1] ? 1 : 0);
            case JoinOp o -> 0;
            case IndexOp o -> 0;
            case ViewOp o -> 0;
        };
    }

    /** Whether {@code op}'s formula reads its output. */
    static boolean savesOutput(Op op, boolean[] needs) {
        return switch (op) {
            case MemoryOp o -> false;
            case UnaryOp o -> switch (o) {
                case NEG, ABS, SIGN, CEIL, FLOOR, ROUND, TRUNC, BITWISE_NOT, LOGICAL_NOT, LOG, LOG2, LOG10, LOG1P, SIN, COS, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, ERFC, LGAMMA, DIGAMMA -> false;
                case EXP, EXP2, EXPM1, SQRT, RSQRT, RECIPROCAL, TAN, TANH, SIGMOID, ERFINV -> true;
            };
            case BinaryOp o -> switch (o) {
                case ADD, SUB, MUL, DIV, FLOOR_DIVIDE, REMAINDER, FMOD, MAXIMUM, MINIMUM, ATAN2, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> false;
                case POW -> needs.length > 1 && needs[1];
                case HYPOT, COPYSIGN -> true;
            };
            case TernaryOp o -> false;
            case ReduceOp o -> switch (o) {
                case SUM, MEAN, ALL, ANY, ARGMAX, ARGMIN -> false;
                case PROD, AMAX, AMIN -> true;
            };
            case ScanOp o -> switch (o) {
                case CUMSUM, ARGSORT -> false;
                case CUMPROD -> true;
            };
            case MatmulOp o -> false;
            case JoinOp o -> false;
            case IndexOp o -> false;
            case ViewOp o -> false;
        };
    }

    private static Tensor[] pow(OpNode n, Tensor g) {
        Tensor a = n.input(0), b = n.input(1);
        Tensor ga = null, gb = null;
        if (n.needsGrad(0)) {
            if (n.wrapped(1)) {
                // pow(Tensor, Scalar): grad * (exponent * self.pow(exponent - 1)), zero for exponent 0
                double e = b.item();
                ga = e == 0 ? zerosLike(a) : g.mul(a.pow(e - 1).mul(e));
            } else {
                Tensor zero = zeros(new long[0], g.dtype(), g.device());
                ga = where(b.eq(0), zero, g.mul(b.mul(a.pow(b.sub(1)))));
            }
        }
        if (n.needsGrad(1)) {
            Tensor zero = zeros(new long[0], g.dtype(), g.device());
            if (n.wrapped(0)) {
                // pow(Scalar, Tensor): grad * (result * log(self)), zero where self == 0 and exponent >= 0
                double base = a.item();
                Tensor r = n.output().mul(Math.log(base));
                gb = g.mul(base == 0 ? where(b.ge(0), zero, r) : r);
            } else {
                gb = g.mul(where(a.eq(0).logicalAnd(b.ge(0)), zero, n.output().mul(a.log())));
            }
        }
        return of(ga, gb);
    }

    /** A reduction's gradient (or output) with its reduced dims put back as size 1; args: (int[] dims, Boolean keepdim). */
    private static Tensor keepDims(OpNode n, Tensor t) {
        if ((Boolean) n.arg(1)) return t;
        int[] dims = ((int[]) n.arg(0)).clone();
        Arrays.sort(dims);
        for (int d : dims) t = t.unsqueeze(d);
        return t;
    }

    private static long reducedCount(OpNode n) {
        long count = 1;
        for (int d : (int[]) n.arg(0)) count *= n.inputShape(0)[d];
        return count;
    }

    /** prod_backward: grad * result / input without zeros; with zeros the products of all other elements, made by cumprods. */
    private static Tensor prod(OpNode n, Tensor g) {
        Tensor a = n.input(0);
        Tensor gk = keepDims(n, g);
        if (a.dim() == 0) return g;
        if (!a.eq(0).any().itemBoolean()) return gk.mul(keepDims(n, n.output()).div(a));
        int[] dims = ((int[]) n.arg(0)).clone();
        Arrays.sort(dims);
        if (dims.length == 0) return g;
        // move the reduced dims last and flatten them into one
        int nd = a.dim();
        int[] perm = new int[nd];
        boolean[] reduced = new boolean[nd];
        for (int d : dims) reduced[d] = true;
        int k = 0;
        for (int d = 0; d < nd; d++) if (!reduced[d]) perm[k++] = d;
        for (int d : dims) perm[k++] = d;
        Tensor x = a.permute(perm);
        long[] keptShape = new long[nd - dims.length + 1];
        long flat = 1;
        for (int i = 0; i < nd; i++) {
            if (i < nd - dims.length) keptShape[i] = x.size(i);
            else flat *= x.size(i);
        }
        keptShape[keptShape.length - 1] = flat;
        Tensor others = productOfOthers(x.reshape(keptShape), keptShape.length - 1);
        int[] inverse = new int[nd];
        for (int i = 0; i < nd; i++) inverse[perm[i]] = i;
        Tensor back = others.reshape(x.shape().toArray()).permute(inverse);
        return gk.mul(back);
    }

    /** For each element along {@code dim}, the product of all the others there (exclusive cumprods both ways). */
    private static Tensor productOfOthers(Tensor a, int dim) {
        long size = a.size(dim);
        long[] onesShape = a.shape().toArray();
        onesShape[dim] = 1;
        Tensor ones = ones(onesShape, a.dtype(), a.device());
        if (size == 1) return ones;
        Tensor normal = cat(List.of(ones, a.narrow(dim, 0, size - 1)), dim).cumprod(dim);
        Tensor reverse = cat(List.of(ones, a.narrow(dim, 1, size - 1).flip(dim)), dim).cumprod(dim).flip(dim);
        return normal.mul(reverse);
    }

    /** cumprod_backward: a reversed cumsum divided by the input without zeros; with zeros, sums of exclusive products. */
    /**
     * {@code a.bmm(b)}, computed as {@code (bᵀ aᵀ)ᵀ} when the input it is the gradient of was a transposed matrix
     * (as ATen's mm_mat1/mat2_backward do): the gradient of {@code linear}'s {@code weight.t()} then comes out in the
     * weight's own row-major layout, and the leaf takes it without a transposing copy.
     */
    private static Tensor bmmGrad(Tensor a, Tensor b, boolean transposed) {
        return transposed ? b.transpose(1, 2).bmm(a.transpose(1, 2)).transpose(1, 2) : a.bmm(b);
    }

    private static Tensor cumprod(Tensor g, Tensor a, Tensor out, int dim) {
        if (a.numel() <= 1 || a.dim() == 0 || a.size(dim) == 1) return g;
        if (!a.eq(0).any().itemBoolean()) return g.mul(out).flip(dim).cumsum(dim).flip(dim).div(a);
        // d out_i / d x_k = prod_{j <= i, j != k} x_j for i >= k: a cumprod of x with x_k replaced by 1, per k
        Tensor x = a.transpose(dim, -1), gx = g.transpose(dim, -1);
        long size = x.size(-1);
        long[] square = new long[x.dim() + 1];
        long[] xs = x.shape().toArray();
        System.arraycopy(xs, 0, square, 0, xs.length - 1);
        square[xs.length - 1] = size;
        square[xs.length] = size;
        Tensor r = arange(size);
        Tensor diagonal = r.unsqueeze(1).eq(r.unsqueeze(0)), upper = r.unsqueeze(0).ge(r.unsqueeze(1));
        Tensor products = where(diagonal, ones(new long[0], x.dtype(), x.device()), x.unsqueeze(-2).expand(square)).cumprod(-1);
        Tensor zero = zeros(new long[0], x.dtype(), x.device());
        Tensor grad = where(upper, products.mul(gx.unsqueeze(-2)), zero).sum(-1);
        return grad.transpose(dim, -1);
    }

    private static Tensor[] of(Tensor... grads) { return grads; }

    private static RuntimeException notDifferentiable(Op op) {
        return new UnsupportedOperationException("the derivative for '" + op.torchName() + "' is not implemented.");
    }
}
