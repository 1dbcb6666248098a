package dev.jtorch.backend.cpu;

import dev.jtorch.DType;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.UnaryOp;

/** The math of the elementwise ops over compute buffers: one tight loop per op. */
final class Elementwise {
    private Elementwise() {}

    private static final double LN2 = Math.log(2);

    static double log2(double x) {
        if (!(x > 0) || Double.isInfinite(x)) return Math.log(x) / LN2;
        int e = Math.getExponent(x);
        if (e < Double.MIN_EXPONENT) return Math.log(x) / LN2; // subnormal
        double m = x / Math.scalb(1.0, e);
        if (m > SQRT2) { // m in [sqrt(1/2), sqrt(2)): no cancellation between e and log2(m) just below a power of 2
            m *= 0.5;
            e++;
        }
        return e + Math.log(m) / LN2;
    }

    private static final double SQRT2 = Math.sqrt(2);

    static void unary(UnaryOp op, double[] x, double[] y, int n) {
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case NEG -> { for (int i = 0; i < n; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) y[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0; } // NaN and -0 give +0, as in PyTorch
            case CEIL -> { for (int i = 0; i < n; i++) y[i] = Math.ceil(x[i]); }
            case FLOOR -> { for (int i = 0; i < n; i++) y[i] = Math.floor(x[i]); }
            case ROUND -> { for (int i = 0; i < n; i++) y[i] = Math.rint(x[i]); }
            case TRUNC -> { for (int i = 0; i < n; i++) y[i] = x[i] < 0 ? Math.ceil(x[i]) : Math.floor(x[i]); }
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) y[i] = x[i] == 0 ? 1 : 0; }
            case EXP -> { for (int i = 0; i < n; i++) y[i] = DetMath.exp(x[i]); }
            case EXP2 -> { for (int i = 0; i < n; i++) y[i] = Math.pow(2, x[i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) y[i] = DetMath.expm1(x[i]); }
            case LOG -> { for (int i = 0; i < n; i++) y[i] = DetMath.log(x[i]); }
            case LOG2 -> { for (int i = 0; i < n; i++) y[i] = log2(x[i]); }
            case LOG10 -> { for (int i = 0; i < n; i++) y[i] = DetMath.log10(x[i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) y[i] = DetMath.log1p(x[i]); }
            case SQRT -> { for (int i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) y[i] = 1 / Math.sqrt(x[i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) y[i] = 1 / x[i]; }
            case SIN -> { for (int i = 0; i < n; i++) y[i] = DetMath.sin(x[i]); }
            case COS -> { for (int i = 0; i < n; i++) y[i] = DetMath.cos(x[i]); }
            case TAN -> { for (int i = 0; i < n; i++) y[i] = Math.tan(x[i]); }
            case ASIN -> { for (int i = 0; i < n; i++) y[i] = Math.asin(x[i]); }
            case ACOS -> { for (int i = 0; i < n; i++) y[i] = Math.acos(x[i]); }
            case ATAN -> { for (int i = 0; i < n; i++) y[i] = Math.atan(x[i]); }
            case SINH -> { for (int i = 0; i < n; i++) y[i] = Math.sinh(x[i]); }
            case COSH -> { for (int i = 0; i < n; i++) y[i] = Math.cosh(x[i]); }
            case TANH -> { for (int i = 0; i < n; i++) y[i] = DetMath.tanh(x[i]); }
            case ASINH -> { for (int i = 0; i < n; i++) y[i] = asinh(x[i]); }
            case ACOSH -> { for (int i = 0; i < n; i++) y[i] = x[i] < 1 ? Double.NaN : Math.log(x[i] + Math.sqrt(x[i] * x[i] - 1)); }
            case ATANH -> { for (int i = 0; i < n; i++) y[i] = 0.5 * Math.log1p(2 * x[i] / (1 - x[i])); }
            case SIGMOID -> { for (int i = 0; i < n; i++) y[i] = DetMath.sigmoid(x[i]); }
            case ERF -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.erf(x[i]); }
            case ERFC -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.erfc(x[i]); }
            case ERFINV -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.erfinv(x[i]); }
            case LGAMMA -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.lgamma(x[i]); }
            case DIGAMMA -> { for (int i = 0; i < n; i++) y[i] = SpecialMath.digamma(x[i]); }
            case BITWISE_NOT -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for floating point tensors");
        }
    }

    private static double asinh(double x) {
        double a = Math.abs(x);
        double r = a > 1e8 ? Math.log(a) + LN2 : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    static void unary(UnaryOp op, DType t, long[] x, long[] y, int n) {
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case NEG -> { for (int i = 0; i < n; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) y[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) y[i] = Long.signum(x[i]); }
            case CEIL, FLOOR, ROUND, TRUNC -> System.arraycopy(x, 0, y, 0, n);
            case BITWISE_NOT -> {
                if (t == DType.bool) for (int i = 0; i < n; i++) y[i] = x[i] == 0 ? 1 : 0;
                else for (int i = 0; i < n; i++) y[i] = ~x[i];
            }
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) y[i] = x[i] == 0 ? 1 : 0; }
            case EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, TANH, ASINH, ACOSH, ATANH, SIGMOID, ERF, ERFC, ERFINV, LGAMMA, DIGAMMA -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for integral tensors");
        }
    }

    /** C's pow, which PyTorch uses: pow(1, y) and pow(-1, +-inf) are 1 even for a NaN or infinite y (Java's Math.pow gives NaN). */
    static double pow(double a, double b) {
        if (a == 1 || (a == -1 && Double.isInfinite(b))) return 1;
        return Math.pow(a, b);
    }

    static double remainder(double a, double b) {
        double m = a % b;
        if (m != 0 && (b < 0) != (m < 0)) m += b;
        return m;
    }

    /** Python's floor division on doubles, as PyTorch's div_floor computes it. */
    static double floorDivide(double a, double b) {
        if (b == 0) return a / b;
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
        if (div == 0) return Math.copySign(0, a / b);
        double fl = Math.floor(div);
        if (div - fl > 0.5) fl += 1;
        return fl;
    }

    static void binary(BinaryOp op, double[] a, double[] b, double[] y, int n) {
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case ADD -> { for (int i = 0; i < n; i++) y[i] = a[i] + b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) y[i] = a[i] - b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) y[i] = a[i] * b[i]; }
            case DIV -> { for (int i = 0; i < n; i++) y[i] = a[i] / b[i]; }
            case FLOOR_DIVIDE -> { for (int i = 0; i < n; i++) y[i] = floorDivide(a[i], b[i]); }
            case REMAINDER -> { for (int i = 0; i < n; i++) y[i] = remainder(a[i], b[i]); }
            case FMOD -> { for (int i = 0; i < n; i++) y[i] = a[i] % b[i]; }
            case POW -> { for (int i = 0; i < n; i++) y[i] = pow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.min(a[i], b[i]); }
            case ATAN2 -> { for (int i = 0; i < n; i++) y[i] = Math.atan2(a[i], b[i]); }
            case HYPOT -> { for (int i = 0; i < n; i++) y[i] = Math.hypot(a[i], b[i]); }
            case COPYSIGN -> { for (int i = 0; i < n; i++) y[i] = Math.copySign(a[i], b[i]); }
            case EQ -> { for (int i = 0; i < n; i++) y[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) y[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) y[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) y[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) y[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) y[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) y[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for floating point tensors");
        }
    }

    private static long pow(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            return 0; // ATen's powi; a negative Python int exponent is rejected before the kernel
        }
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) r *= base;
            base *= base;
            exp >>= 1;
        }
        return r;
    }

    private static void checkDivisor(long b) {
        if (b == 0) throw new IllegalArgumentException("ZeroDivisionError");
    }

    static void binary(BinaryOp op, DType t, long[] a, long[] b, long[] y, int n) {
        int bits = t.itemSize() * 8;
        switch (op) {
            case null -> throw new NullPointerException(); // makes javac require a case for every constant
            case ADD -> { for (int i = 0; i < n; i++) y[i] = a[i] + b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) y[i] = a[i] - b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) y[i] = a[i] * b[i]; }
            case FLOOR_DIVIDE -> { for (int i = 0; i < n; i++) { checkDivisor(b[i]); y[i] = Math.floorDiv(a[i], b[i]); } }
            case REMAINDER -> { for (int i = 0; i < n; i++) { checkDivisor(b[i]); y[i] = Math.floorMod(a[i], b[i]); } }
            case FMOD -> { for (int i = 0; i < n; i++) { checkDivisor(b[i]); y[i] = a[i] % b[i]; } }
            case POW -> { for (int i = 0; i < n; i++) y[i] = pow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) y[i] = Math.min(a[i], b[i]); }
            case BITWISE_AND -> { for (int i = 0; i < n; i++) y[i] = a[i] & b[i]; }
            case BITWISE_OR -> { for (int i = 0; i < n; i++) y[i] = a[i] | b[i]; }
            case BITWISE_XOR -> { for (int i = 0; i < n; i++) y[i] = a[i] ^ b[i]; }
            case BITWISE_LEFT_SHIFT -> { for (int i = 0; i < n; i++) y[i] = b[i] < 0 || b[i] >= bits ? 0 : a[i] << b[i]; }
            case BITWISE_RIGHT_SHIFT -> { for (int i = 0; i < n; i++) y[i] = b[i] < 0 || b[i] >= bits ? (a[i] < 0 ? -1 : 0) : a[i] >> b[i]; }
            case EQ -> { for (int i = 0; i < n; i++) y[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) y[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) y[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) y[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) y[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) y[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) y[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) y[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
            case DIV, ATAN2, HYPOT, COPYSIGN -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for integral tensors");
        }
    }
}
