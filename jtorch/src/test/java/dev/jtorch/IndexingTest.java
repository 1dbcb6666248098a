package dev.jtorch;

import dev.jtorch.dispatch.Indexing;
import static dev.jtorch.Torch.arange;
import static dev.jtorch.Torch.fromArray;
import static dev.jtorch.Torch.tensor;
import static dev.jtorch.Torch.zeros;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.Strided;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Indexing against PyTorch: the records of {@code golden/indexing/indexing_cases.txt}, written by
 * {@code golden/indexing/gen_indexing.py} (see its header for the format), plus hand-written checks
 * of views, broadcasting, accumulation and gradients.
 */
class IndexingTest {

    private static final String GOLDEN = "/golden/indexing/indexing_cases.txt";

    // ================================================================ goldens

    record Goldens(String torchVersion, Map<String, Tensor> named, List<String[]> records) {}

    private static Goldens goldens;

    static synchronized Goldens load() throws IOException {
        if (goldens != null) return goldens;
        String version = "?";
        Map<String, Tensor> named = new HashMap<>();
        List<String[]> records = new ArrayList<>();
        try (InputStream in = IndexingTest.class.getResourceAsStream(GOLDEN)) {
            if (in == null) throw new IOException("missing " + GOLDEN);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                if (line.startsWith("#")) {
                    GoldenText.Header h = GoldenText.Header.parse(line);
                    if (h != null) version = h.torch();
                    continue;
                }
                String[] f = line.split("\\|", -1);
                if (f[0].equals("tensor")) named.put(f[1], build(DType.valueOf(f[2]), shape(f[3]), f[4]));
                else records.add(f);
            }
        }
        goldens = new Goldens(version, named, records);
        return goldens;
    }

    static long[] shape(String s) {
        if (s.isEmpty()) return new long[0];
        return Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    static Tensor build(DType dtype, long[] shape, String values) {
        String[] v = values.isEmpty() ? new String[0] : values.split(",");
        Object arr = switch (dtype) {
            case float32 -> { float[] a = new float[v.length]; for (int i = 0; i < a.length; i++) a[i] = Float.parseFloat(v[i]); yield a; }
            case float64 -> { double[] a = new double[v.length]; for (int i = 0; i < a.length; i++) a[i] = Double.parseDouble(v[i]); yield a; }
            case int64 -> { long[] a = new long[v.length]; for (int i = 0; i < a.length; i++) a[i] = Long.parseLong(v[i]); yield a; }
            case int32 -> { int[] a = new int[v.length]; for (int i = 0; i < a.length; i++) a[i] = Integer.parseInt(v[i]); yield a; }
            case uint8 -> { byte[] a = new byte[v.length]; for (int i = 0; i < a.length; i++) a[i] = (byte) Integer.parseInt(v[i]); yield a; }
            case bool -> { boolean[] a = new boolean[v.length]; for (int i = 0; i < a.length; i++) a[i] = v[i].equals("1"); yield a; }
            default -> throw new IllegalArgumentException("dtype " + dtype + " not used by the goldens");
        };
        return new Tensor(new ArrayStorage(arr, dtype), dtype, shape, Strided.contiguousStrides(shape), 0);
    }

    /** A golden EXPR: Python index syntax where {@code @name} is a named tensor. */
    static Object[] indices(String expr, Map<String, Tensor> named) {
        if (expr.isBlank()) return new Object[0];
        if (!expr.contains("@")) return Indexing.parse(expr);
        List<Object> out = new ArrayList<>();
        int depth = 0, start = 0;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ',' && depth == 0) { parts.add(expr.substring(start, i)); start = i + 1; }
        }
        parts.add(expr.substring(start));
        for (String p : parts) {
            p = p.strip();
            if (p.startsWith("@")) {
                Tensor t = named.get(p.substring(1));
                if (t == null) throw new IllegalStateException("unknown tensor " + p);
                out.add(t);
            } else {
                Object[] one = Indexing.parse(p + ",");
                assertEquals(1, one.length, p);
                out.add(one[0]);
            }
        }
        return out.toArray();
    }

    static void assertResult(Tensor actual, String[] f, int at, String what) {
        assertArrayEquals(shape(f[at]), actual.shape().toArray(), what + ": shape");
        assertEquals(DType.valueOf(f[at + 1]), actual.dtype(), what + ": dtype");
        Tensor expected = build(DType.valueOf(f[at + 1]), shape(f[at]), f[at + 2]);
        if (actual.dtype().isFloatingPoint())
            assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0.0, what + ": values");
        else
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what + ": values");
    }

    /** The Java exception a PyTorch error kind maps to, with the message (version differences normalized). */
    static void assertError(Goldens g, Runnable r, String kind, String message, String what) {
        RuntimeException e;
        try {
            r.run();
            fail(what + ": expected " + kind + ": " + message);
            return;
        } catch (RuntimeException ex) {
            e = ex;
        }
        if (kind.equals("IndexError")) assertInstanceOf(IndexOutOfBoundsException.class, e, what + ": " + e);
        else if (kind.equals("ValueError") || kind.equals("TypeError")) assertInstanceOf(IllegalArgumentException.class, e, what + ": " + e);
        else assertFalse(e instanceof IndexOutOfBoundsException, what + ": a RuntimeError should not be an IndexOutOfBoundsException: " + e);
        String expected = message;
        if (g.torchVersion.startsWith("1.")) // PyTorch 2 also accepts int32 indices and says so
            expected = expected.replace("must be long, byte or bool tensors", "must be long, int, byte or bool tensors");
        assertEquals(expected, e.getMessage(), what);
    }

    static boolean isError(String[] f, int at) { return f.length > at && f[at].startsWith("!"); }

    @TestFactory
    Stream<DynamicTest> goldens() throws IOException {
        Goldens g = load();
        Map<String, Supplier<Tensor>> ops = ops(g.named);
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] f : g.records) {
            String what = String.join("|", Arrays.copyOf(f, Math.min(f.length, f[0].equals("op") ? 2 : f[0].equals("set") ? 4 : 3)));
            tests.add(DynamicTest.dynamicTest(what, () -> {
                switch (f[0]) {
                    case "get" -> checkGet(g, f, what);
                    case "set" -> checkSet(g, f, what);
                    case "grad" -> checkGrad(g, f, what);
                    case "op" -> {
                        Supplier<Tensor> op = ops.get(f[1]);
                        if (op == null) throw new IllegalStateException("no Java replay for op " + f[1]);
                        if (isError(f, 2)) assertError(g, op::get, f[2].substring(1), f[3], what);
                        else assertResult(op.get(), f, 2, what);
                    }
                    default -> throw new IllegalStateException("unknown record " + f[0]);
                }
            }));
        }
        assertTrue(tests.size() > 150, "too few golden cases: " + tests.size());
        return tests.stream();
    }

    static void checkGet(Goldens g, String[] f, String what) {
        Tensor x = g.named.get(f[1]);
        if (isError(f, 3)) {
            assertError(g, () -> x.get(indices(f[2], g.named)), f[3].substring(1), f[4], what);
            return;
        }
        Tensor y = x.get(indices(f[2], g.named));
        assertResult(y, f, 3, what);
        if (y.numel() > 0) assertEquals(f[6].equals("1"), y.storage == x.storage, what + ": view");
    }

    static void checkSet(Goldens g, String[] f, String what) {
        Tensor x = g.named.get(f[1]).clone();
        Tensor value = f[3].startsWith("@") ? g.named.get(f[3].substring(1)) : Tensor.wrap(Double.parseDouble(f[3]));
        if (isError(f, 4)) {
            if (f[5].startsWith("Index put requires the source and destination dtypes match")) {
                // jtorch converts the value to x's dtype, as x[...] = v does for numbers (documented deviation)
                x.set(indices(f[2], g.named), value);
                return;
            }
            assertError(g, () -> x.set(indices(f[2], g.named), value), f[4].substring(1), f[5], what);
            return;
        }
        assertSame(x, x.set(indices(f[2], g.named), value));
        assertResult(x, f, 4, what);
    }

    static void checkGrad(Goldens g, String[] f, String what) {
        Tensor x = g.named.get(f[1]).clone().requiresGrad_();
        Tensor y = x.get(indices(f[2], g.named));
        long n = y.numel();
        double[] w = new double[(int) n];
        for (int i = 0; i < n; i++) w[i] = i + 1;
        Tensor wt = fromArray(w, y.shape().toArray()).to(y.dtype());
        y.backward(wt);
        assertResult(x.grad(), f, 3, what);
    }

    /** The Java spelling of each golden op. */
    static Map<String, Supplier<Tensor>> ops(Map<String, Tensor> t) {
        Tensor f = t.get("f"), l = t.get("l"), v = t.get("v"), m = t.get("m");
        Tensor gi = tensor(new long[][]{{0, 1, 1, 0}, {2, 0, 1, 1}, {1, 1, 0, 2}});
        Map<String, Supplier<Tensor>> ops = new LinkedHashMap<>();
        ops.put("index_select0", () -> f.indexSelect(0, tensor(new long[]{1, 1, 0})));
        ops.put("index_select1", () -> f.indexSelect(1, tensor(new long[]{2, 0})));
        ops.put("index_select2_int32", () -> l.indexSelect(2, tensor(new long[]{3, 3, 0}, DType.int32)));
        ops.put("index_select_0dim", () -> v.indexSelect(0, tensor(3L)));
        ops.put("index_select_oob", () -> v.indexSelect(0, tensor(new long[]{5})));
        ops.put("index_select_neg", () -> v.indexSelect(0, tensor(new long[]{-1})));
        ops.put("gather0", () -> m.gather(0, gi));
        ops.put("gather1", () -> m.gather(1, tensor(new long[][]{{3, 0}, {1, 1}, {0, 2}})));
        ops.put("gather_small", () -> m.gather(1, tensor(new long[][]{{2}, {1}})));
        ops.put("gather_oob", () -> m.gather(1, tensor(new long[][]{{4}})));
        ops.put("gather_neg", () -> m.gather(1, tensor(new long[][]{{-1}})));
        ops.put("gather_rank", () -> m.gather(1, tensor(new long[]{1})));
        ops.put("gather_size", () -> m.gather(0, tensor(new long[][]{{0, 0, 0, 0, 0}})));
        ops.put("gather_1d", () -> v.gather(0, tensor(new long[]{4, 4, 1})));
        ops.put("scatter0", () -> zeros(new long[]{3, 4}, DType.float64).scatter_(0, gi, m));
        ops.put("scatter1", () -> zeros(3, 5).scatter_(1, tensor(new long[][]{{4, 0}, {1, 2}}), tensor(new float[][]{{1, 2, 9}, {3, 4, 9}})));
        ops.put("scatter_add0", () -> Torch.ones(new long[]{3, 4}, DType.float64).scatterAdd_(0, gi, m));
        ops.put("scatter_add_dup", () -> zeros(5).scatterAdd_(0, tensor(new long[]{0, 1, 0, 0, 4}), arange(5).to(DType.float32).add(1)));
        ops.put("scatter_long", () -> zeros(new long[]{2, 3}, DType.int64).scatter_(1, tensor(new long[][]{{2}, {0}}), tensor(new long[][]{{5}, {6}})));
        ops.put("scatter_oob", () -> zeros(3).scatter_(0, tensor(new long[]{3}), tensor(new float[]{1})));
        ops.put("scatter_dtype", () -> zeros(3).scatter_(0, tensor(new long[]{1}), tensor(new double[]{1}, DType.float64)));
        ops.put("index_put_acc", () -> zeros(5).indexPut_(new Tensor[]{tensor(new long[]{0, 1, 0, 0, 4})}, tensor(new float[]{1, 2, 3, 4, 5}), true));
        ops.put("index_put_acc_2d", () -> zeros(3, 4).indexPut_(new Tensor[]{tensor(new long[]{0, 0, 2}), tensor(new long[]{1, 1, 3})}, tensor(1.0), true));
        ops.put("index_put_mask", () -> zeros(3, 4).indexPut_(new Tensor[]{arange(12).reshape(3, 4).remainder(5).eq(0)}, tensor(2.0), false));
        ops.put("index_put_bcast", () -> zeros(3, 4).indexPut_(new Tensor[]{tensor(new long[][]{{0}, {2}}), tensor(new long[]{3, 0})}, tensor(new float[]{1, 2}), true));
        ops.put("index_put_dtype", () -> zeros(3).indexPut_(new Tensor[]{tensor(new long[]{1})}, tensor(new long[]{1}), false));
        ops.put("index_put_shape", () -> zeros(3).indexPut_(new Tensor[]{tensor(new long[]{1, 2})}, tensor(new float[]{1, 2, 3}), false));
        ops.put("index_neg", () -> m.index(new Tensor[]{tensor(new long[]{-1, 0})}));
        ops.put("index_too_many", () -> v.index(new Tensor[]{tensor(new long[]{0}), tensor(new long[]{0})}));
        ops.put("index_mask2d", () -> f.index(new Tensor[]{null, Torch.ones(new long[]{3, 4}, DType.bool)}));
        ops.put("nonzero2d", () -> m.remainder(3).eq(1).nonzero());
        ops.put("nonzero3d", () -> l.remainder(7).eq(0).nonzero());
        ops.put("nonzero_float", () -> tensor(new float[]{0, -1, 0, Float.NaN}).nonzero());
        ops.put("nonzero_0dim", () -> tensor(3L).nonzero());
        ops.put("nonzero_0dim_zero", () -> tensor(0.0).nonzero());
        ops.put("nonzero_empty", () -> zeros(2, 3).nonzero());
        ops.put("masked_select", () -> m.maskedSelect(tensor(new boolean[]{true, false, false, true})));
        return ops;
    }

    // ================================================================ hand-written checks

    static Tensor f() { return arange(24).to(DType.float32).reshape(2, 3, 4); }

    @Test
    void parseSyntax() {
        Object[] p = Indexing.parse(" 0 , -1,:, 1:, :2, ::2, 1:5:2, ..., None ");
        assertEquals(9, p.length);
        assertEquals(0L, p[0]);
        assertEquals(-1L, p[1]);
        assertEquals(new Slice(null, null, null), p[2]);
        assertEquals(new Slice(1L, null, null), p[3]);
        assertEquals(new Slice(null, 2L, null), p[4]);
        assertEquals(new Slice(null, null, 2L), p[5]);
        assertEquals(new Slice(1L, 5L, 2L), p[6]);
        assertSame(Ellipsis.INSTANCE, p[7]);
        assertSame(NewAxis.INSTANCE, p[8]);
        assertEquals(0, Indexing.parse("").length);
        assertEquals(0, Indexing.parse("()").length);
        assertEquals(1, Indexing.parse("0,").length);
        assertArrayEquals(new long[]{0, 2}, (long[]) Indexing.parse("[0, 2]")[0]);
        assertArrayEquals(new long[][]{{0, 1}, {2, 3}}, (long[][]) Indexing.parse("[[0, 1], [2, 3]],")[0]);
        assertArrayEquals(new Object[]{new long[]{0, 1}, new long[]{2, 3}}, Indexing.parse("[[0, 1], [2, 3]]"));
        assertArrayEquals(new boolean[]{true, false}, (boolean[]) Indexing.parse("[True, False]")[0]);
        assertEquals(Boolean.TRUE, Indexing.parse("True")[0]);
        assertThrows(IllegalArgumentException.class, () -> Indexing.parse("a"));
        assertThrows(IllegalArgumentException.class, () -> Indexing.parse("1:2:3:4"));
        assertThrows(IllegalArgumentException.class, () -> Indexing.parse("0,,1"));
        assertThrows(IllegalArgumentException.class, () -> Indexing.parse("[0, 1"));
        assertEquals("1:5:2", Slice.of(1, 5, 2).toString());
        assertArrayEquals(new Object[]{1L, -2L}, Indexing.ofLongs(1, -2));
    }

    @Test
    void tutorialIndexing() {
        Tensor t = Torch.ones(4, 4);
        t.set(":, 1", 0);
        assertArrayEquals(new double[]{1, 0, 1, 1}, t.get(0).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 0, 0}, t.get(":, 0").toDoubleArray().length == 4 ? t.get(":, 1").toDoubleArray() : null);
        assertArrayEquals(new double[]{1, 1, 1, 1}, t.get("..., -1").toDoubleArray());
        Tensor x = f();
        assertArrayEquals(new long[]{3, 4}, x.get(0).shape().toArray());
        assertArrayEquals(new long[]{2, 4}, x.get(":, 0").shape().toArray());
        assertArrayEquals(new long[]{1, 2, 3}, x.get("None, ..., 1").shape().toArray());
        assertEquals(23.0, x.get(1, 2, 3).item());
    }

    @Test
    void typedIndices() {
        Tensor x = f();
        assertArrayEquals(x.get(":2, None, ..., 1::2").toDoubleArray(),
                x.get(Slice.of(2), NewAxis.INSTANCE, Ellipsis.INSTANCE, Slice.from(1, 2)).toDoubleArray());
        assertArrayEquals(new long[]{2, 1, 3, 2}, x.get(Slice.of(2), null, Ellipsis.INSTANCE, Slice.from(1, 2)).shape().toArray());
        assertArrayEquals(x.get("1, 2").toDoubleArray(), x.get(1, 2).toDoubleArray());
        assertArrayEquals(x.get("1, 2").toDoubleArray(), x.get(Integer.valueOf(1), Long.valueOf(2)).toDoubleArray());
        assertArrayEquals(x.get("[1, 0]").toDoubleArray(), x.get((Object) new long[]{1, 0}).toDoubleArray());
        // like Python's x[[[0, 1], [1, 0]]]: a top-level list of lists is a tuple of indices (Java's varargs agree)
        assertArrayEquals(x.get("[0, 1], [1, 0]").toDoubleArray(), x.get("[[0, 1], [1, 0]]").toDoubleArray());
        assertArrayEquals(x.get("[0, 1], [1, 0]").toDoubleArray(), x.get(new long[][]{{0, 1}, {1, 0}}).toDoubleArray());
        assertArrayEquals(new long[]{2, 2, 3, 4}, x.get("[[0, 1], [1, 0]],").shape().toArray());
        assertArrayEquals(x.get(":, [0, 2]").toDoubleArray(), x.get(Slice.all(), new int[]{0, 2}).toDoubleArray());
        assertArrayEquals(x.get(":, [0, 2]").toDoubleArray(), x.get(Slice.all(), List.of(0, 2)).toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.get(1.5));
        assertEquals("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.get("x"));
    }

    @Test
    void int32IndexMatchesInt64() {
        Tensor x = f();
        Tensor a = x.get(Slice.all(), tensor(new long[]{2, 0}));
        Tensor b = x.get(Slice.all(), tensor(new long[]{2, 0}, DType.int32));
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
        assertArrayEquals(a.shape().toArray(), b.shape().toArray());
    }

    @Test
    void basicIndexingMakesViews() {
        Tensor x = f();
        Tensor col = x.get(":, 1");
        assertTrue(col.isView());
        assertSame(x.storage, col.storage);
        col.fill_(-1.0);
        assertEquals(-1.0, x.get(0, 1, 2).item());
        assertEquals(-1.0, x.get(1, 1, 0).item());
        assertEquals(0.0, x.get(0, 0, 0).item());
        Tensor strided = x.get("1, ::2, 1:3");
        assertArrayEquals(new long[]{2, 2}, strided.shape().toArray());
        strided.fill_(9.0);
        assertEquals(9.0, x.get(1, 2, 2).item());
        assertEquals(20.0, x.get(1, 2, 0).item());
        // advanced indexing copies
        Tensor copy = x.get("[0]");
        copy.fill_(100.0);
        assertEquals(0.0, x.get(0, 0, 0).item());
    }

    @Test
    void setWritesIntoXWithBroadcasting() {
        Tensor x = zeros(2, 3, 4);
        Tensor ret = x.set(":, 1", tensor(new float[]{1, 2, 3, 4}));
        assertSame(x, ret);
        assertArrayEquals(new double[]{1, 2, 3, 4}, x.get(1, 1).toDoubleArray());
        x.set("..., 0", tensor(new float[][]{{5}, {6}}));
        assertArrayEquals(new double[]{5, 5, 5}, x.get(0, Slice.all(), 0).toDoubleArray());
        assertArrayEquals(new double[]{6, 6, 6}, x.get(1, Slice.all(), 0).toDoubleArray());
        Tensor mask = x.gt(4);
        x.set(mask, -1.0);
        assertEquals(0.0, x.eq(5).sum().item() + x.eq(6).sum().item());
        x.set(new Object[]{tensor(new long[]{0, 1}), Slice.all(), tensor(new long[]{3})}, tensor(new float[]{7, 8, 9}));
        assertArrayEquals(new double[]{7, 8, 9}, x.get(0, Slice.all(), 3).toDoubleArray());
        assertArrayEquals(new double[]{7, 8, 9}, x.get(1, Slice.all(), 3).toDoubleArray());
        // leading size-1 dims of the value are dropped, like PyTorch
        x.set("0, 0", tensor(new float[][][]{{{1, 2, 3, 4}}}));
        assertArrayEquals(new double[]{1, 2, 3, 4}, x.get(0, 0).toDoubleArray());
        // values are converted to x's dtype
        Tensor li = zeros(new long[]{4}, DType.int64);
        li.set("[1, 3]", tensor(new float[]{2.7f, -1.5f}));
        assertArrayEquals(new long[]{0, 2, 0, -1}, li.toLongArray());
        li.set(":2", 9.9);
        assertArrayEquals(new long[]{9, 9, 0, -1}, li.toLongArray());
    }

    @Test
    void accumulateSumsDuplicates() {
        Tensor x = zeros(3);
        x.indexPut_(new Tensor[]{tensor(new long[]{0, 2, 0, 0, -1})}, tensor(new float[]{1, 2, 3, 4, 5}), true);
        assertArrayEquals(new double[]{8, 0, 7}, x.toDoubleArray());
        Tensor y = zeros(new long[]{3}, DType.int64);
        y.indexPut_(new Tensor[]{tensor(new long[]{1, 1, 1})}, tensor(2L), true);
        assertArrayEquals(new long[]{0, 6, 0}, y.toLongArray());
        // without accumulate the last write wins
        Tensor z = zeros(3);
        z.indexPut_(new Tensor[]{tensor(new long[]{1, 1})}, tensor(new float[]{5, 6}), false);
        assertArrayEquals(new double[]{0, 6, 0}, z.toDoubleArray());
        // index with a null entry: the whole dim
        Tensor w = zeros(2, 3);
        w.indexPut_(new Tensor[]{null, tensor(new long[]{2, 2})}, tensor(1.0f), true);
        assertArrayEquals(new double[]{0, 0, 2, 0, 0, 2}, w.toDoubleArray());
        assertArrayEquals(new double[]{2, 2}, w.index(new Tensor[]{null, tensor(new long[]{2})}).reshape(-1).toDoubleArray());
    }

    @Test
    void maskCoversItsDimsThenFollowingIndices() {
        // NumPy semantics: a 2-D mask consumes two dims (PyTorch 1.13 mis-advanced by one here)
        Tensor x = f();
        Tensor mask = tensor(new boolean[][]{{true, false, true}, {false, true, false}});
        Tensor y = x.get(mask, Slice.from(1));
        assertArrayEquals(new long[]{3, 3}, y.shape().toArray());
        assertArrayEquals(new double[]{1, 2, 3, 9, 10, 11, 17, 18, 19}, y.toDoubleArray());
        Tensor z = x.get(mask, 2L);
        assertArrayEquals(new double[]{2, 10, 18}, z.toDoubleArray());
    }

    @Test
    void errorsForZeroDim() {
        Tensor s = tensor(7.0);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.get(0L));
        assertTrue(e.getMessage().startsWith("invalid index of a 0-dim tensor. Use `tensor.item()`"));
        assertEquals(7.0, s.get("...").item());
        s.set("...", 3.0);
        assertEquals(3.0, s.item());
    }

    @Test
    void gradOfGetCountsPicks() {
        Tensor x = zeros(4).requiresGrad_();
        x.get("[0, 2, 2, 3, 3, 3]").sum().backward();
        assertArrayEquals(new double[]{1, 0, 2, 3}, x.grad().toDoubleArray());
        assertEquals("IndexBackward0", x.get("[1]").gradFn().name());
        Tensor m = zeros(2, 3).requiresGrad_();
        m.get(m.detach().eq(0)).sum().backward();
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, m.grad().toDoubleArray());
    }

    @Test
    void gradOfGatherScatterIndexSelect() {
        Tensor x = arange(6).to(DType.float64).reshape(2, 3).requiresGrad_();
        Tensor idx = tensor(new long[][]{{2, 2}, {0, 1}});
        Tensor g = x.gather(1, idx);
        assertEquals("GatherBackward0", g.gradFn().name());
        assertArrayEquals(new double[]{2, 2, 3, 4}, g.toDoubleArray());
        g.mul(tensor(new double[][]{{1, 10}, {100, 1000}}, DType.float64)).sum().backward();
        assertArrayEquals(new double[]{0, 0, 11, 100, 1000, 0}, x.grad().toDoubleArray());

        Tensor y = arange(6).to(DType.float64).reshape(3, 2).requiresGrad_();
        Tensor s = y.indexSelect(0, tensor(new long[]{2, 2, 0}));
        assertEquals("IndexSelectBackward0", s.gradFn().name());
        s.sum().backward();
        assertArrayEquals(new double[]{1, 1, 0, 0, 2, 2}, y.grad().toDoubleArray());

        Tensor src = tensor(new double[][]{{1, 2, 3}, {4, 5, 6}}, DType.float64).requiresGrad_();
        Tensor base = zeros(new long[]{2, 4}, DType.float64).requiresGrad_();
        Tensor out = base.mul(1).scatter_(1, tensor(new long[][]{{3, 0}, {1, 1}}), src);
        assertArrayEquals(new double[]{2, 0, 0, 1, 0, 5, 0, 0}, out.toDoubleArray());
        out.mul(arange(8).to(DType.float64).reshape(2, 4)).sum().backward();
        assertArrayEquals(new double[]{3, 0, 0, 5, 5, 0}, src.grad().toDoubleArray());
        assertArrayEquals(new double[]{0, 1, 2, 0, 4, 0, 6, 7}, base.grad().toDoubleArray());

        Tensor src2 = tensor(new double[]{1, 2, 3}, DType.float64).requiresGrad_();
        Tensor acc = zeros(new long[]{2}, DType.float64).scatterAdd(0, tensor(new long[]{1, 1, 0}), src2);
        assertArrayEquals(new double[]{3, 3}, acc.toDoubleArray());
        acc.mul(tensor(new double[]{10, 20}, DType.float64)).sum().backward();
        assertArrayEquals(new double[]{20, 20, 10}, src2.grad().toDoubleArray());
    }

    @Test
    void gradOfIndexPutAndSet() {
        Tensor v = tensor(new double[]{1, 2}, DType.float64).requiresGrad_();
        Tensor x = zeros(new long[]{3}, DType.float64);
        x.indexPut_(new Tensor[]{tensor(new long[]{2, 0})}, v, false);
        assertEquals("IndexPutBackward0", x.gradFn().name());
        x.mul(tensor(new double[]{10, 20, 30}, DType.float64)).sum().backward();
        assertArrayEquals(new double[]{30, 10}, v.grad().toDoubleArray());

        // a write through basic indexing plus a list reaches x's history
        Tensor w = tensor(new double[]{5, 6}, DType.float64).requiresGrad_();
        Tensor y = zeros(new long[]{2, 3}, DType.float64);
        y.set("1:, [0, 2]", w);
        assertArrayEquals(new double[]{0, 0, 0, 5, 0, 6}, y.toDoubleArray());
        y.mul(arange(6).to(DType.float64).reshape(2, 3)).sum().backward();
        assertArrayEquals(new double[]{3, 5}, w.grad().toDoubleArray());

        // and so does a write through a plain view
        Tensor u = tensor(new double[]{7}, DType.float64).requiresGrad_();
        Tensor z = zeros(new long[]{2, 2}, DType.float64);
        z.set(":, 1", u);
        assertArrayEquals(new double[]{0, 7, 0, 7}, z.toDoubleArray());
        z.mul(tensor(new double[][]{{1, 2}, {3, 4}}, DType.float64)).sum().backward();
        assertArrayEquals(new double[]{6}, u.grad().toDoubleArray());

        // the value's gradient under accumulate with duplicates
        Tensor a = tensor(new double[]{1, 1, 1}, DType.float64).requiresGrad_();
        Tensor acc = zeros(new long[]{2}, DType.float64).indexPut(new Tensor[]{tensor(new long[]{1, 1, 0})}, a, true);
        acc.mul(tensor(new double[]{3, 4}, DType.float64)).sum().backward();
        assertArrayEquals(new double[]{4, 4, 3}, a.grad().toDoubleArray());
    }

    @Test
    void leafRequiringGradCannotBeWritten() {
        Tensor x = zeros(3).requiresGrad_();
        assertThrows(IllegalStateException.class, () -> x.set("[0]", 1.0));
    }

    @Test
    void nonzeroAndIndexOnNonContiguous() {
        Tensor x = f().permute(2, 0, 1); // [4, 2, 3], non-contiguous
        Tensor y = x.get(Slice.all(), tensor(new long[]{1}), tensor(new long[]{2, 0}));
        assertArrayEquals(new long[]{4, 2}, y.shape().toArray());
        assertArrayEquals(new double[]{20, 12, 21, 13, 22, 14, 23, 15}, y.toDoubleArray());
        Tensor nz = tensor(new long[][]{{0, 3}, {0, 0}}).nonzero();
        assertArrayEquals(new long[]{1, 2}, nz.shape().toArray());
        assertArrayEquals(new long[]{0, 1}, nz.toLongArray());
        // writes through a non-contiguous destination
        Tensor t = zeros(3, 4).t();
        t.set("[0, 3], 1", tensor(new float[]{1, 2}));
        assertArrayEquals(new double[]{0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0}, t.t().contiguous().toDoubleArray());
    }

    @Test
    void emptyIndicesGiveEmptyResults() {
        Tensor x = f();
        assertArrayEquals(new long[]{0, 3, 4}, x.get(tensor(new long[0])).shape().toArray());
        assertArrayEquals(new long[]{0}, x.get(x.gt(100)).shape().toArray());
        x.set(x.gt(100), 1.0);
        assertEquals(276.0, x.sum().item());
    }

    @Test
    void largeGatherRunsInParallel() {
        int n = 200_000;
        Tensor x = arange(n).to(DType.float32);
        Tensor idx = arange(n - 1, -1, -1);
        Tensor r = x.get(idx);
        float[] v = r.toFloatArray();
        for (int i = 0; i < n; i++) if (v[i] != n - 1 - i) fail("at " + i + ": " + v[i]);
        Tensor bad = arange(n).clone();
        bad.set("-1", (double) n);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.get(bad));
        assertEquals("index " + n + " is out of bounds for dimension 0 with size " + n, e.getMessage());
    }
}
