package dev.jtorch.data;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Yields the indices of a dataset in random order ({@code torch.utils.data.RandomSampler}). Without a generator each
 * pass draws a seed from the default generator and shuffles with a fresh generator seeded by it, as PyTorch does, so
 * after the same {@code manualSeed} the order is PyTorch's.
 */
public final class RandomSampler implements Sampler<Integer> {
    private final Dataset<?> dataSource;
    private final boolean replacement;
    private final Integer numSamples;
    private final Generator generator;

    /** A random permutation of the indices on each pass ({@code RandomSampler(data_source)}). */
    public RandomSampler(Dataset<?> dataSource) {
        this(dataSource, false, null, null);
    }

    /** Like {@code RandomSampler(data_source, generator=generator)}. */
    public RandomSampler(Dataset<?> dataSource, Generator generator) {
        this(dataSource, false, null, generator);
    }

    /**
     * Like {@code RandomSampler(data_source, replacement, num_samples, generator)}; a null {@code numSamples} means
     * the dataset's size and a null {@code generator} a seed drawn from the default generator on each pass.
     */
    public RandomSampler(Dataset<?> dataSource, boolean replacement, Integer numSamples, Generator generator) {
        this.dataSource = dataSource;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator;
        int n = size();
        if (n <= 0) {
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + n);
        }
    }

    /** Whether indices are drawn with replacement. */
    public boolean replacement() {
        return replacement;
    }

    /** The generator given at construction, or null. */
    public Generator generator() {
        return generator;
    }

    @Override
    public int size() {
        return numSamples == null ? dataSource.size() : numSamples;
    }

    @Override
    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private Generator g;
            private int n;
            private int chunksLeft;
            private long[] chunk = new long[0];
            private int pos;

            @Override
            public boolean hasNext() {
                if (g == null) {
                    // Drawn on the first request, not at iterator(): PyTorch's __iter__ is a Python generator
                    start();
                }
                // Chunk by chunk as PyTorch does, so a shared generator is advanced by the same draws
                while (pos == chunk.length && chunksLeft > 0) {
                    chunk = nextChunk(--chunksLeft == 0);
                    pos = 0;
                }
                return pos < chunk.length;
            }

            @Override
            public Integer next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return (int) chunk[pos++];
            }

            private void start() {
                n = dataSource.size();
                g = generator != null ? generator : new Generator().manualSeed(Seeds.randomInt64(Generator.defaultGenerator()));
                int total = size();
                chunksLeft = (replacement ? total / 32 : total / n) + 1;
            }

            private long[] nextChunk(boolean last) {
                int total = size();
                if (replacement) {
                    long[] out = new long[last ? total % 32 : 32];
                    if (out.length > 0) {
                        g.randomFromTo(out, DType.int64, 0, n);
                    }
                    return out;
                }
                long[] perm = g.randperm(n, DType.int64);
                return last ? java.util.Arrays.copyOf(perm, total % n) : perm;
            }
        };
    }
}
