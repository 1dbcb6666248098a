package dev.jtorch.ops;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Kernel;
import dev.jtorch.backend.RandomEngine;
import dev.jtorch.backend.Sample;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.Strided;

/**
 * The naive reference backend: the oracle that the CPU kernels (scalar, SIMD) and the CUDA backend are
 * compared with. One element at a time, in double for the floating dtypes and in long for the integral ones
 * and bool, with the obvious loops: no chunking, no threads, no fast paths, and its own special functions.
 * What it computes is PyTorch's definition of each op (e.g. floor division and remainder as ATen computes
 * them, C's pow rather than Java's for the special cases), rounded to the output dtype once.
 */
public final class ReferenceBackend implements Backend {

    @Override public Device device() { return Device.CPU; }

    @Override public Storage allocate(DType dtype, long numel) { return ArrayStorage.allocate(dtype, numel); }

    @Override public void copyFromHost(ArrayStorage src, Strided dst) {
        copy(dst, new Strided(src, src.dtype(), dst.shape(), Strided.contiguousStrides(dst.shape()), 0));
    }

    /** The oracle for the ops' arithmetic only: random sampling is checked against PyTorch's numbers (GeneratorTest). */
    @Override public RandomEngine defaultGenerator() { throw new UnsupportedOperationException("the reference backend does not sample"); }

    @Override public void sample(Sample s, Strided out, RandomEngine generator) {
        throw new UnsupportedOperationException("the reference backend does not sample");
    }

    @Override public ArrayStorage copyToHost(Strided src) {
        ArrayStorage dst = ArrayStorage.allocate(src.dtype(), src.numel());
        copy(new Strided(dst, src.dtype(), src.shape(), Strided.contiguousStrides(src.shape()), 0), src);
        return dst;
    }

