package dev.jtorch.backend.cuda;

import dev.jtorch.DType;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.UnaryOp;

/**
 * The pieces of generated CUDA C++: the prelude every kernel shares (storage types, conversions that
 * mirror the CPU backend's, NaN-aware min/max, Python-style division, digamma, atomics), how each
 * dtype is loaded into a compute value and stored back, and the expression of each elementwise op.
 *
 * <p>Compute kinds, as PyTorch's CUDA kernels: float16, bfloat16 and float32 compute in
 * {@code float}, float64 in {@code double}, integral types and bool in {@code long long}.
 */
final class Codegen {
    private Codegen() {}

    /** A compute kind: F (float), D (double), L (long long). */
    enum K { F, D, L }

    static K kind(DType t) {
        return switch (t) {
            case float64 -> K.D;
            case float32, float16, bfloat16 -> K.F;
            default -> K.L;
        };
    }

    static String ctype(K k) {
        return switch (k) { case F -> "float"; case D -> "double"; case L -> "ll"; };
    }

    /** The C type of one stored element. */
    static String stype(DType t) {
        return switch (t) {
            case bool, uint8 -> "u8";
            case int8 -> "i8";
            case int16 -> "short";
            case int32 -> "int";
            case int64 -> "ll";
            case float16, bfloat16 -> "u16";
            case float32 -> "float";
            case float64 -> "double";
        };
    }

    /** Converts a stored element (expression {@code raw} of {@link #stype}) to compute kind {@code k}. */
    static String load(DType t, String raw, K k) {
        return switch (t) {
            case float32 -> switch (k) { case F -> raw; case D -> "(double)(" + raw + ")"; case L -> "f2ll(" + raw + ")"; };
            case float64 -> switch (k) { case F -> "(float)(" + raw + ")"; case D -> raw; case L -> "d2ll(" + raw + ")"; };
            case float16 -> switch (k) { case F -> "h2f(" + raw + ")"; case D -> "(double)h2f(" + raw + ")"; case L -> "f2ll(h2f(" + raw + "))"; };
            case bfloat16 -> switch (k) { case F -> "bf2f(" + raw + ")"; case D -> "(double)bf2f(" + raw + ")"; case L -> "f2ll(bf2f(" + raw + "))"; };
            case bool -> "(" + ctype(k) + ")((" + raw + ") != 0)";
            default -> "(" + ctype(k) + ")(" + raw + ")";
        };
    }

    /** Converts a value of kind {@code k} to a stored element of dtype {@code t}, as the CPU backend's stores do. */
    static String store(DType t, String v, K k) {
        return switch (t) {
            case float32 -> k == K.F ? v : "(float)(" + v + ")";
            case float64 -> k == K.D ? v : "(double)(" + v + ")";
            case float16 -> "f2h(" + (k == K.F ? v : "(float)(" + v + ")") + ")";
            case bfloat16 -> "f2bf(" + (k == K.F ? v : "(float)(" + v + ")") + ")";
            case bool -> "(u8)((" + v + ") != 0)";
            default -> "(" + stype(t) + ")(" + switch (k) { case F -> "f2ll(" + v + ")"; case D -> "d2ll(" + v + ")"; case L -> v; } + ")";
        };
    }

    /** A scalar kernel parameter (double for floating dtypes, long long otherwise) converted to kind {@code k}. */
    static String scalar(DType t, String name, K k) {
        boolean fp = t.isFloatingPoint();
        return switch (k) {
            case F -> "(float)" + name;
            case D -> "(double)" + name;
            case L -> fp ? "d2ll(" + name + ")" : name;
        };
    }

    static String scalarParamType(DType t) { return t.isFloatingPoint() ? "double" : "ll"; }

    private static String f(K k, String name) { return k == K.F ? name + "f" : name; }

    private static String lit(K k, String v) { return k == K.F ? "(float)" + v : k == K.D ? "(double)" + v : "(ll)" + v; }

    /** The kind the result of {@code op} has, computing in {@code k}. */
    static K resultKind(Op op, K k) { return op.result() == Op.Result.BOOL ? K.L : k; }

    /**
     * Special functions whose float versions in CUDA's library are a few ulps off (lgammaf near its zeros
     * most of all): float inputs compute them in double and round once, like the CPU backend.
     */
    static final java.util.Set<UnaryOp> SPECIAL_IN_DOUBLE = java.util.EnumSet.of(UnaryOp.ATANH, UnaryOp.ASINH, UnaryOp.ACOSH, UnaryOp.ERF, UnaryOp.ERFC, UnaryOp.ERFINV,
            UnaryOp.LGAMMA, UnaryOp.DIGAMMA);

