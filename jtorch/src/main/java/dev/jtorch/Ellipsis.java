package dev.jtorch;

/** The index {@code ...} (Python's {@code Ellipsis}): as many full slices as needed; see {@link Torch#ellipsis()}. */
public final class Ellipsis {
    public static final Ellipsis INSTANCE = new Ellipsis();

    private Ellipsis() {}

    @Override public String toString() { return "..."; }
}
