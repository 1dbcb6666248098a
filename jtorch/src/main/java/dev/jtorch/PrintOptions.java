package dev.jtorch;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Options for printing tensors, like {@code torch.set_printoptions}: the one global set of options
 * that {@code Tensor.toString()} reads ({@link #current()}), replaced as a whole by {@link #set}.
 *
 * @param precision digits after the decimal point of floating values (default 4)
 * @param threshold element count above which a tensor is summarized with {@code ...} (default
 *     1000; {@link Double#POSITIVE_INFINITY} never summarizes, like the {@code full} profile)
 * @param edgeitems items kept at the start and end of each summarized dimension (default 3)
 * @param linewidth characters per line used to wrap long rows (default 80)
 * @param sciMode {@code TRUE} or {@code FALSE} forces scientific notation on or off for floating
 *     values; {@code null} (default) lets the printer choose, as PyTorch does
 */
public record PrintOptions(int precision, double threshold, int edgeitems, int linewidth, Boolean sciMode) {

    /** PyTorch's defaults: precision 4, threshold 1000, edgeitems 3, linewidth 80, sci_mode automatic. */
    public static final PrintOptions DEFAULT = new PrintOptions(4, 1000, 3, 80, null);

    private static final AtomicReference<PrintOptions> CURRENT = new AtomicReference<>(DEFAULT);

    public PrintOptions {
        if (precision < 0) throw new IllegalArgumentException("precision must be >= 0, got " + precision);
        if (Double.isNaN(threshold)) throw new IllegalArgumentException("threshold must not be NaN");
        if (edgeitems < 0) throw new IllegalArgumentException("edgeitems must be >= 0, got " + edgeitems);
    }

    /** The options in effect now (thread-safe; shared by all threads, like PyTorch's global options). */
    public static PrintOptions current() {
        return CURRENT.get();
    }

    /** Replaces the global options; {@code set(PrintOptions.DEFAULT)} restores PyTorch's defaults. */
    public static void set(PrintOptions options) {
        CURRENT.set(Objects.requireNonNull(options, "options"));
    }

    /**
     * One of PyTorch's named profiles: {@code "default"}, {@code "short"} (precision 2, edgeitems 2)
     * or {@code "full"} (never summarized); all with automatic sci mode.
     */
    public static PrintOptions profile(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "short" -> new PrintOptions(2, 1000, 2, 80, null);
            case "full" -> new PrintOptions(4, Double.POSITIVE_INFINITY, 3, 80, null);
            default -> throw new IllegalArgumentException("unknown print profile: " + name);
        };
    }

    public PrintOptions withPrecision(int precision) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    public PrintOptions withThreshold(double threshold) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    public PrintOptions withEdgeitems(int edgeitems) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    public PrintOptions withLinewidth(int linewidth) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }

    /** {@code null} restores the automatic choice. */
    public PrintOptions withSciMode(Boolean sciMode) {
        return new PrintOptions(precision, threshold, edgeitems, linewidth, sciMode);
    }
}
