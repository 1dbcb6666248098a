package dev.jtorch;

/**
 * Draws a CPU generator's samples into a tensor a chunk at a time, so that a tensor of any size, native storage
 * beyond a Java array included, gets exactly the values one draw for the whole tensor would give, through buffers
 * of about {@link #CHUNK} values instead of one as large as the tensor.
 *
 * <p>That holds because every CPU sampler of {@link Generator} draws element by element in order, except
 * {@code normal} from 16 elements on ({@code normal_fill} in ATen's cpu/DistributionTemplates.h): it draws all
 * uniforms first, transforms them in blocks of 16 from the start, and when the count is not a multiple of 16 draws
 * the last 16 again and transforms those. Chunks of a multiple of 16 elements, the last one of 16 or more, repeat
 * exactly that: each chunk's blocks are the whole draw's blocks, and only the last chunk has the ragged end.
 */
final class Sampling {
    private Sampling() {}

    /** Values per chunk: a multiple of 16. */
    static final int CHUNK = 1 << 16;

    /** Draws the next {@code count} values (the whole tensor's elements {@code [from, from + count)}) as double[] or long[]. */
    @FunctionalInterface
    interface Draw {
        Object next(long from, int count);
    }

    /** A new CPU tensor of {@code shape} holding what {@code draw} gives: one draw, as before, when it fits one chunk. */
    static Tensor sample(long[] shape, DType dtype, Generator g, Draw draw) {
        Shapes.checkNewTensor(shape, dtype.itemSize());
        long n = Shapes.numel(shape);
        if (n < CHUNK + 16) return Torch.fromValues(draw.next(0, (int) n), shape.clone(), dtype);
        return fill(Torch.empty(shape, dtype), dtype, g, draw);
    }

    /**
     * Fills the CPU tensor {@code target} in C order with the values {@code draw} gives: at once when they fit one
     * chunk, else chunk by chunk holding {@code g}'s lock throughout, so that the chunks are one draw as far as other
     * threads are concerned.
     */
    static Tensor fill(Tensor target, DType dtype, Generator g, Draw draw) {
        long n = target.numel();
        if (n < CHUNK + 16) return target.copy_(Torch.fromValues(draw.next(0, (int) n), target.shape().toArray(), dtype));
        Tensor dst = target.isContiguous() ? target : Torch.empty(target.shape().toArray(), target.dtype());
        Tensor flat = dst.view(n);
        synchronized (g) {
            for (long done = 0; done < n; ) {
                long left = n - done;
                // the last chunk takes what is left once fewer than CHUNK + 16 remain, so it has at least 16 (or all n)
                int k = left < CHUNK + 16 ? (int) left : CHUNK;
                Object values = draw.next(done, k);
                flat.narrow(0, done, k).copy_(Torch.fromValues(values, new long[]{k}, dtype));
                done += k;
            }
        }
        if (dst != target) target.copy_(dst);
        return target;
    }
}
