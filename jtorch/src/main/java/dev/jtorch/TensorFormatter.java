package dev.jtorch;

import dev.jtorch.dispatch.Dispatch;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code repr(tensor)} for strided tensors, character for character: the algorithm of
 * {@code torch/_tensor_str.py} (one width for all elements, int/fixed/scientific mode chosen from
 * the nonzero finite values, {@code ...} summarization, wrapping at the line width, and the
 * {@code device=}, {@code size=}, {@code dtype=} and grad suffixes with their own line breaking).
 *
 * <p>It follows current PyTorch (2.x). PyTorch 1.x differs only where options are unusual: a
 * forced {@code sci_mode} did not change the column width (computed for the automatic mode), and
 * {@code edgeitems=0} printed the whole last dimension instead of {@code [...]} plus a
 * {@code size=} suffix. The {@code pytorch1} flag of the package-private overload reproduces that,
 * so goldens made with an old PyTorch can still check everything else.
 */
final class TensorFormatter {

    private static final String PREFIX = "tensor(";

    private TensorFormatter() {}

    /**
     * values: row-major elements of a tensor of this shape: double[] for floating dtypes (exact values of the elements),
     * long[] for integer dtypes, boolean[] for bool. defaultDtype: the current torch.get_default_dtype().
     * device: null for CPU, else e.g. "cuda:0". gradSuffix: null, "requires_grad=True" or "grad_fn=<MulBackward0>".
     */
    /** A tensor as PyTorch prints it: summarized beyond the print options' threshold, with its grad_fn or requires_grad. */
    static String repr(Tensor t) {
        PrintOptions opts = PrintOptions.current();
        Tensor host = t.numel() > opts.threshold() && opts.edgeitems() > 0 ? summarized(t, opts.edgeitems()) : t;
        if (host.device().isCuda()) host = Dispatch.toDevice(host, Device.CPU);
        DType dtype = t.dtype();
        Object values = dtype.isFloatingPoint() ? host.toDoubleArray() : dtype == DType.bool ? host.toBooleanArray() : host.toLongArray();
        String grad = null;
        if (t.gradFn() != null) grad = "grad_fn=<" + t.gradFn().name() + ">";
        else if (t.requiresGrad()) grad = "requires_grad=True";
        String repr = repr(dtype, t.shape, values, Torch.getDefaultDtype(), t.device().isCuda() ? t.device().toString() : null, grad);
        return t.isParameter() ? "Parameter containing:\n" + repr : repr;
    }

    /** PyTorch's get_summarized_data: the first and last {@code edge} of every longer dim, all that a summarized print reads. */
    private static Tensor summarized(Tensor x, int edge) {
        Tensor t = x.detach();
        for (int d = 0; d < x.dim(); d++) {
            long n = x.shape[d];
            if (n > 2L * edge) t = Torch.cat(List.of(t.narrow(d, 0, edge), t.narrow(d, n - edge, edge)), d);
        }
        return t;
    }

    static String repr(DType dtype, long[] shape, Object values, DType defaultDtype, String device, String gradSuffix) {
        return repr(dtype, shape, values, defaultDtype, device, gradSuffix, PrintOptions.current(), false);
    }

    /** As {@link #repr(DType, long[], Object, DType, String, String)} with the given options instead of the global ones. */
    static String repr(DType dtype, long[] shape, Object values, DType defaultDtype, String device, String gradSuffix,
                       PrintOptions opts) {
        return repr(dtype, shape, values, defaultDtype, device, gradSuffix, opts, false);
    }

