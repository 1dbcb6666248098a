package dev.jtorch.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Groups the indices of another sampler into batches ({@code torch.utils.data.BatchSampler}). */
public final class BatchSampler implements Sampler<List<Integer>> {
    private final Sampler<Integer> sampler;
    private final int batchSize;
    private final boolean dropLast;

    /** Batches of {@code batchSize} indices; the last, shorter one is dropped if {@code dropLast}. */
    public BatchSampler(Sampler<Integer> sampler, int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
        }
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** The sampler of indices ({@code batch_sampler.sampler}). */
    public Sampler<Integer> sampler() {
        return sampler;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropLast() {
        return dropLast;
    }

    @Override
    public Iterator<List<Integer>> iterator() {
        Iterator<Integer> indices = sampler.iterator();
        return new Iterator<>() {
            private List<Integer> pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    // Pulls until the sampler is exhausted, as PyTorch does: a RandomSampler makes its last draw then
                    List<Integer> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && indices.hasNext()) {
                        batch.add(indices.next());
                    }
                    boolean complete = batch.size() == batchSize;
                    pending = complete || (!dropLast && !batch.isEmpty()) ? batch : List.of();
                }
                return !pending.isEmpty();
            }

            @Override
            public List<Integer> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Integer> batch = pending;
                pending = null;
                return batch;
            }
        };
    }

    @Override
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (int) (((long) n + batchSize - 1) / batchSize);
    }
}
