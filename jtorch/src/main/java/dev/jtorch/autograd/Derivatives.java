package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;

import dev.jtorch.Tensor;
import dev.jtorch.ops.Op;

/**
 * The one table of backward formulas: for each primitive, the gradients of its inputs given the
 * gradient {@code g} of its output (at the output's shape; {@link OpNode} reduces broadcasts).
 * Written with tensor ops, so they are differentiable again (higher-order gradients).
 */
final class Derivatives {
    private Derivatives() {}

    private static final double LN2 = Math.log(2), LN10 = Math.log(10);

    static Tensor[] backward(OpNode n, Tensor g) {
        Op op = n.op;
        return switch (op) {
            case FILL -> new Tensor[0];
            case COPY -> of(g);
            case NEG -> of(g.neg());
            case ABS -> of(g.mul(n.input(0).sgn()));
            case SIGN, CEIL, FLOOR, ROUND, TRUNC -> of(zerosLike(g));
            case BITWISE_NOT, LOGICAL_NOT, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR, BITWISE_AND,
                 BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT, ALL, ANY, ARGMAX, ARGMIN, ARGSORT ->
                    throw notDifferentiable(op);
            case EXP -> of(g.mul(n.output()));
            case EXP2 -> of(g.mul(n.output()).mul(LN2));
            case EXPM1 -> of(g.mul(n.output().add(1)));
            case LOG -> of(g.div(n.input(0)));
            case LOG2 -> of(g.div(n.input(0).mul(LN2)));
            case LOG10 -> of(g.div(n.input(0).mul(LN10)));
            case LOG1P -> of(g.div(n.input(0).add(1)));
            case SQRT -> of(g.div(n.output().mul(2)));
            case RSQRT -> of(g.mul(n.output().pow(3)).mul(-0.5));
            case RECIPROCAL -> of(g.mul(n.output().pow(2)).neg());
            case SIN -> of(g.mul(n.input(0).cos()));
            case COS -> of(g.mul(n.input(0).sin()).neg());
            case TAN -> of(g.mul(n.output().pow(2).add(1)));
            case ASIN -> of(g.div(n.input(0).pow(2).neg().add(1).sqrt()));
            case ACOS -> of(g.div(n.input(0).pow(2).neg().add(1).sqrt()).neg());
            case ATAN -> of(g.div(n.input(0).pow(2).add(1)));
            case SINH -> of(g.mul(n.input(0).cosh()));
            case COSH -> of(g.mul(n.input(0).sinh()));
            case TANH -> of(g.mul(n.output().pow(2).neg().add(1)));
            case ASINH -> of(g.div(n.input(0).pow(2).add(1).sqrt()));
            case ACOSH -> of(g.div(n.input(0).sub(1).sqrt().mul(n.input(0).add(1).sqrt())));
            case ATANH -> of(g.div(n.input(0).pow(2).neg().add(1)));
            case SIGMOID -> { Tensor y = n.output(); yield of(g.mul(y).mul(y.neg().add(1))); }
            case ERF -> of(g.mul(n.input(0).pow(2).neg().exp()).mul(2 / Math.sqrt(Math.PI)));
            case ERFC -> of(g.mul(n.input(0).pow(2).neg().exp()).mul(-2 / Math.sqrt(Math.PI)));
            case ERFINV -> of(g.mul(n.output().pow(2).exp()).mul(Math.sqrt(Math.PI) / 2));
            case LGAMMA -> of(g.mul(n.input(0).digamma()));
            case DIGAMMA -> throw new UnsupportedOperationException("the derivative of digamma (polygamma(1, x)) is not implemented");
            case ADD -> of(g, g);
            case SUB -> of(g, g.neg());
            case MUL -> of(n.needsGrad(0) ? g.mul(n.input(1)) : null, n.needsGrad(1) ? g.mul(n.input(0)) : null);
            case DIV -> {
                Tensor b = n.input(1);
                yield of(n.needsGrad(0) ? g.div(b) : null, n.needsGrad(1) ? g.neg().mul(n.input(0)).div(b.mul(b)) : null);
            }
            case FLOOR_DIVIDE -> throw new UnsupportedOperationException("the derivative for 'floor_divide' is not implemented.");
            case REMAINDER -> of(g, n.needsGrad(1) ? g.neg().mul(n.input(0).div(n.input(1), "floor")) : null);
            case FMOD -> of(g, n.needsGrad(1) ? g.neg().mul(n.input(0).div(n.input(1), "trunc")) : null);
            case POW -> {
                Tensor a = n.input(0), b = n.input(1);
                Tensor ga = null, gb = null;
                if (n.needsGrad(0)) ga = g.mul(b.mul(a.pow(b.sub(1)))).maskedFill(b.eq(0), 0);
                if (n.needsGrad(1)) gb = g.mul(n.output().mul(a.log())).maskedFill(a.eq(0).logicalAnd(b.ge(0)), 0);
                yield of(ga, gb);
            }
            case MAXIMUM, MINIMUM -> {
                Tensor a = n.input(0), b = n.input(1);
                Tensor half = where(a.eq(b), g.div(2), g);
                boolean max = op == Op.MAXIMUM;
                yield of(half.maskedFill(max ? a.lt(b) : a.gt(b), 0), half.maskedFill(max ? a.gt(b) : a.lt(b), 0));
            }
            case ATAN2 -> {
                Tensor a = n.input(0), b = n.input(1), r = a.pow(2).add(b.pow(2));
                yield of(g.mul(b).div(r), g.mul(a).neg().div(r));
            }
            case HYPOT -> of(g.mul(n.input(0)).div(n.output()), g.mul(n.input(1)).div(n.output()));
            case COPYSIGN -> {
                Tensor a = n.input(0);
                yield of(g.mul(n.output().div(a).maskedFill(a.eq(0), 0)), zerosLike(g));
            }
            case WHERE -> {
                Tensor c = n.input(0);
                yield of(null, where(c, g, zerosLike(g)), where(c, zerosLike(g), g));
            }
            case SUM -> of(keepDims(n, g).expand(n.inputShapes[0]));
            case MEAN -> {
                long count = numel(n.inputShapes[0]) / Math.max(1, g.numel());
                yield of(keepDims(n, g).expand(n.inputShapes[0]).div(count));
            }
            case PROD -> {
                Tensor a = n.input(0);
                if (a.eq(0).any().item() != 0)
                    throw new UnsupportedOperationException("the derivative of prod for inputs containing zeros is not implemented");
                yield of(keepDims(n, g).mul(keepDims(n, n.output())).div(a));
            }
            case AMAX, AMIN -> {
                Tensor a = n.input(0), mask = a.eq(keepDims(n, n.output())).to(g.dtype());
                int[] dims = (int[]) n.args[0];
                yield of(keepDims(n, g).mul(mask).div(mask.sum(dims, true)));
            }
            case CUMSUM -> {
                int dim = (Integer) n.args[0];
                yield of(g.flip(dim).cumsum(dim).flip(dim));
            }
            case CUMPROD -> {
                int dim = (Integer) n.args[0];
                Tensor a = n.input(0);
                if (a.eq(0).any().item() != 0)
                    throw new UnsupportedOperationException("the derivative of cumprod for inputs containing zeros is not implemented");
                yield of(g.mul(n.output()).flip(dim).cumsum(dim).flip(dim).div(a));
            }
            case MATMUL -> {
                Tensor a = n.input(0), b = n.input(1);
                yield of(n.needsGrad(0) ? g.matmul(b.transpose(-1, -2)) : null, n.needsGrad(1) ? a.transpose(-1, -2).matmul(g) : null);
            }
            case CAT -> {
                int dim = (Integer) n.args[0];
                Tensor[] out = new Tensor[n.inputShapes.length];
                long at = 0;
                for (int i = 0; i < out.length; i++) {
                    long size = n.inputShapes[i][dim];
                    out[i] = g.narrow(dim, at, size);
                    at += size;
                }
                yield out;
            }
            case VIEW -> of(g.reshape(n.inputShapes[0]));
            case PERMUTE -> {
                int[] dims = (int[]) n.args[0];
                int[] inverse = new int[dims.length];
                for (int i = 0; i < dims.length; i++) inverse[dims[i]] = i;
                yield of(g.permute(inverse));
            }
            case EXPAND -> of(g.sumToSize(n.inputShapes[0]));
            case SLICE -> {
                Tensor z = zeros(n.inputShapes[0], g.dtype(), g.device());
                int dim = (Integer) n.args[0];
                z.slice(dim, (Long) n.args[1], (Long) n.args[2], (Long) n.args[3]).copy_(g);
                yield of(z);
            }
            case SELECT -> {
                Tensor z = zeros(n.inputShapes[0], g.dtype(), g.device());
                z.select((Integer) n.args[0], (Long) n.args[1]).copy_(g);
                yield of(z);
            }
            case INDEX -> {
                Tensor z = zeros(n.inputShapes[0], g.dtype(), g.device());
                yield of(z.indexPut_((Tensor[]) n.args[0], g, true));
            }
            case INDEX_PUT -> {
                Tensor[] indices = (Tensor[]) n.args[0];
                boolean accumulate = (Boolean) n.args[1];
                Tensor self = accumulate ? g : g.clone().indexPut_(indices, zeros(new long[0], g.dtype(), g.device()), false);
                yield of(self, g.index(indices));
            }
        };
    }

    /** A reduction's gradient (or output) with its reduced dims put back as size 1; args: (int[] dims, Boolean keepdim). */
    private static Tensor keepDims(OpNode n, Tensor t) {
        if ((Boolean) n.args[1]) return t;
        int[] dims = ((int[]) n.args[0]).clone();
        java.util.Arrays.sort(dims);
        for (int d : dims) t = t.unsqueeze(d);
        return t;
    }

    private static Tensor[] of(Tensor... grads) { return grads; }

    private static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    private static RuntimeException notDifferentiable(Op op) {
        return new UnsupportedOperationException("the derivative for '" + op.torchName() + "' is not implemented.");
    }
}
