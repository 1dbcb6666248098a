package dev.jtorch;

/** The index {@code None} (NumPy's {@code newaxis}): inserts a dim of size 1; {@code null} means the same. */
public final class NewAxis {
    public static final NewAxis INSTANCE = new NewAxis();

    private NewAxis() {}

    @Override public String toString() { return "None"; }
}
