package dev.jtorch.dispatch;

import dev.jtorch.Autocast;
import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Formulas;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.Variant;
import dev.jtorch.internal.TensorAccess;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.UnaryOp;
import java.util.Arrays;

/** Tensor's elementwise arithmetic written from primitives (clamp, lerp, rounding division, comparisons with tolerances, ...) and its argument checks; {@code Tensor}'s methods are one line into these. */
public final class Arithmetic {
    private static final TensorAccess T = TensorAccess.get();

    private Arithmetic() {}

    /** Division with {@code "trunc"} or {@code "floor"} rounding, like {@code x.div(y, rounding_mode="floor")}. */
    public static Tensor div(Tensor self, Tensor other, String roundingMode) {
        if (roundingMode == null) return self.div(other);
        return switch (roundingMode) {
            case "floor" -> Graph.recordAs(Dispatch.binary(BinaryOp.FLOOR_DIVIDE, self, other), Variant.DIV_FLOOR);
            case "trunc" -> {
                DType t = Dispatch.resultType(self, other);
                yield t.isFloatingPoint() ? Graph.recordAs(self.div(other).trunc(), Variant.DIV_TRUNC) : Dispatch.binary(BinaryOp.FMOD, self, other).neg().add(self).div(other).to(t);
            }
            default -> throw new IllegalArgumentException("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '" + roundingMode + "'");
        };
    }

    /** Like {@code torch.fmax}: NaN-ignoring maximum. */
    public static Tensor fmax(Tensor self, Tensor other) {
        return Graph.composite("FmaxBackward0", xs -> Torch.where(xs[0].isnan(), xs[1], Torch.where(xs[1].isnan(), xs[0], xs[0].maximum(xs[1]))), self, other);
    }

    public static Tensor fmin(Tensor self, Tensor other) {
        return Graph.composite("FminBackward0", xs -> Torch.where(xs[0].isnan(), xs[1], Torch.where(xs[1].isnan(), xs[0], xs[0].minimum(xs[1]))), self, other);
    }

    /** {@code this + weight * (end - this)}, like {@code torch.lerp}. */
    public static Tensor lerp(Tensor self, Tensor end, double weight) {
        checkLerpDtype(self, end, "end");
        Shapes.broadcast(T.shape(self), T.shape(end));
        if (!T.dtype(self).isFloatingPoint()) throw new UnsupportedOperationException("\"lerp_kernel_scalar\" not implemented for '" + T.dtype(self).scalarTypeName() + "'");
        return Graph.composite("LerpBackward0", xs -> xs[0].add(xs[1].sub(xs[0]).mul(weight)), self, end);
    }

    public static Tensor lerp(Tensor self, Tensor end, Tensor weight) {
        checkLerpDtype(self, end, "end");
        checkLerpDtype(self, weight, "weight");
        Shapes.broadcast(Shapes.broadcast(T.shape(self), T.shape(end)), T.shape(weight));
        if (!T.dtype(self).isFloatingPoint()) throw new UnsupportedOperationException("\"lerp_kernel_tensor\" not implemented for '" + T.dtype(self).scalarTypeName() + "'");
        return Graph.composite("LerpBackward1", xs -> xs[0].add(xs[1].sub(xs[0]).mul(xs[2])), self, end, weight);
    }

    /** lerp's operands share one dtype, checked before shapes and kernels, as in ATen's lerp meta functions. */
    static void checkLerpDtype(Tensor self, Tensor other, String name) {
        if (T.dtype(other) != T.dtype(self))
            throw new IllegalArgumentException("expected dtype " + T.typeMetaName(T.dtype(self)) + " for `" + name + "` but got dtype " + T.typeMetaName(T.dtype(other)));
    }

