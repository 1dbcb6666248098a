package dev.jtorch;

import dev.jtorch.dispatch.Indexing;
import dev.jtorch.dispatch.PinnedMemory;
import dev.jtorch.dispatch.Shapes;
import dev.jtorch.dispatch.Dispatch;
import dev.jtorch.dispatch.Grads;
import dev.jtorch.dispatch.Composites;
import dev.jtorch.dispatch.Writes;
import dev.jtorch.dispatch.Conversions;
import dev.jtorch.dispatch.Reductions;
import dev.jtorch.dispatch.Arithmetic;
import dev.jtorch.dispatch.Views;
import dev.jtorch.autograd.AutogradMeta;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.Node;
import dev.jtorch.autograd.Variant;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Storage;
import dev.jtorch.internal.TensorAccess;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.UnaryOp;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A multi-dimensional array with a dtype and a device, like {@code torch.Tensor}: a strided view
 * over a storage. Most methods are one line into the dispatcher; composite ops are written here
 * from primitives and need no backward of their own.
 */
public final class Tensor {
    // Not final: setData swaps them (PyTorch's x.data = y). Like PyTorch, a tensor whose data is swapped while
    // another thread uses it is a race; everything else reads them once per op and caches nothing derived.
    Storage storage;
    DType dtype;
    long[] shape, stride;
    long offset;
    /** The tensor this one is a view of, or null. */
    final Tensor base;
    /** Shared by all views of one storage: bumped by every in-place write, checked by autograd. */
    private final int[] version;
    private final AutogradMeta meta = new AutogradMeta();
    /** A Java number taking part in an op, which promotes like a Python scalar. */
    boolean wrappedNumber;
    /** Set once by nn.Parameter / Module.registerParameter: the tensor prints as a parameter. */
    private volatile boolean parameter;

    static { TensorAccess.register(new Internals()); }

    /** The layers below the facade reach these internals through {@link TensorAccess}, not through public methods. */
    private static final class Internals implements TensorAccess {
        @Override public Storage storage(Tensor t) { return t.storage; }
        @Override public DType dtype(Tensor t) { return t.dtype; }
        @Override public long[] shape(Tensor t) { return t.shape; }
        @Override public long[] stride(Tensor t) { return t.stride; }
        @Override public long offset(Tensor t) { return t.offset; }
        @Override public Tensor base(Tensor t) { return t.base; }
        @Override public boolean wrappedNumber(Tensor t) { return t.wrappedNumber; }
        @Override public Tensor make(Storage storage, DType dtype, long[] shape, long[] stride, long offset) {
            return new Tensor(storage, dtype, shape, stride, offset);
        }
        @Override public Tensor view(Tensor viewOf, long[] shape, long[] stride, long offset) { return new Tensor(viewOf, shape, stride, offset); }
        @Override public Tensor wrap(double v) { return Tensor.wrap(v); }
        @Override public Tensor wrap(long v) { return Tensor.wrap(v); }
        @Override public Tensor wrap(boolean v) { return Tensor.wrap(v); }
        @Override public void bumpVersion(Tensor t) { t.bumpVersion(); }
        @Override public Tensor cloneNoGrad(Tensor t) { return Conversions.cloneNoGrad(t); }
        @Override public Tensor contiguousNoGrad(Tensor t) { return t.contiguousNoGrad(); }
        @Override public Tensor viewNoGrad(Tensor t, long[] shape) { return t.viewNoGrad(shape); }
        @Override public void setMetadata(Tensor t, Storage storage, DType dtype, long[] shape, long[] stride, long offset) {
            t.storage = storage;
            t.dtype = dtype;
            t.shape = shape;
            t.stride = stride;
            t.offset = offset;
        }
        @Override public ArrayStorage hostCopy(Tensor t) { return Conversions.hostCopy(t); }
        @Override public void recordInScope(Storage storage) { TensorScope.record(storage); }
        @Override public Tensor[] autocast(Op op, Tensor... args) { return Autocast.cast(op, args); }
        @Override public List<Tensor> autocast(Op op, List<Tensor> args) { return Autocast.cast(op, args); }
        @Override public DType autocastDtype(Op op, Tensor x, DType dtype) { return Autocast.optDtype(op, x, dtype); }
        @Override public String cppTypeName(DType dtype) { return dtype.cppTypeName(); }
        @Override public String typeMetaName(DType dtype) { return dtype.typeMetaName(); }
    }

    Tensor(Storage storage, DType dtype, long[] shape, long[] stride, long offset) { this(storage, dtype, shape, stride, offset, null, new int[1]); }

    /** A view of {@code viewOf}: its base's data and version counter. */
    private Tensor(Tensor viewOf, long[] shape, long[] stride, long offset) {
        this(viewOf.storage, viewOf.dtype, shape, stride, offset, viewOf.base != null ? viewOf.base : viewOf, viewOf.version);
    }

    /** An alias of {@code of}'s data that is not a view (no base), with the given version counter. */
    private Tensor(Tensor of, int[] version) { this(of.storage, of.dtype, of.shape.clone(), of.stride.clone(), of.offset, null, version); }

    private Tensor(Storage storage, DType dtype, long[] shape, long[] stride, long offset, Tensor base, int[] version) {
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
        this.stride = stride;
        this.offset = offset;
        this.base = base;
        this.version = version;
    }

    static Tensor wrap(double v) { return wrapped(new ArrayStorage(new double[]{v}, DType.float64), DType.float64); }
    static Tensor wrap(long v) { return wrapped(new ArrayStorage(new long[]{v}, DType.int64), DType.int64); }
    static Tensor wrap(boolean v) { return wrapped(new ArrayStorage(new boolean[]{v}, DType.bool), DType.bool); }

    private static Tensor wrapped(Storage s, DType dtype) {
        Tensor t = new Tensor(s, dtype, new long[0], new long[0], 0);
        t.wrappedNumber = true;
        return t;
    }

    // ================================================================ attributes

    /** The shape, like {@code x.shape}. */
    public Size shape() { return new Size(shape); }

    /** The shape, like {@code x.size()}. */
    public Size size() { return new Size(shape); }

    /** The size of one dimension; negative dims count from the end. */
    public long size(int dim) { return shape[Shapes.wrapDimNoScalar(dim, dim())]; }

    public int dim() { return shape.length; }

    /** Like {@code x.ndim}. */
    public int ndim() { return shape.length; }

    public long numel() { return Shapes.numel(shape); }
    public DType dtype() { return dtype; }
    public Device device() { return storage.device(); }

    /** The legacy type name, e.g. {@code "torch.FloatTensor"}. */
    public String type() { return dtype.tensorTypeName(device().isCuda()); }

    public long[] stride() { return stride.clone(); }
    public long stride(int dim) { return stride[Shapes.wrapDimNoScalar(dim, dim())]; }
    public long storageOffset() { return offset; }
    public int elementSize() { return dtype.itemSize(); }
    public boolean isCuda() { return device().isCuda(); }
    public boolean isFloatingPoint() { return dtype.isFloatingPoint(); }
    public boolean isContiguous() { return Dispatch.strided(this).isContiguous(); }

    /** True when this tensor is a view of another (shares its storage). */
    public boolean isView() { return base != null; }

    /** The tensor this is a view of, like {@code x._base}; null for non-views. */
    public Tensor base() { return base; }

    /** jtorch internals: the version counter of this tensor's storage, like {@code x._version}. */
    public int version() { return version[0]; }

    void bumpVersion() { version[0]++; }

    // ================================================================ autograd

    /** jtorch internals: the autograd state. */
    public AutogradMeta autogradMeta() { return meta; }

    /** jtorch internals: true for a Java number taking part in an op as a scalar (it promotes like a Python number). */
    public boolean isWrappedNumber() { return wrappedNumber; }

    public boolean requiresGrad() { return meta.requiresGrad(); }

