package dev.jtorch.data;

import java.util.List;

/** Datasets one after the other ({@code torch.utils.data.ConcatDataset}). */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<? extends T>> datasets;
    private final int[] cumulativeSizes;

    /** Concatenates the datasets in order ({@code ConcatDataset([a, b])}). */
    public ConcatDataset(List<? extends Dataset<? extends T>> datasets) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("datasets should not be an empty iterable");
        }
        this.datasets = List.copyOf(datasets);
        cumulativeSizes = new int[datasets.size()];
        int total = 0;
        for (int i = 0; i < datasets.size(); i++) {
            total = Math.addExact(total, datasets.get(i).size());
            cumulativeSizes[i] = total;
        }
    }

    /** The running totals of the datasets' sizes ({@code cumulative_sizes}). */
    public int[] cumulativeSizes() {
        return cumulativeSizes.clone();
    }

    @Override
    public T get(int index) {
        int size = size();
        if (index < 0) {
            if (-index > size) {
                throw new IllegalArgumentException("absolute value of index should not exceed dataset length");
            }
            index += size;
        }
        if (index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a dataset of size " + size);
        }
        // PyTorch's bisect_right: the first dataset whose running total exceeds the index (skips empty ones)
        int lo = 0, hi = cumulativeSizes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeSizes[mid] <= index) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int d = lo;
        return datasets.get(d).get(d == 0 ? index : index - cumulativeSizes[d - 1]);
    }

    @Override
    public int size() {
        return cumulativeSizes[cumulativeSizes.length - 1];
    }
}