    /** C expression of a unary op on {@code x} of kind {@code k} (input dtype {@code t}). */
    static String unary(UnaryOp op, K k, DType t, String x) {
        if (k == K.L) {
            return switch (op) {
                case NEG -> "(ll)(0ULL - (ull)" + x + ")";
                case ABS -> "(" + x + " < 0 ? (ll)(0ULL - (ull)" + x + ") : " + x + ")";
                case SIGN -> "(ll)((" + x + " > 0) - (" + x + " < 0))";
                case CEIL, FLOOR, ROUND, TRUNC -> x;
                case BITWISE_NOT -> t == DType.bool ? "(ll)(" + x + " == 0)" : "(~" + x + ")";
                case LOGICAL_NOT -> "(ll)(" + x + " == 0)";
                case EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH,
                     COSH, TANH, ASINH, ACOSH, ATANH, SIGMOID, ERF, ERFC, ERFINV, LGAMMA, DIGAMMA, SINC ->
                        throw new UnsupportedOperationException(op.torchName() + " is not implemented for integral tensors");
            };
        }
        if (k == K.F && SPECIAL_IN_DOUBLE.contains(op)) return "(float)" + unary(op, K.D, DType.float64, "(double)(" + x + ")");
        return switch (op) {
            case NEG -> "(-" + x + ")";
            case ABS -> f(k, "fabs") + "(" + x + ")";
            case SIGN -> "jsign(" + x + ")";
            case CEIL -> f(k, "ceil") + "(" + x + ")";
            case FLOOR -> f(k, "floor") + "(" + x + ")";
            case ROUND -> f(k, "rint") + "(" + x + ")";
            case TRUNC -> f(k, "trunc") + "(" + x + ")";
            case LOGICAL_NOT -> "(ll)(" + x + " == 0)";
            case EXP -> f(k, "exp") + "(" + x + ")";
            case EXP2 -> f(k, "exp2") + "(" + x + ")";
            case EXPM1 -> f(k, "expm1") + "(" + x + ")";
            case LOG -> f(k, "log") + "(" + x + ")";
            case LOG2 -> f(k, "log2") + "(" + x + ")";
            case LOG10 -> f(k, "log10") + "(" + x + ")";
            case LOG1P -> f(k, "log1p") + "(" + x + ")";
            case SQRT -> f(k, "sqrt") + "(" + x + ")";
            case RSQRT -> f(k, "rsqrt") + "(" + x + ")";
            case RECIPROCAL -> "(" + lit(k, "1") + " / " + x + ")";
            case SIN -> f(k, "sin") + "(" + x + ")";
            case COS -> f(k, "cos") + "(" + x + ")";
            case TAN -> f(k, "tan") + "(" + x + ")";
            case ASIN -> f(k, "asin") + "(" + x + ")";
            case ACOS -> f(k, "acos") + "(" + x + ")";
            case ATAN -> f(k, "atan") + "(" + x + ")";
            case SINH -> f(k, "sinh") + "(" + x + ")";
            case COSH -> f(k, "cosh") + "(" + x + ")";
            case TANH -> f(k, "tanh") + "(" + x + ")";
            case ASINH -> f(k, "asinh") + "(" + x + ")";
            case ACOSH -> f(k, "acosh") + "(" + x + ")";
            case ATANH -> f(k, "atanh") + "(" + x + ")";
            case SIGMOID -> "jsigmoid(" + x + ")";
            case ERF -> f(k, "erf") + "(" + x + ")";
            case ERFC -> f(k, "erfc") + "(" + x + ")";
            case ERFINV -> f(k, "erfinv") + "(" + x + ")";
            case LGAMMA -> f(k, "lgamma") + "(" + x + ")";
            case DIGAMMA -> "jdigamma(" + x + ")";
            case SINC -> { // ATen's sinc: 1 at 0, else sin(pi x) / (pi x) in the computation type
                String product = "(" + lit(k, "3.14159265358979323846") + " * " + x + ")";
                yield "(" + x + " == 0 ? " + lit(k, "1") + " : " + f(k, "sin") + product + " / " + product + ")";
            }
            case BITWISE_NOT -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for floating point tensors");
        };
    }

