package dev.jtorch.dispatch;

import dev.jtorch.Tensor;
import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Size;
import dev.jtorch.Slice;
import dev.jtorch.Ellipsis;
import dev.jtorch.NewAxis;
import dev.jtorch.Python;
import dev.jtorch.internal.TensorAccess;

import dev.jtorch.autograd.InPlace;
import dev.jtorch.dispatch.Shapes;
import dev.jtorch.dispatch.Dispatch;
import dev.jtorch.backend.Kernel;
import dev.jtorch.autograd.Graph;
import dev.jtorch.autograd.SavedArgs;
import dev.jtorch.autograd.Variant;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.IndexOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Python's {@code x[...]} and {@code x[...] = v}, and the index ops built on the {@link Op#INDEX} and
 * {@link Op#INDEX_PUT} primitives: {@code index}, {@code index_put_}, {@code index_select},
 * {@code gather}, {@code scatter}, {@code nonzero}.
 *
 * <p>Like PyTorch's {@code applySlicing}: integers, slices, {@code ...} and {@code None} are applied
 * first as views (select, slice, unsqueeze), so they share storage and autograd records them; what
 * is left is one optional int64 index tensor per dim of that view (bool masks already turned into
 * their nonzero coordinates), handed to {@code index}/{@code index_put_}. Advanced indices broadcast
 * together; when they sit next to each other their broadcast shape replaces the indexed dims in
 * place, otherwise it goes first.
 */
public final class Indexing {
    private static final TensorAccess T = TensorAccess.get();

    private Indexing() {}

    // ================================================================ index objects

    /** Python index syntax in a string: {@code "0"}, {@code "-1"}, {@code ":"}, {@code "1:5:2"}, {@code "..."}, {@code "None"}, comma-separated. */
    public static Object[] parse(String index) {
        if (index == null) throw new IllegalArgumentException("index string must not be null");
        String s = index.strip();
        if (s.startsWith("(") && s.endsWith(")")) s = s.substring(1, s.length() - 1).strip();
        if (s.isEmpty()) return new Object[0];
        List<String> parts = splitTopLevel(s, index);
        boolean tuple = parts.size() > 1;
        if (tuple && parts.get(parts.size() - 1).isBlank()) parts.remove(parts.size() - 1);
        Object[] out = new Object[parts.size()];
        for (int i = 0; i < out.length; i++) out[i] = parsePart(parts.get(i).strip(), index);
        // Python's treatSequenceAsTuple: x[[[0, 1], [1, 0]]] means x[[0, 1], [1, 0]] (a short list holding lists)
        if (!tuple && out.length == 1 && out[0] instanceof Object[] nested && nested.length < 32) return nested.clone();
        return out;
    }

    private static List<String> splitTopLevel(String s, String whole) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[' || c == '(') depth++;
            else if (c == ']' || c == ')') {
                if (--depth < 0) throw badSyntax(whole, "unbalanced '" + c + "'");
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) throw badSyntax(whole, "unbalanced brackets");
        parts.add(s.substring(start));
        return parts;
    }

    private static IllegalArgumentException badSyntax(String whole, String why) {
        return new IllegalArgumentException("invalid index \"" + whole + "\": " + why);
    }

    private static Object parsePart(String p, String whole) {
        if (p.isEmpty()) throw badSyntax(whole, "empty index between commas");
        switch (p) {
            case "...", "Ellipsis": return Ellipsis.INSTANCE;
            case "None": return NewAxis.INSTANCE;
            case "True": return Boolean.TRUE;
            case "False": return Boolean.FALSE;
            default: break;
        }
        if (p.startsWith("[")) return parseList(p, whole);
        if (p.indexOf(':') >= 0) {
            String[] f = p.split(":", -1);
            if (f.length > 3) throw badSyntax(whole, "a slice has at most two ':' (got \"" + p + "\")");
            Long[] v = new Long[3];
            for (int i = 0; i < f.length; i++) v[i] = f[i].isBlank() ? null : parseLong(f[i].strip(), whole);
            return new Slice(v[0], v[1], v[2]);
        }
        return parseLong(p, whole);
    }

    private static long parseLong(String p, String whole) {
        try {
            return Long.parseLong(p.startsWith("+") ? p.substring(1) : p);
        } catch (NumberFormatException e) {
            throw badSyntax(whole, "cannot parse \"" + p + "\" as an integer, slice, '...', None, True, False or list");
        }
    }

    /** A Python list literal, e.g. {@code [0, 2]} or {@code [[0, 1], [1, 2]]} or {@code [True, False]}, as nested Java arrays. */
    private static Object parseList(String p, String whole) {
        int[] pos = {0};
        Object tree = parseListNode(p, pos, whole);
        if (!p.substring(pos[0]).isBlank()) throw badSyntax(whole, "unexpected text after list \"" + p + "\"");
        return toArray(tree, whole);
    }

    private static Object parseListNode(String p, int[] pos, String whole) {
        skipSpace(p, pos);
        if (pos[0] < p.length() && p.charAt(pos[0]) == '[') {
            pos[0]++;
            List<Object> items = new ArrayList<>();
            skipSpace(p, pos);
            if (pos[0] < p.length() && p.charAt(pos[0]) == ']') { pos[0]++; return items; }
            while (true) {
                items.add(parseListNode(p, pos, whole));
                skipSpace(p, pos);
                if (pos[0] >= p.length()) throw badSyntax(whole, "unterminated list");
                char c = p.charAt(pos[0]++);
                if (c == ']') return items;
                if (c != ',') throw badSyntax(whole, "expected ',' or ']' in list");
                skipSpace(p, pos);
                if (pos[0] < p.length() && p.charAt(pos[0]) == ']') { pos[0]++; return items; }
            }
        }
        int start = pos[0];
        while (pos[0] < p.length() && ",]".indexOf(p.charAt(pos[0])) < 0) pos[0]++;
        String tok = p.substring(start, pos[0]).strip();
        if (tok.equals("True")) return Boolean.TRUE;
        if (tok.equals("False")) return Boolean.FALSE;
        return parseLong(tok, whole);
    }

    private static void skipSpace(String p, int[] pos) {
        while (pos[0] < p.length() && Character.isWhitespace(p.charAt(pos[0]))) pos[0]++;
    }

    /** Nested lists of Long/Boolean → long[] / boolean[] / long[][] / ... */
    private static Object toArray(Object tree, String whole) {
        if (!(tree instanceof List<?> list)) return tree;
        Object[] kids = new Object[list.size()];
        for (int i = 0; i < kids.length; i++) kids[i] = toArray(list.get(i), whole);
        if (kids.length == 0) return new long[0];
        if (kids[0] instanceof Long) {
            long[] a = new long[kids.length];
            for (int i = 0; i < a.length; i++) {
                if (!(kids[i] instanceof Long v)) throw badSyntax(whole, "mixed list");
                a[i] = v;
            }
            return a;
        }
        if (kids[0] instanceof Boolean) {
            boolean[] a = new boolean[kids.length];
            for (int i = 0; i < a.length; i++) {
                if (!(kids[i] instanceof Boolean v)) throw badSyntax(whole, "mixed list");
                a[i] = v;
            }
            return a;
        }
        Object a = java.lang.reflect.Array.newInstance(kids[0].getClass(), kids.length);
        for (int i = 0; i < kids.length; i++) {
            if (kids[i].getClass() != kids[0].getClass()) throw badSyntax(whole, "mixed list");
            java.lang.reflect.Array.set(a, i, kids[i]);
        }
        return a;
    }

    public static Object[] ofLongs(long... indices) {
        Object[] out = new Object[indices.length];
        for (int i = 0; i < indices.length; i++) out[i] = indices[i];
        return out;
    }

    /** One index object in its canonical form: Long, Boolean, Slice, Ellipsis, NewAxis or Tensor. */
    private static Object canonical(Object o) {
        if (o == null || o instanceof NewAxis) return NewAxis.INSTANCE;
        if (o instanceof Long || o instanceof Slice || o instanceof Ellipsis || o instanceof Tensor || o instanceof Boolean) return o;
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) return ((Number) o).longValue();
        if (o.getClass().isArray() || o instanceof List<?>) return listTensor(o);
        String type = o instanceof Double || o instanceof Float ? "float" : o instanceof String ? "str" : o.getClass().getSimpleName();
        throw new IllegalArgumentException("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got " + type + ")");
    }

    /** A Java array or List standing for a Python list index: integral → int64, boolean → bool. */
    private static Tensor listTensor(Object o) {
        List<Long> shape = new ArrayList<>();
        Object probe = o;
        while (true) {
            if (probe instanceof List<?> l) {
                shape.add((long) l.size());
                if (l.isEmpty()) break;
                probe = l.get(0);
            } else if (probe != null && probe.getClass().isArray()) {
                int n = java.lang.reflect.Array.getLength(probe);
                shape.add((long) n);
                if (n == 0) break;
                probe = java.lang.reflect.Array.get(probe, 0);
            } else break;
        }
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        boolean bool = probe instanceof Boolean;
        if (!(bool || probe instanceof Long || probe instanceof Integer || probe instanceof Short || probe instanceof Byte
                || (probe instanceof List<?> l && l.isEmpty()) || (probe != null && probe.getClass().isArray())))
            throw new IllegalArgumentException("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got "
                    + (probe == null ? "NoneType" : probe instanceof Double || probe instanceof Float ? "float" : probe.getClass().getSimpleName()) + ")");
        int n = (int) Shapes.numel(s);
        long[] vals = new long[n];
        boolean[] bools = new boolean[n];
        int[] at = {0};
        flatten(o, 0, s, vals, bools, at);
        DType dt = bool ? DType.bool : DType.int64;
        Object arr = bool ? bools : vals;
        return T.make(new ArrayStorage(arr, dt), dt, s, Strided.contiguousStrides(s), 0);
    }

    private static void flatten(Object o, int d, long[] shape, long[] vals, boolean[] bools, int[] at) {
        if (d == shape.length) {
            if (o instanceof Boolean b) bools[at[0]++] = b;
            else if (o instanceof Number v && !(o instanceof Double || o instanceof Float)) vals[at[0]++] = v.longValue();
            else throw new IllegalArgumentException("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got "
                    + (o == null ? "NoneType" : o.getClass().getSimpleName()) + ")");
            return;
        }
        int n;
        List<?> list = o instanceof List<?> l ? l : null;
        if (list != null) n = list.size();
        else if (o != null && o.getClass().isArray()) n = java.lang.reflect.Array.getLength(o);
        else throw new IllegalArgumentException("expected sequence of length " + shape[d] + " at dim " + d + " (got a scalar)");
        if (n != shape[d]) throw new IllegalArgumentException("expected sequence of length " + shape[d] + " at dim " + d + " (got " + n + ")");
        for (int i = 0; i < n; i++) flatten(list != null ? list.get(i) : java.lang.reflect.Array.get(o, i), d + 1, shape, vals, bools, at);
    }

    // ================================================================ x[indices]

    /** The basic part applied as views, and the advanced part left over: one int64 tensor or null per dim of {@code result}. */
    private record Sliced(Tensor result, Tensor[] adv) {}

    private static final String ZERO_DIM = "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number";

    private static boolean isMask(Tensor t) { return T.dtype(t) == DType.bool || T.dtype(t) == DType.uint8; }

    private static boolean isIntegral(DType t) {
        return t == DType.int64 || t == DType.int32 || t == DType.int16 || t == DType.int8;
    }

    /** PyTorch's applySlicing: views for the basic indices, index tensors collected per dim. */
    private static Sliced slicing(Tensor x, Object[] raw) {
        if (raw == null) raw = new Object[]{null};
        Object[] items = new Object[raw.length];
        for (int i = 0; i < raw.length; i++) items[i] = canonical(raw[i]);
        if (x.dim() == 0 && items.length == 1) {
            // PyTorch's single-index fast paths, which skip the count of indexed dims
            if (items[0] instanceof Long i) {
                if (i == 0) throw new IndexOutOfBoundsException(ZERO_DIM);
                throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension 0 with size 0");
            }
            if (items[0] instanceof Slice) throw new IndexOutOfBoundsException("slice() cannot be applied to a 0-dim tensor.");
        }
        int specified = 0;
        for (Object o : items) {
            if (o instanceof Long || o instanceof Slice) specified++;
            else if (o instanceof Tensor t) specified += isMask(t) ? t.dim() : 1;
        }
        if (specified > x.dim()) throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + x.dim());
        Tensor result = x;
        int dim = 0, realDim = 0;
        List<Tensor> adv = new ArrayList<>();
        boolean any = false;
        for (Object o : items) {
            if (o instanceof Long i) {
                result = select(result, dim, i, realDim);
                realDim++;
            } else if (o instanceof Slice s) {
                long step = s.step() == null ? 1 : s.step();
                if (step == 0) throw new IllegalArgumentException("slice step cannot be zero");
                if (step < 0) throw new IllegalArgumentException("step must be greater than zero");
                long start = s.start() == null ? 0 : s.start(), stop = s.stop() == null ? Long.MAX_VALUE : s.stop();
                result = result.slice(dim, start, stop, step);
                dim++;
                realDim++;
            } else if (o instanceof Ellipsis) {
                dim += x.dim() - specified;
                realDim += x.dim() - specified;
            } else if (o instanceof NewAxis) {
                result = result.unsqueeze(dim);
                dim++;
            } else if (o instanceof Boolean b) {
                result = result.unsqueeze(dim);
                put(adv, dim, boolIndex(b, x.device()));
                any = true;
                dim++;
            } else {
                Tensor t = (Tensor) o;
                if (t.dim() == 0 && isIntegral(T.dtype(t))) {
                    result = select(result, dim, t.itemLong(), realDim);
                    realDim++;
                } else if (t.dim() == 0 && isMask(t)) {
                    result = result.unsqueeze(dim);
                    put(adv, dim, boolIndex(t.itemLong() != 0, x.device()));
                    any = true;
                    dim++;
                } else if (isMask(t)) {
                    Tensor[] cols = maskToIndices(t, result, dim, x.device());
                    for (int j = 0; j < cols.length; j++) put(adv, dim + j, cols[j]);
                    any = true;
                    dim += t.dim();
                    realDim += t.dim();
                } else {
                    put(adv, dim, indexTensor(t, x.device()));
                    any = true;
                    dim++;
                    realDim++;
                }
            }
        }
        if (!any) return new Sliced(result, null);
        Tensor[] per = new Tensor[result.dim()];
        for (int d = 0; d < adv.size(); d++) per[d] = adv.get(d);
        return new Sliced(result, per);
    }

    private static void put(List<Tensor> adv, int dim, Tensor t) {
        while (adv.size() <= dim) adv.add(null);
        adv.set(dim, t);
    }

    private static Tensor select(Tensor t, int dim, long i, int realDim) {
        long size = T.shape(t)[dim];
        if (i < -size || i >= size)
            throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension " + realDim + " with size " + size);
        return t.select(dim, i);
    }

    /** Python's {@code True}/{@code False} index: [0] or an empty index over a new size-1 dim. */
    private static Tensor boolIndex(boolean b, Device device) {
        long[] shape = {b ? 1 : 0};
        return onDevice(T.make(new ArrayStorage(new long[b ? 1 : 0], DType.int64), DType.int64, shape, new long[]{1}, 0), device);
    }

    /** An integer index tensor as int64 on the device. */
    private static Tensor indexTensor(Tensor t, Device device) {
        if (!isIntegral(T.dtype(t)) || T.dtype(t) == DType.int16 || T.dtype(t) == DType.int8)
            throw new IndexOutOfBoundsException("tensors used as indices must be long, int, byte or bool tensors");
        Tensor r = T.dtype(t) == DType.int64 ? t : Dispatch.convert(t, DType.int64);
        return onDevice(r, device);
    }

    private static Tensor onDevice(Tensor t, Device device) {
        return t.device().equals(device) ? t : Dispatch.toDevice(t, device);
    }

    /** A k-dim bool mask over dims [dim, dim + k) of {@code self}: its nonzero coordinates, one int64 column per dim. */
    private static Tensor[] maskToIndices(Tensor mask, Tensor self, int dim, Device device) {
        for (int j = 0; j < mask.dim(); j++) {
            int src = dim + j;
            if (src >= self.dim() || T.shape(mask)[j] != T.shape(self)[src])
                throw new IndexOutOfBoundsException("The shape of the mask " + Shapes.str(T.shape(mask)) + " at index " + j
                        + " does not match the shape of the indexed tensor " + Shapes.str(T.shape(self)) + " at index " + src);
        }
        Tensor nz = onDevice(nonzero(mask), device);
        Tensor[] cols = new Tensor[mask.dim()];
        long n = T.shape(nz)[0];
        for (int j = 0; j < cols.length; j++)
            cols[j] = T.make(T.storage(nz), DType.int64, new long[]{n}, new long[]{T.stride(nz)[0]}, T.offset(nz) + j * T.stride(nz)[1]);
        return cols;
    }

    /** Like {@code x[indices]}. */
    public static Tensor get(Tensor x, Object[] indices) {
        Sliced s = slicing(x, indices);
        if (s.adv == null) return s.result == x ? alias(x) : s.result;
        return indexCore(s.result, s.adv, Variant.PRIMARY, null);
    }

    /** A new view of the whole tensor, like {@code at::alias}. */
    private static Tensor alias(Tensor x) {
        return x.dim() == 0 ? x.view(new long[0]) : x.slice(0, 0, Long.MAX_VALUE, 1);
    }

    /** Like {@code x[indices] = value}: value broadcast to the indexed shape and converted to x's dtype; returns x. */
    public static Tensor set(Tensor x, Object[] indices, Tensor value) {
        Sliced s = slicing(x, indices);
        Tensor v = stripLeadingOnes(value);
        if (T.dtype(v) != T.dtype(x) || !v.device().equals(x.device())) v = v.to(x.device(), T.dtype(x));
        boolean grad = T.dtype(x).isFloatingPoint() && Graph.needsRecording(x, v);
        if (grad && s.result != x && x.dim() > 0) {
            // A write through a view would not reach x's history: write x itself at the coordinates the view covers.
            Tensor[] coords = coordinates(x, indices);
            long[] rshape = coords.length == 0 ? T.shape(x) : T.shape(coords[0]);
            checkValueShape(v, rshape);
            indexPutCore(x, coords, v, false, Variant.PRIMARY);
            return x;
        }
        if (s.adv == null) {
            // copy_to in python_variable_indexing.cpp: expand_inplace (its "expanded size" message), then copy_
            s.result.copy_(java.util.Arrays.equals(T.shape(v), T.shape(s.result)) || v.dim() == 0 ? v : v.expand(T.shape(s.result)));
            return x;
        }
        indexPutCore(s.result, s.adv, v, false, Variant.PRIMARY);
        return x;
    }

    /** PyTorch's slicePrefix1sSize: a value's leading size-1 dims are dropped before broadcasting. */
    private static Tensor stripLeadingOnes(Tensor v) {
        int k = 0;
        while (k < v.dim() && T.shape(v)[k] == 1) k++;
        if (k == 0) return v;
        return v.view(Arrays.copyOfRange(T.shape(v), k, v.dim()));
    }

    /**
     * For each dim of x, the x-coordinate of every element {@code x[indices]} picks, all of that result's
     * shape: {@code x[indices]} is then {@code x[coords...]} with only advanced indices.
     */
    private static Tensor[] coordinates(Tensor x, Object[] indices) {
        Tensor[] out = new Tensor[x.dim()];
        for (int d = 0; d < out.length; d++) {
            long n = T.shape(x)[d];
            long[] vals = new long[(int) n];
            for (int i = 0; i < n; i++) vals[i] = i;
            long[] st = new long[x.dim()];
            st[d] = 1;
            Tensor c = T.make(new ArrayStorage(vals, DType.int64), DType.int64, T.shape(x).clone(), st, 0);
            out[d] = onDevice(get(c, indices), x.device());
        }
        if (out.length > 0) {
            // all coordinates share one shape, but a pure-basic result may still be a broadcast view: make each dense
            for (int d = 0; d < out.length; d++) out[d] = T.contiguousNoGrad(out[d]);
        }
        return out;
    }

    // ================================================================ aten::index / index_put_

    /** Layout of an advanced-indexing result: which dims are indexed and how source and indices map onto the result. */
    private record Plan(long[] resultShape, long[] srcStrides, Strided[] indices, long[] strides, long[] sizes) {}

    private static Plan plan(Tensor x, Tensor[] idx) {
        int nd = x.dim();
        long[] b = null;
        int first = -1, last = -1, count = 0;
        boolean adjacent = true;
        for (int d = 0; d < idx.length; d++) {
            if (idx[d] == null) continue;
            if (b == null) b = T.shape(idx[d]);
            else {
                try {
                    b = Shapes.broadcast(b, T.shape(idx[d]));
                } catch (IllegalArgumentException e) {
                    StringBuilder sb = new StringBuilder("shape mismatch: indexing tensors could not be broadcast together with shapes ");
                    boolean firstShape = true;
                    for (Tensor t : idx) if (t != null) { sb.append(firstShape ? "" : ", ").append(Shapes.str(T.shape(t))); firstShape = false; }
                    throw new IndexOutOfBoundsException(sb.toString());
                }
            }
            if (first < 0) first = d;
            else if (d != last + 1) adjacent = false;
            last = d;
            count++;
        }
        // AdvancedIndex's constructor (TensorAdvancedIndexing.cpp): an indexed dim of size 0 takes no index, so an
        // index shape without a 0 is out of bounds, whatever its values
        boolean emptyIndexed = false, emptyIndex = false;
        for (int d = 0; d < idx.length; d++) if (idx[d] != null && T.shape(x)[d] == 0) emptyIndexed = true;
        for (long s : b) if (s == 0) emptyIndex = true;
        if (emptyIndexed && !emptyIndex) throw new IndexOutOfBoundsException("index is out of bounds for dimension with size 0");
        int bPos = adjacent ? first : 0;
        int rank = nd - count + b.length;
        long[] shape = new long[rank], srcStrides = new long[rank];
        int r = 0;
        if (!adjacent) r = b.length;
        for (int d = 0; d < nd; d++) {
            boolean indexed = d < idx.length && idx[d] != null;
            if (adjacent && d == first) r += b.length;
            if (indexed) continue;
            shape[r] = T.shape(x)[d];
            srcStrides[r] = T.stride(x)[d];
            r++;
        }
        System.arraycopy(b, 0, shape, bPos, b.length);
        Strided[] ind = new Strided[count];
        long[] strides = new long[count], sizes = new long[count];
        int k = 0;
        for (int d = 0; d < idx.length; d++) {
            Tensor t = idx[d];
            if (t == null) continue;
            long[] bs = Shapes.expandStrides(T.shape(t), T.stride(t), b);
            long[] st = new long[rank];
            System.arraycopy(bs, 0, st, bPos, b.length);
            ind[k] = new Strided(T.storage(t), T.dtype(t), shape, st, T.offset(t));
            strides[k] = T.stride(x)[d];
            sizes[k] = T.shape(x)[d];
            k++;
        }
        return new Plan(shape, srcStrides, ind, strides, sizes);
    }

    /** x[idx] where idx holds one int64 tensor (on x's device) or null per leading dim, at least one non-null. */
    private static Tensor indexCore(Tensor x, Tensor[] idx, Variant variant, Tensor[] recordAs) {
        Plan p = plan(x, idx);
        Tensor out = Dispatch.empty(p.resultShape, T.dtype(x), x.device());
        Strided src = new Strided(T.storage(x), T.dtype(x), p.resultShape, p.srcStrides, T.offset(x));
        if (out.numel() > 0) Dispatch.execute(new Kernel.Index(Dispatch.strided(out), src, p.indices, p.strides, p.sizes));
        if (T.dtype(x).isFloatingPoint() && Graph.needsRecording(x))
            Graph.record(IndexOp.INDEX, variant, out, new Tensor[]{x}, new SavedArgs.Indices(recordAs != null ? recordAs : idx));
        return out;
    }

    private static void checkValueShape(Tensor values, long[] resultShape) {
        try {
            Shapes.expandStrides(T.shape(values), T.stride(values), resultShape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("shape mismatch: value tensor of shape " + Shapes.str(T.shape(values))
                    + " cannot be broadcast to indexing result of shape " + Shapes.str(resultShape));
        }
    }

    /** x[idx] = values (or +=), in place; values already of x's dtype. */
    private static Tensor indexPutCore(Tensor x, Tensor[] idx, Tensor values, boolean accumulate, Variant variant) {
        Plan p = plan(x, idx);
        checkValueShape(values, p.resultShape);
        InPlace.checkLeaf(x);
        Tensor before = InPlace.snapshotForGrad(x, values);
        Tensor v = onDevice(values, x.device());
        if (T.storage(v) == T.storage(x)) v = T.cloneNoGrad(v);
        Strided[] in = new Strided[p.indices.length];
        for (int k = 0; k < p.indices.length; k++) {
            Strided s = p.indices[k];
            if (s.storage() == T.storage(x)) {
                Tensor copy = Dispatch.empty(s.shape(), DType.int64, x.device());
                Dispatch.copy(copy, s);
                s = Dispatch.strided(copy);
            }
            in[k] = s;
        }
        Strided dest = new Strided(T.storage(x), T.dtype(x), p.resultShape, p.srcStrides, T.offset(x));
        if (Shapes.numel(p.resultShape) > 0)
            Dispatch.execute(new Kernel.IndexPut(dest, Dispatch.broadcastTo(v, p.resultShape), in, p.strides, p.sizes, accumulate));
        T.bumpVersion(x);
        if (before != null) Graph.record(IndexOp.INDEX_PUT, variant, x, new Tensor[]{before, values}, new SavedArgs.IndexPut(idx, accumulate));
        return x;
    }

    /**
     * aten::index's list form normalized: masks expanded to their nonzero columns, int32 widened,
     * everything on x's device; one entry per dim of x (null = whole dim).
     */
    private static Tensor[] normalize(Tensor x, Tensor[] indices) {
        if (indices.length > x.dim())
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + x.dim() + " (got " + indices.length + ")");
        List<Tensor> out = new ArrayList<>();
        boolean any = false;
        for (Tensor t : indices) {
            if (t == null) { out.add(null); continue; }
            any = true;
            if (isMask(t)) {
                int at = out.size();
                if (at + t.dim() > x.dim())
                    throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + x.dim() + " (got " + (at + t.dim()) + ")");
                out.addAll(Arrays.asList(maskToIndices(t, x, at, x.device())));
            } else {
                out.add(indexTensor(t, x.device()));
            }
        }
        if (out.size() > x.dim())
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + x.dim() + " (got " + out.size() + ")");
        if (!any) return null;
        Tensor[] per = new Tensor[x.dim()];
        for (int d = 0; d < out.size(); d++) per[d] = out.get(d);
        return per;
    }

    /** aten::index: one optional int64/int32/bool tensor per leading dim. */
    public static Tensor index(Tensor x, Tensor[] indices) {
        Tensor[] per = normalize(x, indices);
        if (per == null) return x.clone();
        return indexCore(x, per, Variant.PRIMARY, null);
    }

    /** aten::index_put_: values must have x's dtype (a 0-dim value of another dtype is converted). */
    public static Tensor indexPut_(Tensor x, Tensor[] indices, Tensor values, boolean accumulate) {
        if (T.dtype(values) != T.dtype(x)) {
            if (values.dim() == 0 && !Graph.needsRecording(values)) values = Dispatch.convert(values, T.dtype(x));
            else throw new IllegalArgumentException("Index put requires the source and destination dtypes match, got "
                    + T.dtype(x).scalarTypeName() + " for the destination and " + T.dtype(values).scalarTypeName() + " for the source.");
        }
        Tensor[] per = normalize(x, indices);
        if (per == null) {
            // no index at all: the whole tensor
            InPlace.checkLeaf(x);
            if (accumulate) return x.add_(values);
            return x.copy_(values);
        }
        return indexPutCore(x, per, values, accumulate, Variant.PRIMARY);
    }

    // ================================================================ index_select, gather, scatter

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        // ATen's index_select_out_cpu_ (TensorAdvancedIndexing.cpp): its checks in its order, and each path's own
        // bound check: the dim-1 fast path and an empty self use check_indexarray_range (a RuntimeError), the others
        // TORCH_CHECK_INDEX
        int d = Shapes.wrapDim(dim, x.dim());
        if (index.dim() > 1) throw new IndexOutOfBoundsException("index_select(): Index is supposed to be a vector");
        long numel = index.numel();
        if (x.dim() == 0 && numel != 1)
            throw new IllegalArgumentException("index_select(): Index to scalar can have only 1 value, got " + numel + " value(s)");
        if (T.dtype(index) != DType.int64 && T.dtype(index) != DType.int32)
            throw new IllegalArgumentException("index_select(): Expected dtype int32 or int64 for index");
        long[] vals = index.toLongArray();
        if (x.dim() > 1) {
            if (numel > 0 && x.numel() == 0) {
                if (T.shape(x)[d] <= 0) throw new IllegalArgumentException("index_select(): self indexing axis dim should be positive");
                checkIndexArrayRange(vals, T.shape(x)[d]);
            } else if (numel > 0 && d == 1) {
                checkIndexArrayRange(vals, T.shape(x)[d]);
            } else {
                for (long v : vals) if (v < 0 || v >= T.shape(x)[d]) throw new IndexOutOfBoundsException("index out of range in self");
            }
        } else {
            for (long v : vals) if (v < 0 || v >= x.numel()) throw new IndexOutOfBoundsException("index out of range in self");
        }
        if (x.dim() == 0) return x.clone();
        Tensor[] per = new Tensor[x.dim()];
        per[d] = indexTensor(index.dim() == 0 ? index.reshape(1) : index, x.device());
        return indexCore(x, per, Variant.INDEX_SELECT, null);
    }

    /** ATen's check_indexarray_range, inherited from caffe2's BatchGather. */
    private static void checkIndexArrayRange(long[] indices, long axisDim) {
        for (long v : indices)
            if (v < 0 || v >= axisDim)
                throw new IllegalArgumentException("INDICES element is out of DATA bounds, id=" + v + " axis_dim=" + axisDim);
    }

    private static long[] nonEmpty(long[] shape) { return shape.length == 0 ? new long[]{1} : shape; }

    private static long[] nonEmptyStrides(long[] stride) { return stride.length == 0 ? new long[]{0} : stride; }

    /** ATen's scatter_gather_dtype_check: an int32 or int64 index (not checked when empty), src of self's dtype. */
    private static void checkIndexDtype(String op, Tensor index) {
        if (index.numel() != 0 && T.dtype(index) != DType.int64 && T.dtype(index) != DType.int32)
            throw new IllegalArgumentException(op + "(): Expected dtype int32/int64 for index");
    }

    /** The index kernels' bound check (ScatterGatherKernel.cpp), after the shape checks. */
    private static void checkIndexValues(Tensor index, int d, long size) {
        for (long v : index.toLongArray())
            if (v < 0 || v >= size)
                throw new IllegalArgumentException("index " + v + " is out of bounds for dimension " + d + " with size " + size);
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        // ATen's gather meta (TensorAdvancedIndexing.cpp): an empty index skips the dtype and shape checks
        int d = Shapes.wrapDim(dim, x.dim());
        checkIndexDtype("gather", index);
        if (index.numel() == 0) return x.reshape(-1).narrow(0, 0, 0).reshape(T.shape(index)); // an empty view, still on the graph
        if (T.dtype(index) == DType.int32) index = index.to(DType.int64);
        // gather_shape_check (ScatterGatherChecks.h)
        if (Math.max(x.dim(), 1) != Math.max(index.dim(), 1))
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor");
        long[] xs = nonEmpty(T.shape(x)), is = nonEmpty(T.shape(index));
        for (int i = 0; i < is.length; i++)
            if (i != d && is[i] > xs[i])
                throw new IllegalArgumentException("Size does not match at dimension " + i + " expected index " + Shapes.str(T.shape(index))
                        + " to be no larger than self " + Shapes.str(T.shape(x)) + " apart from dimension " + d);
        checkIndexValues(index, d, xs[d]);
        if (x.dim() == 0) return x.expand(T.shape(index)).clone();
        if (index.dim() == 0) return gather(x, d, index.reshape(1)).reshape();
        Tensor idx = onDevice(index, x.device());
        Tensor out = Dispatch.empty(T.shape(index), T.dtype(x), x.device());
        long[] srcStrides = T.stride(x).clone();
        srcStrides[d] = 0;
        Strided src = new Strided(T.storage(x), T.dtype(x), T.shape(index), srcStrides, T.offset(x));
        if (out.numel() > 0)
            Dispatch.execute(new Kernel.Index(Dispatch.strided(out), src, new Strided[]{Dispatch.strided(idx)}, new long[]{T.stride(x)[d]}, new long[]{T.shape(x)[d]}));
        if (T.dtype(x).isFloatingPoint() && Graph.needsRecording(x))
            Graph.record(IndexOp.INDEX, Variant.GATHER, out, new Tensor[]{x}, new SavedArgs.Indices(alongDim(idx, d, x.dim())));
        return out;
    }

    /** The full index tuple of a gather/scatter along {@code d}: the index itself on d, aranges over the other dims. */
    private static Tensor[] alongDim(Tensor index, int d, int nd) {
        Tensor[] t = new Tensor[nd];
        for (int i = 0; i < nd; i++) {
            if (i == d) { t[i] = index; continue; }
            long n = T.shape(index)[i];
            long[] vals = new long[(int) n];
            for (int j = 0; j < n; j++) vals[j] = j;
            long[] st = new long[nd];
            st[i] = 1;
            t[i] = onDevice(T.make(new ArrayStorage(vals, DType.int64), DType.int64, T.shape(index).clone(), st, 0), index.device());
        }
        return t;
    }

    /** self[index along dim] = src (or +=), in place; returns self. */
    public static Tensor scatter(Tensor self, int dim, Tensor index, Tensor src, boolean add) {
        // ATen's scatter_meta_impl (TensorAdvancedIndexing.cpp), which names scatter_add "scatter" too: the dtypes, then
        // scatter_shape_check (skipped for an empty index), then the kernel's bound check
        int d = Shapes.wrapDim(dim, self.dim());
        String op = add ? "scatter_add" : "scatter";
        checkIndexDtype("scatter", index);
        if (T.dtype(src) != T.dtype(self)) {
            if (src.dim() == 0 && !src.requiresGrad()) src = Dispatch.convert(src, T.dtype(self));
            else throw new IllegalArgumentException("scatter(): Expected self.dtype to be equal to src.dtype");
        }
        if (index.numel() == 0) return self;
        if (T.dtype(index) == DType.int32) index = index.to(DType.int64);
        if (Math.max(self.dim(), 1) != Math.max(index.dim(), 1))
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as self tensor");
        long[] ss = nonEmpty(T.shape(self)), is = nonEmpty(T.shape(index)), rs = src.dim() == 0 ? null : nonEmpty(T.shape(src));
        if (rs != null && rs.length != is.length)
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as src tensor");
        for (int i = 0; i < is.length; i++) {
            if ((i != d && is[i] > ss[i]) || (rs != null && is[i] > rs[i]))
                throw new IllegalArgumentException("Expected index " + Shapes.str(T.shape(index)) + " to be no larger than self " + Shapes.str(T.shape(self))
                        + " apart from dimension " + d + (rs != null ? " and to be no larger size than src " + Shapes.str(T.shape(src)) : ""));
        }
        checkIndexValues(index, d, ss[d]);
        boolean grad = T.dtype(self).isFloatingPoint() && Graph.needsRecording(self, src);
        if (grad && (self.dim() == 0 || index.dim() == 0))
            throw new UnsupportedOperationException(op + " on 0-dim tensors does not support autograd yet");
        Tensor idx = onDevice(index, self.device());
        if (grad) {
            Tensor srcView = src;
            if (src.dim() > 0)
                for (int i = 0; i < src.dim(); i++) if (T.shape(src)[i] != T.shape(index)[i]) srcView = srcView.slice(i, 0, T.shape(index)[i], 1);
            return indexPutCore(self, alongDim(idx, d, self.dim()), srcView, add, add ? Variant.SCATTER_ADD : Variant.SCATTER);
        }
        InPlace.checkLeaf(self);
        Tensor s = onDevice(src, self.device());
        if (T.storage(s) == T.storage(self)) s = T.cloneNoGrad(s);
        if (T.storage(idx) == T.storage(self)) idx = T.cloneNoGrad(idx);
        long[] shape = is;
        long[] destStrides = nonEmptyStrides(T.stride(self)).clone();
        destStrides[d] = 0;
        Strided dest = new Strided(T.storage(self), T.dtype(self), shape, destStrides, T.offset(self));
        Strided values = s.dim() == 0 ? new Strided(T.storage(s), T.dtype(s), shape, new long[shape.length], T.offset(s))
                : new Strided(T.storage(s), T.dtype(s), shape, nonEmptyStrides(T.stride(s)), T.offset(s));
        Strided ix = new Strided(T.storage(idx), T.dtype(idx), shape, nonEmptyStrides(T.stride(idx)), T.offset(idx));
        Dispatch.execute(new Kernel.IndexPut(dest, values, new Strided[]{ix}, new long[]{nonEmptyStrides(T.stride(self))[d]}, new long[]{ss[d]}, add));
        T.bumpVersion(self);
        return self;
    }

    // ================================================================ nonzero

    /** Coordinates of the nonzero elements, int64 [n, ndim], in row-major order. */
    public static Tensor nonzero(Tensor x) {
        boolean[] nz = x.toBooleanArray();
        int nd = x.dim();
        int n = 0;
        for (boolean b : nz) if (b) n++;
        long[] out = new long[n * nd];
        long[] coord = new long[nd];
        int row = 0;
        for (int i = 0; i < nz.length; i++) {
            if (nz[i]) {
                System.arraycopy(coord, 0, out, row * nd, nd);
                row++;
            }
            for (int d = nd - 1; d >= 0; d--) {
                if (++coord[d] < T.shape(x)[d]) break;
                coord[d] = 0;
            }
        }
        long[] shape = {n, nd};
        Tensor t = T.make(new ArrayStorage(out, DType.int64), DType.int64, shape, Strided.contiguousStrides(shape), 0);
        return onDevice(t, x.device());
    }
}
