package dev.jtorch;

/** A tensor element type, like {@code torch.dtype}; prints as {@code torch.float32}. */
public enum DType {
    bool(1, Category.BOOL, "Bool"),
    uint8(1, Category.INTEGRAL, "Byte"),
    int8(1, Category.INTEGRAL, "Char"),
    int16(2, Category.INTEGRAL, "Short"),
    int32(4, Category.INTEGRAL, "Int"),
    int64(8, Category.INTEGRAL, "Long"),
    float16(2, Category.FLOATING, "Half"),
    bfloat16(2, Category.FLOATING, "BFloat16"),
    float32(4, Category.FLOATING, "Float"),
    float64(8, Category.FLOATING, "Double");

    /** The kinds PyTorch's promotion rules distinguish. */
    public enum Category { BOOL, INTEGRAL, FLOATING }

    private final int itemSize;
    private final Category category;
    private final String legacyName;

    DType(int itemSize, Category category, String legacyName) {
        this.itemSize = itemSize;
        this.category = category;
        this.legacyName = legacyName;
    }

    /** Bytes per element, like {@code dtype.itemsize}. */
    public int itemSize() { return itemSize; }

    public Category category() { return category; }

    /** True for float16, bfloat16, float32 and float64, like {@code dtype.is_floating_point}. */
    public boolean isFloatingPoint() { return category == Category.FLOATING; }

    /** True for the integral types and bool. */
    public boolean isIntegral(boolean includeBool) {
        return category == Category.INTEGRAL || (includeBool && category == Category.BOOL);
    }

    /** True where the type holds negative numbers, like {@code dtype.is_signed}. */
    public boolean isSigned() { return this != bool && this != uint8; }

    /** The legacy tensor type name, e.g. {@code torch.FloatTensor}; CUDA ones add {@code cuda.}. */
    public String tensorTypeName(boolean cuda) {
        return "torch." + (cuda ? "cuda." : "") + legacyName + "Tensor";
    }

    /**
     * PyTorch's promotion of two tensor dtypes ({@code torch.promote_types}), c10's table:
     * the smallest type that holds both, with int mixes going to the wider signed type,
     * uint8 with int8 to int16, and float16 with bfloat16 to float32.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == bool) return b;
        if (b == bool) return a;
        if (a.isFloatingPoint() || b.isFloatingPoint()) {
            if (!a.isFloatingPoint()) return b;
            if (!b.isFloatingPoint()) return a;
            if ((a == float16 && b == bfloat16) || (a == bfloat16 && b == float16)) return float32;
            return a.itemSize >= b.itemSize ? a : b;
        }
        if ((a == uint8 && b == int8) || (a == int8 && b == uint8)) return int16;
        if (a == uint8) return b;
        if (b == uint8) return a;
        return a.itemSize >= b.itemSize ? a : b;
    }

    @Override
    public String toString() { return "torch." + name(); }
}
