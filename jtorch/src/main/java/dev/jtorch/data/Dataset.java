package dev.jtorch.data;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A map-style dataset: items by index from 0 to {@code size() - 1} ({@code torch.utils.data.Dataset} with
 * {@code __getitem__} and {@code __len__}).
 *
 * @param <T> the type of one item, e.g. {@code Tensor[]} for a {@link TensorDataset}
 */
public interface Dataset<T> {

    /** The item at {@code index} ({@code dataset[index]}). */
    T get(int index);

    /** The number of items ({@code len(dataset)}). */
    int size();

    /** Splits into non-overlapping random subsets of the given lengths drawn from the default generator ({@code random_split}). */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int... lengths) {
        return randomSplit(dataset, lengths, Generator.defaultGenerator());
    }

    /** Splits into non-overlapping random subsets of the given lengths ({@code random_split(dataset, lengths, generator)}). */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        long total = Arrays.stream(lengths).asLongStream().sum();
        if (total != dataset.size()) {
            throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset!");
        }
        long[] perm = generator.randperm(total, DType.int64);
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int offset = 0;
        for (int length : lengths) {
            int[] indices = new int[length];
            for (int i = 0; i < length; i++) {
                indices[i] = (int) perm[offset + i];
            }
            offset += length;
            out.add(new Subset<>(dataset, indices));
        }
        return out;
    }

    /** Splits by fractions summing to 1 drawn from the default generator ({@code random_split(dataset, [0.8, 0.2])}). */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double... fractions) {
        return randomSplit(dataset, fractions, Generator.defaultGenerator());
    }

    /**
     * Splits by fractions summing to 1 ({@code random_split} with fractions): each split gets
     * {@code floor(size * fraction)} items, and what is left goes one by one to the splits in order, round-robin.
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        double sum = Arrays.stream(fractions).sum();
        // PyTorch's math.isclose(sum, 1) with its default relative tolerance 1e-9
        if (!(Math.abs(sum - 1) <= 1e-9 * Math.max(Math.abs(sum), 1) && sum <= 1)) {
            throw new IllegalArgumentException("Sum of input lengths does not equal the length of the input dataset!");
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (fractions[i] < 0 || fractions[i] > 1) {
                throw new IllegalArgumentException("Fraction at index " + i + " is not between 0 and 1");
            }
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; i < n - assigned; i++) {
            lengths[i % lengths.length]++;
        }
        return randomSplit(dataset, lengths, generator);
    }
}
