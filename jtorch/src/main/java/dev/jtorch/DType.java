package dev.jtorch;

/** A tensor element type, like {@code torch.dtype}; prints as {@code torch.float32}. */
public enum DType {
    // c10's ScalarType names (c10/core/ScalarType.h, AT_FORALL_SCALAR_TYPES_WITH_COMPLEX), the C++ type that macro
    // spells for each, and that type as caffe2::TypeMeta prints it (c10::util::get_fully_qualified_type_name, GCC's
    // demangling): PyTorch's error messages use all three.
    bool(1, Category.BOOL, "Bool", "bool", "bool"),
    uint8(1, Category.INTEGRAL, "Byte", "uint8_t", "unsigned char"),
    int8(1, Category.INTEGRAL, "Char", "int8_t", "signed char"),
    int16(2, Category.INTEGRAL, "Short", "int16_t", "short int"),
    int32(4, Category.INTEGRAL, "Int", "int", "int"),
    int64(8, Category.INTEGRAL, "Long", "int64_t", "long int"),
    float16(2, Category.FLOATING, "Half", "c10::Half", "c10::Half"),
    bfloat16(2, Category.FLOATING, "BFloat16", "c10::BFloat16", "c10::BFloat16"),
    float32(4, Category.FLOATING, "Float", "float", "float"),
    float64(8, Category.FLOATING, "Double", "double", "double");

    /** The kinds PyTorch's promotion rules distinguish. */
    public enum Category { BOOL, INTEGRAL, FLOATING }

    private final int itemSize;
    private final Category category;
    private final String scalarTypeName;
    private final String cppTypeName;
    private final String typeMetaName;
    private final String pythonName;
    private final String cpuTensorTypeName;
    private final String cudaTensorTypeName;

    DType(int itemSize, Category category, String scalarTypeName, String cppTypeName, String typeMetaName) {
        this.itemSize = itemSize;
        this.category = category;
        this.scalarTypeName = scalarTypeName;
        this.cppTypeName = cppTypeName;
        this.typeMetaName = typeMetaName;
        this.pythonName = "torch." + name();
        this.cpuTensorTypeName = "torch." + scalarTypeName + "Tensor";
        this.cudaTensorTypeName = "torch.cuda." + scalarTypeName + "Tensor";
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
    public String tensorTypeName(boolean cuda) { return cuda ? cudaTensorTypeName : cpuTensorTypeName; }

    /** c10's ScalarType name, as PyTorch's error messages print a dtype: {@code Float}, {@code Long}, {@code BFloat16}. */
    public String scalarTypeName() { return scalarTypeName; }

    /** The C++ type c10's scalar-type macros spell, as checked_convert's overflow message names it: {@code int64_t}. */
    String cppTypeName() { return cppTypeName; }

    /** The C++ type as caffe2::TypeMeta prints it, in messages that name a dtype's item type: {@code long int}. */
    String typeMetaName() { return typeMetaName; }

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
    public String toString() { return pythonName; }
}