    /** {@code a + alpha * b} (SUB: {@code a - alpha * b}) for ADD / SUB with an alpha of kind {@code k}: one fma for floats. */
    static String addAlpha(BinaryOp op, K k, String a, String b, String alpha) {
        String al = op == BinaryOp.SUB ? "(-" + alpha + ")" : alpha;
        return switch (k) {
            case F -> "fmaf(" + al + ", " + b + ", " + a + ")";
            case D -> "fma(" + al + ", " + b + ", " + a + ")";
            case L -> "(ll)((ull)" + a + (op == BinaryOp.SUB ? " - " : " + ") + "(ull)" + alpha + " * (ull)" + b + ")";
        };
    }

    /** C expression of a binary op on {@code a}, {@code b} of kind {@code k}; {@code t} is the operands' dtype. */
    static String binary(BinaryOp op, K k, DType t, String a, String b) {
        if (k == K.L) {
            int bits = t.itemSize() * 8;
            return switch (op) {
                case ADD -> "(ll)((ull)" + a + " + (ull)" + b + ")";
                case SUB -> "(ll)((ull)" + a + " - (ull)" + b + ")";
                case MUL -> "(ll)((ull)" + a + " * (ull)" + b + ")";
                case FLOOR_DIVIDE -> "jfloordiv_ll(" + a + ", " + b + ")";
                case REMAINDER -> "jremainder_ll(" + a + ", " + b + ")";
                case FMOD -> "jfmod_ll(" + a + ", " + b + ")";
                case POW -> "jpow_ll(" + a + ", " + b + ")";
                case MAXIMUM -> "(" + a + " > " + b + " ? " + a + " : " + b + ")";
                case MINIMUM -> "(" + a + " < " + b + " ? " + a + " : " + b + ")";
                case BITWISE_AND -> "(" + a + " & " + b + ")";
                case BITWISE_OR -> "(" + a + " | " + b + ")";
                case BITWISE_XOR -> "(" + a + " ^ " + b + ")";
                case BITWISE_LEFT_SHIFT -> "((" + b + " < 0 || " + b + " >= " + bits + ") ? (ll)0 : (ll)((ull)" + a + " << " + b + "))";
                case BITWISE_RIGHT_SHIFT -> "((" + b + " < 0 || " + b + " >= " + bits + ") ? (" + a + " < 0 ? (ll)-1 : (ll)0) : (" + a + " >> " + b + "))";
                case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> predicate(op, a, b);
                case DIV, ATAN2, HYPOT, COPYSIGN -> throw new UnsupportedOperationException(op.torchName() + " is not implemented for integral tensors");
            };
        }
        return switch (op) {
            case ADD -> "(" + a + " + " + b + ")";
            case SUB -> "(" + a + " - " + b + ")";
            case MUL -> "(" + a + " * " + b + ")";
            case DIV -> "(" + a + " / " + b + ")";
            case FLOOR_DIVIDE -> "jfloordiv(" + a + ", " + b + ")";
            case REMAINDER -> "jremainder(" + a + ", " + b + ")";
            case FMOD -> f(k, "fmod") + "(" + a + ", " + b + ")";
            case POW -> f(k, "pow") + "(" + a + ", " + b + ")";
            case MAXIMUM -> "jmax(" + a + ", " + b + ")";
            case MINIMUM -> "jmin(" + a + ", " + b + ")";
            case ATAN2 -> f(k, "atan2") + "(" + a + ", " + b + ")";
            case HYPOT -> f(k, "hypot") + "(" + a + ", " + b + ")";
            case COPYSIGN -> f(k, "copysign") + "(" + a + ", " + b + ")";
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> predicate(op, a, b);
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT ->
                    throw new UnsupportedOperationException(op.torchName() + " is not implemented for floating point tensors");
        };
    }

    /** The comparisons and logical ops, the same for every kind: an int64 0 or 1. */
    private static String predicate(BinaryOp op, String a, String b) {
        return switch (op) {
            case EQ -> "(ll)(" + a + " == " + b + ")";
            case NE -> "(ll)(" + a + " != " + b + ")";
            case LT -> "(ll)(" + a + " < " + b + ")";
            case LE -> "(ll)(" + a + " <= " + b + ")";
            case GT -> "(ll)(" + a + " > " + b + ")";
            case GE -> "(ll)(" + a + " >= " + b + ")";
            case LOGICAL_AND -> "(ll)((" + a + " != 0) && (" + b + " != 0))";
            case LOGICAL_OR -> "(ll)((" + a + " != 0) || (" + b + " != 0))";
            case LOGICAL_XOR -> "(ll)((" + a + " != 0) != (" + b + " != 0))";
            case ADD, SUB, MUL, DIV, FLOOR_DIVIDE, REMAINDER, FMOD, POW, MAXIMUM, MINIMUM, ATAN2, HYPOT, COPYSIGN, BITWISE_AND, BITWISE_OR,
                 BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT -> throw new IllegalStateException(op + " is not a predicate");
        };
    }

