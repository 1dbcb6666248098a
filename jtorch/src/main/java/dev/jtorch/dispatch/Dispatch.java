package dev.jtorch.dispatch;

import dev.jtorch.autograd.InPlace;
import dev.jtorch.Tensor;
import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Torch;
import dev.jtorch.TensorScope;
import dev.jtorch.Autocast;
import dev.jtorch.Python;
import dev.jtorch.internal.TensorAccess;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.SavedArgs;
import dev.jtorch.autograd.Variant;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.Kernel;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;
import java.util.Arrays;

/**
 * The dispatcher: checks operands, applies PyTorch's type promotion and broadcasting,
 * allocates the result, calls the device's backend and records the op for autograd.
 */
public final class Dispatch {
    private static final TensorAccess T = TensorAccess.get();

    private Dispatch() {}

    public static Backend backend(Device d) { return Backends.of(d); }

    public static Tensor empty(long[] shape, DType dtype, Device device) {
        Shapes.checkNewTensor(shape, dtype.itemSize());
        dev.jtorch.backend.Storage storage = backend(device).allocate(dtype, Shapes.numel(shape));
        if (device.isCuda() || storage instanceof dev.jtorch.backend.SegmentStorage) T.recordInScope(storage); // device or native memory
        return T.make(storage, dtype, shape.clone(), Strided.contiguousStrides(shape), 0);
    }

    public static Strided strided(Tensor t) { return new Strided(T.storage(t), T.dtype(t), T.shape(t), T.stride(t), T.offset(t)); }

    public static Strided broadcastTo(Tensor t, long[] shape) {
        if (Arrays.equals(T.shape(t), shape)) return strided(t);
        return new Strided(T.storage(t), T.dtype(t), shape, Shapes.expandStrides(T.shape(t), T.stride(t), shape), T.offset(t));
    }

    /** Runs one kernel on the backend of its output's device. */
    public static void execute(Kernel kernel) { backend(kernel.out().storage().device()).execute(kernel); }

    /** out ← in on out's device, converting dtype (in has out's shape and is on the same device, or a 0-dim CPU scalar). */
    public static void copy(Tensor out, Strided in) { execute(new Kernel.Copy(strided(out), in)); }

    // ---------------------------------------------------------------- promotion

