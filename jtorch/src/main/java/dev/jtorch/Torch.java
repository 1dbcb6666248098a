package dev.jtorch;

import dev.jtorch.dispatch.Shapes;
import dev.jtorch.dispatch.Conversions;
import dev.jtorch.dispatch.Dispatch;
import dev.jtorch.autograd.GradMode;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Strided;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code torch.*} namespace: {@code import static dev.jtorch.Torch.*;} brings factories,
 * dtypes, free functions and the sub-namespaces ({@code cuda}, {@code linalg}, ...) into scope.
 */
public final class Torch {
    private Torch() {}

    public static final DType bool = DType.bool, uint8 = DType.uint8, int8 = DType.int8, int16 = DType.int16,
            int32 = DType.int32, int64 = DType.int64, float16 = DType.float16, bfloat16 = DType.bfloat16,
            float32 = DType.float32, float64 = DType.float64;
    /** Aliases PyTorch also has: {@code torch.half}, {@code torch.short}, {@code torch.long}. */
    public static final DType half = DType.float16, short_ = DType.int16, long_ = DType.int64, int_ = DType.int32,
            float_ = DType.float32, double_ = DType.float64;

    /** {@code torch.cuda}. */
    public static final TorchCuda cuda = new TorchCuda();
    /** {@code torch.linalg}. */
    public static final TorchLinalg linalg = new TorchLinalg();
    /** {@code torch.backends}. */
    public static final TorchBackends backends = new TorchBackends();
    /** {@code torch.autograd}. */
    public static final TorchAutograd autograd = new TorchAutograd();

    private static volatile DType defaultDtype = DType.float32;

    /** Like {@code torch.get_default_dtype()}. */
    public static DType getDefaultDtype() { return defaultDtype; }

    /** Like {@code torch.set_default_dtype}: float32 or float64 (also float16/bfloat16). */
    public static void setDefaultDtype(DType d) {
        if (!d.isFloatingPoint()) throw new IllegalArgumentException("only floating-point types are supported as the default type");
        defaultDtype = d;
    }

    /** Like {@code torch.device("cuda:0")}. */
    public static Device device(String spec) { return Device.of(spec); }

    /** Like {@code torch.set_num_threads}. */
    public static void setNumThreads(int n) { dev.jtorch.backend.Backends.setCpuThreads(n); }

    /** Like {@code torch.get_num_threads}. */
    public static int getNumThreads() { return dev.jtorch.backend.Backends.cpuThreads(); }

    /** Like {@code torch.set_printoptions}. */
    public static void setPrintoptions(PrintOptions options) { PrintOptions.set(options); }

    /** Like {@code torch.set_float32_matmul_precision("highest" | "high" | "medium")}. */
    public static void setFloat32MatmulPrecision(String precision) { TorchBackends.setFloat32MatmulPrecision(precision); }

    public static String getFloat32MatmulPrecision() { return TorchBackends.float32MatmulPrecision(); }

    // ================================================================ grad mode

    /** Disables gradient recording in a try-with-resources scope, like {@code with torch.no_grad():}. */
    public static GradMode.Guard noGrad() { return GradMode.set(false); }

    /** Enables gradient recording in a scope, like {@code with torch.enable_grad():}. */
    public static GradMode.Guard enableGrad() { return GradMode.set(true); }

    /** Like {@code torch.set_grad_enabled(mode)} as a context manager; also sets the mode for the thread until closed. */
    public static GradMode.Guard setGradEnabled(boolean mode) { return GradMode.set(mode); }

    /** Like {@code torch.is_grad_enabled()}. */
    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    /** Like {@code with torch.inference_mode():}. */
    public static GradMode.Guard inferenceMode() { return GradMode.inference(true); }

    public static boolean isInferenceModeEnabled() { return GradMode.isInferenceMode(); }

    // ================================================================ mixed precision

    /**
     * Autocasting for a try-with-resources scope, like {@code with torch.autocast(device_type, dtype):}:
     * listed ops run in {@code dtype} (float16/bfloat16) or float32, per PyTorch's op lists (see {@link Autocast}).
     */
    public static Autocast autocast(String deviceType, DType dtype) { return new Autocast(deviceType, dtype, true, null); }

    /** Like {@code torch.autocast(device_type)}: float16 on CUDA, bfloat16 on the CPU (or the thread's current autocast dtype). */
    public static Autocast autocast(String deviceType) { return new Autocast(deviceType, null, true, null); }

    /** Like {@code torch.autocast(device_type, dtype, enabled=...)}; {@code enabled=false} turns autocast off inside. */
    public static Autocast autocast(String deviceType, DType dtype, boolean enabled) { return new Autocast(deviceType, dtype, enabled, null); }

    /** Like {@code torch.autocast(device_type, dtype, enabled, cache_enabled)}. */
    public static Autocast autocast(String deviceType, DType dtype, boolean enabled, boolean cacheEnabled) {
        return new Autocast(deviceType, dtype, enabled, cacheEnabled);
    }

    /** Autocasting for the type of {@code device} (cpu or cuda). */
    public static Autocast autocast(Device device, DType dtype) { return autocast(device.isCuda() ? "cuda" : "cpu", dtype); }

    /** Like {@code torch.is_autocast_enabled(device_type)}. */
    public static boolean isAutocastEnabled(String deviceType) { return Autocast.isEnabled(deviceType); }

    /** Like {@code torch.get_autocast_dtype(device_type)}. */
    public static DType getAutocastDtype(String deviceType) { return Autocast.dtype(deviceType); }

    // ================================================================ memory scopes

    /**
     * Opens a {@link TensorScope}: GPU memory of tensors made on this thread until it closes is freed when it
     * closes, except for tensors {@link TensorScope#keep kept}. Use with try-with-resources.
     */
    public static TensorScope scope() { return new TensorScope(); }

    // ================================================================ indices

    /** {@code start:stop} as a typed index. */
    public static Slice slice(long start, long stop) { return new Slice(start, stop, null); }

