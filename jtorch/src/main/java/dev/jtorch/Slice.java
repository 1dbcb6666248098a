package dev.jtorch;

/**
 * A Python slice {@code start:stop:step} for indexing, like {@code slice(1, 5, 2)}; a null part is
 * omitted ({@code ::2} is {@code new Slice(null, null, 2L)}). Negative start/stop count from the end
 * and are clamped like Python's; the step must be positive, as in PyTorch.
 */
public record Slice(Long start, Long stop, Long step) {

    /** {@code :}, the whole dim. */
    public static final Slice ALL = new Slice(null, null, null);

    /** {@code :}, the whole dim. */
    public static Slice all() { return ALL; }

    /** {@code :stop}, like Python's {@code slice(stop)}. */
    public static Slice of(long stop) { return new Slice(null, stop, null); }

    /** {@code start:stop}. */
    public static Slice of(long start, long stop) { return new Slice(start, stop, null); }

    /** {@code start:stop:step}. */
    public static Slice of(long start, long stop, long step) { return new Slice(start, stop, step); }

    /** {@code start:}. */
    public static Slice from(long start) { return new Slice(start, null, null); }

    /** {@code start::step}. */
    public static Slice from(long start, long step) { return new Slice(start, null, step); }

    /** {@code ::step}. */
    public static Slice every(long step) { return new Slice(null, null, step); }

    /** Python's spelling: {@code 1:5:2}, {@code :}, {@code ::2}. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        if (start != null) sb.append(start);
        sb.append(':');
        if (stop != null) sb.append(stop);
        if (step != null) sb.append(':').append(step);
        return sb.toString();
    }
}