    /** Makes this leaf record operations for autograd, like {@code x.requires_grad_()}. */
    public Tensor requiresGrad_() { return requiresGrad_(true); }

    public Tensor requiresGrad_(boolean on) { return Grads.requiresGrad_(this, on); }

    /**
     * The accumulated gradient, like {@code x.grad}; null when there is none. As in PyTorch, reading it on a non-leaf
     * that does not retain its gradient warns (once): backward never fills it.
     */
    public Tensor grad() { return Grads.grad(this); }

    /** Sets or clears the gradient, like {@code x.grad = g} ({@code null} for {@code x.grad = None}). */
    public void setGrad(Tensor g) { Grads.setGrad(this, g); }

    /** The node that made this tensor, like {@code x.grad_fn}; null for leaves. */
    public Node gradFn() { return meta.gradFn(); }

    public boolean isLeaf() { return meta.gradFn() == null; }

    /** Which output of its grad_fn this tensor is (0 for single-output ops), like {@code x.output_nr}. */
    public int outputNr() { return meta.outputNr(); }

    /** Keeps the gradient of this non-leaf in {@code grad()} after backward, like {@code x.retain_grad()}. */
    public Tensor retainGrad() { return Grads.retainGrad(this); }

    public boolean retainsGrad() { return meta.retainsGrad(); }

    /**
     * Registers a hook called with this tensor's gradient; it may return a replacement (or null to keep it),
     * like {@code x.register_hook(fn)}; the handle's {@code remove()} unregisters it.
     */
    public dev.jtorch.autograd.RemovableHandle registerHook(UnaryOperator<Tensor> hook) { return Grads.registerHook(this, hook); }

    /** Computes gradients of this scalar into the leaves, like {@code x.backward()}. */
    public void backward() { backward(null, false, false); }

