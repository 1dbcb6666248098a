package dev.jtorch.data;

/** The items of a dataset at the given indices, in that order ({@code torch.utils.data.Subset}). */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /** A view of {@code dataset} restricted to {@code indices} ({@code Subset(dataset, indices)}). */
    public Subset(Dataset<T> dataset, int... indices) {
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /** The underlying dataset ({@code subset.dataset}). */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** A copy of the indices into the underlying dataset ({@code subset.indices}). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public T get(int index) {
        // negative indices count from the end, as Python's list indexing in Subset does
        return dataset.get(indices[index < 0 ? index + indices.length : index]);
    }

    @Override
    public int size() {
        return indices.length;
    }
}