    /** {@code start:stop:step}; pass null for an omitted part. */
    public static Slice slice(Long start, Long stop, Long step) { return new Slice(start, stop, step); }

    /** {@code :} as a typed index. */
    public static Slice slice() { return new Slice(null, null, null); }

    /** {@code ...} as a typed index. */
    public static Ellipsis ellipsis() { return Ellipsis.INSTANCE; }

    /** {@code None} as a typed index. */
    public static NewAxis newAxis() { return NewAxis.INSTANCE; }

    // ================================================================ creation from data

    /** A 0-dim tensor of the default float dtype, like {@code torch.tensor(2.0)}. */
    public static Tensor tensor(double value) { return tensor(value, defaultDtype); }

    public static Tensor tensor(double value, DType dtype) { return fromValues(new double[]{value}, new long[0], dtype); }

    /** A 0-dim int64 tensor, like {@code torch.tensor(3)}. */
    public static Tensor tensor(long value) { return fromValues(new long[]{value}, new long[0], DType.int64); }

    public static Tensor tensor(long value, DType dtype) { return fromValues(new long[]{value}, new long[0], dtype); }

    public static Tensor tensor(boolean value) { return fromValues(new boolean[]{value}, new long[0], DType.bool); }

    /**
     * A tensor copied from nested Java arrays ({@code new long[][]{{1, 2}, {3, 4}}}), with PyTorch's
     * inference: integral → int64, floating → the default dtype, boolean → bool. A list of Numbers works too.
     */
    public static Tensor tensor(Object data) { return tensor(data, null); }

    /** Like {@code torch.tensor(data, dtype=...)}. */
    public static Tensor tensor(Object data, DType dtype) {
        if (data instanceof Tensor t) return Conversions.cloneNoGrad(t.detach().to(dtype == null ? t.dtype() : dtype));
        if (data instanceof Number n) {
            if (n instanceof Double || n instanceof Float) return tensor(n.doubleValue(), dtype == null ? defaultDtype : dtype);
            return tensor(n.longValue(), dtype == null ? DType.int64 : dtype);
        }
        if (data instanceof Boolean b) return dtype == null ? tensor(b.booleanValue()) : tensor(b ? 1L : 0L, dtype);
        List<Long> shape = new ArrayList<>();
        Class<?>[] leaf = new Class<?>[1];
        shapeOf(data, 0, shape, leaf);
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        int n = (int) Shapes.numel(s);
        DType inferred = leaf[0] == null ? defaultDtype
                : leaf[0] == boolean.class || leaf[0] == Boolean.class ? DType.bool
                : leaf[0] == double.class || leaf[0] == float.class || leaf[0] == Double.class || leaf[0] == Float.class ? defaultDtype
                : DType.int64;
        DType target = dtype == null ? inferred : dtype;
        if (inferred == DType.int64) {
            long[] flat = new long[n];
            flatten(data, flat, new int[1]);
            return fromValues(flat, s, target);
        } else if (inferred == DType.bool) {
            boolean[] flat = new boolean[n];
            flatten(data, flat, new int[1]);
            return fromValues(flat, s, target);
        }
        double[] flat = new double[n];
        flatten(data, flat, new int[1]);
        return fromValues(flat, s, target);
    }

    private static void shapeOf(Object data, int depth, List<Long> shape, Class<?>[] leaf) {
        int len;
        Object first;
        if (data instanceof List<?> list) {
            len = list.size();
            first = len > 0 ? list.get(0) : null;
        } else if (data != null && data.getClass().isArray()) {
            len = Array.getLength(data);
            first = len > 0 ? Array.get(data, 0) : null;
            Class<?> ct = data.getClass().getComponentType();
            if (ct.isPrimitive()) leaf[0] = ct;
        } else {
            throw new IllegalArgumentException("Could not infer dtype of " + (data == null ? "None" : data.getClass().getSimpleName()));
        }
        if (depth == shape.size()) shape.add((long) len);
        else if (shape.get(depth) != len)
            throw new IllegalArgumentException("expected sequence of length " + shape.get(depth) + " at dim " + depth + " (got " + len + ")");
        if (len == 0) return;
        if (first instanceof Number || first instanceof Boolean) {
            if (leaf[0] == null || !leaf[0].isPrimitive()) {
                boolean anyFloat = false;
                for (Object o : (data instanceof List<?> l ? l : Arrays.asList((Object[]) data)))
                    if (o instanceof Double || o instanceof Float) anyFloat = true;
                leaf[0] = first instanceof Boolean ? Boolean.class : anyFloat ? Double.class : Long.class;
            }
            return;
        }
        if (data instanceof List<?> list) for (Object o : list) shapeOf(o, depth + 1, shape, leaf);
        else if (!data.getClass().getComponentType().isPrimitive()) for (int i = 0; i < len; i++) shapeOf(Array.get(data, i), depth + 1, shape, leaf);
    }

    private static void flatten(Object data, Object flat, int[] at) {
        if (data instanceof List<?> list) {
            for (Object o : list) flattenOne(o, flat, at);
        } else {
            int len = Array.getLength(data);
            for (int i = 0; i < len; i++) flattenOne(Array.get(data, i), flat, at);
        }
    }

