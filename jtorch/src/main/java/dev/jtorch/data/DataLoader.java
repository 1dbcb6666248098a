package dev.jtorch.data;

import dev.jtorch.Generator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Iterates over a dataset in batches ({@code torch.utils.data.DataLoader}), in this thread: each {@code iterator()}
 * is one epoch. Like PyTorch, every epoch first draws a base seed (from the loader's generator, else the default
 * one) and, when shuffling without a generator, a RandomSampler seed, so a program seeded with {@code manualSeed}
 * sees PyTorch's batches and PyTorch's later random numbers.
 *
 * <p>The default collate is PyTorch's {@code default_collate}: a batch of {@code Tensor} items becomes one stacked
 * tensor, of {@code Tensor[]} items (a {@link TensorDataset}) a {@code Tensor[]} of stacked tensors, of lists and
 * maps a list or map collated per position or key; numbers become tensors (floating → float64, integral → int64,
 * booleans → bool), which a {@code DataLoader<Object>} can hold.
 *
 * @param <B> the type of one batch
 */
public final class DataLoader<B> implements Iterable<B> {
    private final Dataset<?> dataset;
    private final Sampler<List<Integer>> batchSampler;
    private final Function<List<Object>, ?> collate;
    private final Generator generator;

    /** Batches of {@code batchSize} items in order ({@code DataLoader(dataset, batch_size)}). */
    public DataLoader(Dataset<? extends B> dataset, int batchSize) {
        this(dataset, batchSize, false, false);
    }

    /** Like {@code DataLoader(dataset, batch_size, shuffle)}: with {@code shuffle}, a new random order each epoch. */
    public DataLoader(Dataset<? extends B> dataset, int batchSize, boolean shuffle) {
        this(dataset, batchSize, shuffle, false);
    }

    /** Like {@code DataLoader(dataset, batch_size, shuffle, drop_last=drop_last)}. */
    public DataLoader(Dataset<? extends B> dataset, int batchSize, boolean shuffle, boolean dropLast) {
        this(builder(dataset).batchSize(batchSize).shuffle(shuffle).dropLast(dropLast));
    }

    private DataLoader(Builder<?, ?> b) {
        dataset = b.dataset;
        generator = b.generator;
        if (b.numWorkers != 0) {
            throw new UnsupportedOperationException("num_workers=" + b.numWorkers
                    + ": jtorch's DataLoader loads in the calling thread only (num_workers=0)");
        }
        if (b.pinMemory) {
            throw new UnsupportedOperationException("pin_memory=True is not supported by jtorch's DataLoader");
        }
        if (b.sampler != null && b.shuffle) {
            throw new IllegalArgumentException("sampler option is mutually exclusive with shuffle");
        }
        if (b.batchSampler != null) {
            if (b.batchSize != 1 || b.shuffle || b.sampler != null || b.dropLast) {
                throw new IllegalArgumentException(
                        "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
            }
            batchSampler = b.batchSampler;
        } else {
            Sampler<Integer> sampler = b.sampler != null ? b.sampler
                    : b.shuffle ? new RandomSampler(dataset, false, null, generator) : new SequentialSampler(dataset);
            batchSampler = new BatchSampler(sampler, b.batchSize, b.dropLast);
        }
        collate = b.collate;
    }

    /** A builder for the options beyond batch size, shuffle and drop_last (sampler, generator, collate_fn). */
    public static <T> Builder<T, T> builder(Dataset<? extends T> dataset) {
        return new Builder<>(dataset);
    }

    /** PyTorch's {@code default_collate} (see the class comment). */
    public static Object defaultCollate(List<?> batch) {
        return Collate.collate(batch);
    }

    /** The dataset ({@code loader.dataset}). */
    public Dataset<?> dataset() {
        return dataset;
    }

    /** The sampler of index batches ({@code loader.batch_sampler}). */
    public Sampler<List<Integer>> batchSampler() {
        return batchSampler;
    }

    /** The number of batches per epoch ({@code len(loader)}). */
    public int size() {
        return batchSampler.size();
    }

    @Override
    public Iterator<B> iterator() {
        Iterator<List<Integer>> indices = batchSampler.iterator();
        // _BaseDataLoaderIter's base seed: only workers use it, but drawing it keeps the generator in step with PyTorch
        Seeds.randomInt64(generator != null ? generator : Generator.defaultGenerator());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return indices.hasNext();
            }

            @Override
            @SuppressWarnings("unchecked")
            public B next() {
                if (!indices.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Integer> batch = indices.next();
                List<Object> items = new ArrayList<>(batch.size());
                for (int i : batch) {
                    items.add(dataset.get(i));
                }
                return (B) collate.apply(items);
            }
        };
    }

    /**
     * Options of a {@link DataLoader}, named after PyTorch's keyword arguments.
     *
     * @param <T> the type of the dataset's items
     * @param <B> the type of one batch
     */
    public static final class Builder<T, B> {
        private final Dataset<? extends T> dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Sampler<Integer> sampler;
        private Sampler<List<Integer>> batchSampler;
        private Generator generator;
        private Function<List<Object>, ?> collate = Collate::collate;
        private int numWorkers;
        private boolean pinMemory;

        private Builder(Dataset<? extends T> dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /** {@code batch_size} (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** {@code shuffle}: a new random order each epoch. */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** {@code drop_last}: drop the last batch when it is shorter. */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** {@code sampler}: the order of the indices (excludes shuffle). */
        public Builder<T, B> sampler(Sampler<Integer> sampler) {
            this.sampler = sampler;
            return this;
        }

        /** {@code batch_sampler}: batches of indices (excludes batch_size, shuffle, sampler and drop_last). */
        public Builder<T, B> batchSampler(Sampler<List<Integer>> batchSampler) {
            this.batchSampler = batchSampler;
            return this;
        }

        /** {@code generator}: the source of the shuffle and of the base seed, instead of the default generator. */
        public Builder<T, B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** {@code collate_fn}: turns a list of items into a batch. */
        @SuppressWarnings("unchecked")
        public <C> Builder<T, C> collate(Function<? super List<T>, ? extends C> collateFn) {
            Builder<T, C> self = (Builder<T, C>) this;
            self.collate = items -> collateFn.apply((List<T>) (List<?>) items);
            return self;
        }

        /** {@code num_workers}: only 0 is supported (loading runs in the iterating thread). */
        public Builder<T, B> numWorkers(int numWorkers) {
            this.numWorkers = numWorkers;
            return this;
        }

        /** {@code pin_memory}: only false is supported. */
        public Builder<T, B> pinMemory(boolean pinMemory) {
            this.pinMemory = pinMemory;
            return this;
        }

        /** The loader. */
        public DataLoader<B> build() {
            return new DataLoader<>(this);
        }
    }
}
