package dev.jtorch.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Yields 0, 1, ..., size - 1 ({@code torch.utils.data.SequentialSampler}). */
public final class SequentialSampler implements Sampler<Integer> {
    private final Dataset<?> dataSource;

    /** Samples the indices of {@code dataSource} in order ({@code SequentialSampler(data_source)}). */
    public SequentialSampler(Dataset<?> dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Iterator<Integer> iterator() {
        int n = dataSource.size();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Integer next() {
                if (next >= n) {
                    throw new NoSuchElementException();
                }
                return next++;
            }
        };
    }

    @Override
    public int size() {
        return dataSource.size();
    }
}