    @Override public void execute(Kernel kernel) {
        switch (kernel) {
            case Kernel.Fill k -> fill(k.out(), k.value());
            case Kernel.Copy k -> copy(k.out(), k.in());
            case Kernel.Unary k -> unary(k.op(), k.out(), k.in());
            case Kernel.Binary k -> {
                if (k.alpha() != null) alphaAdd(k.op(), k.out(), k.a(), k.b(), k.alpha());
                else binary(k.op(), k.out(), k.a(), k.b());
            }
            case Kernel.Ternary k -> {
                switch (k.op()) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case WHERE -> where(k.out(), k.a(), k.b(), k.c());
                }
            }
            case Kernel.Reduce k -> reduce(k.op(), k.out(), k.in());
            case Kernel.Scan k -> scan(k.op(), k.out(), k.in(), k.dim(), k.descending());
            case Kernel.Matmul k -> matmul(k.out(), k.a(), k.b());
            case Kernel.Join k -> {
                switch (k.op()) {
                    case null -> throw new NullPointerException(); // makes javac require a case for every constant
                    case CAT -> cat(k.out(), k.in(), k.dim());
                }
            }
            case Kernel.Index k -> index(k.out(), k.inputs(), k.strides(), k.sizes());
            case Kernel.IndexPut k -> indexPut(k.out(), k.inputs(), k.strides(), k.sizes(), k.accumulate());
        }
    }

    // ================================================================ element access

    static Object array(Strided s) { return ((ArrayStorage) s.storage()).array(); }

    /** The storage offset of the element at a logical index. */
    static long offset(Strided s, long[] idx) {
        long o = s.offset();
        for (int d = 0; d < idx.length; d++) o += idx[d] * s.stride()[d];
        return o;
    }

    /** Advances a row-major index over shape; false after the last element. */
    static boolean next(long[] idx, long[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) return true;
            idx[d] = 0;
        }
        return false;
    }

    static boolean empty(long[] shape) {
        for (long s : shape) if (s == 0) return true;
        return false;
    }

    static float half(short bits) { return Float.float16ToFloat(bits); }

    static float bf16(short bits) { return Float.intBitsToFloat((bits & 0xffff) << 16); }

    static short toBf16(float f) {
        if (Float.isNaN(f)) return (short) 0x7fc0;
        int b = Float.floatToRawIntBits(f);
        return (short) ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16);
    }

    static double getD(Strided s, long o) {
        Object a = array(s);
        int i = Math.toIntExact(o);
        return switch (s.dtype()) {
            case float32 -> ((float[]) a)[i];
            case float64 -> ((double[]) a)[i];
            case float16 -> half(((short[]) a)[i]);
            case bfloat16 -> bf16(((short[]) a)[i]);
            case int64 -> ((long[]) a)[i];
            case int32 -> ((int[]) a)[i];
            case int16 -> ((short[]) a)[i];
            case int8 -> ((byte[]) a)[i];
            case uint8 -> ((byte[]) a)[i] & 0xff;
            case bool -> ((boolean[]) a)[i] ? 1 : 0;
        };
    }

    static long getL(Strided s, long o) {
        if (s.dtype().isFloatingPoint()) return (long) getD(s, o);
        Object a = array(s);
        int i = Math.toIntExact(o);
        return switch (s.dtype()) {
            case int64 -> ((long[]) a)[i];
            case int32 -> ((int[]) a)[i];
            case int16 -> ((short[]) a)[i];
            case int8 -> ((byte[]) a)[i];
            case uint8 -> ((byte[]) a)[i] & 0xff;
            case bool -> ((boolean[]) a)[i] ? 1 : 0;
            default -> throw new AssertionError();
        };
    }

    /** Stores a double: rounded to the floating dtype (through float for the half types), truncated and wrapped for integers. */
    static void setD(Strided s, long o, double v) {
        Object a = array(s);
        int i = Math.toIntExact(o);
        switch (s.dtype()) {
            case float32 -> ((float[]) a)[i] = (float) v;
            case float64 -> ((double[]) a)[i] = v;
            case float16 -> ((short[]) a)[i] = Float.floatToFloat16((float) v);
            case bfloat16 -> ((short[]) a)[i] = toBf16((float) v);
            case bool -> ((boolean[]) a)[i] = v != 0;
            default -> setL(s, o, (long) v);
        }
    }

    /** Stores a long: wrapped to the integral dtype, rounded for the floating ones, nonzero for bool. */
    static void setL(Strided s, long o, long v) {
        Object a = array(s);
        int i = Math.toIntExact(o);
        switch (s.dtype()) {
            case int64 -> ((long[]) a)[i] = v;
            case int32 -> ((int[]) a)[i] = (int) v;
            case int16 -> ((short[]) a)[i] = (short) v;
            case int8, uint8 -> ((byte[]) a)[i] = (byte) v;
            case bool -> ((boolean[]) a)[i] = v != 0;
            case float32 -> ((float[]) a)[i] = (float) v;
            case float64 -> ((double[]) a)[i] = (double) v;
            case float16 -> ((short[]) a)[i] = Float.floatToFloat16((float) v);
            case bfloat16 -> ((short[]) a)[i] = toBf16((float) v);
        }
    }

    // ================================================================ fill, copy, cat

    static void fill(Strided out, Number value) {
        if (empty(out.shape())) return;
        long[] idx = new long[out.dim()];
        boolean integral = value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
        do {
            if (integral && !out.dtype().isFloatingPoint()) setL(out, offset(out, idx), value.longValue());
            else setD(out, offset(out, idx), value.doubleValue());
        } while (next(idx, out.shape()));
    }

    static void copy(Strided out, Strided in) {
        if (empty(out.shape())) return;
        long[] idx = new long[out.dim()];
        boolean fpIn = in.dtype().isFloatingPoint();
        do {
            long oi = offset(in, idx), oo = offset(out, idx);
            if (fpIn && (out.dtype().isFloatingPoint() || out.dtype() == DType.bool)) setD(out, oo, getD(in, oi));
            else setL(out, oo, getL(in, oi));
        } while (next(idx, out.shape()));
    }

    static void cat(Strided out, Strided[] in, int dim) {
        long at = 0;
        for (Strided t : in) {
            if (!empty(t.shape())) {
                long[] idx = new long[t.dim()];
                do {
                    long[] o = idx.clone();
                    o[dim] += at;
                    long src = offset(t, idx), dst = offset(out, o);
                    if (t.dtype().isFloatingPoint()) setD(out, dst, getD(t, src));
                    else setL(out, dst, getL(t, src));
                } while (next(idx, t.shape()));
            }
            at += t.shape()[dim];
        }
    }

    // ================================================================ elementwise

    static void unary(UnaryOp op, Strided out, Strided in) {
        if (empty(out.shape())) return;
        long[] idx = new long[out.dim()];
        boolean fp = in.dtype().isFloatingPoint();
        do {
            long oi = offset(in, idx), oo = offset(out, idx);
            if (fp) setD(out, oo, unaryD(op, in.dtype(), getD(in, oi)));
            else setL(out, oo, unaryL(op, in.dtype(), getL(in, oi)));
        } while (next(idx, out.shape()));
    }

    /** op(x) for a floating dtype {@code t} (the few ops PyTorch computes in float for the float32 family read it). */
    static double unaryD(UnaryOp op, DType t, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0; // NaN and -0 give +0, as in PyTorch
            case CEIL -> Math.ceil(x);
            case FLOOR -> Math.floor(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case EXP -> StrictMath.exp(x);
            case EXP2 -> pow(2, x);
            case EXPM1 -> StrictMath.expm1(x);
            case LOG -> StrictMath.log(x);
            case LOG2 -> StrictMath.log(x) / StrictMath.log(2);
            case LOG10 -> StrictMath.log10(x);
            case LOG1P -> StrictMath.log1p(x);
            case SQRT -> StrictMath.sqrt(x);
            case RSQRT -> 1 / StrictMath.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SIN -> StrictMath.sin(x);
            case COS -> StrictMath.cos(x);
            case TAN -> StrictMath.tan(x);
            case ASIN -> StrictMath.asin(x);
            case ACOS -> StrictMath.acos(x);
            case ATAN -> StrictMath.atan(x);
            case SINH -> StrictMath.sinh(x);
            case COSH -> StrictMath.cosh(x);
            case TANH -> StrictMath.tanh(x);
            case ASINH -> Double.isInfinite(x) ? x
                    : Math.copySign(StrictMath.log1p(Math.abs(x) + x * x / (1 + StrictMath.sqrt(1 + x * x))), x);
            case ACOSH -> x < 1 ? Double.NaN : Double.isInfinite(x) ? x
                    : x > 1e8 ? StrictMath.log(x) + StrictMath.log(2) : StrictMath.log1p(x - 1 + StrictMath.sqrt((x - 1) * (x + 1)));
            case ATANH -> Math.abs(x) > 1 ? Double.NaN : 0.5 * StrictMath.log1p(2 * x / (1 - x));
            case SIGMOID -> x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
            case ERF -> erf(x);
            case ERFC -> erfc(x);
            case ERFINV -> erfinv(x);
            case LGAMMA -> lgamma(x);
            case DIGAMMA -> digamma(x);
            case SINC -> {
                if (x == 0) yield 1;
                if (t == DType.float64) yield StrictMath.sin(Math.PI * x) / (Math.PI * x);
                float product = (float) Math.PI * (float) x; // float arithmetic, PyTorch's opmath type for the float32 family
                yield (float) StrictMath.sin(product) / product;
            }
            case BITWISE_NOT -> throw new UnsupportedOperationException(op + " on a floating dtype");
        };
    }

    static long unaryL(UnaryOp op, DType t, long x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case CEIL, FLOOR, ROUND, TRUNC -> x;
            case BITWISE_NOT -> t == DType.bool ? (x == 0 ? 1 : 0) : ~x;
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH,
                 TANH, ASINH, ACOSH, ATANH, SIGMOID, ERF, ERFC, ERFINV, LGAMMA, DIGAMMA, SINC ->
                    throw new UnsupportedOperationException(op + " on an integral dtype");
        };
    }

    /**
     * ADD / SUB with alpha: alpha converted to the operands' dtype, {@code a ± alpha·b} computed exactly and rounded
     * once to float (double for float64), then stored; integers wrap in int64 (bool's alpha is true or false).
     */
    static void alphaAdd(BinaryOp op, Strided out, Strided a, Strided b, Number alpha) {
        if (empty(out.shape())) return;
        DType t = a.dtype();
        double al = t.isFloatingPoint() ? roundTo(t, alpha.doubleValue()) : 0;
        long ai = t == DType.bool ? (alpha.longValue() != 0 ? 1 : 0) : alpha.longValue();
        if (op == BinaryOp.SUB) { al = -al; ai = -ai; }
        long[] idx = new long[out.dim()];
        do {
            long oa = offset(a, idx), ob = offset(b, idx), oo = offset(out, idx);
            if (t.isFloatingPoint()) {
                double x = getD(a, oa), y = getD(b, ob);
                double r;
                if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(al)) {
                    r = x + al * y;
                } else {
                    java.math.BigDecimal exact = new java.math.BigDecimal(x).add(new java.math.BigDecimal(al).multiply(new java.math.BigDecimal(y)));
                    // an exact zero keeps IEEE's sign rule, which double arithmetic gets right when the sum is exactly 0
                    r = exact.signum() == 0 ? x + al * y : t == DType.float64 ? exact.doubleValue() : exact.floatValue();
                }
                setD(out, oo, roundTo(t, r));
            } else {
                setL(out, oo, getL(a, oa) + ai * getL(b, ob));
            }
        } while (next(idx, out.shape()));
    }

    /** A double rounded to what the floating dtype holds. */
    static double roundTo(DType t, double v) {
        return switch (t) {
            case float32 -> (float) v;
            case float16 -> half(Float.floatToFloat16((float) v));
            case bfloat16 -> bf16(toBf16((float) v));
            default -> v;
        };
    }

    static void binary(BinaryOp op, Strided out, Strided a, Strided b) {
        if (empty(out.shape())) return;
        long[] idx = new long[out.dim()];
        boolean fp = a.dtype().isFloatingPoint();
        do {
            long oa = offset(a, idx), ob = offset(b, idx), oo = offset(out, idx);
            if (fp) setD(out, oo, binaryD(op, getD(a, oa), getD(b, ob)));
            else setL(out, oo, binaryL(op, a.dtype(), getL(a, oa), getL(b, ob)));
        } while (next(idx, out.shape()));
    }

    /** C's pow: pow(1, y) = 1 and pow(-1, +-inf) = 1 even for NaN/infinite y, where Java's gives NaN. */
    static double pow(double x, double y) {
        if (x == 1 || y == 0) return 1;
        if (x == -1 && Double.isInfinite(y)) return 1;
        return StrictMath.pow(x, y);
    }

    /** ATen's div_floor for floating types. */
    static double floorDivide(double a, double b) {
        if (b == 0) return a / b;
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
        if (div == 0) return Math.copySign(0, a / b);
        double floordiv = Math.floor(div);
        if (div - floordiv > 0.5) floordiv += 1;
        return floordiv;
    }

    static double remainder(double a, double b) {
        double mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0)) mod += b;
        return mod;
    }

    static double binaryD(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case FLOOR_DIVIDE -> floorDivide(a, b);
            case REMAINDER -> remainder(a, b);
            case FMOD -> a % b;
            case POW -> pow(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case ATAN2 -> StrictMath.atan2(a, b);
            case HYPOT -> StrictMath.hypot(a, b);
            case COPYSIGN -> StrictMath.copySign(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, BITWISE_LEFT_SHIFT, BITWISE_RIGHT_SHIFT ->
                    throw new UnsupportedOperationException(op + " on a floating dtype");
        };
    }

    static long binaryL(BinaryOp op, DType t, long a, long b) {
        int bits = t.itemSize() * 8;
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case FLOOR_DIVIDE -> { nonzero(b); yield Math.floorDiv(a, b); }
            case REMAINDER -> { nonzero(b); yield Math.floorMod(a, b); }
            case FMOD -> { nonzero(b); yield a % b; }
            case POW -> {
                if (b < 0) {
                    if (a == 1) yield 1;
                    if (a == -1) yield (b & 1) == 0 ? 1 : -1;
                    yield 0;
                }
                long r = 1;
                for (long k = 0; k < b && r != 0; k++) r *= a;
                yield r;
            }
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case BITWISE_AND -> a & b;
            case BITWISE_OR -> a | b;
            case BITWISE_XOR -> a ^ b;
            case BITWISE_LEFT_SHIFT -> b < 0 || b >= bits ? 0 : a << b;
            case BITWISE_RIGHT_SHIFT -> b < 0 || b >= bits ? (a < 0 ? -1 : 0) : a >> b;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
            case DIV, ATAN2, HYPOT, COPYSIGN -> throw new UnsupportedOperationException(op + " on an integral dtype");
        };
    }

    private static void nonzero(long b) {
        if (b == 0) throw new ArithmeticException("ZeroDivisionError");
    }

    static void where(Strided out, Strided cond, Strided a, Strided b) {
        if (empty(out.shape())) return;
        long[] idx = new long[out.dim()];
        boolean fp = a.dtype().isFloatingPoint();
        do {
            Strided pick = getL(cond, offset(cond, idx)) != 0 ? a : b;
            long src = offset(pick, idx), dst = offset(out, idx);
            if (fp) setD(out, dst, getD(pick, src));
            else setL(out, dst, getL(pick, src));
        } while (next(idx, out.shape()));
    }

    // ================================================================ reductions and scans

    static void reduce(ReduceOp op, Strided out, Strided in) {
        int nd = in.dim();
        long[] inner = new long[nd];
        for (int d = 0; d < nd; d++) inner[d] = out.shape()[d] == 1 ? in.shape()[d] : 1;
        long count = 1;
        for (long s : inner) count *= s;
        boolean fp = in.dtype().isFloatingPoint();
        if (empty(out.shape())) return;
        long[] o = new long[nd];
        do {
            double dacc = switch (op) { case PROD, ALL -> 1; case AMAX -> Double.NEGATIVE_INFINITY; case AMIN -> Double.POSITIVE_INFINITY; case SUM, MEAN, ANY, ARGMAX, ARGMIN -> 0; };
            long lacc = switch (op) { case PROD, ALL -> 1; case AMAX -> Long.MIN_VALUE; case AMIN -> Long.MAX_VALUE; case SUM, MEAN, ANY, ARGMAX, ARGMIN -> 0; };
            long best = -1, pos = 0;
            double bestD = 0;
            long bestL = 0;
            if (count > 0) {
                long[] r = new long[nd];
                do {
                    long[] at = new long[nd];
                    for (int d = 0; d < nd; d++) at[d] = o[d] + r[d];
                    long off = offset(in, at);
                    if (fp) {
                        double x = getD(in, off);
                        switch (op) {
                            case null -> throw new NullPointerException(); // makes javac require a case for every constant
                            case SUM, MEAN -> dacc += x;
                            case PROD -> dacc *= x;
                            case AMAX -> dacc = Double.isNaN(x) || Double.isNaN(dacc) ? Double.NaN : Math.max(dacc, x);
                            case AMIN -> dacc = Double.isNaN(x) || Double.isNaN(dacc) ? Double.NaN : Math.min(dacc, x);
                            case ALL -> { if (x == 0) dacc = 0; }
                            case ANY -> { if (x != 0) dacc = 1; }
                            case ARGMAX, ARGMIN -> {
                                boolean nanBest = best >= 0 && Double.isNaN(bestD);
                                boolean better = best < 0 || (!nanBest && (Double.isNaN(x) || (op == ReduceOp.ARGMAX ? x > bestD : x < bestD)));
                                if (better) { best = pos; bestD = x; }
                            }
                        }
                    } else {
                        long x = getL(in, off);
                        switch (op) {
                            case null -> throw new NullPointerException(); // makes javac require a case for every constant
                            case SUM -> lacc += x;
                            case PROD -> lacc *= x;
                            case AMAX -> lacc = Math.max(lacc, x);
                            case AMIN -> lacc = Math.min(lacc, x);
                            case ALL -> { if (x == 0) lacc = 0; }
                            case ANY -> { if (x != 0) lacc = 1; }
                            case ARGMAX, ARGMIN -> {
                                if (best < 0 || (op == ReduceOp.ARGMAX ? x > bestL : x < bestL)) { best = pos; bestL = x; }
                            }
                            case MEAN -> throw new UnsupportedOperationException(op + " on an integral dtype");
                        }
                    }
                    pos++;
                } while (next(r, inner));
            }
            long dst = offset(out, o);
            if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) setL(out, dst, Math.max(best, 0));
            else if (fp) setD(out, dst, op == ReduceOp.MEAN ? dacc / count : dacc);
            else setL(out, dst, lacc);
        } while (next(o, out.shape()));
    }

    static void scan(ScanOp op, Strided out, Strided in, int dim, boolean descending) {
        int nd = in.dim();
        if (empty(in.shape())) return;
        long len = nd == 0 ? 1 : in.shape()[dim];
        long[] lines = nd == 0 ? new long[0] : in.shape().clone();
        if (nd > 0) lines[dim] = 1;
        long inStep = nd == 0 ? 0 : in.stride()[dim], outStep = nd == 0 ? 0 : out.stride()[dim];
        boolean fp = in.dtype().isFloatingPoint();
        long[] idx = new long[nd];
        do {
            long bi = offset(in, idx), bo = offset(out, idx);
            if (op == ScanOp.ARGSORT) {
                Integer[] order = new Integer[(int) len];
                double[] dv = new double[(int) len];
                long[] lv = new long[(int) len];
                for (int i = 0; i < len; i++) {
                    order[i] = i;
                    if (fp) dv[i] = getD(in, bi + i * inStep); else lv[i] = getL(in, bi + i * inStep);
                }
                java.util.Comparator<Integer> asc = fp ? (x, y) -> compareNanLast(dv[x], dv[y]) : (x, y) -> Long.compare(lv[x], lv[y]);
                // stable in both directions: equal elements keep their order
                java.util.Arrays.sort(order, descending ? (x, y) -> asc.compare(y, x) : asc);
                for (int i = 0; i < len; i++) setL(out, bo + i * outStep, order[i]);
            } else if (fp) {
                double acc = op == ScanOp.CUMSUM ? 0 : 1;
                for (long i = 0; i < len; i++) {
                    double x = getD(in, bi + i * inStep);
                    acc = op == ScanOp.CUMSUM ? acc + x : acc * x;
                    setD(out, bo + i * outStep, acc);
                }
            } else {
                long acc = op == ScanOp.CUMSUM ? 0 : 1;
                for (long i = 0; i < len; i++) {
                    long x = getL(in, bi + i * inStep);
                    acc = op == ScanOp.CUMSUM ? acc + x : acc * x;
                    setL(out, bo + i * outStep, acc);
                }
            }
        } while (next(idx, lines));
    }

    static int compareNanLast(double a, double b) {
        boolean na = Double.isNaN(a), nb = Double.isNaN(b);
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    // ================================================================ matmul and indexing

    static void matmul(Strided out, Strided a, Strided b) {
        long batches = out.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        boolean fp = a.dtype().isFloatingPoint();
        for (long p = 0; p < batches; p++)
            for (long i = 0; i < m; i++)
                for (long j = 0; j < n; j++) {
                    double ds = 0;
                    long ls = 0;
                    for (long q = 0; q < k; q++) {
                        long oa = offset(a, new long[]{p, i, q}), ob = offset(b, new long[]{p, q, j});
                        if (fp) ds += getD(a, oa) * getD(b, ob);
                        else ls += getL(a, oa) * getL(b, ob);
                    }
                    long dst = offset(out, new long[]{p, i, j});
                    if (fp) setD(out, dst, ds); else setL(out, dst, ls);
                }
    }

    private static long indexedOffset(Strided base, Strided[] idxTensors, long[] strides, long[] sizes, long[] at) {
        long off = offset(base, at);
        for (int k = 0; k < strides.length; k++) {
            Strided it = idxTensors[k + 1];
            long v = getL(it, offset(it, at));
            if (v < -sizes[k] || v >= sizes[k])
                throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + k + " with size " + sizes[k]);
            off += (v < 0 ? v + sizes[k] : v) * strides[k];
        }
        return off;
    }

    static void index(Strided out, Strided[] in, long[] strides, long[] sizes) {
        if (empty(out.shape())) return;
        Strided src = in[0];
        long[] idx = new long[out.dim()];
        do {
            long s = indexedOffset(src, in, strides, sizes, idx), d = offset(out, idx);
            if (src.dtype().isFloatingPoint()) setD(out, d, getD(src, s)); else setL(out, d, getL(src, s));
        } while (next(idx, out.shape()));
    }

    static void indexPut(Strided out, Strided[] in, long[] strides, long[] sizes, boolean accumulate) {
        Strided values = in[0];
        if (empty(values.shape())) return;
        long[] idx = new long[values.dim()];
        boolean fp = out.dtype().isFloatingPoint();
        do {
            long d = indexedOffset(out, in, strides, sizes, idx), s = offset(values, idx);
            if (fp) setD(out, d, getD(values, s) + (accumulate ? getD(out, d) : 0));
            else setL(out, d, getL(values, s) + (accumulate ? getL(out, d) : 0));
        } while (next(idx, values.shape()));
    }

    // ================================================================ special functions, written independently

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /** erf: the Maclaurin series below 2.5, 1 - erfc beyond. */
    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        if (a >= 2.5) return Math.copySign(1 - erfc(a), x);
        if (x == 0) return x;
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc: 1 - erf below 2.5, the continued fraction (modified Lentz) beyond. */
    static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 2.5) return 1 - erf(x);
        if (x > 30) return 0;
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double tiny = 1e-300, f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            if (d == 0) d = tiny;
            c = x + an / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return StrictMath.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** erfinv by bisection on erf (monotonic), to the last bit. */
    static double erfinv(double y) {
        if (Double.isNaN(y) || Math.abs(y) > 1) return Double.NaN;
        if (y == 1) return Double.POSITIVE_INFINITY;
        if (y == -1) return Double.NEGATIVE_INFINITY;
        if (y == 0) return y;
        double lo = 0, hi = 6, t = Math.abs(y);
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid == lo || mid == hi) break;
            if (erf(mid) < t) lo = mid; else hi = mid;
        }
        double r = Math.abs(erf(lo) - t) <= Math.abs(erf(hi) - t) ? lo : hi;
        return Math.copySign(r, y);
    }

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

    /** log|Gamma(x)|: Lanczos (g = 7) for x >= 0.5, the reflection formula below; +inf at the poles. */
    static double lgamma(double x) {
        if (Double.isNaN(x)) return x;
        if (Double.isInfinite(x)) return Double.POSITIVE_INFINITY;
        if (x <= 0 && x == Math.floor(x)) return Double.POSITIVE_INFINITY;
        if (x < 0.5) return StrictMath.log(Math.PI / Math.abs(StrictMath.sin(Math.PI * x))) - lgamma(1 - x);
        if (x == 1 || x == 2) return 0;
        double z = x - 1, s = LANCZOS[0], t = z + 7.5;
        for (int i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
        return 0.5 * StrictMath.log(2 * Math.PI) + (z + 0.5) * StrictMath.log(t) - t + StrictMath.log(s);
    }

    /** digamma: the reflection formula for x < 0, the recurrence up to 10 then the asymptotic series. */
    static double digamma(double x) {
        if (Double.isNaN(x)) return x;
        if (x == 0) return Math.copySign(Double.POSITIVE_INFINITY, -x);
        if (x == Double.POSITIVE_INFINITY) return x;
        if (x < 0) {
            if (x == Math.floor(x)) return Double.NaN;
            return digamma(1 - x) - Math.PI / StrictMath.tan(Math.PI * x);
        }
        double r = 0;
        while (x < 10) {
            r -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        double series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12.0))))));
        return r + StrictMath.log(x) - 0.5 / x - series;
    }
}