    static final String PRELUDE = """
            typedef unsigned char u8;
            typedef signed char i8;
            typedef unsigned short u16;
            typedef long long ll;
            typedef unsigned long long ull;
            #define JT_INF __int_as_float(0x7f800000)
            #define JT_NAN __int_as_float(0x7fffffff)
            #define JT_DEV static __device__ __forceinline__

            template <typename T, int V> struct alignas(sizeof(T) * V) jt_vec { T v[V]; };

            // ---- conversions, matching the CPU backend (NaN -> 0 and saturation for float -> int)
            JT_DEV ll f2ll(float x) { return x != x ? 0 : __float2ll_rz(x); }
            JT_DEV ll d2ll(double x) { return x != x ? 0 : __double2ll_rz(x); }
            JT_DEV float h2f(u16 h) { float f; asm("{ cvt.f32.f16 %0, %1; }" : "=f"(f) : "h"(h)); return f; }
            JT_DEV u16 f2h(float f) { u16 h; asm("{ cvt.rn.f16.f32 %0, %1; }" : "=h"(h) : "f"(f)); return h; }
            JT_DEV float bf2f(u16 b) { return __uint_as_float(((unsigned int)b) << 16); }
            JT_DEV u16 f2bf(float f) {
              unsigned int u = __float_as_uint(f);
              if ((u & 0x7fffffffu) > 0x7f800000u) return (u16)0x7fc0;
              u += 0x7fffu + ((u >> 16) & 1u);
              return (u16)(u >> 16);
            }
            JT_DEV bool jsignbit(float x) { return __float_as_int(x) < 0; }
            JT_DEV bool jsignbit(double x) { return __double_as_longlong(x) < 0; }

            // ---- float math shared by float and double (S = the C math suffix)
            #define JT_FP(T, S) \\
            JT_DEV T jsign(T x) { return x > (T)0 ? (T)1 : x < (T)0 ? (T)-1 : (T)0; } \\
            JT_DEV T jmax(T a, T b) { return (a != a || b != b) ? a + b : a > b ? a : b > a ? b : (jsignbit(a) ? b : a); } \\
            JT_DEV T jmin(T a, T b) { return (a != a || b != b) ? a + b : a < b ? a : b < a ? b : (jsignbit(a) ? a : b); } \\
            JT_DEV T jfloordiv(T a, T b) { \\
              if (b == (T)0) return a / b; \\
              T mod = fmod##S(a, b); T div = (a - mod) / b; \\
              if (mod != (T)0 && (b < (T)0) != (mod < (T)0)) div -= (T)1; \\
              if (div == (T)0) return copysign##S((T)0, a / b); \\
              T fl = floor##S(div); if (div - fl > (T)0.5) fl += (T)1; return fl; } \\
            JT_DEV T jremainder(T a, T b) { T m = fmod##S(a, b); if (m != (T)0 && (b < (T)0) != (m < (T)0)) m += b; return m; } \\
            JT_DEV T jsigmoid(T x) { return (T)1 / ((T)1 + exp##S(-x)); } \\
            JT_DEV T jdigamma(T x) { \\
              const double PI_ = 3.14159265358979323846; \\
              if (x == (T)0) return copysign##S((T)JT_INF, -x); \\
              bool xint = x == trunc##S(x); \\
              T result = 0; \\
              if (x < (T)0) { \\
                if (xint) return (T)JT_NAN; \\
                double q; double r = modf((double)x, &q); \\
                result = (T)(-PI_ / tan(PI_ * r)); \\
                x = (T)1 - x; \\
              } \\
              while (x < (T)10) { result -= (T)1 / x; x += (T)1; } \\
              if (x == (T)10) return result + (T)2.25175258906672110764; \\
              T y = 0; \\
              if (x < (T)1.0e17) { \\
                T z = (T)1 / (x * x); T p = 0; \\
                p = p * z + (T)8.33333333333333333333E-2; \\
                p = p * z + (T)-2.10927960927960927961E-2; \\
                p = p * z + (T)7.57575757575757575758E-3; \\
                p = p * z + (T)-4.16666666666666666667E-3; \\
                p = p * z + (T)3.96825396825396825397E-3; \\
                p = p * z + (T)-8.33333333333333333333E-3; \\
                p = p * z + (T)8.33333333333333333333E-2; \\
                y = z * p; \\
              } \\
              return log##S(x) - ((T)0.5 / x) - y + result; }
            JT_FP(float, f)
            JT_FP(double, )

            // ---- integer math (integer division by zero does not trap on the GPU: the value is unspecified, as in PyTorch)
            JT_DEV ll jfloordiv_ll(ll a, ll b) { if (b == 0) return a / b; if (b == -1) return (ll)(0ULL - (ull)a); ll q = a / b; ll r = a - q * b; if (r != 0 && ((r < 0) != (b < 0))) q -= 1; return q; }
            JT_DEV ll jremainder_ll(ll a, ll b) { if (b == 0) return a % b; if (b == -1) return 0; ll r = a % b; if (r != 0 && ((r < 0) != (b < 0))) r += b; return r; }
            JT_DEV ll jfmod_ll(ll a, ll b) { if (b == -1) return 0; return a % b; }
            JT_DEV ll jpow_ll(ll a, ll b) {
              if (b < 0) { if (a == 1) return 1; if (a == -1) return (b & 1) ? -1 : 1; return 0; }
              ull r = 1, base = (ull)a;
              while (b) { if (b & 1) r *= base; base *= base; b >>= 1; }
              return (ll)r;
            }

            // ---- atomic accumulation for INDEX_PUT(accumulate=True); sub-word types go through a 32-bit CAS
            JT_DEV void jt_atomic_add(float* p, float v) { atomicAdd(p, v); }
            JT_DEV void jt_atomic_add(double* p, double v) { atomicAdd(p, v); }
            JT_DEV void jt_atomic_add(int* p, int v) { atomicAdd(p, v); }
            JT_DEV void jt_atomic_add(ll* p, ll v) { atomicAdd((ull*)p, (ull)v); }
            template <typename F> JT_DEV void jt_cas16(u16* p, F f) {
              unsigned int* w = (unsigned int*)((size_t)p & ~(size_t)3);
              unsigned int sh = ((size_t)p & 2) ? 16 : 0;
              unsigned int old = *w, assumed;
              do {
                assumed = old;
                u16 cur = (u16)(assumed >> sh);
                unsigned int nw = (assumed & ~(0xffffu << sh)) | ((unsigned int)f(cur) << sh);
                old = atomicCAS(w, assumed, nw);
              } while (assumed != old);
            }
            template <typename F> JT_DEV void jt_cas8(u8* p, F f) {
              unsigned int* w = (unsigned int*)((size_t)p & ~(size_t)3);
              unsigned int sh = ((size_t)p & 3) * 8;
              unsigned int old = *w, assumed;
              do {
                assumed = old;
                u8 cur = (u8)(assumed >> sh);
                unsigned int nw = (assumed & ~(0xffu << sh)) | ((unsigned int)f(cur) << sh);
                old = atomicCAS(w, assumed, nw);
              } while (assumed != old);
            }
            JT_DEV void jt_atomic_add_f16(u16* p, float v) { jt_cas16(p, [v](u16 c) { return f2h(h2f(c) + v); }); }
            JT_DEV void jt_atomic_add_bf16(u16* p, float v) { jt_cas16(p, [v](u16 c) { return f2bf(bf2f(c) + v); }); }
            JT_DEV void jt_atomic_add(short* p, ll v) { jt_cas16((u16*)p, [v](u16 c) { return (u16)(short)((ll)(short)c + v); }); }
            JT_DEV void jt_atomic_add(i8* p, ll v) { jt_cas8((u8*)p, [v](u8 c) { return (u8)(i8)((ll)(i8)c + v); }); }
            JT_DEV void jt_atomic_add_u8(u8* p, ll v) { jt_cas8(p, [v](u8 c) { return (u8)((ll)c + v); }); }
            JT_DEV void jt_atomic_or_bool(u8* p, ll v) { jt_cas8(p, [v](u8 c) { return (u8)((c != 0) || (v != 0)); }); }
            """;
}