    /** PyTorch's result_type over tensors, 0-dim tensors and wrapped Java numbers, in that priority. */
    public static DType resultType(Tensor... ts) {
        DType dim = null, zero = null, wrapped = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            if (T.wrappedNumber(t)) {
                DType w = T.dtype(t).isFloatingPoint() ? Torch.getDefaultDtype() : T.dtype(t);
                wrapped = wrapped == null ? w : DType.promote(wrapped, w);
            } else if (t.dim() == 0) {
                zero = zero == null ? T.dtype(t) : DType.promote(zero, T.dtype(t));
            } else {
                dim = dim == null ? T.dtype(t) : DType.promote(dim, T.dtype(t));
            }
        }
        return combine(dim, combine(zero, wrapped));
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null) return higher;
        if (higher.isFloatingPoint()) return higher;
        if (higher == DType.bool || lower.isFloatingPoint()) return DType.promote(higher, lower);
        return higher;
    }

    public static boolean canCast(DType from, DType to) {
        if (from.isFloatingPoint() && !to.isFloatingPoint()) return false;
        return from == DType.bool || to != DType.bool;
    }

    /**
     * c10's checked_convert of a Python float written into a tensor (fill_, full, masked_fill): it must fit the
     * dtype (infinities and NaN may go into floating dtypes; NaN may not go into integral ones).
     */
    public static void checkScalarFits(double v, DType t) {
        if (t == DType.bool || t == DType.float64) return;
        boolean overflow;
        if (t.isFloatingPoint()) {
            double max = switch (t) { case float16 -> 65504; case bfloat16 -> 0x1.fep127; default -> Float.MAX_VALUE; };
            overflow = Double.isFinite(v) && Math.abs(v) > max;
        } else {
            double lo = switch (t) { case uint8 -> 0; case int8 -> -128; case int16 -> -32768; case int32 -> Integer.MIN_VALUE; default -> -0x1p63; };
            double hi = switch (t) { case uint8 -> 255; case int8 -> 127; case int16 -> 32767; case int32 -> Integer.MAX_VALUE; default -> 0x1p63; };
            overflow = Double.isNaN(v) || v < lo || v > hi;
        }
        if (overflow) throw new IllegalArgumentException("value cannot be converted to type " + T.cppTypeName(t) + " without overflow");
    }

    /** The same for a Python int: negative values may wrap into uint8 (down to -255). */
    public static void checkScalarFits(long v, DType t) {
        boolean overflow = switch (t) {
            case uint8 -> v > 255 || v < -255;
            case int8 -> v < -128 || v > 127;
            case int16 -> v < -32768 || v > 32767;
            case int32 -> v < Integer.MIN_VALUE || v > Integer.MAX_VALUE;
            case float16 -> Math.abs((double) v) > 65504;
            default -> false;
        };
        if (overflow) throw new IllegalArgumentException("value cannot be converted to type " + T.cppTypeName(t) + " without overflow");
    }

    private static DType computeType(Op op, DType common) {
        return switch (op.result()) {
            case SAME, BOOL, INDEX -> common;
            case FLOAT -> common.isFloatingPoint() ? common : Torch.getDefaultDtype();
            case INTEGRAL -> {
                if (common.isFloatingPoint()) {
                    // the shift kernels are named lshift_cpu and rshift_cpu (ATen's BinaryOpsKernel.cpp)
                    String kernel = op == BinaryOp.BITWISE_LEFT_SHIFT ? "lshift" : op == BinaryOp.BITWISE_RIGHT_SHIFT ? "rshift" : op.torchName();
                    throw new UnsupportedOperationException("\"" + kernel + "_cpu\" not implemented for '" + common.scalarTypeName() + "'");
                }
                yield common;
            }
        };
    }

    private static DType outType(Op op, DType compute) {
        return switch (op.result()) {
            case BOOL -> DType.bool;
            case INDEX -> DType.int64;
            default -> compute;
        };
    }

    public static Device commonDevice(Tensor... ts) {
        Device dev = null;
        for (Tensor t : ts) {
            if (t == null || (t.dim() == 0 && !t.device().isCuda())) continue;
            if (dev == null) dev = t.device();
            else if (!dev.equals(t.device()))
                throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                        + dev + " and " + t.device() + "!");
        }
        if (dev != null) return dev;
        for (Tensor t : ts) if (t != null) return t.device();
        return Device.CPU;
    }

    /** An operand converted for a kernel computing in {@code compute} on {@code device}. */
    private static Tensor operand(Tensor t, DType compute, Device device) {
        DType want = compute;
        // PyTorch computes half-precision ops in float and keeps scalars in float32 precision.
        if (T.wrappedNumber(t) && (compute == DType.float16 || compute == DType.bfloat16)) want = DType.float32;
        Tensor r = T.dtype(t) == want ? t : convert(t, want);
        if (!r.device().equals(device) && !(r.dim() == 0 && !r.device().isCuda())) r = toDevice(r, device);
        return r;
    }

    // ---------------------------------------------------------------- copies and conversions

    /** A new tensor with {@code t}'s values in another dtype (no autograd). */
    public static Tensor convert(Tensor t, DType dtype) {
        Tensor out = empty(T.shape(t), dtype, t.device());
        copy(out, strided(t));
        return out;
    }

    public static Tensor toDevice(Tensor t, Device device) {
        Tensor out = empty(T.shape(t), T.dtype(t), device);
        copyInto(out, t);
        return out;
    }

    /** out ← src with broadcasting, dtype conversion and device transfer (no autograd). */
    public static void copyInto(Tensor out, Tensor src) { copyInto(out, src, false); }

    /** The same; with {@code nonBlocking}, a transfer between pinned host memory and a GPU is only queued ({@link PinnedMemory}). */
    public static void copyInto(Tensor out, Tensor src, boolean nonBlocking) {
        Strided s = broadcastTo(src, T.shape(out));
        Device from = src.device(), to = out.device();
        if (from.equals(to)) {
            if (overlaps(out, src) && !sameView(out, src)) {
                Tensor tmp = T.contiguousNoGrad(src);
                s = broadcastTo(tmp, T.shape(out));
            }
            copy(out, s);
        } else if (PinnedMemory.copy(out, src, nonBlocking)) {
            return; // straight between pinned memory and the device, on the current stream
        } else if (out.numel() > Integer.MAX_VALUE - 8 && out.dim() > 0 && T.shape(out)[0] > 1) {
            copyInSlices(out, src, nonBlocking); // a transfer stages through a Java array: one slice of dim 0 at a time
        } else if (!to.isCuda()) {
            var host = backend(from).copyToHost(strided(T.dtype(src) == T.dtype(out) ? src : convert(src, T.dtype(out))));
            Tensor h = T.make(host, T.dtype(out), T.shape(src).clone(), Strided.contiguousStrides(T.shape(src)), 0);
            copy(out, broadcastTo(h, T.shape(out)));
        } else {
            if (out.numel() > Integer.MAX_VALUE - 8)
                throw new UnsupportedOperationException("a copy of " + out.numel() + " elements to " + to + " stages through a Java array, "
                        + "which holds at most " + (Integer.MAX_VALUE - 8) + ": copy slices of dim 0 smaller than that");
            Tensor h = src.device().isCuda() ? toDevice(src, Device.CPU) : src;
            Tensor dense = empty(T.shape(out), T.dtype(out), Device.CPU);
            copy(dense, broadcastTo(h, T.shape(out)));
            backend(to).copyFromHost((dev.jtorch.backend.ArrayStorage) T.storage(dense), strided(out));
        }
    }

    /** A device transfer of a tensor too large for one Java array, as transfers of slices along dim 0 small enough for one. */
    private static void copyInSlices(Tensor out, Tensor src, boolean nonBlocking) {
        Tensor whole = T.make(T.storage(src), T.dtype(src), T.shape(out).clone(), Shapes.expandStrides(T.shape(src), T.stride(src), T.shape(out)), T.offset(src));
        long rows = Math.max(1, (1L << 24) / Math.max(1, out.numel() / T.shape(out)[0]));
        for (long r = 0; r < T.shape(out)[0]; r += rows) {
            long n = Math.min(rows, T.shape(out)[0] - r);
            copyInto(rowSlice(out, r, n), rowSlice(whole, r, n), nonBlocking);
        }
    }

    private static Tensor rowSlice(Tensor t, long from, long n) {
        long[] shape = T.shape(t).clone();
        shape[0] = n;
        return T.make(T.storage(t), T.dtype(t), shape, T.stride(t), T.offset(t) + from * T.stride(t)[0]);
    }

    public static boolean overlaps(Tensor a, Tensor b) { return T.storage(a) == T.storage(b); }

    private static boolean sameView(Tensor a, Tensor b) {
        return T.offset(a) == T.offset(b) && Arrays.equals(T.shape(a), T.shape(b)) && Arrays.equals(T.stride(a), T.stride(b));
    }

    // ---------------------------------------------------------------- elementwise

    public static Tensor unary(UnaryOp op, Tensor x) { return unary(op, x, null); }

    public static Tensor unary(UnaryOp op, Tensor x, Tensor out) {
        if (out == null && Autocast.active()) x = T.autocast(op, x)[0];
        if (T.dtype(x) == DType.bool) {
            String kernel = switch (op) {
                case ABS -> "abs_cpu"; case CEIL -> "ceil_vml_cpu"; case FLOOR -> "floor_vml_cpu";
                case ROUND -> "round_vml_cpu"; case TRUNC -> "trunc_vml_cpu"; default -> null;
            };
            if (kernel != null) throw new UnsupportedOperationException("\"" + kernel + "\" not implemented for 'Bool'");
        }
        DType compute = computeType(op, T.dtype(x));
        if (op.result() == Op.Result.FLOAT && !T.dtype(x).isFloatingPoint() && op != UnaryOp.LOGICAL_NOT) compute = Torch.getDefaultDtype();
        DType outType = outType(op, compute);
        Tensor in = operand(x, compute, x.device());
        Tensor result = prepareOut(out, T.shape(x), outType, x.device(), op);
        run(new Kernel.Unary(op, strided(result), strided(in)), result, out);
        if (out == null && outType.isFloatingPoint() && Graph.needsRecording(x)) Graph.record(op, result, new Tensor[]{x});
        return result;
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) { return binary(op, a, b, null, null); }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { return binary(op, a, b, out, null); }

    /** {@code op(a, b)}; for ADD and SUB a non-null {@code alpha} (Double or Long) gives {@code a ± alpha * b}. */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, Tensor out, Number alpha) {
        if (out == null && Autocast.active()) { Tensor[] c = T.autocast(op, a, b); a = c[0]; b = c[1]; }
        DType common = resultType(a, b);
        checkBinary(op, a, b, common);
        long[] shape = Shapes.broadcast(T.shape(a), T.shape(b)); // TensorIterator checks shapes before it picks a kernel
        checkKernel(op, common);
        if (op == BinaryOp.HYPOT && !common.isFloatingPoint())
            throw new UnsupportedOperationException("\"hypot_cpu\" not implemented for '" + common.scalarTypeName() + "'");
        DType compute = computeType(op, common);
        DType outType = outType(op, compute);
        Device dev = commonDevice(a, b);
        Number kernelAlpha = kernelAlpha(alpha, compute, dev);
        Tensor ca = operand(a, compute, dev), cb = operand(b, compute, dev);
        Tensor result = prepareOut(out, shape, outType, dev, op);
        run(new Kernel.Binary(op, strided(result), broadcastTo(ca, shape), broadcastTo(cb, shape), kernelAlpha), result, out);
        if (out == null && outType.isFloatingPoint() && Graph.needsRecording(a, b)) Graph.record(op, Variant.PRIMARY, result, new Tensor[]{a, b}, savedArgs(op, kernelAlpha));
        return result;
    }

    /** What autograd keeps of a binary op's arguments: ADD's / SUB's alpha as the kernel used it, nothing for the others. */
    private static SavedArgs savedArgs(BinaryOp op, Number kernelAlpha) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB ? SavedArgs.Alpha.of(kernelAlpha) : SavedArgs.NONE;
    }

    /** ADD's / SUB's alpha as the backends take it (null for none), after PyTorch's alpha_check and its conversion check. */
    private static Number kernelAlpha(Number alpha, DType compute, Device dev) {
        if (alpha == null) return null;
        if (!compute.isFloatingPoint() && alpha instanceof Double)
            throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
        // PyTorch's CPU kernel converts alpha to the dtype itself, its CUDA kernel to the compute type (float for half precision)
        DType to = dev.isCuda() && (compute == DType.float16 || compute == DType.bfloat16) ? DType.float32 : compute;
        if (alpha instanceof Double d) checkScalarFits(d, to);
        else checkScalarFits(alpha.longValue(), to);
        if (alpha.doubleValue() == 1) return null; // PyTorch's maybe_multiply skips alpha 1 in backward; forward is the same sum
        return compute.isFloatingPoint() ? (Number) alpha.doubleValue() : (Number) alpha.longValue();
    }

    private static void checkBinary(BinaryOp op, Tensor a, Tensor b, DType common) {
        if (op == BinaryOp.SUB && T.dtype(a) == DType.bool && T.dtype(b) == DType.bool)
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        if (op == BinaryOp.SUB && (T.dtype(a) == DType.bool || T.dtype(b) == DType.bool))
            throw new IllegalArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }

    private static void checkKernel(BinaryOp op, DType common) {
        if (common == DType.bool) {
            // ATen's CPU kernels of these ops dispatch over numbers only (BinaryOpsKernel.cpp, PowKernel.cpp)
            String kernel = switch (op) {
                case POW -> "pow"; case FMOD -> "fmod_cpu"; case REMAINDER -> "remainder_cpu"; case FLOOR_DIVIDE -> "div_floor_cpu";
                case BITWISE_LEFT_SHIFT -> "lshift_cpu"; case BITWISE_RIGHT_SHIFT -> "rshift_cpu"; default -> null;
            };
            if (kernel != null) throw new UnsupportedOperationException("\"" + kernel + "\" not implemented for 'Bool'");
        }
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (T.dtype(cond) != DType.bool) throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype " + T.dtype(cond).scalarTypeName());
        DType common = resultType(a, b);
        Device dev = commonDevice(cond, a, b);
        long[] shape = Shapes.broadcast(Shapes.broadcast(T.shape(cond), T.shape(a)), T.shape(b));
        Tensor ca = operand(a, common, dev), cb = operand(b, common, dev), cc = operand(cond, DType.bool, dev);
        Tensor result = empty(shape, common, dev);
        execute(new Kernel.Ternary(TernaryOp.WHERE, strided(result), broadcastTo(cc, shape), broadcastTo(ca, shape), broadcastTo(cb, shape)));
        if (common.isFloatingPoint() && Graph.needsRecording(a, b)) Graph.record(TernaryOp.WHERE, result, new Tensor[]{cond, a, b});
        return result;
    }

    private static Tensor prepareOut(Tensor out, long[] shape, DType dtype, Device dev, Op op) {
        if (out == null) return empty(shape, dtype, dev);
        if (!canCast(dtype, T.dtype(out)))
            throw new IllegalArgumentException("result type " + dtype.scalarTypeName() + " can't be cast to the desired output type " + T.dtype(out).scalarTypeName());
        if (!Arrays.equals(T.shape(out), shape)) {
            if (out.numel() != 0 && Graph.needsRecording(out)) throw new IllegalArgumentException("out= tensors that require grad cannot be resized");
            out.resize_(shape);
        }
        return out;
    }

    /**
     * Runs {@code kernel}, whose output is {@code result}; when an input overlaps the result other than as the very same
     * view, computes into a new tensor first, then copies. {@code userOut}: the caller's out= tensor, if any.
     */
    private static void run(Kernel kernel, Tensor result, Tensor userOut) {
        Tensor target = result;
        boolean aliased = false;
        for (Strided s : kernel.inputs())
            if (s.storage() == T.storage(result) && !(s.offset() == T.offset(result) && Arrays.equals(s.stride(), T.stride(result)))) aliased = true;
        if (aliased) target = empty(T.shape(result), T.dtype(result), result.device());
        execute(target == result ? kernel : kernel.with(strided(target), kernel.inputs()));
        if (target != result) copy(result, strided(target));
        if (userOut != null) T.bumpVersion(userOut);
    }

    /** In-place: self ← op(self, other), with PyTorch's shape and dtype checks and autograd rebasing. */
    /**
     * Refuses to write into a tensor whose elements share memory (an expanded dim), before any other check, as
     * TensorIterator's compute_mem_overlaps does with ATen's has_internal_overlap (MemoryOverlap.cpp).
     */
    public static void checkNoInternalOverlap(Tensor t) {
        for (int i = 0; i < T.shape(t).length; i++)
            if (T.stride(t)[i] == 0 && T.shape(t)[i] > 1)
                throw new IllegalArgumentException("unsupported operation: more than one element of the written-to tensor refers to a single "
                        + "memory location. Please clone() the tensor before performing the operation.");
    }

    public static Tensor binaryInPlace(BinaryOp op, Tensor self, Tensor other) { return binaryInPlace(op, self, other, null); }

    /**
     * TensorIterator's shape checks for an in-place op (resize_outputs false): the output's shape broadcast with
     * the inputs' in order (infer_size names the accumulated shape a), then the output must have the result's shape.
     */
    public static void checkInPlaceShape(Tensor self, long[]... inputs) {
        long[] shape = T.shape(self);
        for (long[] in : inputs) shape = Shapes.broadcast(shape, in);
        if (!Arrays.equals(shape, T.shape(self)))
            throw new IllegalArgumentException("output with shape " + Shapes.str(T.shape(self)) + " doesn't match the broadcast shape " + Shapes.str(shape));
    }

    /** The same with ADD's / SUB's alpha (null for none): self ← self ± alpha * other. */
    public static Tensor binaryInPlace(BinaryOp op, Tensor self, Tensor other, Number alpha) {
        checkNoInternalOverlap(self);
        DType common = resultType(self, other);
        checkBinary(op, self, other, common);
        // TensorIterator's order: shapes, the output's shape, then dtypes and the kernel
        checkInPlaceShape(self, T.shape(other));
        long[] shape = T.shape(self);
        checkKernel(op, common);
        DType compute = computeType(op, common);
        DType outType = outType(op, compute);
        if (!canCast(outType, T.dtype(self)))
            throw new IllegalArgumentException("result type " + outType.scalarTypeName() + " can't be cast to the desired output type " + T.dtype(self).scalarTypeName());
        InPlace.checkLeaf(self);
        Device dev = commonDevice(self, other);
        Number kernelAlpha = kernelAlpha(alpha, compute, dev);
        SavedArgs args = savedArgs(op, kernelAlpha);
        Tensor before = InPlace.snapshotForGrad(self, other);
        Tensor ca = operand(self, compute, dev), cb = operand(other, compute, dev);
        Tensor target = compute == T.dtype(self) ? self : empty(shape, outType, dev);
        run(new Kernel.Binary(op, strided(target), broadcastTo(ca, shape), broadcastTo(cb, shape), kernelAlpha), target, null);
        if (target != self) copy(self, strided(target));
        T.bumpVersion(self);
        if (before != null) InPlace.rebase(op, self, before, other, args);
        return self;
    }

    public static Tensor unaryInPlace(UnaryOp op, Tensor self) {
        checkNoInternalOverlap(self);
        DType compute = computeType(op, T.dtype(self));
        if (op.result() == Op.Result.FLOAT && !T.dtype(self).isFloatingPoint())
            throw new IllegalArgumentException("result type Float can't be cast to the desired output type " + T.dtype(self).scalarTypeName());
        InPlace.checkLeaf(self);
        Tensor before = InPlace.snapshotForGrad(self);
        execute(new Kernel.Unary(op, strided(self), strided(self)));
        T.bumpVersion(self);
        if (before != null) InPlace.rebase(op, self, before, null, SavedArgs.NONE);
        return self;
    }

    // ---------------------------------------------------------------- reductions

    public static int[] normalizeDims(int[] dims, int ndim) {
        if (dims == null) {
            int[] all = new int[ndim];
            for (int i = 0; i < ndim; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        boolean[] seen = new boolean[Math.max(ndim, 1)];
        for (int i = 0; i < dims.length; i++) {
            out[i] = Shapes.wrapDim(dims[i], ndim);
            if (seen[out[i]]) throw new IllegalArgumentException("dim " + out[i] + " appears multiple times in the list of dims");
            seen[out[i]] = true;
        }
        return ndim == 0 ? new int[0] : out;
    }

    public static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepdim, DType dtype, Variant variant) {
        if (dtype == null && Autocast.active()) dtype = T.autocastDtype(op, x, null);
        int nd = x.dim();
        boolean all = dims == null || (dims.length == 0 && (op == ReduceOp.SUM || op == ReduceOp.MEAN || op == ReduceOp.AMAX || op == ReduceOp.AMIN));
        int[] rd = normalizeDims(all ? null : dims, nd);
        DType in = T.dtype(x);
        DType compute = switch (op) {
            case SUM, PROD -> dtype != null ? dtype : in.isFloatingPoint() ? in : DType.int64;
            case MEAN -> {
                DType t = dtype != null ? dtype : in;
                if (!t.isFloatingPoint())
                    throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: " + t.scalarTypeName());
                yield t;
            }
            default -> in;
        };
        DType outType = switch (op) {
            case ALL, ANY -> in == DType.uint8 ? DType.uint8 : DType.bool; // PyTorch keeps uint8 for all/any
            case ARGMAX, ARGMIN -> DType.int64;
            default -> compute;
        };
        if ((op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) && in == DType.bool)
            throw new IllegalArgumentException(op.torchName() + "(): does not support bool input");
        if (nd > 0 && x.numel() == 0 && all) {
            boolean maxOrMin = variant == Variant.MAX || variant == Variant.MIN;
            switch (op) {
                case AMAX, AMIN -> throw new IllegalArgumentException((maxOrMin ? "" : "a") + (op == ReduceOp.AMAX ? "max" : "min")
                        + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
                case ARGMAX, ARGMIN -> throw new IndexOutOfBoundsException(op.torchName() + "(): Expected reduction dim to be specified for input.numel() == 0.");
                default -> { }
            }
        }
        long[] keep = T.shape(x).clone();
        for (int i = 0; i < rd.length; i++) {
            int d = rd[i];
            if (T.shape(x)[d] == 0 && (op == ReduceOp.AMAX || op == ReduceOp.AMIN || op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN)) {
                String fn = switch (op) { case AMAX -> "amax"; case AMIN -> "amin"; case ARGMAX -> "argmax"; default -> "argmin"; };
                // ReduceOps.cpp: amax/amin pass the dims as given to zero_numel_check_dims, argmax/argmin the wrapped dim
                int shown = (op == ReduceOp.AMAX || op == ReduceOp.AMIN) && !all ? dims[i] : d;
                throw new IndexOutOfBoundsException(fn + "(): Expected reduction dim " + shown + " to have non-zero size.");
            }
            keep[d] = 1;
        }
        if (nd > 0 && x.numel() == 0 && all && (op == ReduceOp.AMAX || op == ReduceOp.AMIN || op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN)) {
            String fn = switch (op) { case AMAX -> "max"; case AMIN -> "min"; case ARGMAX -> "argmax"; default -> "argmin"; };
            throw new IllegalArgumentException(fn + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }
        Tensor src = (op == ReduceOp.SUM || op == ReduceOp.PROD || op == ReduceOp.MEAN) && compute != in ? convert(x, compute) : x;
        Tensor result = empty(keep, outType, x.device());
        execute(new Kernel.Reduce(op, strided(result), strided(src)));
        if (!keepdim) {
            long[] shape = new long[nd - rd.length];
            boolean[] drop = new boolean[Math.max(nd, 1)];
            for (int d : rd) drop[d] = true;
            for (int d = 0, k = 0; d < nd; d++) if (!drop[d]) shape[k++] = keep[d];
            result = T.viewNoGrad(result, shape);
        }
        if (outType.isFloatingPoint() && Graph.needsRecording(x) && op != ReduceOp.ARGMAX && op != ReduceOp.ARGMIN)
            Graph.record(op, variant, result, new Tensor[]{x}, new SavedArgs.Dims(rd, keepdim));
        return result;
    }

    /** A scan along {@code dim}; {@code descending} is ARGSORT's order. */
    public static Tensor scan(ScanOp op, Tensor x, int dim, DType dtype, boolean descending) {
        if (dtype == null && Autocast.active()) dtype = T.autocastDtype(op, x, null);
        int d = Shapes.wrapDim(dim, x.dim());
        DType compute = dtype != null ? dtype : op == ScanOp.ARGSORT ? T.dtype(x) : T.dtype(x).isFloatingPoint() ? T.dtype(x) : DType.int64;
        Tensor src = op != ScanOp.ARGSORT && compute != T.dtype(x) ? convert(x, compute) : x;
        Tensor result = empty(T.shape(x), op == ScanOp.ARGSORT ? DType.int64 : compute, x.device());
        execute(new Kernel.Scan(op, strided(result), strided(src), d, descending));
        if (op != ScanOp.ARGSORT && compute.isFloatingPoint() && Graph.needsRecording(x)) Graph.record(op, Variant.PRIMARY, result, new Tensor[]{x}, new SavedArgs.Dim(d));
        return result;
    }

    // ---------------------------------------------------------------- matmul and joins

    /** Batched product of two 3-D tensors (broadcast batch already applied), with autograd. */
    public static Tensor bmm(Tensor a, Tensor b) {
        DType common = resultType(a, b);
        if (T.dtype(a) != T.dtype(b))
            throw new IllegalArgumentException("expected m1 and m2 to have the same dtype, but got: " + T.typeMetaName(T.dtype(a)) + " != " + T.typeMetaName(T.dtype(b)));
        if (T.dtype(a) == DType.bool) throw new UnsupportedOperationException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
        Device dev = commonDevice(a, b);
        long[] shape = {T.shape(a)[0], T.shape(a)[1], T.shape(b)[2]};
        Tensor result = empty(shape, common, dev);
        execute(new Kernel.Matmul(strided(result), strided(a), strided(b)));
        if (common.isFloatingPoint() && Graph.needsRecording(a, b))
            Graph.record(MatmulOp.MATMUL, Variant.BMM, result, new Tensor[]{a, b}, new SavedArgs.MatmulLayout(columnMajor(a), columnMajor(b)));
        return result;
    }

    /** True when a batch of matrices is stored column by column (a transposed row-major matrix, like {@code w.t()}). */
    private static boolean columnMajor(Tensor t) {
        return T.stride(t)[1] == 1 && T.stride(t)[2] != 1 && T.shape(t)[1] > 1 && T.shape(t)[2] > 1;
    }

    public static Tensor cat(java.util.List<Tensor> tensors, int dim) {
        if (Autocast.active()) tensors = T.autocast(JoinOp.CAT, tensors);
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        // PyTorch skips legacy empty 1-D tensors of shape [0].
        java.util.List<Tensor> ts = tensors.stream().filter(t -> !(t.dim() == 1 && t.numel() == 0)).toList();
        if (ts.isEmpty()) ts = java.util.List.of(tensors.get(0));
        Tensor first = ts.get(0);
        int nd = first.dim();
        if (nd == 0) throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shapes.wrapDim(dim, nd);
        DType common = resultType(ts.toArray(new Tensor[0]));
        for (Tensor t : ts) if (t.dim() == 0) common = DType.promote(common, T.dtype(t));
        Device dev = commonDevice(ts.toArray(new Tensor[0]));
        long total = 0;
        for (int i = 0; i < ts.size(); i++) {
            Tensor t = ts.get(i);
            if (t.dim() != nd)
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + nd + " and " + t.dim());
            for (int k = 0; k < nd; k++)
                if (k != d && T.shape(t)[k] != T.shape(first)[k])
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size "
                            + T.shape(first)[k] + " but got size " + T.shape(t)[k] + " for tensor number " + i + " in the list.");
            total += T.shape(t)[d];
        }
        long[] shape = T.shape(first).clone();
        shape[d] = total;
        Strided[] in = new Strided[ts.size()];
        for (int i = 0; i < in.length; i++) in[i] = strided(operand(ts.get(i), common, dev));
        Tensor result = empty(shape, common, dev);
        execute(new Kernel.Join(JoinOp.CAT, strided(result), in, d));
        Tensor[] inputs = ts.toArray(new Tensor[0]);
        if (common.isFloatingPoint() && Graph.needsRecording(inputs)) Graph.record(JoinOp.CAT, Variant.PRIMARY, result, inputs, new SavedArgs.Dim(d));
        return result;
    }
}
