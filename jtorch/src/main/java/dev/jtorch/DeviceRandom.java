package dev.jtorch;

import dev.jtorch.autograd.GradMode;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Backend.Distribution;
import dev.jtorch.backend.Strided;
import java.util.Arrays;

/**
 * Random sampling for tensors on an accelerator: the device's own generator draws on the device
 * (CUDA: Philox, as PyTorch's CUDA generator), so nothing is drawn on the host or copied. The checks
 * and messages are PyTorch's; the in-place forms fill a non-contiguous tensor in memory order, as
 * PyTorch's TensorIterator does.
 */
final class DeviceRandom {
    private DeviceRandom() {}

    /** {@code uniform_(from, to)} into {@code t} (on an accelerator). */
    static Tensor uniform_(Tensor t, double from, double to) {
        if (!(from <= to))
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        return fill(t, Distribution.UNIFORM, null, from, to);
    }

    static Tensor normal_(Tensor t, double mean, double std) {
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        return fill(t, Distribution.NORMAL, null, mean, std);
    }

    static Tensor bernoulli_(Tensor t, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        return fill(t, Distribution.BERNOULLI_SCALAR, null, p);
    }

    /** {@code random_(from, to)}: integers in [from, to) cast to the dtype (float bounds narrowed as PyTorch narrows them). */
    static Tensor random_(Tensor t, long from, long to) {
        if (from >= to)
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + from + " >= to=" + to);
        DType d = t.dtype;
        if (d.isFloatingPoint()) {
            int digits = switch (d) { case float64 -> 53; case float32 -> 24; case float16 -> 11; default -> 8; };
            long f1 = castLong(from + 1, d);
            if (f1 < from) from = f1 + (1L << (63 - Long.numberOfLeadingZeros(Math.abs(from + 1)) - digits + 1));
            long t1 = castLong(to - 1, d);
            if (t1 >= to) to = t1 - (1L << (63 - Long.numberOfLeadingZeros(Math.abs(to - 1)) - digits + 1));
            if (from >= to)
                throw new IllegalArgumentException("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from="
                        + from + " >= to=" + to);
        }
        return fill(t, Distribution.RANDOM_FROM_TO, null, from, to - from);
    }

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

    /** {@code torch.bernoulli(p)}: 0/1 of p's dtype drawn with the probabilities in {@code p}. */
    static Tensor bernoulli(Tensor p) {
        if (!p.dtype.isFloatingPoint())
            throw new IllegalArgumentException("expected probabilities tensor to have floating type, got " + p.dtype.scalarTypeName());
        Tensor out = Dispatch.empty(p.shape, p.dtype, p.device());
        DType pt = p.dtype == DType.float64 ? DType.float64 : DType.float32;
        Tensor probs;
        try (var g = GradMode.set(false)) {
            probs = p.dtype == pt ? p.contiguousNoGrad() : Dispatch.convert(p.contiguousNoGrad(), pt);
        }
        sample(out, Distribution.BERNOULLI_TENSOR, probs);
        return out;
    }

    /** Fills {@code t} with one draw per element; a non-contiguous tensor through a buffer laid out in its memory order. */
    private static Tensor fill(Tensor t, Distribution d, Tensor probs, Object... args) {
        InPlace.checkLeaf(t);
        if (t.isContiguous()) {
            sample(t, d, probs, args);
        } else {
            Integer[] order = new Integer[t.dim()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Long.compare(t.stride[b], t.stride[a]));
            Tensor target = t.permute(Arrays.stream(order).mapToInt(Integer::intValue).toArray());
            Tensor buffer = Dispatch.empty(target.shape, t.dtype, t.device());
            sample(buffer, d, probs, args);
            try (var g = GradMode.set(false)) { Dispatch.copyInto(target, buffer); }
        }
        t.bumpVersion();
        return t;
    }

    private static void sample(Tensor out, Distribution d, Tensor probs, Object... args) {
        Backend be = Dispatch.backend(out.device());
        Strided[] in = probs == null ? new Strided[0] : new Strided[]{Dispatch.strided(probs)};
        if (!be.sample(d, Dispatch.strided(out), in, args))
            throw new UnsupportedOperationException("no device generator for " + out.device());
    }
}