    private static void flattenOne(Object o, Object flat, int[] at) {
        if (o instanceof Number || o instanceof Boolean || o instanceof Character) {
            int i = at[0]++;
            if (flat instanceof double[] d) d[i] = o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).doubleValue();
            else if (flat instanceof long[] l) l[i] = o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).longValue();
            else ((boolean[]) flat)[i] = o instanceof Boolean b ? b : ((Number) o).doubleValue() != 0;
        } else {
            flatten(o, flat, at);
        }
    }

    /** The legacy constructor {@code torch.Tensor(data)}: always the default float dtype. */
    public static Tensor Tensor(Object data) { return tensor(data, defaultDtype); }

    /** The legacy {@code torch.FloatTensor(data)}. */
    public static Tensor FloatTensor(Object data) { return tensor(data, DType.float32); }

    public static Tensor DoubleTensor(Object data) { return tensor(data, DType.float64); }

    public static Tensor LongTensor(Object data) { return tensor(data, DType.int64); }

    public static Tensor IntTensor(Object data) { return tensor(data, DType.int32); }

    public static Tensor BoolTensor(Object data) { return tensor(data, DType.bool); }

    public static Tensor ByteTensor(Object data) { return tensor(data, DType.uint8); }

    /** A tensor of {@code dtype} holding values given as double[], long[] or boolean[]. */
    static Tensor fromValues(Object values, long[] shape, DType dtype) {
        DType src = values instanceof double[] ? DType.float64 : values instanceof long[] ? DType.int64 : DType.bool;
        Tensor t = new Tensor(new ArrayStorage(values, src), src, shape, Strided.contiguousStrides(shape), 0);
        return src == dtype ? t : Dispatch.convert(t, dtype);
    }

    /** A 0-dim tensor holding a Java double the way PyTorch wraps a Python number. */
    static Tensor scalarTensor(double v) { return Tensor.wrap(v); }

    // ================================================================ arrays shared with Java

    private static Tensor over(Object array, DType dtype, long... shape) {
        long n = Array.getLength(array);
        long[] s = shape.length == 0 ? new long[]{n} : Shapes.inferSize(shape, n);
        return new Tensor(new ArrayStorage(array, dtype), dtype, s, Strided.contiguousStrides(s), 0);
    }

    /** A float32 tensor over {@code data}, sharing its memory, like {@code torch.from_numpy}; no shape means 1-D. */
    public static Tensor fromArray(float[] data, long... shape) { return over(data, DType.float32, shape); }

    public static Tensor fromArray(double[] data, long... shape) { return over(data, DType.float64, shape); }

    public static Tensor fromArray(long[] data, long... shape) { return over(data, DType.int64, shape); }

    public static Tensor fromArray(int[] data, long... shape) { return over(data, DType.int32, shape); }

    public static Tensor fromArray(short[] data, long... shape) { return over(data, DType.int16, shape); }

    public static Tensor fromArray(byte[] data, long... shape) { return over(data, DType.int8, shape); }

    public static Tensor fromArray(boolean[] data, long... shape) { return over(data, DType.bool, shape); }

    /**
     * A tensor over an array reinterpreted as another dtype of the same Java type: byte[] as uint8,
     * short[] as float16 or bfloat16 bits.
     */
    public static Tensor fromArray(Object data, DType dtype, long... shape) { return over(data, dtype, shape); }

    // ================================================================ factories

    public static Tensor empty(long... shape) { return Dispatch.empty(shape, defaultDtype, Device.CPU); }

    public static Tensor empty(long[] shape, DType dtype) { return Dispatch.empty(shape, dtype, Device.CPU); }

    public static Tensor empty(long[] shape, DType dtype, Device device) { return Dispatch.empty(shape, dtype, device); }

    public static Tensor zeros(long... shape) { return empty(shape); }

    public static Tensor zeros(long[] shape, DType dtype) { return empty(shape, dtype); }

    public static Tensor zeros(long[] shape, DType dtype, Device device) { return empty(shape, dtype, device); }

    public static Tensor ones(long... shape) { return full(shape, 1.0); }

    public static Tensor ones(long[] shape, DType dtype) { return full(shape, 1.0, dtype); }

    public static Tensor ones(long[] shape, DType dtype, Device device) { return full(shape, 1.0, dtype, device); }

    /** Like {@code torch.full(shape, value)}: the default float dtype. */
    public static Tensor full(long[] shape, double value) { return full(shape, value, defaultDtype); }

    /** Like {@code torch.full(shape, 7)}: an int64 tensor. */
    public static Tensor full(long[] shape, long value) { return full(shape, value, DType.int64, Device.CPU); }

    public static Tensor full(long[] shape, boolean value) { return full(shape, value ? 1L : 0L, DType.bool, Device.CPU); }

    public static Tensor full(long[] shape, double value, DType dtype) { return full(shape, value, dtype, Device.CPU); }

    /** Like {@code torch.full(shape, 7, dtype=...)}: an integer fill value (a Python int). */
    public static Tensor full(long[] shape, long value, DType dtype) { return full(shape, value, dtype, Device.CPU); }

    public static Tensor full(long[] shape, double value, DType dtype, Device device) {
        Tensor t = Dispatch.empty(shape, dtype, device);
        if (value != 0) fresh(t).fill_(value);
        return t;
    }

    /** Another tensor object over t's storage, so that filling a new tensor leaves its version at 0 as in PyTorch. */
    private static Tensor fresh(Tensor t) { return new Tensor(t.storage, t.dtype, t.shape, t.stride, t.offset); }

    public static Tensor full(long[] shape, long value, DType dtype, Device device) {
        Tensor t = Dispatch.empty(shape, dtype, device);
        if (value != 0) fresh(t).fill_(value);
        return t;
    }

    /** The identity matrix, like {@code torch.eye(n)}. */
    public static Tensor eye(long n) { return eye(n, n, defaultDtype); }

    public static Tensor eye(long n, long m) { return eye(n, m, defaultDtype); }

    public static Tensor eye(long n, DType dtype) { return eye(n, n, dtype); }

    public static Tensor eye(long n, long m, DType dtype) {
        if (n < 0) throw new IllegalArgumentException("n must be greater or equal to 0, got " + n);
        if (m < 0) throw new IllegalArgumentException("m must be greater or equal to 0, got " + m);
        Shapes.numel(new long[]{n, m}); // ATen's eye_out resizes to [n, m] first: its numel overflow check
        Tensor t = zeros(new long[]{n, m}, dtype);
        long k = Math.min(n, m);
        if (k > 0) new Tensor(t.storage, dtype, new long[]{k}, new long[]{m + 1}, 0).fill_(1L);
        return t;
    }

    /** {@code 0, 1, ..., end-1} as int64, like {@code torch.arange(10)}. */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    public static Tensor arange(long start, long end) { return arange(start, end, 1); }

    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        if ((step > 0 && start > end) || (step < 0 && start < end))
            throw new IllegalArgumentException("upper bound and lower bound inconsistent with step sign");
        long n;
        try { // ceil((end - start) / step); a span beyond int64 is ATen's "possible overflow" (RangeFactories.cpp)
            long span = Math.subtractExact(end, start);
            n = span / step + (span % step != 0 ? 1 : 0);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid size, possible overflow?");
        }
        long[] shape = {n};
        Shapes.checkNewTensor(shape, DType.int64.itemSize());
        long[] v = new long[Shapes.hostLength(n)];
        for (int i = 0; i < v.length; i++) v[i] = start + i * step;
        return fromValues(v, shape, DType.int64);
    }

    /** Floating-point range in the default dtype, like {@code torch.arange(1, 2.5, 0.5)}. */
    public static Tensor arange(double end) { return arange(0, end, 1.0); }

    public static Tensor arange(double start, double end, double step) { return arange(start, end, step, defaultDtype); }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (!dtype.isFloatingPoint() && dtype != DType.bool) return arangeIntegral(start, end, step, dtype);
        // ATen's arange checks, in its order (RangeFactories.cpp); a NaN step is not "> 0 || < 0" either
        if (!(step > 0 || step < 0)) throw new IllegalArgumentException("step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end))
            throw new IllegalArgumentException("unsupported range: " + Python.cpp(start) + " -> " + Python.cpp(end));
        if ((step > 0 && start > end) || (step < 0 && start < end))
            throw new IllegalArgumentException("upper bound and lower bound inconsistent with step sign");
        double size = Math.ceil((end - start) / step);
        if (!(size >= 0 && size <= (double) Long.MAX_VALUE)) throw new IllegalArgumentException("invalid size, possible overflow?");
        long n = (long) size;
        Shapes.checkNewTensor(new long[]{n}, dtype.itemSize());
        double[] v = new double[Shapes.hostLength(n)];
        for (int i = 0; i < v.length; i++) v[i] = start + i * step;
        return fromValues(v, new long[]{v.length}, dtype);
    }

    /**
     * arange into an integer dtype: ATen's arange_out converts start, end and step to the accumulate type, int64,
     * before its checks and values (RangeFactories.cpp), so a step of 0.5 is 0; the size comes from the int64 span
     * for int64 and from the given doubles for the narrower types, as there.
     */
    private static Tensor arangeIntegral(double start, double end, double step, DType dtype) {
        long xstart = (long) start, xend = (long) end, xstep = (long) step;
        if (xstep == 0) throw new IllegalArgumentException("step must be nonzero");
        if ((xstep > 0 && xstart > xend) || (xstep < 0 && xstart < xend))
            throw new IllegalArgumentException("upper bound and lower bound inconsistent with step sign");
        double size;
        if (dtype == DType.int64) {
            long sgn = Long.signum(xstep);
            size = (xend - xstart + xstep - sgn) / xstep;
        } else {
            size = Math.ceil((end - start) / step);
        }
        if (!(size >= 0 && size <= (double) Long.MAX_VALUE)) throw new IllegalArgumentException("invalid size, possible overflow?");
        long n = (long) size;
        Shapes.checkNewTensor(new long[]{n}, dtype.itemSize());
        long[] v = new long[Shapes.hostLength(n)];
        for (int i = 0; i < v.length; i++) v[i] = xstart + i * xstep;
        return fromValues(v, new long[]{v.length}, dtype);
    }

    /** {@code steps} evenly spaced points from start to end, like {@code torch.linspace}. */
    public static Tensor linspace(double start, double end, long steps) { return linspace(start, end, steps, defaultDtype); }

    public static Tensor linspace(double start, double end, long steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        Shapes.checkNewTensor(new long[]{steps}, dtype.itemSize());
        double[] v = new double[Shapes.hostLength(steps)];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // PyTorch fills the first half from the start and the second half from the end.
        long half = steps / 2;
        for (int i = 0; i < steps; i++) v[i] = i < half ? start + step * i : end - step * (steps - i - 1);
        if (steps == 1) v[0] = start;
        if (dtype.isFloatingPoint() && dtype != DType.float64 && steps != 1) {
            float fs = (float) start, fe = (float) end, fstep = steps > 1 ? (fe - fs) / (steps - 1) : 0;
            for (int i = 0; i < steps; i++) v[i] = i < half ? fs + fstep * i : fe - fstep * (steps - i - 1);
        }
        return fromValues(v, new long[]{steps}, dtype);
    }

    /** {@code base^linspace(start, end, steps)}, like {@code torch.logspace}. */
    public static Tensor logspace(double start, double end, long steps) { return logspace(start, end, steps, 10.0); }

    public static Tensor logspace(double start, double end, long steps, double base) { return logspace(start, end, steps, base, defaultDtype); }

    /** Like {@code torch.logspace(start, end, steps, base, dtype=...)}. */
    public static Tensor logspace(double start, double end, long steps, double base, DType dtype) {
        Tensor exps = linspace(start, end, steps, DType.float64);
        return exps.rpow(base).to(dtype);
    }

    // ---------------------------------------------------------------- *_like and new_*

    public static Tensor emptyLike(Tensor t) { return Dispatch.empty(t.shape, t.dtype, t.device()); }

    public static Tensor zerosLike(Tensor t) { return emptyLike(t); }

    public static Tensor zerosLike(Tensor t, DType dtype) { return Dispatch.empty(t.shape, dtype, t.device()); }

    public static Tensor onesLike(Tensor t) { return full(t.shape, 1.0, t.dtype, t.device()); }

    public static Tensor onesLike(Tensor t, DType dtype) { return full(t.shape, 1.0, dtype, t.device()); }

    public static Tensor fullLike(Tensor t, double value) { return full(t.shape, value, t.dtype, t.device()); }

    public static Tensor fullLike(Tensor t, double value, DType dtype) { return full(t.shape, value, dtype, t.device()); }

    public static Tensor randLike(Tensor t) { return rand(t.shape, t.dtype, t.device()); }

    public static Tensor randLike(Tensor t, DType dtype) { return rand(t.shape, dtype, t.device()); }

    public static Tensor randnLike(Tensor t) { return randn(t.shape, t.dtype, t.device()); }

    public static Tensor randnLike(Tensor t, DType dtype) { return randn(t.shape, dtype, t.device()); }

    public static Tensor randintLike(Tensor t, long low, long high) { return randint(low, high, t.shape, t.dtype, t.device()); }

    public static Tensor randintLike(Tensor t, long high) { return randintLike(t, 0, high); }

    // ================================================================ random

    /** Seeds the default generator, like {@code torch.manual_seed(0)}. */
    public static Generator manualSeed(long seed) {
        cuda.manualSeedAll(seed); // every CUDA generator too, as PyTorch (no CUDA initialisation)
        return Generator.defaultGenerator().manualSeed(seed);
    }

    /** Like {@code torch.seed()}. */
    public static long seed() {
        long s = Generator.defaultGenerator().seed();
        cuda.manualSeedAll(s);
        return s;
    }

    /** Like {@code torch.initial_seed()}. */
    public static long initialSeed() { return Generator.defaultGenerator().initialSeed(); }

    private static Tensor onDevice(Tensor cpu, Device device) { return device.isCuda() ? Dispatch.toDevice(cpu, device) : cpu; }

    private static void checkFloat(DType dtype, String fn) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException("\"" + fn + "\" not implemented for '" + dtype.scalarTypeName() + "'");
    }

    /** Uniform samples in [0, 1), like {@code torch.rand(2, 3)}. */
    public static Tensor rand(long... shape) { return rand(shape, defaultDtype); }

    public static Tensor rand(long[] shape, DType dtype) { return rand(shape, dtype, Device.CPU); }

    /** On CUDA the device's generator draws on the device (Philox, as PyTorch's CUDA generator). */
    public static Tensor rand(long[] shape, DType dtype, Device device) {
        if (!device.isCuda()) return rand(shape, dtype, device, Generator.defaultGenerator());
        checkFloat(dtype, "check_uniform_bounds");
        return Sampling.uniform_(Dispatch.empty(shape, dtype, device), 0, 1);
    }

    public static Tensor rand(long[] shape, DType dtype, Device device, Generator g) {
        checkFloat(dtype, "check_uniform_bounds");
        Tensor out = Sampling.sample(shape, dtype, g, () -> Sampling.uniform(0, 1, dtype));
        return onDevice(out, device);
    }

    /** Standard normal samples, like {@code torch.randn(2, 3)}. */
    public static Tensor randn(long... shape) { return randn(shape, defaultDtype); }

    public static Tensor randn(long[] shape, DType dtype) { return randn(shape, dtype, Device.CPU); }

    /** On CUDA the device's generator draws on the device (Philox and Box-Muller, as PyTorch's CUDA generator). */
    public static Tensor randn(long[] shape, DType dtype, Device device) {
        if (!device.isCuda()) return randn(shape, dtype, device, Generator.defaultGenerator());
        checkFloat(dtype, "normal_kernel_cuda");
        return Sampling.normal_(Dispatch.empty(shape, dtype, device), 0, 1);
    }

    public static Tensor randn(long[] shape, DType dtype, Device device, Generator g) {
        checkFloat(dtype, "normal_kernel_cpu");
        Tensor out = Sampling.sample(shape, dtype, g, () -> Sampling.normal(0, 1, dtype));
        return onDevice(out, device);
    }

    /** Integers in [low, high), like {@code torch.randint(0, 8, (2, 3))}. */
    public static Tensor randint(long low, long high, long... shape) { return randint(low, high, shape, DType.int64, Device.CPU); }

    /** Integers in [0, high), like {@code torch.randint(5, (10, 5))}. */
    public static Tensor randint(long high, long[] shape) { return randint(0, high, shape, DType.int64, Device.CPU); }

    public static Tensor randint(long low, long high, long[] shape, DType dtype) { return randint(low, high, shape, dtype, Device.CPU); }

    public static Tensor randint(long low, long high, long[] shape, DType dtype, Device device) {
        Shapes.checkNewTensor(shape, dtype.itemSize()); // PyTorch makes the tensor, then draws into it
        if (low >= high)
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        if (device.isCuda()) return Sampling.random_(Dispatch.empty(shape, dtype, device), low, high);
        Tensor out = Sampling.sample(shape, dtype, Generator.defaultGenerator(), () -> Sampling.randomFromTo(low, high, dtype));
        return onDevice(out, device);
    }

    /** A random permutation of 0..n-1, like {@code torch.randperm(n)}. */
    public static Tensor randperm(long n) { return randperm(n, DType.int64); }

    public static Tensor randperm(long n, DType dtype) {
        Shapes.checkNewTensor(new long[]{n}, dtype.itemSize()); // PyTorch makes the tensor first, so a negative n fails there
        Shapes.hostLength(n);
        long[] v = Generator.defaultGenerator().randperm(n, dtype);
        return fromValues(v, new long[]{n}, dtype);
    }

    /** Like {@code torch.randperm(n, dtype=dtype, device=device)}; drawn on the host by the CPU generator, then moved. */
    public static Tensor randperm(long n, DType dtype, Device device) { return onDevice(randperm(n, dtype), device); }

    /** Draws 0/1 with the probabilities in {@code p}, like {@code torch.bernoulli(p)}. */
    public static Tensor bernoulli(Tensor p) {
        if (p.isCuda()) return Sampling.bernoulliOnDevice(p);
        Tensor out = Sampling.sample(p.shape, p.dtype(), Generator.defaultGenerator(), () -> Sampling.bernoulliTensor(p.contiguousNoGrad()));
        return onDevice(out, p.device());
    }

    /** Like {@code torch.normal(mean, std, size)}. */
    public static Tensor normal(double mean, double std, long... shape) {
        DType dtype = defaultDtype;
        return Sampling.sample(shape, dtype, Generator.defaultGenerator(), () -> Sampling.normal(mean, std, dtype));
    }

    // ================================================================ joining and splitting

    /** Like {@code torch.cat(tensors, dim)}. */
    public static Tensor cat(List<Tensor> tensors, int dim) { return Dispatch.cat(tensors, dim); }

    public static Tensor cat(List<Tensor> tensors) { return cat(tensors, 0); }

    /** Like {@code torch.concat}. */
    public static Tensor concat(List<Tensor> tensors, int dim) { return cat(tensors, dim); }

    /** Stacks along a new first dim, like {@code torch.stack([x, y])}. */
    public static Tensor stack(Tensor... tensors) { return stack(List.of(tensors), 0); }

    /** Stacks along a new dim, like {@code torch.stack(tensors, dim)}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        long[] s = tensors.get(0).shape;
        int d = Shapes.wrapDim(dim, s.length + 1); // ATen's stack wraps the dim before check_stack_inputs (TensorShape.cpp)
        for (int i = 1; i < tensors.size(); i++)
            if (!Arrays.equals(s, tensors.get(i).shape))
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Shapes.str(s) + " at entry 0 and "
                        + Shapes.str(tensors.get(i).shape) + " at entry " + i);
        return dev.jtorch.autograd.Graph.composite("StackBackward0", xs -> {
            List<Tensor> parts = new ArrayList<>();
            for (Tensor t : xs) parts.add(t.unsqueeze(d));
            return cat(parts, d);
        }, tensors.toArray(new Tensor[0]));
    }

    /** Like {@code torch.hstack}: 0-dim tensors count as 1-D (atleast_1d), then cat along dim 0 for 1-D, else dim 1. */
    public static Tensor hstack(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("hstack expects a non-empty TensorList");
        List<Tensor> rs = tensors.stream().map(t -> t.dim() == 0 ? t.reshape(1) : t).toList();
        return cat(rs, rs.get(0).dim() == 1 ? 0 : 1);
    }

    /** Like {@code torch.vstack}: 0-dim and 1-D tensors become rows (atleast_2d), then cat along dim 0. */
    public static Tensor vstack(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("vstack expects a non-empty TensorList");
        return cat(tensors.stream().map(t -> t.dim() == 0 ? t.reshape(1, 1) : t.dim() == 1 ? t.unsqueeze(0) : t).toList(), 0);
    }

    public static List<Tensor> chunk(Tensor t, int chunks, int dim) { return t.chunk(chunks, dim); }

    public static List<Tensor> split(Tensor t, long splitSize, int dim) { return t.split(splitSize, dim); }

    public static List<Tensor> split(Tensor t, long[] sizes, int dim) { return t.split(sizes, dim); }

    public static List<Tensor> unbind(Tensor t, int dim) { return t.unbind(dim); }

    /** Picks from a where cond is true, else from b, like {@code torch.where(cond, a, b)}. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Dispatch.where(cond, a, b); }

    public static Tensor where(Tensor cond, Tensor a, double b) { return Dispatch.where(cond, a, Tensor.wrap(b)); }

    public static Tensor where(Tensor cond, double a, Tensor b) { return Dispatch.where(cond, Tensor.wrap(a), b); }

    /** An integer scalar promotes like a Python int: {@code where(c, intTensor, 0)} stays integral. */
    public static Tensor where(Tensor cond, Tensor a, long b) { return Dispatch.where(cond, a, Tensor.wrap(b)); }

    public static Tensor where(Tensor cond, long a, Tensor b) { return Dispatch.where(cond, Tensor.wrap(a), b); }

    /** Like {@code torch.where(cond)}: the indices of true elements, one tensor per dim. */
    public static List<Tensor> where(Tensor cond) { return cond.nonzero().unbind(1); }

    /** Sorted unique elements, like {@code torch.unique(t)}. */
    public static Tensor unique(Tensor t) { return unique(t, true, false, false).values(); }

    /** Unique elements with optional inverse indices and counts, like {@code torch.unique(..., return_inverse, return_counts)}. */
    public static dev.jtorch.ReturnTypes.Unique unique(Tensor t, boolean sorted, boolean returnInverse, boolean returnCounts) {
        dev.jtorch.ReturnTypes.Unique r;
        try (var g = noGrad()) {
            r = uniqueNoGrad(t, returnInverse, returnCounts);
        }
        // PyTorch records _unique2, which has no derivative: the values require grad and backward refuses (derivatives.yaml: not_implemented)
        if (t.dtype().isFloatingPoint() && dev.jtorch.autograd.Graph.needsRecording(t))
            dev.jtorch.autograd.Graph.record("Unique2Backward0", r.values(), new Tensor[]{t}, new Tensor[0], (grad, saved) -> {
                throw new UnsupportedOperationException("the derivative for '_unique2' is not implemented.");
            });
        return r;
    }

    private static dev.jtorch.ReturnTypes.Unique uniqueNoGrad(Tensor t, boolean returnInverse, boolean returnCounts) {
        Tensor flat = t.reshape(-1);
        Tensor order = flat.argsort(0, false);
        Tensor sortedVals = flat.gather(0, order);
        long n = flat.numel();
        if (n == 0) return new dev.jtorch.ReturnTypes.Unique(sortedVals, zeros(t.shape, DType.int64), zeros(new long[]{0}, DType.int64));
        Tensor isNew = ones(new long[]{n}, DType.bool);
        if (n > 1) isNew.narrow(0, 1, n - 1).copy_(sortedVals.narrow(0, 1, n - 1).ne(sortedVals.narrow(0, 0, n - 1)));
        Tensor groupId = isNew.to(DType.int64).cumsum(0).sub(1L);
        Tensor values = sortedVals.get(isNew);
        Tensor inverse = null, counts = null;
        if (returnInverse) inverse = zeros(new long[]{n}, DType.int64).scatter_(0, order, groupId).view(t.shape);
        if (returnCounts) counts = zeros(new long[]{values.numel()}, DType.int64).scatterAdd_(0, groupId, onesLike(groupId));
        return new dev.jtorch.ReturnTypes.Unique(values, inverse, counts);
    }

    // ================================================================ free functions with out=

    public static Tensor add(Tensor a, Tensor b) { return a.add(b); }

    /** Like {@code torch.add(a, b, out=out)}. */
    public static Tensor add(Tensor a, Tensor b, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.ADD, a, b, out); }

    /** {@code a + alpha * b}, like {@code torch.add(a, b, alpha=alpha)}. */
    public static Tensor add(Tensor a, Tensor b, double alpha) { return a.add(b, alpha); }

    /** Like {@code torch.add(a, b, alpha=2)} with an integer alpha. */
    public static Tensor add(Tensor a, Tensor b, long alpha) { return a.add(b, alpha); }

    /** Like {@code torch.add(a, b, alpha=alpha, out=out)}. */
    public static Tensor add(Tensor a, Tensor b, double alpha, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.ADD, a, b, out, alpha); }

    /** Like {@code torch.add(a, b, alpha=2, out=out)} with an integer alpha. */
    public static Tensor add(Tensor a, Tensor b, long alpha, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.ADD, a, b, out, alpha); }

    public static Tensor sub(Tensor a, Tensor b) { return a.sub(b); }

    public static Tensor sub(Tensor a, Tensor b, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.SUB, a, b, out); }

    /** {@code a - alpha * b}, like {@code torch.sub(a, b, alpha=alpha)}. */
    public static Tensor sub(Tensor a, Tensor b, double alpha) { return a.sub(b, alpha); }

    /** Like {@code torch.sub(a, b, alpha=2)} with an integer alpha. */
    public static Tensor sub(Tensor a, Tensor b, long alpha) { return a.sub(b, alpha); }

    /** Like {@code torch.sub(a, b, alpha=alpha, out=out)}. */
    public static Tensor sub(Tensor a, Tensor b, double alpha, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.SUB, a, b, out, alpha); }

    /** Like {@code torch.sub(a, b, alpha=2, out=out)} with an integer alpha. */
    public static Tensor sub(Tensor a, Tensor b, long alpha, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.SUB, a, b, out, alpha); }

    public static Tensor mul(Tensor a, Tensor b) { return a.mul(b); }

    public static Tensor mul(Tensor a, Tensor b, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.MUL, a, b, out); }

    public static Tensor div(Tensor a, Tensor b) { return a.div(b); }

    public static Tensor div(Tensor a, Tensor b, Tensor out) { return Dispatch.binary(dev.jtorch.ops.BinaryOp.DIV, a, b, out); }

    public static Tensor matmul(Tensor a, Tensor b) { return a.matmul(b); }

    /** Like {@code torch.matmul(a, b, out=out)}. */
    public static Tensor matmul(Tensor a, Tensor b, Tensor out) {
        Tensor r = a.matmul(b);
        return out.resize_(r.shape).copy_(r);
    }

    public static Tensor mm(Tensor a, Tensor b) { return a.mm(b); }

    /** {@code input + mat1 @ mat2} with {@code input} broadcast, like {@code torch.addmm(input, mat1, mat2)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) { return Linear.addmm(input, mat1, mat2, 1, 1); }

    /** {@code beta * input + alpha * (mat1 @ mat2)}, like {@code torch.addmm(input, mat1, mat2, beta=beta, alpha=alpha)}. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha) {
        return Linear.addmm(input, mat1, mat2, beta, alpha);
    }

    public static Tensor bmm(Tensor a, Tensor b) { return a.bmm(b); }

    public static Tensor mv(Tensor a, Tensor v) { return a.mv(v); }

    public static Tensor dot(Tensor a, Tensor b) { return a.dot(b); }

    public static Tensor outer(Tensor a, Tensor b) { return a.outer(b); }

    public static Tensor pow(Tensor a, Tensor b) { return a.pow(b); }

    public static Tensor pow(Tensor a, double b) { return a.pow(b); }

    public static Tensor pow(double a, Tensor b) { return b.rpow(a); }

    public static Tensor pow(Tensor a, long b) { return a.pow(b); }

    public static Tensor pow(long a, Tensor b) { return b.rpow(a); }

    public static Tensor abs(Tensor a) { return a.abs(); }

    public static Tensor neg(Tensor a) { return a.neg(); }

    public static Tensor exp(Tensor a) { return a.exp(); }

    /** Like {@code torch.sinc(a)}. */
    public static Tensor sinc(Tensor a) { return a.sinc(); }

    /** Like {@code torch.sinc(a, out=out)}. */
    public static Tensor sinc(Tensor a, Tensor out) { return Dispatch.unary(dev.jtorch.ops.UnaryOp.SINC, a, out); }

    /** {@code torch.exp(a, out=out)}. */
    public static Tensor exp(Tensor a, Tensor out) { return Dispatch.unary(dev.jtorch.ops.UnaryOp.EXP, a, out); }

    public static Tensor log(Tensor a) { return a.log(); }

    /** {@code torch.log(a, out=out)}. */
    public static Tensor log(Tensor a, Tensor out) { return Dispatch.unary(dev.jtorch.ops.UnaryOp.LOG, a, out); }

    public static Tensor sqrt(Tensor a) { return a.sqrt(); }

    public static Tensor sin(Tensor a) { return a.sin(); }

    /** {@code torch.sin(a, out=out)}. */
    public static Tensor sin(Tensor a, Tensor out) { return Dispatch.unary(dev.jtorch.ops.UnaryOp.SIN, a, out); }

    public static Tensor cos(Tensor a) { return a.cos(); }

    /** {@code torch.cos(a, out=out)}. */
    public static Tensor cos(Tensor a, Tensor out) { return Dispatch.unary(dev.jtorch.ops.UnaryOp.COS, a, out); }

    public static Tensor tanh(Tensor a) { return a.tanh(); }

    /** {@code torch.tanh(a, out=out)}. */
    public static Tensor tanh(Tensor a, Tensor out) { return Dispatch.unary(dev.jtorch.ops.UnaryOp.TANH, a, out); }

    public static Tensor sigmoid(Tensor a) { return a.sigmoid(); }

    /** {@code torch.sigmoid(a, out=out)}. */
    public static Tensor sigmoid(Tensor a, Tensor out) { return Dispatch.unary(dev.jtorch.ops.UnaryOp.SIGMOID, a, out); }

    public static Tensor relu(Tensor a) { return a.relu(); }

    public static Tensor ceil(Tensor a) { return a.ceil(); }

    public static Tensor floor(Tensor a) { return a.floor(); }

    public static Tensor round(Tensor a) { return a.round(); }

    public static Tensor clamp(Tensor a, double min, double max) { return a.clamp(min, max); }

    public static Tensor clamp(Tensor a, long min, long max) { return a.clamp(min, max); }

    public static Tensor maximum(Tensor a, Tensor b) { return a.maximum(b); }

    public static Tensor minimum(Tensor a, Tensor b) { return a.minimum(b); }

    public static Tensor sum(Tensor a) { return a.sum(); }

    public static Tensor sum(Tensor a, int dim) { return a.sum(dim); }

    public static Tensor mean(Tensor a) { return a.mean(); }

    public static Tensor mean(Tensor a, int dim) { return a.mean(dim); }

    public static Tensor prod(Tensor a) { return a.prod(); }

    public static Tensor std(Tensor a) { return a.std(); }

    public static Tensor var(Tensor a) { return a.var(); }

    public static Tensor max(Tensor a) { return a.max(); }

    public static ReturnTypes.Max max(Tensor a, int dim) { return a.max(dim); }

    public static Tensor min(Tensor a) { return a.min(); }

    public static ReturnTypes.Min min(Tensor a, int dim) { return a.min(dim); }

    public static Tensor argmax(Tensor a) { return a.argmax(); }

    public static Tensor argmax(Tensor a, int dim) { return a.argmax(dim); }

    public static Tensor argmin(Tensor a) { return a.argmin(); }

    public static Tensor cumsum(Tensor a, int dim) { return a.cumsum(dim); }

    public static Tensor cumprod(Tensor a, int dim) { return a.cumprod(dim); }

    public static Tensor logsumexp(Tensor a, int dim) { return a.logsumexp(dim); }

    public static Tensor norm(Tensor a) { return a.norm(); }

    public static ReturnTypes.Sort sort(Tensor a, int dim, boolean descending) { return a.sort(dim, descending); }

    public static Tensor argsort(Tensor a, int dim, boolean descending) { return a.argsort(dim, descending); }

    public static ReturnTypes.Topk topk(Tensor a, int k) { return a.topk(k); }

    public static Tensor flatten(Tensor a) { return a.flatten(); }

    public static Tensor reshape(Tensor a, long... shape) { return a.reshape(shape); }

    public static Tensor transpose(Tensor a, int d0, int d1) { return a.transpose(d0, d1); }

    public static Tensor permute(Tensor a, int... dims) { return a.permute(dims); }

    public static Tensor squeeze(Tensor a) { return a.squeeze(); }

    public static Tensor unsqueeze(Tensor a, int dim) { return a.unsqueeze(dim); }

    public static Tensor t(Tensor a) { return a.t(); }

    public static Tensor flip(Tensor a, int... dims) { return a.flip(dims); }

    public static Tensor gather(Tensor a, int dim, Tensor index) { return a.gather(dim, index); }

    public static Tensor nonzero(Tensor a) { return a.nonzero(); }

    public static Tensor clone(Tensor a) { return a.clone(); }

    public static Tensor isnan(Tensor a) { return a.isnan(); }

    public static Tensor eq(Tensor a, Tensor b) { return a.eq(b); }

    public static boolean equal(Tensor a, Tensor b) { return a.equal(b); }

    public static boolean allclose(Tensor a, Tensor b) { return a.allclose(b); }

    public static boolean allclose(Tensor a, Tensor b, double rtol, double atol) { return a.allclose(b, rtol, atol); }

    public static Tensor lerp(Tensor a, Tensor end, double weight) { return a.lerp(end, weight); }

    public static Tensor addcmul(Tensor a, Tensor t1, Tensor t2, double value) { return a.addcmul(t1, t2, value); }

    public static Tensor addcdiv(Tensor a, Tensor t1, Tensor t2, double value) { return a.addcdiv(t1, t2, value); }

    public static Tensor atan2(Tensor a, Tensor b) { return a.atan2(b); }

    public static Tensor floorDivide(Tensor a, Tensor b) { return a.floorDivide(b); }

    public static Tensor remainder(Tensor a, Tensor b) { return a.remainder(b); }

    public static Tensor fmod(Tensor a, Tensor b) { return a.fmod(b); }

    public static Tensor erf(Tensor a) { return a.erf(); }

    /** Like {@code torch.numel(t)}. */
    public static long numel(Tensor a) { return a.numel(); }

    /** Like {@code torch.is_tensor(obj)}. */
    public static boolean isTensor(Object o) { return o instanceof Tensor; }

    /** Like {@code torch.svd(a)}: reduced SVD with {@code a = U diag(S) V^T}. */
    public static ReturnTypes.Svd svd(Tensor a) { return linalg.svdLegacy(a); }

    /** Like {@code torch.promote_types}. */
    public static DType promoteTypes(DType a, DType b) { return DType.promote(a, b); }

    /** Like {@code torch.result_type(a, b)}. */
    public static DType resultType(Tensor a, Tensor b) { return Dispatch.resultType(a, b); }

    /** Like {@code torch.can_cast}. */
    public static boolean canCast(DType from, DType to) { return Dispatch.canCast(from, to); }
}