    /** As above; {@code pytorch1} selects PyTorch 1.x's handling of a forced sci_mode and of edgeitems=0. */
    static String repr(DType dtype, long[] shape, Object values, DType defaultDtype, String device, String gradSuffix,
                       PrintOptions opts, boolean pytorch1) {
        long numel = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative dimension in shape");
            numel = Math.multiplyExact(numel, s);
        }
        checkValues(dtype, values, numel, summarizedNumel(shape, numel, opts));

        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        if (device != null) suffixes.add("device='" + device + "'");
        String body;
        if (numel == 0) {
            // NumPy-style: the shape is shown unless it is (0,); the dtype unless it is the default float one.
            if (shape.length != 1) suffixes.add("size=" + tupleString(shape));
            if (dtype != defaultDtype) suffixes.add("dtype=" + dtype);
            body = "[]";
        } else {
            // With edgeitems=0 nothing of a summarized tensor is shown, so PyTorch 2 always adds the shape.
            if (!pytorch1 && opts.edgeitems() == 0) suffixes.add("size=" + tupleString(shape));
            boolean defaultShown = dtype == defaultDtype || dtype == DType.int64 || dtype == DType.bool;
            if (!defaultShown) suffixes.add("dtype=" + dtype);
            body = new Body(shape, values, numel, opts, pytorch1).render(indent);
        }
        if (gradSuffix != null) suffixes.add(gradSuffix);
        return addSuffixes(PREFIX + body, suffixes, indent, opts.linewidth());
    }

    /**
     * How many elements PyTorch's get_summarized_data keeps: the first and last edgeitems of every longer dim,
     * when the tensor is summarized (else all). A caller may pass just these, row-major, for a tensor too large to read whole.
     */
    static long summarizedNumel(long[] shape, long numel, PrintOptions opts) {
        if (numel <= opts.threshold() || opts.edgeitems() == 0) return numel;
        long n = 1;
        for (long s : shape) n *= Math.min(s, 2L * opts.edgeitems());
        return n;
    }

    private static void checkValues(DType dtype, Object values, long numel, long summarized) {
        int length;
        switch (dtype.category()) {
            case FLOATING -> {
                if (!(values instanceof double[] a)) throw new IllegalArgumentException(dtype + " needs double[] values");
                length = a.length;
            }
            case INTEGRAL -> {
                if (!(values instanceof long[] a)) throw new IllegalArgumentException(dtype + " needs long[] values");
                length = a.length;
            }
            default -> {
                if (!(values instanceof boolean[] a)) throw new IllegalArgumentException(dtype + " needs boolean[] values");
                length = a.length;
            }
        }
        if (length != numel && length != summarized) {
            throw new IllegalArgumentException("expected " + numel + " values, got " + length);
        }
    }

    /** Python's str(tuple(shape)): (0, 3), (5,), (). */
    private static String tupleString(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    /** Appends ", suffix" pieces, moving a suffix to its own line when the current line would pass the line width. */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent, int linewidth) {
        StringBuilder sb = new StringBuilder(tensorStr);
        // PyTorch's measure of the last line (two more than its length, or than the whole string without a newline).
        long lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > linewidth) {
                sb.append(",\n").repeat(' ', indent).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** The bracketed contents of a non-empty tensor. */
    private static final class Body {
        private final long[] shape;
        private final long[] strides;
        private final double[] doubles;
        private final long[] longs;
        private final boolean[] bools;
        private final PrintOptions opts;
        private final boolean summarize;
        private final int edge;
        private final boolean compacted;
        private final boolean pytorch1;

        // The formatter's state, as in PyTorch's _Formatter.
        private boolean intMode = true;
        private boolean sciMode = false;
        private int maxWidth = 1;

        Body(long[] shape, Object values, long numel, PrintOptions opts, boolean pytorch1) {
            this.pytorch1 = pytorch1;
            this.shape = shape;
            this.strides = new long[shape.length];
            this.edge = opts.edgeitems();
            // values may hold only the summarized elements (the first and last edge of every longer dim)
            this.compacted = java.lang.reflect.Array.getLength(values) != numel;
            long st = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                strides[d] = st;
                st *= compacted ? Math.min(shape[d], 2L * edge) : shape[d];
            }
            this.doubles = values instanceof double[] a ? a : null;
            this.longs = values instanceof long[] a ? a : null;
            this.bools = values instanceof boolean[] a ? a : null;
            this.opts = opts;
            this.summarize = numel > opts.threshold();
            initFormatter();
        }

        /** Where index {@code i} of {@code dim} lies in the values: past the summarized gap when only the edges were passed. */
        private long position(int dim, long i) {
            long n = shape[dim];
            long at = compacted && i >= edge && n > 2L * edge ? i - (n - 2L * edge) : i;
            return at * strides[dim];
        }

        private boolean floating() {
            return doubles != null;
        }

        /** Flat indices of the elements that will be printed (all of them unless summarizing). */
        private long[] printedIndices() {
            LongList out = new LongList();
            collect(0, 0, out);
            return out.toArray();
        }

        private void collect(int dim, long offset, LongList out) {
            if (dim == shape.length) {
                out.add(offset);
                return;
            }
            long n = shape[dim];
            if (summarize && n > 2L * edge) {
                for (long i = 0; i < edge; i++) collect(dim + 1, offset + position(dim, i), out);
                // Python's self[-edgeitems:] is the whole vector when edgeitems is 0.
                long lastFrom = dim == shape.length - 1 && edge == 0 ? 0 : n - edge;
                for (long i = lastFrom; i < n; i++) collect(dim + 1, offset + position(dim, i), out);
            } else {
                for (long i = 0; i < n; i++) collect(dim + 1, offset + position(dim, i), out);
            }
        }

        private void initFormatter() {
            long[] idx = printedIndices();
            if (!floating()) {
                for (long i : idx) maxWidth = Math.max(maxWidth, plainString(i).length());
                return;
            }
            int precision = opts.precision();
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            int count = 0;
            for (long i : idx) {
                double v = doubles[(int) i];
                if (v == 0 || !Double.isFinite(v)) continue;
                count++;
                double a = Math.abs(v);
                min = Math.min(min, a);
                max = Math.max(max, a);
                if (v != Math.ceil(v)) intMode = false;
            }
            if (count == 0) {
                // No nonzero finite value: PyTorch returns here, before applying a forced sci_mode.
                return;
            }
            // Integers are >= 1 in magnitude, so the min < 1e-4 test only matters for fractional values.
            boolean autoSci = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
            sciMode = opts.sciMode() != null ? opts.sciMode() : autoSci;
            // The width comes from the mode used to print (PyTorch 1.x: from the automatic mode).
            boolean sci = pytorch1 ? autoSci : sciMode;
            for (long i : idx) {
                double v = doubles[(int) i];
                if (v == 0 || !Double.isFinite(v)) continue;
                int w;
                if (sci) w = formatE(v, precision).length();
                else if (intMode) w = formatF(v, 0).length() + 1;
                else w = formatF(v, precision).length();
                maxWidth = Math.max(maxWidth, w);
            }
        }

        private String plainString(long i) {
            if (bools != null) return bools[(int) i] ? "True" : "False";
            return Long.toString(longs[(int) i]);
        }

        /** One element, right-aligned to the common width. */
        private void appendElement(StringBuilder sb, long i) {
            String s;
            if (floating()) {
                double v = doubles[(int) i];
                if (sciMode) {
                    s = formatE(v, opts.precision());
                } else if (intMode) {
                    s = formatF(v, 0);
                    if (Double.isFinite(v)) s += ".";
                } else {
                    s = formatF(v, opts.precision());
                }
            } else {
                s = plainString(i);
            }
            sb.repeat(' ', Math.max(0, maxWidth - s.length())).append(s);
        }

        String render(int indent) {
            StringBuilder sb = new StringBuilder();
            if (shape.length == 0) {
                appendElement(sb, 0);
            } else {
                appendTensor(sb, 0, 0, indent);
            }
            return sb.toString();
        }

        private void appendTensor(StringBuilder sb, int dim, long offset, int indent) {
            if (dim == shape.length - 1) {
                appendVector(sb, offset, indent);
                return;
            }
            long n = shape[dim];
            int remainingDims = shape.length - dim;
            sb.append('[');
            boolean first = true;
            if (summarize && n > 2L * edge) {
                for (long i = 0; i < edge; i++) {
                    first = separator(sb, first, remainingDims, indent);
                    appendTensor(sb, dim + 1, offset + position(dim, i), indent + 1);
                }
                first = separator(sb, first, remainingDims, indent);
                sb.append("...");
                for (long i = n - edge; i < n; i++) {
                    first = separator(sb, first, remainingDims, indent);
                    appendTensor(sb, dim + 1, offset + position(dim, i), indent + 1);
                }
            } else {
                for (long i = 0; i < n; i++) {
                    first = separator(sb, first, remainingDims, indent);
                    appendTensor(sb, dim + 1, offset + position(dim, i), indent + 1);
                }
            }
            sb.append(']');
        }

        /** Between slices: a comma, dim-1 newlines and the indentation of the next bracket. */
        private static boolean separator(StringBuilder sb, boolean first, int dims, int indent) {
            if (!first) sb.append(',').repeat('\n', dims - 1).repeat(' ', indent + 1);
            return false;
        }

        private void appendVector(StringBuilder sb, long offset, int indent) {
            long n = shape[shape.length - 1];
            int elementLength = maxWidth + 2;
            int perLine = (int) Math.max(1, Math.floorDiv((long) opts.linewidth() - indent, elementLength));
            sb.append('[');
            long[] count = {0};
            if (summarize && edge == 0 && !pytorch1) {
                sb.append("...");
            } else if (summarize && n > 2L * edge) {
                for (long i = 0; i < edge; i++) {
                    vectorSeparator(sb, count, perLine, indent);
                    appendElement(sb, offset + position(shape.length - 1, i));
                }
                vectorSeparator(sb, count, perLine, indent);
                sb.append(" ...");
                long lastFrom = edge == 0 ? 0 : n - edge;
                for (long i = lastFrom; i < n; i++) {
                    vectorSeparator(sb, count, perLine, indent);
                    appendElement(sb, offset + position(shape.length - 1, i));
                }
            } else {
                for (long i = 0; i < n; i++) {
                    vectorSeparator(sb, count, perLine, indent);
                    appendElement(sb, offset + position(shape.length - 1, i));
                }
            }
            sb.append(']');
        }

        /** Before the k-th item of a row: nothing, ", " or, every perLine items, a comma and a new line. */
        private static void vectorSeparator(StringBuilder sb, long[] count, int perLine, int indent) {
            long k = count[0]++;
            if (k == 0) return;
            if (k % perLine == 0) sb.append(",\n").repeat(' ', indent + 1);
            else sb.append(", ");
        }
    }

    /** Python's format(v, '.{p}f'): exact value rounded half-even, sign kept for -0.0 and tiny negatives. */
    static String formatF(double v, int p) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String digits = new BigDecimal(Math.abs(v)).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        return isNegative(v) ? "-" + digits : digits;
    }

    /** Python's format(v, '.{p}e'): d.ddddde+XX with at least two exponent digits, rounded half-even. */
    static String formatE(double v, int p) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        double a = Math.abs(v);
        String digits;
        int exp;
        if (a == 0) {
            digits = "0";
            exp = 0;
        } else {
            BigDecimal bd = new BigDecimal(a).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
            digits = bd.unscaledValue().toString();
            exp = digits.length() - 1 - bd.scale();
        }
        StringBuilder sb = new StringBuilder(p + 8);
        if (isNegative(v)) sb.append('-');
        sb.append(digits.charAt(0));
        if (p > 0) {
            sb.append('.');
            int have = Math.min(digits.length() - 1, p);
            sb.append(digits, 1, 1 + have).repeat('0', p - have);
        }
        sb.append('e').append(exp < 0 ? '-' : '+');
        int ae = Math.abs(exp);
        if (ae < 10) sb.append('0');
        return sb.append(ae).toString();
    }

    private static boolean isNegative(double v) {
        return (Double.doubleToRawLongBits(v) & Long.MIN_VALUE) != 0;
    }

    /** A growable list of longs. */
    private static final class LongList {
        private long[] a = new long[16];
        private int n;

        void add(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