    /** {@code this + value * t1 * t2}, like {@code torch.addcmul}. */
    public static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, double value) {
        if (Autocast.active()) return Autocast.call("addcmul", xs -> xs[0].addcmul(xs[1], xs[2], value), self, t1, t2);
        return addc(self, "AddcmulBackward0", t1, t2, value, false);
    }

    public static Tensor addcmul(Tensor self, Tensor t1, Tensor t2) {
        if (Autocast.active()) return Autocast.call("addcmul", xs -> xs[0].addcmul(xs[1], xs[2]), self, t1, t2);
        return addc(self, "AddcmulBackward0", t1, t2, 1L, false);
    }

    /** {@code this + value * t1 / t2}, like {@code torch.addcdiv}. */
    public static Tensor addcdiv(Tensor self, Tensor t1, Tensor t2, double value) {
        if (Autocast.active()) return Autocast.call("addcdiv", xs -> xs[0].addcdiv(xs[1], xs[2], value), self, t1, t2);
        checkAddcdiv(t1, t2);
        return addc(self, "AddcdivBackward0", t1, t2, value, true);
    }

    public static Tensor addcdiv(Tensor self, Tensor t1, Tensor t2) {
        if (Autocast.active()) return Autocast.call("addcdiv", xs -> xs[0].addcdiv(xs[1], xs[2]), self, t1, t2);
        checkAddcdiv(t1, t2);
        return addc(self, "AddcdivBackward0", t1, t2, 1L, true);
    }

    /**
     * ATen's addcmul/addcdiv (PointwiseOps.cpp, PointwiseOpsKernel.cpp): one TensorIterator over self, t1 and t2
     * (their broadcast in that order and their common dtype, which the value does not change), then
     * {@code self + value * t1 * t2} (or {@code / t2}) in that order, float16 and bfloat16 in float32 rounded once,
     * the value converted to the common dtype (0.5 is 0 for integers).
     */
    static Tensor addc(Tensor self, String name, Tensor t1, Tensor t2, Number value, boolean div) {
        Shapes.broadcast(Shapes.broadcast(T.shape(self), T.shape(t1)), T.shape(t2));
        DType common = Dispatch.resultType(self, t1, t2);
        if (common == DType.bool)
            throw new UnsupportedOperationException("\"" + (div ? "addcdiv" : "addcmul") + "_cpu_out\" not implemented for 'Bool'");
        DType compute = common == DType.float16 || common == DType.bfloat16 ? DType.float32 : common;
        return Graph.composite(name, xs -> {
            Tensor a = xs[1].to(compute), b = xs[2].to(compute);
            Tensor scaled = compute.isFloatingPoint() ? a.mul(value.doubleValue()) : a.mul(value.longValue());
            return xs[0].to(compute).add(div ? scaled.div(b) : scaled.mul(b)).to(common);
        }, self, t1, t2);
    }

    private static void checkAddcdiv(Tensor t1, Tensor t2) {
        if (!T.dtype(t1).isFloatingPoint() && !T.dtype(t2).isFloatingPoint())
            throw new IllegalArgumentException("Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform "
                    + "a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * "
                    + "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
                    + "float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
                    + "for all dtypes.");
    }

    public static Tensor neg(Tensor self) {
        if (T.dtype(self) == DType.bool)
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        return Dispatch.unary(UnaryOp.NEG, self);
    }

    /** Rounds to {@code decimals} places, like {@code torch.round(x, decimals=2)}. */
    public static Tensor round(Tensor self, int decimals) {
        if (decimals == 0) return self.round();
        double scale = Math.pow(10, decimals);
        return self.mul(scale).round().div(scale);
    }

    public static Tensor frac(Tensor self) {
        if (!T.dtype(self).isFloatingPoint()) throw new UnsupportedOperationException("\"frac_cpu\" not implemented for '" + T.dtype(self).scalarTypeName() + "'");
        return Graph.composite("FracBackward0", xs -> xs[0].sub(xs[0].trunc()), self);
    }

    /** Like {@code torch.relu}. */
    public static Tensor relu(Tensor self) {
        if (T.dtype(self) == DType.bool) throw new IllegalArgumentException("Boolean inputs not supported for relu"); // as ATen's relu
        // one maximum kernel: self.relu(-0.0) is +0.0 here, -0.0 in ATen's clamp_min (the tie rule costs two more kernels)
        return Graph.recordAs(T.dtype(self).isFloatingPoint() ? Dispatch.binary(BinaryOp.MAXIMUM, self, T.wrap(0.0)) : self.clampMin(0), Variant.RELU);
    }

    public static Tensor relu_(Tensor self) {
        boolean record = Graph.needsRecording(self) && !self.isView();
        self.clampMin_(0);
        return record ? Graph.recordAs(self, Variant.RELU) : self;
    }

    /** Like {@code torch.xlogy}. */
    public static Tensor xlogy(Tensor self, Tensor other) {
        // build_borrowing_binary_float_op: both operands in their common T.dtype(self), integers promoted to the default float
        DType common = Dispatch.resultType(self, other);
        DType t = common.isFloatingPoint() ? common : Torch.getDefaultDtype();
        return Graph.composite("XlogyBackward0", xs -> {
            Tensor x = xs[0].to(t), y = xs[1].to(t);
            return Torch.where(x.eq(0).logicalAnd(y.isnan().logicalNot()), Torch.zerosLike(x.mul(y)), x.mul(y.log()));
        }, self, other);
    }

    public static Tensor clamp(Tensor self, Tensor min, Tensor max) {
        return Formulas.clamp(self, min, max);
    }

    public static Tensor clampBound(Tensor self, BinaryOp op, double bound) {
        Tensor r = Dispatch.binary(op, self, T.wrap(bound));
        if (bound != 0 || !T.dtype(r).isFloatingPoint()) return r;
        // ATen's clamp_min/clamp_max kernels keep the input on a tie (std::self.max(a, min), TensorCompareKernel.cpp), so a
        // zero keeps its sign against a zero bound, where Math.max and Math.min order -0.0 below +0.0
        Tensor x = T.dtype(self) == T.dtype(r) ? self : self.to(T.dtype(r));
        return Torch.where(x.eq(0), x, r);
    }

    public static Tensor clamp_(Tensor self, double min, double max) {
        if (!T.dtype(self).isFloatingPoint()) // PyTorch names the C++ type here, except for bool, where 2.x gives the ScalarType
            throw new IllegalArgumentException("result type Float can't be cast to the desired output type "
                    + (T.dtype(self) == DType.bool ? T.dtype(self).scalarTypeName() : T.typeMetaName(T.dtype(self))));
        return self.clampMin_(min).clampMax_(max);
    }

    /** Keeps values where mask is false and puts {@code value} where it is true, like {@code x.masked_fill(mask, v)}. */
    public static Tensor maskedFill(Tensor self, Tensor mask, double value) {
        checkMask(mask);
        Tensor v = Torch.fullLike(T.wrap(value), value, T.dtype(self));
        return Graph.composite("MaskedFillBackward0", xs -> Torch.where(mask, v, xs[0]), self);
    }

    /** Like {@code x.masked_fill(mask, 2)}: an integer value (a Python int). */
    public static Tensor maskedFill(Tensor self, Tensor mask, long value) {
        checkMask(mask);
        return Graph.composite("MaskedFillBackward0", xs -> Torch.where(mask, Torch.full(new long[0], value, T.dtype(self), Device.CPU), xs[0]), self);
    }

    public static Tensor maskedFill_(Tensor self, Tensor mask, long value) {
        checkMask(mask);
        Dispatch.checkInPlaceShape(self, T.shape(mask)); // masked_fill_impl_cpu's TensorIterator
        return self.copy_(self.maskedFill(mask, value));
    }

    public static Tensor maskedFill(Tensor self, Tensor mask, Tensor value) {
        checkMask(mask);
        return Graph.composite("MaskedFillBackward1", xs -> Torch.where(mask, xs[1].to(T.dtype(self)), xs[0]), self, value);
    }

    public static Tensor maskedFill_(Tensor self, Tensor mask, double value) {
        checkMask(mask);
        Dispatch.checkInPlaceShape(self, T.shape(mask)); // masked_fill_impl_cpu's TensorIterator
        return self.copy_(self.maskedFill(mask, value));
    }

    private static void checkMask(Tensor mask) {
        if (T.dtype(mask) != DType.bool)
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype " + T.dtype(mask).name().replace("uint8", "unsigned char").replace("int64", "long int"));
    }

    /** True when shapes and all elements are equal, like {@code torch.equal}. */
    public static boolean equal(Tensor self, Tensor other) {
        return Arrays.equals(T.shape(self), T.shape(other)) && (self.numel() == 0 || self.eq(other).all().itemBoolean());
    }

    public static Tensor isclose(Tensor self, Tensor other, double rtol, double atol) {
        Tensor a = self.to(DType.float64), b = other.to(DType.float64);
        return a.sub(b).abs().le(b.abs().mul(rtol).add(atol)).logicalOr(a.eq(b));
    }

    public static Tensor pow(Tensor self, long exponent) {
        checkIntegerPower(self, exponent);
        return Dispatch.binary(BinaryOp.POW, self, T.wrap(exponent));
    }

    public static Tensor pow_(Tensor self, long exponent) {
        checkIntegerPower(self, exponent);
        return Dispatch.binaryInPlace(BinaryOp.POW, self, T.wrap(exponent));
    }

    static void checkIntegerPower(Tensor self, long exponent) {
        if (exponent < 0 && !T.dtype(self).isFloatingPoint())
            throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
    }

    public static Tensor clampMin(Tensor self, long min) {
        if (T.dtype(self).isFloatingPoint()) return self.clampMin((double) min);
        Dispatch.checkScalarFits(min, T.dtype(self)); // ATen converts the bound to the tensor's type, checking for overflow
        return Dispatch.binary(BinaryOp.MAXIMUM, self, T.wrap(min));
    }

    public static Tensor clampMax(Tensor self, long max) {
        if (T.dtype(self).isFloatingPoint()) return self.clampMax((double) max);
        Dispatch.checkScalarFits(max, T.dtype(self));
        return Dispatch.binary(BinaryOp.MINIMUM, self, T.wrap(max));
    }

    public static Tensor clampMin_(Tensor self, long min) {
        if (T.dtype(self).isFloatingPoint()) return self.clampMin_((double) min);
        Dispatch.checkScalarFits(min, T.dtype(self));
        return Dispatch.binaryInPlace(BinaryOp.MAXIMUM, self, T.wrap(min));
    }

    public static Tensor clampMax_(Tensor self, long max) {
        if (T.dtype(self).isFloatingPoint()) return self.clampMax_((double) max);
        Dispatch.checkScalarFits(max, T.dtype(self));
        return Dispatch.binaryInPlace(BinaryOp.MINIMUM, self, T.wrap(max));
    }

    /** {@code this + value * t1 * t2} with an integer value, like {@code torch.addcmul(x, a, b, value=2)}. */
    public static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, long value) {
        if (Autocast.active()) return Autocast.call("addcmul", xs -> xs[0].addcmul(xs[1], xs[2], value), self, t1, t2);
        return addc(self, "AddcmulBackward0", t1, t2, value, false);
    }
}
