package dev.jtorch.backend;

/**
 * What {@link Backend#sample} draws into its output, one record per distribution of PyTorch's samplers. The
 * arguments were checked by the caller (PyTorch's messages live with the tensor API); each device draws them the way
 * PyTorch's kernels for that device do, rounding every value to the output's dtype.
 */
public sealed interface Sample {
    /** U(from, to), {@code x.uniform_(from, to)}: {@code from <= to}, the output floating. */
    record Uniform(double from, double to) implements Sample {}

    /** N(mean, std²), {@code x.normal_(mean, std)}: {@code std >= 0}, the output floating. */
    record Normal(double mean, double std) implements Sample {}

    /**
     * Integers in [from, to), {@code x.random_(from, to)}: {@code from < to}, both already narrowed so that they
     * survive the cast to a floating output; each value is {@code from + word % (to - from)} (the range unsigned).
     */
    record RandomFromTo(long from, long to) implements Sample {}

    /** 0/1 with probability {@code p}, {@code x.bernoulli_(p)}: {@code 0 <= p <= 1}. */
    record Bernoulli(double p) implements Sample {}

    /**
     * 0/1 with the probabilities in {@code p}, {@code torch.bernoulli(p)}: {@code p} is a contiguous floating view on
     * the output's device with the output's shape; its dtype picks the draws where the device's kernels do.
     */
    record BernoulliTensor(Strided p) implements Sample {}

    /** A random permutation of {@code 0 .. numel - 1}, {@code torch.randperm(n)}: a 1-D output. */
    record Randperm() implements Sample {}
}