    /** Computes gradients with {@code gradient} as d(output)/d(this). */
    public void backward(Tensor gradient) { backward(gradient, false, false); }
    public void backward(Tensor gradient, boolean retainGraph) { backward(gradient, retainGraph, false); }

    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) { Grads.backward(this, gradient, retainGraph, createGraph); }

    /**
     * A tensor sharing this one's data and version counter, cut from the graph, like {@code x.detach()}; as in
     * PyTorch it is not a view ({@link #base()} is null) and not a parameter.
     */
    public Tensor detach() { return new Tensor(this, version); }

    /**
     * A tensor sharing this one's data but not its version counter, outside autograd, like {@code x.data}: in-place
     * changes through it are invisible to autograd's checks.
     */
    public Tensor data() { return new Tensor(this, new int[1]); }

    /**
     * Makes this tensor use {@code data}'s storage, dtype, shape, strides and offset while keeping its own autograd
     * identity (leaf or grad_fn, requires_grad, hooks, grad, version counter), like {@code x.data = data}; views made
     * from it before keep the old storage.
     */
    public void setData(Tensor data) { Grads.setData(this, data); }

    /** True for a tensor made by {@code nn.Parameter.of} or registered as a module parameter, like {@code isinstance(x, nn.Parameter)}. */
    public boolean isParameter() { return parameter; }

    /**
     * jtorch internals behind {@code nn.Parameter.of} and {@code Module.registerParameter} (use those): flags this
     * leaf as a parameter, so that it prints as PyTorch prints one; returns this tensor.
     */
    public Tensor markAsParameter() {
        if (!isLeaf()) throw new IllegalStateException("a parameter must be a leaf tensor; detach() it first");
        parameter = true;
        return this;
    }

    /** Cuts this tensor from the graph in place, like {@code x.detach_()}. */
    public Tensor detach_() { return Grads.detach_(this); }

    // ================================================================ conversion and data access

    /** The value of a one-element tensor, like {@code x.item()}. */
    public double item() { return Conversions.item(this); }

    /** The value of a one-element integral tensor as a long. */
    public long itemLong() { return Conversions.itemLong(this); }

    /** The value of a one-element bool tensor. */
    public boolean itemBoolean() { return Conversions.itemBoolean(this); }

    /** The elements in a new contiguous host storage. */

    public float[] toFloatArray() { return (float[]) Conversions.hostArray(this, DType.float32); }
    public double[] toDoubleArray() { return (double[]) Conversions.hostArray(this, DType.float64); }
    public long[] toLongArray() { return (long[]) Conversions.hostArray(this, DType.int64); }
    public int[] toIntArray() { return (int[]) Conversions.hostArray(this, DType.int32); }
    public short[] toShortArray() { return (short[]) Conversions.hostArray(this, DType.int16); }
    public byte[] toByteArray() { return (byte[]) Conversions.hostArray(this, dtype == DType.uint8 ? DType.uint8 : DType.int8); }
    public boolean[] toBooleanArray() { return (boolean[]) Conversions.hostArray(this, DType.bool); }

    /**
     * The backing Java array when this is a dense CPU tensor over a whole array (like
     * {@code x.numpy()}, it shares memory); otherwise an error.
     */
    public Object array() { return Conversions.array(this); }

    /** The elements as nested lists of Double, Long or Boolean, like {@code x.tolist()}. */
    public List<?> toList() { return Conversions.toList(this); }

    /** A copy in another dtype (this tensor itself when the dtype already matches), like {@code x.to(torch.float64)}. */
    public Tensor to(DType dtype) { return to(device(), dtype); }

    /** A copy on another device (or this tensor when already there), like {@code x.to("cuda")}. */
    public Tensor to(Device device) { return to(device, dtype); }
    public Tensor to(Device device, DType dtype) { return to(device, dtype, false); }

    /** Like {@code x.to(device, non_blocking=...)}: see {@link #to(Device, DType, boolean)}. */
    public Tensor to(Device device, boolean nonBlocking) { return to(device, dtype, nonBlocking); }

    /**
     * Like {@code x.to(device, dtype, non_blocking=...)}. With {@code nonBlocking}, a copy from pinned memory
     * ({@link #pinMemory()}) to a GPU is queued on the current stream and returns at once, and a copy from a GPU
     * to the CPU lands in a new pinned tensor, queued too: synchronize the stream (or wait for an event) before
     * reading the result or writing the pinned source. From pageable memory the copy waits, as in PyTorch.
     */
    public Tensor to(Device device, DType dtype, boolean nonBlocking) { return Conversions.to(this, device, dtype, nonBlocking); }

    /** Like {@code x.to(other)}: other's dtype and device. */
    public Tensor to(Tensor other) { return to(other.device(), other.dtype); }

    public Tensor cuda() { return to(Device.of("cuda")); }

    /** Like {@code x.cuda(non_blocking=...)}: see {@link #to(Device, DType, boolean)}. */
    public Tensor cuda(boolean nonBlocking) { return to(Device.of("cuda"), nonBlocking); }

    /**
     * A copy in page-locked host memory that a GPU copies from and into without staging, like
     * {@code x.pin_memory()} (this tensor when already pinned); needs a GPU.
     */
    public Tensor pinMemory() { return PinnedMemory.pin(this); }

    /** True when this is a CPU tensor in pinned memory, like {@code x.is_pinned()}. */
    public boolean isPinned() { return PinnedMemory.isPinned(this); }

    public Tensor cpu() { return to(Device.CPU); }

    // PyTorch's conversions x.float(), x.long(), ... are Java keywords; these take the dtype's name
    // instead (a trailing underscore would read as an in-place op), beside PyTorch's half() and bfloat16().

    /** To bool, like {@code x.bool()}. */
    public Tensor bool() { return to(DType.bool); }

    /** To uint8, like {@code x.byte()}. */
    public Tensor uint8() { return to(DType.uint8); }

    /** To int8, like {@code x.char()}. */
    public Tensor int8() { return to(DType.int8); }

    /** To int16, like {@code x.short()}. */
    public Tensor int16() { return to(DType.int16); }

    /** To int32, like {@code x.int()}. */
    public Tensor int32() { return to(DType.int32); }

    /** To int64, like {@code x.long()}. */
    public Tensor int64() { return to(DType.int64); }

    /** To float16, like {@code x.half()}. */
    public Tensor float16() { return to(DType.float16); }

    /** To float16, like {@code x.half()}. */
    public Tensor half() { return to(DType.float16); }

    /** To bfloat16, like {@code x.bfloat16()}. */
    public Tensor bfloat16() { return to(DType.bfloat16); }

    /** To float32, like {@code x.float()}. */
    public Tensor float32() { return to(DType.float32); }

    /** To float64, like {@code x.double()}. */
    public Tensor float64() { return to(DType.float64); }

    /** A copy with its own storage, like {@code x.clone()}. */
    @Override
    public Tensor clone() { return Conversions.clone(this); }

    /** This tensor when contiguous, else a contiguous copy, like {@code x.contiguous()}. */
    public Tensor contiguous() { return Conversions.contiguous(this); }

    Tensor contiguousNoGrad() { return isContiguous() ? this : Conversions.cloneNoGrad(this); }

    // ================================================================ views

    Tensor viewNoGrad(long[] newShape) { return Views.viewNoGrad(this, newShape); }

    /** The same data with another shape (one dim may be -1), like {@code x.view(-1, 2)}; never copies. */
    public Tensor view(long... newShape) { return Views.view(this, newShape); }

    /** Like {@code x.view(dtype)} is not supported; this is {@code x.view_as(other)}. */
    public Tensor viewAs(Tensor other) { return view(other.shape); }

    /** A view when possible, else a copy, like {@code x.reshape(...)}. */
    public Tensor reshape(long... newShape) { return Views.reshape(this, newShape); }

    public Tensor reshapeAs(Tensor other) { return reshape(other.shape); }

    /** Swaps two dims, like {@code x.transpose(0, 1)}. */
    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }

    /** Like {@code x.swapaxes(a, b)}. */
    public Tensor swapaxes(int a, int b) { return transpose(a, b); }

    /** Reorders dims, like {@code x.permute(2, 0, 1)}. */
    public Tensor permute(int... dims) { return Views.permute(this, dims); }

    /** Transposes a matrix (≤ 2-D), like {@code x.t()}. */
    public Tensor t() { return Views.t(this); }

    /** Reverses all dims, like {@code x.T}. */
    public Tensor T() { return Views.T(this); }

    /** Transposes the last two dims, like {@code x.mT}. */
    public Tensor mT() { return transpose(-2, -1); }

    /** Transposes in place, like {@code x.t_()}. */
    public Tensor t_() { return Views.t_(this); }

    /** Removes all size-1 dims, like {@code x.squeeze()}. */
    public Tensor squeeze() { return Views.squeeze(this); }

    /** Removes one dim if it has size 1, like {@code x.squeeze(0)}. */
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }

    /** Inserts a size-1 dim, like {@code x.unsqueeze(0)}. */
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }

    /** Flattens all dims into one, like {@code x.flatten()}. */
    public Tensor flatten() { return flatten(0, -1); }
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }

    /** Splits one dim into several, like {@code x.unflatten(1, (2, 3))}. */
    public Tensor unflatten(int dim, long... sizes) { return Views.unflatten(this, dim, sizes); }

    /** Broadcasts to a larger shape without copying (-1 keeps a dim), like {@code x.expand(3, 4)}. */
    public Tensor expand(long... sizes) { return Views.expand(this, sizes); }

    public Tensor expandAs(Tensor other) { return expand(other.shape); }

    /** Like {@code torch.broadcast_to}. */
    public Tensor broadcastTo(long... sizes) { return expand(sizes); }

    /** A slice of one dim, like {@code x.narrow(dim, start, length)}. */
    public Tensor narrow(int dim, long start, long length) { return Views.narrow(this, dim, start, length); }

    /** {@code x[..., start:end:step, ...]} along one dim, with Python's clamping of start and end. */
    public Tensor slice(int dim, long start, long end, long step) { return Views.slice(this, dim, start, end, step); }

    /** Picks one index of a dim, removing it, like {@code x.select(0, i)} or {@code x[i]}. */
    public Tensor select(int dim, long index) { return Views.select(this, dim, index); }

    /** Removes a dim, returning all slices along it, like {@code x.unbind(0)}. */
    public List<Tensor> unbind(int dim) { return Views.unbind(this, dim); }
    public List<Tensor> unbind() { return unbind(0); }

    /** Splits into {@code chunks} nearly equal pieces along a dim, like {@code x.chunk(3, 1)}. */
    public List<Tensor> chunk(int chunks, int dim) { return Views.chunk(this, chunks, dim); }
    public List<Tensor> chunk(int chunks) { return chunk(chunks, 0); }

    /** Splits into pieces of {@code splitSize} along a dim (the last may be smaller), like {@code x.split(2, 1)}. */
    public List<Tensor> split(long splitSize, int dim) { return Views.split(this, splitSize, dim); }
    public List<Tensor> split(long splitSize) { return split(splitSize, 0); }

    /** Splits into pieces of the given sizes along a dim, like {@code x.split([1, 2], 1)}. */
    public List<Tensor> split(long[] sizes, int dim) { return Views.split(this, sizes, dim); }

    /** Resizes in place (new storage when it grows), like {@code x.resize_(...)}. */
    public Tensor resize_(long... newShape) { return Views.resize_(this, newShape); }

    // ================================================================ in-place writes

    /** Copies {@code src} (broadcast, converted) into this tensor, like {@code x.copy_(src)}. */
    public Tensor copy_(Tensor src) { return copy_(src, false); }

    /** Like {@code x.copy_(src, non_blocking=...)}: queued without waiting between a GPU and pinned memory (see {@link #to(Device, DType, boolean)}). */
    public Tensor copy_(Tensor src, boolean nonBlocking) { return Writes.copy_(this, src, nonBlocking); }

    /** Fills with a value, like {@code x.fill_(v)}. */
    public Tensor fill_(double value) { return Writes.fill_(this, value); }

    /** Fills with an exact integer value. */
    public Tensor fill_(long value) { return Writes.fill_(this, value); }
    public Tensor fill_(Tensor value) { return Writes.fill_(this, value); }
    public Tensor zero_() { return fill_(0L); }

    // ================================================================ arithmetic

    public Tensor add(Tensor other) { return Dispatch.binary(BinaryOp.ADD, this, other); }
    public Tensor add(double other) { return Dispatch.binary(BinaryOp.ADD, this, scalar(other)); }

    /**
     * {@code this + alpha * other} in one kernel, like {@code x.add(y, alpha=0.5)}: rounded as PyTorch rounds it (on the
     * CPU alpha is first converted to the dtype, then one fused multiply-add; float16/bfloat16 compute in float).
     */
    public Tensor add(Tensor other, double alpha) { return Dispatch.binary(BinaryOp.ADD, this, other, null, alpha); }
    public Tensor add_(Tensor other) { return Dispatch.binaryInPlace(BinaryOp.ADD, this, other); }
    public Tensor add_(double other) { return Dispatch.binaryInPlace(BinaryOp.ADD, this, scalar(other)); }

    /** {@code this += alpha * other}, like {@code x.add_(y, alpha=0.5)}. */
    public Tensor add_(Tensor other, double alpha) { return Dispatch.binaryInPlace(BinaryOp.ADD, this, other, alpha); }

    public Tensor sub(Tensor other) { return Dispatch.binary(BinaryOp.SUB, this, other); }
    public Tensor sub(double other) { return Dispatch.binary(BinaryOp.SUB, this, scalar(other)); }

    /** {@code this - alpha * other} in one kernel, like {@code x.sub(y, alpha=0.5)}. */
    public Tensor sub(Tensor other, double alpha) { return Dispatch.binary(BinaryOp.SUB, this, other, null, alpha); }
    public Tensor sub_(Tensor other) { return Dispatch.binaryInPlace(BinaryOp.SUB, this, other); }
    public Tensor sub_(double other) { return Dispatch.binaryInPlace(BinaryOp.SUB, this, scalar(other)); }

    /** {@code this -= alpha * other}, like {@code x.sub_(y, alpha=0.5)}. */
    public Tensor sub_(Tensor other, double alpha) { return Dispatch.binaryInPlace(BinaryOp.SUB, this, other, alpha); }

    /** {@code other - this}, like {@code torch.rsub(x, other)} / Python's {@code 2 - x}. */
    public Tensor rsub(double other) { return Dispatch.binary(BinaryOp.SUB, scalar(other), this); }

    public Tensor mul(Tensor other) { return Dispatch.binary(BinaryOp.MUL, this, other); }
    public Tensor mul(double other) { return Dispatch.binary(BinaryOp.MUL, this, scalar(other)); }
    public Tensor mul_(Tensor other) { return Dispatch.binaryInPlace(BinaryOp.MUL, this, other); }
    public Tensor mul_(double other) { return Dispatch.binaryInPlace(BinaryOp.MUL, this, scalar(other)); }
    public Tensor multiply(Tensor other) { return mul(other); }
    public Tensor div(Tensor other) { return Dispatch.binary(BinaryOp.DIV, this, other); }
    public Tensor div(double other) { return Dispatch.binary(BinaryOp.DIV, this, scalar(other)); }

    /** Division with {@code "trunc"} or {@code "floor"} rounding, like {@code x.div(y, rounding_mode="floor")}. */
    public Tensor div(Tensor other, String roundingMode) { return Arithmetic.div(this, other, roundingMode); }
    public Tensor div(double other, String roundingMode) { return div(scalar(other), roundingMode); }
    public Tensor div_(Tensor other) { return Dispatch.binaryInPlace(BinaryOp.DIV, this, other); }
    public Tensor div_(double other) { return Dispatch.binaryInPlace(BinaryOp.DIV, this, scalar(other)); }
    public Tensor divide(Tensor other) { return div(other); }
    public Tensor trueDivide(Tensor other) { return div(other); }

    /** {@code other / this}, like Python's {@code 2 / x}. */
    public Tensor rdiv(double other) { return reciprocal().mul(other); }

    public Tensor floorDivide(Tensor other) { return Dispatch.binary(BinaryOp.FLOOR_DIVIDE, this, other); }
    public Tensor floorDivide(double other) { return Dispatch.binary(BinaryOp.FLOOR_DIVIDE, this, scalar(other)); }
    public Tensor remainder(Tensor other) { return Dispatch.binary(BinaryOp.REMAINDER, this, other); }
    public Tensor remainder(double other) { return Dispatch.binary(BinaryOp.REMAINDER, this, scalar(other)); }
    public Tensor fmod(Tensor other) { return Dispatch.binary(BinaryOp.FMOD, this, other); }
    public Tensor fmod(double other) { return Dispatch.binary(BinaryOp.FMOD, this, scalar(other)); }
    public Tensor pow(Tensor exponent) { return Dispatch.binary(BinaryOp.POW, this, exponent); }
    public Tensor pow(double exponent) { return Dispatch.binary(BinaryOp.POW, this, scalar(exponent)); }
    public Tensor pow_(double exponent) { return Dispatch.binaryInPlace(BinaryOp.POW, this, scalar(exponent)); }

    /** {@code base ** this}, like {@code torch.pow(2, x)}. */
    public Tensor rpow(double base) { return Dispatch.binary(BinaryOp.POW, scalar(base), this); }

    public Tensor square() { return Dispatch.binary(BinaryOp.POW, this, scalarLong(2)); }
    public Tensor maximum(Tensor other) { return Dispatch.binary(BinaryOp.MAXIMUM, this, other); }
    public Tensor minimum(Tensor other) { return Dispatch.binary(BinaryOp.MINIMUM, this, other); }

    /** Like {@code torch.fmax}: NaN-ignoring maximum. */
    public Tensor fmax(Tensor other) { return Arithmetic.fmax(this, other); }

    public Tensor fmin(Tensor other) { return Arithmetic.fmin(this, other); }
    public Tensor atan2(Tensor other) { return Dispatch.binary(BinaryOp.ATAN2, this, other); }
    public Tensor arctan2(Tensor other) { return atan2(other); }
    public Tensor hypot(Tensor other) { return Dispatch.binary(BinaryOp.HYPOT, this, other); }
    public Tensor copysign(Tensor other) { return Dispatch.binary(BinaryOp.COPYSIGN, this, other); }
    public Tensor copysign(double other) { return Dispatch.binary(BinaryOp.COPYSIGN, this, scalar(other)); }

    /** {@code this + weight * (end - this)}, like {@code torch.lerp}. */
    public Tensor lerp(Tensor end, double weight) { return Arithmetic.lerp(this, end, weight); }
    public Tensor lerp(Tensor end, Tensor weight) { return Arithmetic.lerp(this, end, weight); }

    /** lerp's operands share one dtype, checked before shapes and kernels, as in ATen's lerp meta functions. */

    /** {@code this + value * t1 * t2}, like {@code torch.addcmul}. */
    public Tensor addcmul(Tensor t1, Tensor t2, double value) { return Arithmetic.addcmul(this, t1, t2, value); }
    public Tensor addcmul(Tensor t1, Tensor t2) { return Arithmetic.addcmul(this, t1, t2); }

    /** {@code this + value * t1 / t2}, like {@code torch.addcdiv}. */
    public Tensor addcdiv(Tensor t1, Tensor t2, double value) { return Arithmetic.addcdiv(this, t1, t2, value); }
    public Tensor addcdiv(Tensor t1, Tensor t2) { return Arithmetic.addcdiv(this, t1, t2); }

    /**
     * ATen's addcmul/addcdiv (PointwiseOps.cpp, PointwiseOpsKernel.cpp): one TensorIterator over self, t1 and t2
     * (their broadcast in that order and their common dtype, which the value does not change), then
     * {@code self + value * t1 * t2} (or {@code / t2}) in that order, float16 and bfloat16 in float32 rounded once,
     * the value converted to the common dtype (0.5 is 0 for integers).
     */

    public Tensor neg() { return Arithmetic.neg(this); }
    public Tensor negative() { return neg(); }
    public Tensor neg_() { return Dispatch.unaryInPlace(UnaryOp.NEG, this); }
    public Tensor abs() { return Dispatch.unary(UnaryOp.ABS, this); }
    public Tensor abs_() { return Dispatch.unaryInPlace(UnaryOp.ABS, this); }
    public Tensor absolute() { return abs(); }
    public Tensor sign() { return Dispatch.unary(UnaryOp.SIGN, this); }

    /** Like {@code torch.sgn} (sign for real tensors). */
    public Tensor sgn() { return sign(); }

    public Tensor ceil() { return Dispatch.unary(UnaryOp.CEIL, this); }
    public Tensor floor() { return Dispatch.unary(UnaryOp.FLOOR, this); }
    public Tensor round() { return Dispatch.unary(UnaryOp.ROUND, this); }

    /** Rounds to {@code decimals} places, like {@code torch.round(x, decimals=2)}. */
    public Tensor round(int decimals) { return Arithmetic.round(this, decimals); }

    public Tensor trunc() { return Dispatch.unary(UnaryOp.TRUNC, this); }
    public Tensor fix() { return trunc(); }
    public Tensor frac() { return Arithmetic.frac(this); }
    public Tensor exp() { return Dispatch.unary(UnaryOp.EXP, this); }
    public Tensor exp_() { return Dispatch.unaryInPlace(UnaryOp.EXP, this); }
    public Tensor exp2() { return Dispatch.unary(UnaryOp.EXP2, this); }
    public Tensor expm1() { return Dispatch.unary(UnaryOp.EXPM1, this); }
    public Tensor log() { return Dispatch.unary(UnaryOp.LOG, this); }
    public Tensor log_() { return Dispatch.unaryInPlace(UnaryOp.LOG, this); }
    public Tensor log2() { return Dispatch.unary(UnaryOp.LOG2, this); }
    public Tensor log10() { return Dispatch.unary(UnaryOp.LOG10, this); }
    public Tensor log1p() { return Dispatch.unary(UnaryOp.LOG1P, this); }
    public Tensor sqrt() { return Dispatch.unary(UnaryOp.SQRT, this); }
    public Tensor sqrt_() { return Dispatch.unaryInPlace(UnaryOp.SQRT, this); }
    public Tensor rsqrt() { return Dispatch.unary(UnaryOp.RSQRT, this); }
    public Tensor reciprocal() { return Dispatch.unary(UnaryOp.RECIPROCAL, this); }
    public Tensor sin() { return Dispatch.unary(UnaryOp.SIN, this); }
    public Tensor cos() { return Dispatch.unary(UnaryOp.COS, this); }
    public Tensor tan() { return Dispatch.unary(UnaryOp.TAN, this); }
    public Tensor asin() { return Dispatch.unary(UnaryOp.ASIN, this); }
    public Tensor acos() { return Dispatch.unary(UnaryOp.ACOS, this); }
    public Tensor atan() { return Dispatch.unary(UnaryOp.ATAN, this); }
    public Tensor arcsin() { return asin(); }
    public Tensor arccos() { return acos(); }
    public Tensor arctan() { return atan(); }
    public Tensor sinh() { return Dispatch.unary(UnaryOp.SINH, this); }
    public Tensor cosh() { return Dispatch.unary(UnaryOp.COSH, this); }
    public Tensor tanh() { return Dispatch.unary(UnaryOp.TANH, this); }
    public Tensor tanh_() { return Dispatch.unaryInPlace(UnaryOp.TANH, this); }
    public Tensor asinh() { return Dispatch.unary(UnaryOp.ASINH, this); }
    public Tensor acosh() { return Dispatch.unary(UnaryOp.ACOSH, this); }
    public Tensor atanh() { return Dispatch.unary(UnaryOp.ATANH, this); }
    public Tensor sigmoid() { return Dispatch.unary(UnaryOp.SIGMOID, this); }
    public Tensor sigmoid_() { return Dispatch.unaryInPlace(UnaryOp.SIGMOID, this); }
    public Tensor erf() { return Dispatch.unary(UnaryOp.ERF, this); }
    public Tensor erfc() { return Dispatch.unary(UnaryOp.ERFC, this); }
    public Tensor erfinv() { return Dispatch.unary(UnaryOp.ERFINV, this); }
    public Tensor lgamma() { return Dispatch.unary(UnaryOp.LGAMMA, this); }
    public Tensor digamma() { return Dispatch.unary(UnaryOp.DIGAMMA, this); }

    /** Like {@code torch.sinc}: {@code sin(pi x) / (pi x)}, 1 at 0. */
    public Tensor sinc() { return Dispatch.unary(UnaryOp.SINC, this); }

    /** In-place {@link #sinc()}. */
    public Tensor sinc_() { return Dispatch.unaryInPlace(UnaryOp.SINC, this); }

    /** Like {@code torch.relu}. */
    public Tensor relu() { return Arithmetic.relu(this); }
    public Tensor relu_() { return Arithmetic.relu_(this); }

    /** Like {@code torch.logit}. */
    public Tensor logit() { return Graph.composite("LogitBackward0", xs -> xs[0].div(xs[0].rsub(1)).log(), this); }

    /** Like {@code torch.xlogy}. */
    public Tensor xlogy(Tensor other) { return Arithmetic.xlogy(this, other); }

    public Tensor clamp(double min, double max) { return Graph.composite("ClampBackward1", xs -> xs[0].clampMin(min).clampMax(max), this); }
    public Tensor clamp(Tensor min, Tensor max) { return Arithmetic.clamp(this, min, max); }
    public Tensor clampMin(double min) { return Arithmetic.clampBound(this, BinaryOp.MAXIMUM, min); }
    public Tensor clampMax(double max) { return Arithmetic.clampBound(this, BinaryOp.MINIMUM, max); }
    public Tensor clamp_(double min, double max) { return Arithmetic.clamp_(this, min, max); }
    public Tensor clampMin_(double min) { return Dispatch.binaryInPlace(BinaryOp.MAXIMUM, this, scalar(min)); }
    public Tensor clampMax_(double max) { return Dispatch.binaryInPlace(BinaryOp.MINIMUM, this, scalar(max)); }
    public Tensor clip(double min, double max) { return clamp(min, max); }

    /** Keeps values where mask is false and puts {@code value} where it is true, like {@code x.masked_fill(mask, v)}. */
    public Tensor maskedFill(Tensor mask, double value) { return Arithmetic.maskedFill(this, mask, value); }

    /** Like {@code x.masked_fill(mask, 2)}: an integer value (a Python int). */
    public Tensor maskedFill(Tensor mask, long value) { return Arithmetic.maskedFill(this, mask, value); }
    public Tensor maskedFill_(Tensor mask, long value) { return Arithmetic.maskedFill_(this, mask, value); }
    public Tensor maskedFill(Tensor mask, Tensor value) { return Arithmetic.maskedFill(this, mask, value); }
    public Tensor maskedFill_(Tensor mask, double value) { return Arithmetic.maskedFill_(this, mask, value); }

    // comparisons and logic

    public Tensor eq(Tensor other) { return Dispatch.binary(BinaryOp.EQ, this, other); }
    public Tensor eq(double other) { return Dispatch.binary(BinaryOp.EQ, this, scalar(other)); }
    public Tensor ne(Tensor other) { return Dispatch.binary(BinaryOp.NE, this, other); }
    public Tensor ne(double other) { return Dispatch.binary(BinaryOp.NE, this, scalar(other)); }
    public Tensor lt(Tensor other) { return Dispatch.binary(BinaryOp.LT, this, other); }
    public Tensor lt(double other) { return Dispatch.binary(BinaryOp.LT, this, scalar(other)); }
    public Tensor le(Tensor other) { return Dispatch.binary(BinaryOp.LE, this, other); }
    public Tensor le(double other) { return Dispatch.binary(BinaryOp.LE, this, scalar(other)); }
    public Tensor gt(Tensor other) { return Dispatch.binary(BinaryOp.GT, this, other); }
    public Tensor gt(double other) { return Dispatch.binary(BinaryOp.GT, this, scalar(other)); }
    public Tensor ge(Tensor other) { return Dispatch.binary(BinaryOp.GE, this, other); }
    public Tensor ge(double other) { return Dispatch.binary(BinaryOp.GE, this, scalar(other)); }

    /** True when shapes and all elements are equal, like {@code torch.equal}. */
    public boolean equal(Tensor other) { return Arithmetic.equal(this, other); }

    /** Like {@code torch.allclose} with rtol=1e-5, atol=1e-8. */
    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }
    public boolean allclose(Tensor other, double rtol, double atol) { return isclose(other, rtol, atol).all().itemBoolean(); }
    public Tensor isclose(Tensor other, double rtol, double atol) { return Arithmetic.isclose(this, other, rtol, atol); }
    public Tensor isnan() { return ne(this); }
    public Tensor isinf() { return dtype.isFloatingPoint() ? abs().eq(Double.POSITIVE_INFINITY) : Torch.zerosLike(this, DType.bool); }
    public Tensor isfinite() { return dtype.isFloatingPoint() ? sub(this).eq(0) : Torch.onesLike(this, DType.bool); }
    public Tensor isposinf() { return eq(Double.POSITIVE_INFINITY); }
    public Tensor isneginf() { return eq(Double.NEGATIVE_INFINITY); }
    public Tensor logicalAnd(Tensor other) { return Dispatch.binary(BinaryOp.LOGICAL_AND, this, other); }
    public Tensor logicalOr(Tensor other) { return Dispatch.binary(BinaryOp.LOGICAL_OR, this, other); }
    public Tensor logicalXor(Tensor other) { return Dispatch.binary(BinaryOp.LOGICAL_XOR, this, other); }
    public Tensor logicalNot() { return Dispatch.unary(UnaryOp.LOGICAL_NOT, this); }
    public Tensor bitwiseAnd(Tensor other) { return Dispatch.binary(BinaryOp.BITWISE_AND, this, other); }
    public Tensor bitwiseAnd(long other) { return Dispatch.binary(BinaryOp.BITWISE_AND, this, scalarLong(other)); }
    public Tensor bitwiseOr(Tensor other) { return Dispatch.binary(BinaryOp.BITWISE_OR, this, other); }
    public Tensor bitwiseOr(long other) { return Dispatch.binary(BinaryOp.BITWISE_OR, this, scalarLong(other)); }
    public Tensor bitwiseXor(Tensor other) { return Dispatch.binary(BinaryOp.BITWISE_XOR, this, other); }
    public Tensor bitwiseXor(long other) { return Dispatch.binary(BinaryOp.BITWISE_XOR, this, scalarLong(other)); }
    public Tensor bitwiseNot() { return Dispatch.unary(UnaryOp.BITWISE_NOT, this); }
    public Tensor bitwiseLeftShift(Tensor other) { return Dispatch.binary(BinaryOp.BITWISE_LEFT_SHIFT, this, other); }
    public Tensor bitwiseLeftShift(long other) { return Dispatch.binary(BinaryOp.BITWISE_LEFT_SHIFT, this, scalarLong(other)); }
    public Tensor bitwiseRightShift(Tensor other) { return Dispatch.binary(BinaryOp.BITWISE_RIGHT_SHIFT, this, other); }
    public Tensor bitwiseRightShift(long other) { return Dispatch.binary(BinaryOp.BITWISE_RIGHT_SHIFT, this, scalarLong(other)); }

    /** Integral ops take Java longs as Python ints. */
    private static Tensor scalarLong(long v) { return wrap(v); }

    /** A double that is a whole number still promotes like a Python float. */
    private static Tensor scalar(double v) { return wrap(v); }

    // ---------------------------------------------------------------- Java integers as Python ints
    // An int or long argument promotes like a Python int (an int64 tensor times 2 stays int64, a uint8 tensor
    // plus 1 stays uint8), a double like a Python float (an int64 tensor times 2.0 is float32). Java picks these
    // overloads for integer literals: x.mul(2) is x * 2, x.mul(2.0) is x * 2.0.

    public Tensor add(long other) { return Dispatch.binary(BinaryOp.ADD, this, scalarLong(other)); }

    /** {@code this + alpha * other} with an integer alpha, like {@code x.add(y, alpha=2)}. */
    public Tensor add(Tensor other, long alpha) { return Dispatch.binary(BinaryOp.ADD, this, other, null, alpha); }
    public Tensor add_(long other) { return Dispatch.binaryInPlace(BinaryOp.ADD, this, scalarLong(other)); }

    /** {@code this += alpha * other} with an integer alpha, like {@code x.add_(y, alpha=2)}. */
    public Tensor add_(Tensor other, long alpha) { return Dispatch.binaryInPlace(BinaryOp.ADD, this, other, alpha); }

    public Tensor sub(long other) { return Dispatch.binary(BinaryOp.SUB, this, scalarLong(other)); }

    /** {@code this - alpha * other} with an integer alpha, like {@code x.sub(y, alpha=2)}. */
    public Tensor sub(Tensor other, long alpha) { return Dispatch.binary(BinaryOp.SUB, this, other, null, alpha); }
    public Tensor sub_(long other) { return Dispatch.binaryInPlace(BinaryOp.SUB, this, scalarLong(other)); }

    /** {@code this -= alpha * other} with an integer alpha, like {@code x.sub_(y, alpha=2)}. */
    public Tensor sub_(Tensor other, long alpha) { return Dispatch.binaryInPlace(BinaryOp.SUB, this, other, alpha); }

    /** {@code other - this}, like Python's {@code 1 - x}. */
    public Tensor rsub(long other) { return Dispatch.binary(BinaryOp.SUB, scalarLong(other), this); }

    public Tensor mul(long other) { return Dispatch.binary(BinaryOp.MUL, this, scalarLong(other)); }
    public Tensor mul_(long other) { return Dispatch.binaryInPlace(BinaryOp.MUL, this, scalarLong(other)); }
    public Tensor div(long other) { return Dispatch.binary(BinaryOp.DIV, this, scalarLong(other)); }
    public Tensor div_(long other) { return Dispatch.binaryInPlace(BinaryOp.DIV, this, scalarLong(other)); }

    /** Like {@code x.div(2, rounding_mode="floor")}: integral tensors stay integral. */
    public Tensor div(long other, String roundingMode) { return div(scalarLong(other), roundingMode); }

    /** {@code other / this}, like Python's {@code 2 / x}. */
    public Tensor rdiv(long other) { return rdiv((double) other); }

    public Tensor floorDivide(long other) { return Dispatch.binary(BinaryOp.FLOOR_DIVIDE, this, scalarLong(other)); }
    public Tensor remainder(long other) { return Dispatch.binary(BinaryOp.REMAINDER, this, scalarLong(other)); }
    public Tensor fmod(long other) { return Dispatch.binary(BinaryOp.FMOD, this, scalarLong(other)); }
    public Tensor pow(long exponent) { return Arithmetic.pow(this, exponent); }
    public Tensor pow_(long exponent) { return Arithmetic.pow_(this, exponent); }

    /** {@code base ** this}, like {@code torch.pow(2, x)}. */
    public Tensor rpow(long base) { return Dispatch.binary(BinaryOp.POW, scalarLong(base), this); }

    public Tensor eq(long other) { return Dispatch.binary(BinaryOp.EQ, this, scalarLong(other)); }
    public Tensor ne(long other) { return Dispatch.binary(BinaryOp.NE, this, scalarLong(other)); }
    public Tensor lt(long other) { return Dispatch.binary(BinaryOp.LT, this, scalarLong(other)); }
    public Tensor le(long other) { return Dispatch.binary(BinaryOp.LE, this, scalarLong(other)); }
    public Tensor gt(long other) { return Dispatch.binary(BinaryOp.GT, this, scalarLong(other)); }
    public Tensor ge(long other) { return Dispatch.binary(BinaryOp.GE, this, scalarLong(other)); }
    public Tensor clamp(long min, long max) { return dtype.isFloatingPoint() ? clamp((double) min, (double) max) : clampMin(min).clampMax(max); }
    public Tensor clampMin(long min) { return Arithmetic.clampMin(this, min); }
    public Tensor clampMax(long max) { return Arithmetic.clampMax(this, max); }
    public Tensor clamp_(long min, long max) { return dtype.isFloatingPoint() ? clamp_((double) min, (double) max) : clampMin_(min).clampMax_(max); }
    public Tensor clampMin_(long min) { return Arithmetic.clampMin_(this, min); }
    public Tensor clampMax_(long max) { return Arithmetic.clampMax_(this, max); }

    /** {@code this + value * t1 * t2} with an integer value, like {@code torch.addcmul(x, a, b, value=2)}. */
    public Tensor addcmul(Tensor t1, Tensor t2, long value) { return Arithmetic.addcmul(this, t1, t2, value); }

    // ================================================================ reductions

    public Tensor sum() { return Dispatch.reduce(ReduceOp.SUM, this, null, false, null, Variant.PRIMARY); }
    public Tensor sum(DType dtype) { return Dispatch.reduce(ReduceOp.SUM, this, null, false, dtype, Variant.PRIMARY); }
    public Tensor sum(int dim) { return sum(new int[]{dim}, false); }
    public Tensor sum(int dim, boolean keepdim) { return sum(new int[]{dim}, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return Dispatch.reduce(ReduceOp.SUM, this, dims, keepdim, null, Variant.SUM_DIM); }
    public Tensor sum(int[] dims, boolean keepdim, DType dtype) { return Dispatch.reduce(ReduceOp.SUM, this, dims, keepdim, dtype, Variant.SUM_DIM); }
    public Tensor nansum() { return Graph.composite("NansumBackward0", xs -> Torch.where(xs[0].isnan(), Torch.zerosLike(xs[0]), xs[0]).sum(), this); }
    public Tensor mean() { return Dispatch.reduce(ReduceOp.MEAN, this, null, false, null, Variant.PRIMARY); }
    public Tensor mean(int dim) { return mean(new int[]{dim}, false); }
    public Tensor mean(int dim, boolean keepdim) { return mean(new int[]{dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return Dispatch.reduce(ReduceOp.MEAN, this, dims, keepdim, null, Variant.MEAN_DIM); }

    /** The mean computed in {@code dtype}, like {@code x.mean(dtype=torch.float64)}. */
    public Tensor mean(DType dtype) { return Dispatch.reduce(ReduceOp.MEAN, this, null, false, dtype, Variant.PRIMARY); }

    public Tensor prod() { return Dispatch.reduce(ReduceOp.PROD, this, null, false, null, Variant.PRIMARY); }
    public Tensor prod(int dim) { return prod(dim, false); }
    public Tensor prod(int dim, boolean keepdim) { return Dispatch.reduce(ReduceOp.PROD, this, new int[]{dim}, keepdim, null, Variant.PROD_DIM); }

    /** Variance with Bessel's correction, like {@code x.var()}. */
    public Tensor var() { return var(null, 1, false); }
    public Tensor var(boolean unbiased) { return var(null, unbiased ? 1 : 0, false); }
    public Tensor var(int dim) { return var(new int[]{dim}, 1, false); }
    public Tensor var(int dim, boolean unbiased, boolean keepdim) { return var(new int[]{dim}, unbiased ? 1 : 0, keepdim); }

    /** Variance over dims with a correction ({@code 1} = unbiased), like {@code x.var(dim, correction=c, keepdim=k)}. */
    public Tensor var(int[] dims, double correction, boolean keepdim) { return Reductions.var(this, dims, correction, keepdim); }

    public Tensor std() { return std(null, 1, false); }
    public Tensor std(boolean unbiased) { return std(null, unbiased ? 1 : 0, false); }
    public Tensor std(int dim) { return std(new int[]{dim}, 1, false); }
    public Tensor std(int dim, boolean unbiased, boolean keepdim) { return std(new int[]{dim}, unbiased ? 1 : 0, keepdim); }

    /** Standard deviation over dims with a correction ({@code 1} = unbiased), like {@code x.std(dim, correction=c, keepdim=k)}. */
    public Tensor std(int[] dims, double correction, boolean keepdim) { return Reductions.std(this, dims, correction, keepdim); }

    /** The largest element, like {@code x.max()}. */
    public Tensor max() { return Dispatch.reduce(ReduceOp.AMAX, this, null, false, null, Variant.MAX); }

    public Tensor min() { return Dispatch.reduce(ReduceOp.AMIN, this, null, false, null, Variant.MIN); }

    /** Largest values along a dim and their indices, like {@code x.max(dim=0)}. */
    public ReturnTypes.Max max(int dim) { return max(dim, false); }
    public ReturnTypes.Max max(int dim, boolean keepdim) { return Reductions.max(this, dim, keepdim); }
    public ReturnTypes.Min min(int dim) { return min(dim, false); }
    public ReturnTypes.Min min(int dim, boolean keepdim) { return Reductions.min(this, dim, keepdim); }

    /** ATen's zero_numel_check_dims for an op that picks an element along {@code dim}. */

    /** Elementwise maximum, like {@code torch.max(x, y)}. */
    public Tensor max(Tensor other) { return maximum(other); }

    public Tensor min(Tensor other) { return minimum(other); }
    public Tensor amax() { return Dispatch.reduce(ReduceOp.AMAX, this, null, false, null, Variant.PRIMARY); }
    public Tensor amax(int dim) { return amax(new int[]{dim}, false); }
    public Tensor amax(int[] dims, boolean keepdim) { return Dispatch.reduce(ReduceOp.AMAX, this, dims, keepdim, null, Variant.PRIMARY); }
    public Tensor amin() { return Dispatch.reduce(ReduceOp.AMIN, this, null, false, null, Variant.PRIMARY); }
    public Tensor amin(int dim) { return amin(new int[]{dim}, false); }
    public Tensor amin(int[] dims, boolean keepdim) { return Dispatch.reduce(ReduceOp.AMIN, this, dims, keepdim, null, Variant.PRIMARY); }

    /** Index of the largest element of the flattened tensor, like {@code x.argmax()}. */
    public Tensor argmax() { return Reductions.argmax(this); }
    public Tensor argmax(int dim) { return argmax(dim, false); }
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim); }
    public Tensor argmin() { return Reductions.argmin(this); }
    public Tensor argmin(int dim) { return argmin(dim, false); }
    public Tensor argmin(int dim, boolean keepdim) { return Reductions.argmin(this, dim, keepdim); }
    public Tensor all() { return Dispatch.reduce(ReduceOp.ALL, this, null, false, null, Variant.PRIMARY); }
    public Tensor all(int dim) { return all(dim, false); }
    public Tensor all(int dim, boolean keepdim) { return Dispatch.reduce(ReduceOp.ALL, this, new int[]{dim}, keepdim, null, Variant.PRIMARY); }
    public Tensor any() { return Dispatch.reduce(ReduceOp.ANY, this, null, false, null, Variant.PRIMARY); }
    public Tensor any(int dim) { return any(dim, false); }
    public Tensor any(int dim, boolean keepdim) { return Dispatch.reduce(ReduceOp.ANY, this, new int[]{dim}, keepdim, null, Variant.PRIMARY); }

    /** The 2-norm of all elements, like {@code x.norm()}. */
    public Tensor norm() { return norm(2); }

    /** The p-norm of all elements (p may be infinite), like {@code x.norm(p)}. */
    public Tensor norm(double p) { return norm(p, null, false); }
    public Tensor norm(double p, int[] dims, boolean keepdim) { return Reductions.norm(this, p, dims, keepdim); }
    public Tensor norm(double p, int dim, boolean keepdim) { return norm(p, new int[]{dim}, keepdim); }

    /** {@code log(sum(exp(x)))} computed stably along dims, like {@code torch.logsumexp}. */
    public Tensor logsumexp(int dim) { return logsumexp(new int[]{dim}, false); }
    public Tensor logsumexp(int dim, boolean keepdim) { return logsumexp(new int[]{dim}, keepdim); }
    public Tensor logsumexp(int[] dims, boolean keepdim) { return Reductions.logsumexp(this, dims, keepdim); }
    public Tensor cumsum(int dim) { return Dispatch.scan(ScanOp.CUMSUM, this, dim, null, false); }
    public Tensor cumsum(int dim, DType dtype) { return Dispatch.scan(ScanOp.CUMSUM, this, dim, dtype, false); }
    public Tensor cumprod(int dim) { return Dispatch.scan(ScanOp.CUMPROD, this, dim, null, false); }

    /** Indices that sort along a dim (stable), like {@code x.argsort(dim, descending)}. */
    public Tensor argsort(int dim, boolean descending) { return Dispatch.scan(ScanOp.ARGSORT, this, dim, null, descending); }
    public Tensor argsort() { return argsort(-1, false); }

    /** Sorted values and their indices along a dim, like {@code x.sort(dim, descending)}. */
    public ReturnTypes.Sort sort(int dim, boolean descending) { return Reductions.sort(this, dim, descending); }
    public ReturnTypes.Sort sort() { return sort(-1, false); }

    /** The k largest (or smallest) values along a dim, like {@code x.topk(k, dim, largest, sorted)}. */
    public ReturnTypes.Topk topk(int k, int dim, boolean largest) { return Reductions.topk(this, k, dim, largest); }
    public ReturnTypes.Topk topk(int k) { return topk(k, -1, true); }

    /** Reverses the order along dims, like {@code x.flip(0)}. */
    public Tensor flip(int... dims) { return Reductions.flip(this, dims); }

    // ================================================================ matrix products

    /** Matrix product with PyTorch's broadcasting and 1-D rules, like {@code x @ y}. */
    public Tensor matmul(Tensor other) { return Linear.matmul(this, other); }

    public Tensor mm(Tensor other) { return Linear.mm(this, other); }
    public Tensor bmm(Tensor other) { return Linear.bmm(this, other); }
    public Tensor mv(Tensor vec) { return Linear.mv(this, vec); }
    public Tensor dot(Tensor other) { return Linear.dot(this, other); }
    public Tensor outer(Tensor other) { return Linear.outer(this, other); }

    // ================================================================ indexing

    /** Like {@code x[i]}: picks index {@code i} of the first dim. */
    public Tensor get(long i) { return Indexing.get(this, new Object[]{i}); }

    /** Like {@code x[i, j]} with integer indices. */
    public Tensor get(long i, long j) { return Indexing.get(this, Indexing.ofLongs(i, j)); }

    /** Like {@code x[i, j, k]}. */
    public Tensor get(long i, long j, long k) { return Indexing.get(this, Indexing.ofLongs(i, j, k)); }

    /** Like {@code x[i, j, k, l]}. */
    public Tensor get(long i, long j, long k, long l) { return Indexing.get(this, Indexing.ofLongs(i, j, k, l)); }

    /** Like {@code x[":, 0"]}: Python slice syntax in a string ({@code :}, {@code a:b:c}, {@code ...}, {@code None}, ints). */
    public Tensor get(String index) { return Indexing.get(this, Indexing.parse(index)); }

    /** Like {@code x[mask]} or {@code x[idx]}: a bool mask or an int64 index tensor. */
    public Tensor get(Tensor index) { return Indexing.get(this, new Object[]{index}); }

    /** Typed indices: Long/Integer, {@link Torch#slice}, {@link Torch#ellipsis()}, {@link Torch#newAxis()}, Tensor. */
    public Tensor get(Object... indices) { return Indexing.get(this, indices); }

    /** Like {@code x[":, 1"] = v}. */
    public Tensor set(String index, double value) { return Indexing.set(this, Indexing.parse(index), Torch.scalarTensor(value)); }
    public Tensor set(String index, Tensor value) { return Indexing.set(this, Indexing.parse(index), value); }

    /** Like {@code x[mask] = v}. */
    public Tensor set(Tensor index, Tensor value) { return Indexing.set(this, new Object[]{index}, value); }
    public Tensor set(Tensor index, double value) { return Indexing.set(this, new Object[]{index}, Torch.scalarTensor(value)); }
    public Tensor set(Object[] indices, Tensor value) { return Indexing.set(this, indices, value); }
    public Tensor set(Object[] indices, double value) { return Indexing.set(this, indices, Torch.scalarTensor(value)); }

    /**
     * Advanced indexing with one optional int64/bool index tensor per leading dim (null = the whole dim),
     * like {@code aten::index}.
     */
    public Tensor index(Tensor[] indices) { return Indexing.index(this, indices); }

    /** Writes {@code values} at the indexed positions (adding when {@code accumulate}), like {@code x.index_put_(indices, values, accumulate)}. */
    public Tensor indexPut_(Tensor[] indices, Tensor values, boolean accumulate) { return Indexing.indexPut_(this, indices, values, accumulate); }
    public Tensor indexPut(Tensor[] indices, Tensor values, boolean accumulate) { return Composites.indexPut(this, indices, values, accumulate); }

    /** Picks entries along a dim, like {@code x.index_select(dim, idx)}. */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    /** Gathers along a dim with an index of the output's shape, like {@code x.gather(dim, idx)}. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    /** Scatters {@code src} along a dim into a copy, like {@code x.scatter(dim, idx, src)}. */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this.clone(), dim, index, src, false); }
    public Tensor scatter_(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, false); }
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatter(this.clone(), dim, index, src, true); }
    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, true); }

    /** The elements where mask is true, as 1-D, like {@code x.masked_select(mask)}. */
    public Tensor maskedSelect(Tensor mask) { return Indexing.get(this.expand(Shapes.broadcast(shape, mask.shape)), new Object[]{mask.expand(Shapes.broadcast(shape, mask.shape))}); }

    /** Indices of nonzero elements, one row per element, like {@code torch.nonzero(x)}. */
    public Tensor nonzero() { return Indexing.nonzero(this); }

    /** Like {@code torch.take_along_dim(x, indices, dim)}: gathers along dim after broadcasting the other dims. */
    public Tensor takeAlongDim(Tensor indices, int dim) { return Composites.takeAlongDim(this, indices, dim); }

    /** Like {@code torch.take_along_dim(x, indices)}: the flattened tensor gathered at the flattened indices. */
    public Tensor takeAlongDim(Tensor indices) { return view(-1).gather(0, indices.view(-1)); }

    /** Like {@code torch.sum_to_size}: sums broadcast dims away to reach {@code size}. */
    public Tensor sumToSize(long... size) { return Composites.sumToSize(this, size); }

    /** Repeats along dims, like {@code x.repeat(2, 3)}. */
    public Tensor repeat(long... repeats) { return Graph.composite("RepeatBackward0", xs -> Composites.repeatImpl(xs[0], repeats), this); }

    // ================================================================ in-place sampling

    /** Fills with samples from U(from, to), like {@code x.uniform_(from, to)}. */
    public Tensor uniform_(double from, double to) { return Sampling.uniformInPlace(this, from, to, null); }
    public Tensor uniform_(double from, double to, Generator g) { return Sampling.uniformInPlace(this, from, to, g); }

    /** Fills with samples from N(mean, std²), like {@code x.normal_(mean, std)}. */
    public Tensor normal_(double mean, double std) { return Sampling.normalInPlace(this, mean, std, null); }
    public Tensor normal_(double mean, double std, Generator g) { return Sampling.normalInPlace(this, mean, std, g); }

    /** Fills with 0/1 drawn with probability p, like {@code x.bernoulli_(p)}. */
    public Tensor bernoulli_(double p) { return Sampling.bernoulliInPlace(this, p); }

    /** Fills with integers in [from, to), like {@code x.random_(from, to)}. */
    public Tensor random_(long from, long to) { return Sampling.randomInPlace(this, from, to); }

    // ================================================================ new_* factories

    /** A tensor of ones with this tensor's dtype and device, like {@code x.new_ones(2, 4)}. */
    public Tensor newOnes(long... size) { return Torch.ones(size, dtype, device()); }

    /** Like {@code x.new_ones(size, dtype=...)}. */
    public Tensor newOnes(long[] size, DType dtype) { return Torch.ones(size, dtype, device()); }

    public Tensor newZeros(long... size) { return Torch.zeros(size, dtype, device()); }
    public Tensor newZeros(long[] size, DType dtype) { return Torch.zeros(size, dtype, device()); }
    public Tensor newFull(long[] size, double value) { return Torch.full(size, value, dtype, device()); }
    public Tensor newFull(long[] size, double value, DType dtype) { return Torch.full(size, value, dtype, device()); }
    public Tensor newEmpty(long... size) { return Torch.empty(size, dtype, device()); }
    public Tensor newEmpty(long[] size, DType dtype) { return Torch.empty(size, dtype, device()); }

    /** Like {@code x.new_tensor(data)}: data in this tensor's dtype and device. */
    public Tensor newTensor(Object data) { return Torch.tensor(data, dtype).to(device()); }

    @Override public String toString() { return TensorFormatter.repr(this); }
}
