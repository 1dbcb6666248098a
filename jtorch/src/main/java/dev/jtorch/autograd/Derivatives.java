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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table of backward formulas: for each primitive, the gradients of its inputs given the
 * gradient {@code g} of its output (at the output's shape; {@link OpNode} reduces broadcasts), as
 * PyTorch's {@code derivatives.yaml} writes them. Written with tensor ops, so they are
 * differentiable again (higher-order gradients). Each row also states what its formula reads (which
 * inputs, the output) and the kind of {@link SavedArgs} it is recorded with, so a node keeps nothing
 * else alive and the saves cannot drift from the formula.
 */
final class Derivatives {
    private Derivatives() {}

    private static final double LN2 = 0.6931471805599453, LN10 = 2.3025850929940456;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI), HALF_SQRT_PI = 0.5 * Math.sqrt(Math.PI);

    /** Bits of a formula's {@link Saves}: input i is bit i, the output {@link #OUTPUT}. */
    private static final long SELF = 1, OTHER = 2, BOTH = 3;
    static final long OUTPUT = 1L << 62;

    /** What a formula reads besides the gradient, given which inputs need one: bit i input i, {@link #OUTPUT} the output. */
    @FunctionalInterface
    interface Saves {
        long mask(boolean[] needs);
    }

    /** A formula that reads the same tensors whichever inputs need a gradient. */
    private static Saves always(long mask) { return needs -> mask; }

    private static final Saves NOTHING = always(0);

    /** A backward formula: the gradients of {@code n}'s inputs (null where none) given its output's gradient {@code g}. */
    @FunctionalInterface
    interface Backward<A extends SavedArgs> {
        Tensor[] apply(OpNode n, A args, Tensor g);
    }

    /** One row of the table: the kind of arguments the op is recorded with, what it saves, and its backward formula. */
    record Formula<A extends SavedArgs>(Class<A> args, Saves saves, Backward<A> backward) {
        Tensor[] apply(OpNode n, Tensor g) { return backward.apply(n, args.cast(n.args()), g); }
    }

    private static <A extends SavedArgs> Formula<A> formula(Class<A> args, Saves saves, Backward<A> backward) {
        return new Formula<>(args, saves, backward);
    }

    private static Formula<SavedArgs.NoArgs> formula(Saves saves, Backward<SavedArgs.NoArgs> backward) {
        return new Formula<>(SavedArgs.NoArgs.class, saves, backward);
    }

    private static Formula<SavedArgs.NoArgs> notDifferentiable(Op op) {
        return formula(NOTHING, (n, a, g) -> { throw notImplemented(op); });
    }

    /** The formula for {@code op}. */
    static Formula<?> formulaOf(Op op) { return TABLE.get(op); }

    private static final Map<Op, Formula<?>> TABLE = new HashMap<>();

    static {
        for (Op op : Op.values()) TABLE.put(op, formula(op));
    }

    /** PyTorch's {@code maybe_multiply(grad, alpha)}: the gradient times ADD's / SUB's alpha when it has one. */
    private static Tensor timesAlpha(SavedArgs.Alpha a, Tensor g) {
        return switch (a.alpha()) {
            case null -> g;
            case Long l -> g.mul(l);
            case Number d -> g.mul(d.doubleValue());
        };
    }

    /** The table: one case per primitive, each with what it saves on its own line, then its formula. */
    private static Formula<?> formula(Op op) {
        return switch (op) {
            case MemoryOp o -> switch (o) {
                case FILL -> formula(NOTHING,
                        (n, a, g) -> new Tensor[0]);
                case COPY -> formula(NOTHING,
                        (n, a, g) -> of(g));
            };
            case UnaryOp o -> switch (o) {
                case NEG -> formula(NOTHING,
                        (n, a, g) -> of(g.neg()));
                case ABS -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).sgn())));
                case SIGN, CEIL, FLOOR, ROUND, TRUNC -> formula(NOTHING,
                        (n, a, g) -> of(zerosLike(g)));
                case BITWISE_NOT, LOGICAL_NOT -> notDifferentiable(o);
                case EXP -> formula(always(OUTPUT),
                        (n, a, g) -> of(g.mul(n.output())));
                case EXP2 -> formula(always(OUTPUT),
                        (n, a, g) -> of(g.mul(n.output()).mul(LN2)));
                case EXPM1 -> formula(always(OUTPUT),
                        (n, a, g) -> of(g.mul(n.output().add(1))));
                case LOG -> formula(always(SELF),
                        (n, a, g) -> of(g.div(n.input(0))));
                case LOG2 -> formula(always(SELF),
                        (n, a, g) -> of(g.div(n.input(0).mul(LN2))));
                case LOG10 -> formula(always(SELF),
                        (n, a, g) -> of(g.div(n.input(0).mul(LN10))));
                case LOG1P -> formula(always(SELF),
                        (n, a, g) -> of(g.div(n.input(0).add(1))));
                case SQRT -> formula(always(OUTPUT),
                        (n, a, g) -> of(g.div(n.output().mul(2))));
                case RSQRT -> formula(always(OUTPUT),
                        (n, a, g) -> of(g.mul(-0.5).mul(n.output().pow(3))));
                case RECIPROCAL -> formula(always(OUTPUT),
                        (n, a, g) -> { Tensor y = n.output(); return of(g.neg().mul(y.mul(y))); });
                case SIN -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).cos())));
                case COS -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).sin().neg())));
                case TAN -> formula(always(OUTPUT),
                        (n, a, g) -> of(g.mul(n.output().pow(2).add(1))));
                case ASIN -> formula(always(SELF),
                        (n, a, g) -> { Tensor x = n.input(0); return of(g.mul(x.neg().mul(x).add(1).rsqrt())); });
                case ACOS -> formula(always(SELF),
                        (n, a, g) -> { Tensor x = n.input(0); return of(g.mul(x.neg().mul(x).add(1).rsqrt().neg())); });
                case ATAN -> formula(always(SELF),
                        (n, a, g) -> { Tensor x = n.input(0); return of(g.div(x.mul(x).add(1))); });
                case SINH -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).cosh())));
                case COSH -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).sinh())));
                case TANH -> formula(always(OUTPUT),
                        (n, a, g) -> { Tensor y = n.output(); return of(g.mul(y.mul(y).rsub(1))); });
                case ASINH -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).pow(2).add(1).rsqrt())));
                case ACOSH -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).pow(2).sub(1).rsqrt())));
                case ATANH -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).pow(2).rsub(1).reciprocal())));
                case SIGMOID -> formula(always(OUTPUT),
                        (n, a, g) -> { Tensor y = n.output(); return of(g.mul(y.rsub(1)).mul(y)); });
                case ERF -> formula(always(SELF),
                        (n, a, g) -> of(n.input(0).pow(2).neg().exp().mul(TWO_OVER_SQRT_PI).mul(g)));
                case ERFC -> formula(always(SELF),
                        (n, a, g) -> of(n.input(0).pow(2).neg().exp().mul(-TWO_OVER_SQRT_PI).mul(g)));
                case ERFINV -> formula(always(OUTPUT),
                        (n, a, g) -> of(n.output().pow(2).exp().mul(HALF_SQRT_PI).mul(g)));
                case LGAMMA -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(n.input(0).digamma())));
                case DIGAMMA -> formula(always(SELF),
                        (n, a, g) -> of(g.mul(Polygamma.polygamma(1, n.input(0)))));
                // sinc_backward: grad (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 where x == 0 (FunctionsManual.cpp)
                case SINC -> formula(always(SELF),
                        (n, a, g) -> {
                            Tensor x = n.input(0), px = x.mul(Math.PI), pxx = x.mul(x).mul(Math.PI);
                            Tensor out = g.mul(px.mul(px.cos()).sub(px.sin())).div(pxx);
                            return of(where(pxx.eq(0), zeros(new long[0], g.dtype(), g.device()), out));
                        });
            };
            case BinaryOp o -> switch (o) {
                case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR, BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT,
                     BITWISE_RIGHT_SHIFT -> notDifferentiable(o);
                case ADD -> formula(SavedArgs.Alpha.class, NOTHING,
                        (n, a, g) -> of(g, n.needsGrad(1) ? timesAlpha(a, g) : null));
                case SUB -> formula(SavedArgs.Alpha.class, NOTHING,
                        (n, a, g) -> of(g, n.needsGrad(1) ? timesAlpha(a, g.neg()) : null));
                case MUL -> formula(needs -> (needs[0] ? OTHER : 0) | (needs[1] ? SELF : 0),
                        (n, a, g) -> of(n.needsGrad(0) ? g.mul(n.input(1)) : null, n.needsGrad(1) ? g.mul(n.input(0)) : null));
                case DIV -> formula(needs -> (needs[0] || needs[1] ? OTHER : 0) | (needs[1] ? SELF : 0),
                        (n, a, g) -> {
                            Tensor b = n.input(1);
                            return of(n.needsGrad(0) ? g.div(b) : null, n.needsGrad(1) ? g.neg().mul(n.input(0).div(b).div(b)) : null);
                        });
                // div(rounding_mode='floor') has zero gradients (DivBackward2); torch.floor_divide has none at all
                case FLOOR_DIVIDE -> formula(NOTHING,
                        (n, a, g) -> {
                            if (n.variant() != Variant.DIV_FLOOR) throw notImplemented(o);
                            return of(zerosLike(g), n.needsGrad(1) ? zerosLike(g) : null);
                        });
                case REMAINDER -> formula(needs -> needs[1] ? BOTH : 0,
                        (n, a, g) -> of(g, n.needsGrad(1) ? g.neg().mul(n.input(0).div(n.input(1), "floor")) : null));
                case FMOD -> formula(needs -> needs[1] ? BOTH : 0,
                        (n, a, g) -> of(g, n.needsGrad(1) ? g.neg().mul(n.input(0).div(n.input(1), "trunc")) : null));
                case POW -> formula(needs -> BOTH | (needs[1] ? OUTPUT : 0),
                        (n, a, g) -> pow(n, g));
                case MAXIMUM, MINIMUM -> formula(always(BOTH),
                        (n, a, g) -> {
                            Tensor x = n.input(0), y = n.input(1);
                            boolean max = o == BinaryOp.MAXIMUM;
                            if (n.variant() != Variant.PRIMARY) {
                                // clamp_min / clamp_max / relu: the gradient passes where the bound is not exceeded (relu: not at 0)
                                Tensor zero = zeros(new long[0], g.dtype(), g.device());
                                Tensor pass = n.variant() == Variant.RELU ? x.le(y).logicalNot() : max ? x.ge(y) : x.le(y);
                                return of(where(pass, g, zero), null);
                            }
                            Tensor gx = null, gy = null;
                            if (n.needsGrad(0)) gx = where(x.eq(y), g.div(2), g).maskedFill(max ? x.lt(y) : x.gt(y), 0);
                            if (n.needsGrad(1)) gy = where(x.eq(y), g.div(2), g).maskedFill(max ? y.lt(x) : y.gt(x), 0);
                            return of(gx, gy);
                        });
                case ATAN2 -> formula(always(BOTH),
                        (n, a, g) -> {
                            Tensor x = n.input(0), y = n.input(1), recip = x.mul(x).add(y.mul(y)).reciprocal();
                            return of(n.needsGrad(0) ? g.mul(y).mul(recip) : null, n.needsGrad(1) ? g.mul(x.neg()).mul(recip) : null);
                        });
                case HYPOT -> formula(always(BOTH | OUTPUT),
                        (n, a, g) -> {
                            Tensor out = n.output();
                            return of(n.needsGrad(0) ? g.mul(n.input(0)).div(out) : null, n.needsGrad(1) ? g.mul(n.input(1)).div(out) : null);
                        });
                case COPYSIGN -> formula(always(SELF | OUTPUT),
                        (n, a, g) -> {
                            Tensor x = n.input(0);
                            return of(g.mul(n.output().div(x).maskedFill(x.eq(0), 0)), n.needsGrad(1) ? zerosLike(g) : null);
                        });
            };
            case TernaryOp o -> switch (o) {
                case WHERE -> formula(always(SELF), // the condition
                        (n, a, g) -> {
                            Tensor c = n.input(0);
                            Tensor zero = zeros(new long[0], g.dtype(), g.device());
                            return of(null, n.needsGrad(1) ? where(c, g, zero) : null, n.needsGrad(2) ? where(c, zero, g) : null);
                        });
            };
            case ReduceOp o -> switch (o) {
                case ALL, ANY, ARGMAX, ARGMIN -> notDifferentiable(o);
                case SUM -> formula(SavedArgs.Dims.class, NOTHING,
                        (n, a, g) -> of(keepDims(a, g).expand(n.inputShape(0))));
                case MEAN -> formula(SavedArgs.Dims.class, NOTHING,
                        (n, a, g) -> of(keepDims(a, g).expand(n.inputShape(0)).div(reducedCount(n, a))));
                case PROD -> formula(SavedArgs.Dims.class, always(SELF | OUTPUT),
                        (n, a, g) -> of(prod(n, a, g)));
                case AMAX, AMIN -> formula(SavedArgs.Dims.class, always(SELF | OUTPUT),
                        (n, a, g) -> {
                            Tensor x = n.input(0), out = keepDims(a, n.output());
                            Tensor mask = x.eq(out).logicalOr(x.isnan().logicalAnd(out.isnan()));
                            Tensor count = mask.sum(a.dims(), true).to(g.dtype());
                            return of(keepDims(a, g).div(count).mul(mask));
                        });
            };
            case ScanOp o -> switch (o) {
                case ARGSORT -> notDifferentiable(o);
                case CUMSUM -> formula(SavedArgs.Dim.class, NOTHING,
                        (n, a, g) -> of(g.flip(a.dim()).cumsum(a.dim()).flip(a.dim())));
                case CUMPROD -> formula(SavedArgs.Dim.class, always(SELF | OUTPUT),
                        (n, a, g) -> of(cumprod(g, n.input(0), n.output(), a.dim())));
            };
            case MatmulOp o -> switch (o) {
                case MATMUL -> formula(SavedArgs.MatmulLayout.class, needs -> (needs[0] ? OTHER : 0) | (needs[1] ? SELF : 0),
                        (n, a, g) -> of(n.needsGrad(0) ? bmmGrad(g, n.input(1).transpose(1, 2), a.aColumnMajor()) : null,
                                n.needsGrad(1) ? bmmGrad(n.input(0).transpose(1, 2), g, a.bColumnMajor()) : null));
            };
            case JoinOp o -> switch (o) {
                case CAT -> formula(SavedArgs.Dim.class, NOTHING,
                        (n, a, g) -> {
                            int dim = a.dim();
                            Tensor[] out = new Tensor[n.numInputs()];
                            long at = 0;
                            for (int i = 0; i < out.length; i++) {
                                long size = n.inputShape(i)[dim];
                                if (n.needsGrad(i)) out[i] = g.narrow(dim, at, size);
                                at += size;
                            }
                            return out;
                        });
            };
            case IndexOp o -> switch (o) {
                case INDEX -> formula(SavedArgs.Indices.class, NOTHING,
                        (n, a, g) -> of(zeros(n.inputShape(0), g.dtype(), g.device()).indexPut(a.indices(), g, true)));
                case INDEX_PUT -> formula(SavedArgs.IndexPut.class, NOTHING,
                        (n, a, g) -> {
                            Tensor self = null;
                            if (n.needsGrad(0))
                                self = a.accumulate() ? g : g.indexPut(a.indices(), zeros(new long[0], g.dtype(), g.device()), false);
                            return of(self, n.needsGrad(1) ? g.index(a.indices()) : null);
                        });
            };
            case ViewOp o -> switch (o) {
                case VIEW -> formula(NOTHING,
                        (n, a, g) -> of(g.reshape(n.inputShape(0))));
                case PERMUTE -> formula(SavedArgs.Permutation.class, NOTHING,
                        (n, a, g) -> {
                            int[] dims = a.dims();
                            int[] inverse = new int[dims.length];
                            for (int i = 0; i < dims.length; i++) inverse[dims[i]] = i;
                            return of(g.permute(inverse));
                        });
                case EXPAND -> formula(NOTHING,
                        (n, a, g) -> of(g.sumToSize(n.inputShape(0))));
                case SLICE -> formula(SavedArgs.Slice.class, NOTHING,
                        (n, a, g) -> {
                            Tensor z = zeros(n.inputShape(0), g.dtype(), g.device());
                            if (!GradMode.isEnabled()) {
                                z.slice(a.dim(), a.start(), a.end(), a.step()).copy_(g);
                                return of(z);
                            }
                            // differentiable form for double backward: scatter g into zeros
                            long len = g.size(a.dim());
                            Tensor idx = arange(a.start(), a.start() + len * a.step(), a.step()).to(g.device());
                            Tensor[] index = new Tensor[a.dim() + 1];
                            index[a.dim()] = idx;
                            return of(z.indexPut(index, g, false));
                        });
                case SELECT -> formula(SavedArgs.Select.class, NOTHING,
                        (n, a, g) -> {
                            Tensor z = zeros(n.inputShape(0), g.dtype(), g.device());
                            if (!GradMode.isEnabled()) {
                                z.select(a.dim(), a.index()).copy_(g);
                                return of(z);
                            }
                            Tensor[] ix = new Tensor[a.dim() + 1];
                            ix[a.dim()] = tensor(a.index());
                            return of(z.indexPut(ix, g, false));
                        });
            };
        };
    }

    private static Tensor[] pow(OpNode n, Tensor g) {
        Tensor a = n.input(0), b = n.input(1);
        Tensor ga = null, gb = null;
        if (n.needsGrad(0)) {
            if (n.variant() == Variant.POW_TENSOR_SCALAR) {
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
            if (n.variant() == Variant.POW_SCALAR_TENSOR) {
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

    /** A reduction's gradient (or output) with its reduced dims put back as size 1. */
    private static Tensor keepDims(SavedArgs.Dims a, Tensor t) {
        if (a.keepdim()) return t;
        int[] dims = a.dims().clone();
        Arrays.sort(dims);
        for (int d : dims) t = t.unsqueeze(d);
        return t;
    }

    private static long reducedCount(OpNode n, SavedArgs.Dims a) {
        long count = 1;
        for (int d : a.dims()) count *= n.inputShape(0)[d];
        return count;
    }

    /** prod_backward: grad * result / input without zeros; with zeros the products of all other elements, made by cumprods. */
    private static Tensor prod(OpNode n, SavedArgs.Dims args, Tensor g) {
        Tensor a = n.input(0);
        Tensor gk = keepDims(args, g);
        if (a.dim() == 0) return g;
        if (!a.eq(0).any().itemBoolean()) return gk.mul(keepDims(args, n.output()).div(a));
        int[] dims = args.dims().clone();
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

    /**
     * {@code a.bmm(b)}, computed as {@code (bᵀ aᵀ)ᵀ} when the input it is the gradient of was a transposed matrix
     * (as ATen's mm_mat1/mat2_backward do): the gradient of {@code linear}'s {@code weight.t()} then comes out in the
     * weight's own row-major layout, and the leaf takes it without a transposing copy.
     */
    private static Tensor bmmGrad(Tensor a, Tensor b, boolean transposed) {
        return transposed ? b.transpose(1, 2).bmm(a.transpose(1, 2)).transpose(1, 2) : a.bmm(b);
    }

    /** cumprod_backward: a reversed cumsum divided by the input without zeros; with zeros, sums of exclusive products. */
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

    private static RuntimeException notImplemented(Op op) {
        return new UnsupportedOperationException("the derivative for '" + op.torchName() + "' is not implemented.");
    }
}
