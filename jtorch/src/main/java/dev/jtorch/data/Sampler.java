package dev.jtorch.data;

/**
 * Iterates over indices of a dataset, or batches of them ({@code torch.utils.data.Sampler}); each
 * {@code iterator()} is a new pass.
 *
 * @param <T> {@code Integer} for samplers of indices, {@code List<Integer>} for batch samplers
 */
public interface Sampler<T> extends Iterable<T> {

    /** The number of indices (or batches) one pass yields ({@code len(sampler)}). */
    int size();
}
