package dev.jtorch;

import dev.jtorch.autograd.InPlace;
import dev.jtorch.dispatch.Shapes;
import dev.jtorch.dispatch.Dispatch;
import dev.jtorch.autograd.GradMode;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Backends;
import dev.jtorch.backend.RandomEngine;
import dev.jtorch.backend.Sample;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Random sampling as the tensor API sees it: PyTorch's argument checks and messages, the {@link Sample} they build,
 * and the tensor the device's backend draws it into ({@link Backend#sample}). On the CPU a {@link Generator}'s engine
 * draws (the default one unless the caller passes another); on an accelerator the device's own generator draws on the
 * device (CUDA: Philox, as PyTorch's CUDA generator), so nothing is drawn on the host or copied. In-place samplers
 * fill a non-contiguous tensor in memory order, as PyTorch's TensorIterator does.
 */
final class Sampling {
    private Sampling() {}

    // ---------------------------------------------------------------- the samples, checked with PyTorch's messages

    static Sample uniform(double from, double to, DType dtype) {
        if (!(from <= to))
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("uniform_ is only for floating dtypes, got " + dtype);
        return new Sample.Uniform(from, to);
    }

    static Sample normal(double mean, double std, DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("normal_ is only for floating dtypes, got " + dtype);
        if (!(std >= 0.0)) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        return new Sample.Normal(mean, std);
    }

    /** {@code random_(from, to)}: [from, to) narrowed, for a floating dtype, so that both ends survive the cast to it, as PyTorch narrows them. */
    static Sample randomFromTo(long from, long to, DType dtype) {
        if (from >= to)
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + from + " >= to=" + to);
        if (dtype.isFloatingPoint()) {
            int digits = switch (dtype) { case float64 -> 53; case float32 -> 24; case float16 -> 11; default -> 8; };
            long f1 = castLong(from + 1, dtype);
            if (f1 < from) from = f1 + (1L << (63 - Long.numberOfLeadingZeros(Math.abs(from + 1)) - digits + 1));
            long t1 = castLong(to - 1, dtype);
            if (t1 >= to) to = t1 - (1L << (63 - Long.numberOfLeadingZeros(Math.abs(to - 1)) - digits + 1));
            if (from >= to)
                throw new IllegalArgumentException("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from="
                        + from + " >= to=" + to);
        }
        return new Sample.RandomFromTo(from, to);
    }

    /** A long cast to the floating dtype and back, as C++ casts it. */
    private static long castLong(long v, DType d) {
        return switch (d) {
            case float64 -> (long) (double) v;
            case float32 -> (long) (float) v;
            case float16 -> (long) Float.float16ToFloat(Float.floatToFloat16((float) v));
            default -> {
                int bits = Float.floatToRawIntBits((float) v);
                yield (long) Float.intBitsToFloat((bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000);
            }
        };
    }

    static Sample bernoulli(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        return new Sample.Bernoulli(p);
    }

    /** {@code torch.bernoulli(p)} on the CPU: the probabilities {@code p} (contiguous) decide the draws by their dtype. */
    static Sample bernoulliTensor(Tensor p) {
        if (!p.dtype.isFloatingPoint()) throw new IllegalArgumentException("bernoulli expects floating probabilities, got " + p.dtype);
        return new Sample.BernoulliTensor(Dispatch.strided(p));
    }

    // ---------------------------------------------------------------- drawing with a CPU generator

    /** A new CPU tensor of {@code shape} holding {@code sample} drawn from {@code g}; the sample is built after the shape's checks. */
    static Tensor sample(long[] shape, DType dtype, Generator g, Supplier<Sample> sample) {
        Shapes.checkNewTensor(shape, dtype.itemSize());
        Sample s = sample.get();
        Tensor out = Dispatch.empty(shape, dtype, Device.CPU);
        Backends.cpu().sample(s, Dispatch.strided(out), g.engine());
        return out;
    }

    /**
     * Fills the CPU tensor {@code t} with {@code sample} drawn from {@code g}: in memory order (outer dims = larger
     * strides) as PyTorch's TensorIterator fills it, or in C order ({@code random_}, as before).
     */
    static Tensor fill(Tensor t, Generator g, Supplier<Sample> sample, boolean memoryOrder) {
        InPlace.checkLeaf(t);
        Sample s = sample.get();
        Dispatch.checkNoInternalOverlap(t);
        return fill(t, Backends.cpu(), g.engine(), s, memoryOrder);
    }

    /** The draw a public {@link Generator} method returns: {@code n} values of {@code dtype} as {@code sample} gives them. */
    static Tensor draw(long n, DType dtype, Generator g, Sample sample) {
        Tensor out = Dispatch.empty(new long[]{n}, dtype, Device.CPU);
        Backends.cpu().sample(sample, Dispatch.strided(out), g.engine());
        return out;
    }

    // ---------------------------------------------------------------- drawing with an accelerator's own generator

    /** {@code uniform_(from, to)} into {@code t} (on an accelerator). */
    static Tensor uniform_(Tensor t, double from, double to) {
        if (!(from <= to))
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        return onDevice(t, new Sample.Uniform(from, to));
    }

    static Tensor normal_(Tensor t, double mean, double std) {
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        return onDevice(t, new Sample.Normal(mean, std));
    }

    static Tensor bernoulli_(Tensor t, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        return onDevice(t, new Sample.Bernoulli(p));
    }

    /** {@code random_(from, to)}: integers in [from, to) cast to the dtype (float bounds narrowed as PyTorch narrows them). */
    static Tensor random_(Tensor t, long from, long to) {
        return onDevice(t, randomFromTo(from, to, t.dtype));
    }

    /** {@code torch.bernoulli(p)} on an accelerator: 0/1 of p's dtype drawn with the probabilities in {@code p}. */
    static Tensor bernoulliOnDevice(Tensor p) {
        if (!p.dtype.isFloatingPoint())
            throw new IllegalArgumentException("expected probabilities tensor to have floating type, got " + p.dtype.scalarTypeName());
        Tensor out = Dispatch.empty(p.shape, p.dtype, p.device());
        DType pt = p.dtype == DType.float64 ? DType.float64 : DType.float32;
        Tensor probs;
        try (var g = GradMode.set(false)) {
            probs = p.dtype == pt ? p.contiguousNoGrad() : Dispatch.convert(p.contiguousNoGrad(), pt);
        }
        Backend be = Dispatch.backend(out.device());
        be.sample(new Sample.BernoulliTensor(Dispatch.strided(probs)), Dispatch.strided(out), be.defaultGenerator());
        return out;
    }

    private static Tensor onDevice(Tensor t, Sample s) {
        InPlace.checkLeaf(t);
        Backend be = Dispatch.backend(t.device());
        return fill(t, be, be.defaultGenerator(), s, true);
    }

    /** Fills {@code t} with one draw per element; a non-contiguous tensor through a buffer laid out in its memory order, or in C order. */
    private static Tensor fill(Tensor t, Backend be, RandomEngine engine, Sample s, boolean memoryOrder) {
        try (var noGrad = GradMode.set(false)) {
            Tensor target = t;
            if (memoryOrder) {
                Integer[] order = new Integer[t.dim()];
                for (int i = 0; i < order.length; i++) order[i] = i;
                Arrays.sort(order, (a, b) -> Long.compare(t.stride[b], t.stride[a]));
                target = t.permute(Arrays.stream(order).mapToInt(Integer::intValue).toArray());
            }
            if (target.isContiguous()) {
                be.sample(s, Dispatch.strided(target), engine);
            } else {
                Tensor buffer = Dispatch.empty(target.shape, t.dtype, t.device());
                be.sample(s, Dispatch.strided(buffer), engine);
                Dispatch.copyInto(target, buffer);
            }
        }
        t.bumpVersion();
        return t;
    }

    // Tensor's in-place samplers: without a generator (g == null) a CUDA tensor samples on its device's generator,
    // a CPU tensor on the default one, as x.uniform_(a, b) does in PyTorch.

    static Tensor uniformInPlace(Tensor self, double from, double to, Generator g) {
        checkSampleDtype(self, "uniform_");
        if (g == null && self.isCuda()) return uniform_(self, from, to);
        return fill(self, g == null ? Generator.defaultGenerator() : g, () -> uniform(from, to, self.dtype), true);
    }

    static Tensor normalInPlace(Tensor self, double mean, double std, Generator g) {
        if (g == null && self.isCuda()) { checkSampleDtype(self, "normal_"); return normal_(self, mean, std); }
        checkSampleDtype(self, "normal_");
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        return fill(self, g == null ? Generator.defaultGenerator() : g, () -> normal(mean, std, self.dtype), true);
    }

    static Tensor bernoulliInPlace(Tensor self, double p) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        if (self.isCuda()) return bernoulli_(self, p);
        return fill(self, Generator.defaultGenerator(), () -> bernoulli(p), true);
    }

    static Tensor randomInPlace(Tensor self, long from, long to) {
        if (self.isCuda()) return random_(self, from, to);
        // In C order, as before; the other samplers fill in memory order.
        return fill(self, Generator.defaultGenerator(), () -> randomFromTo(from, to, self.dtype), false);
    }

    private static void checkSampleDtype(Tensor self, String fn) {
        if (!self.dtype.isFloatingPoint())
            throw new IllegalArgumentException(fn + " expects a floating point tensor, but got " + self.dtype);
    }
}
