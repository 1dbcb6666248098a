package dev.jtorch.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * Every case of the op table against the goldens PyTorch computed ({@code golden/ops/ops_golden.txt}, made by
 * {@code gen_ops.py} from {@code cases.txt}): the same dtype, shape and values (within a tolerance that
 * depends on the dtype and on the kind of op), the same exception text where PyTorch raises, and the same
 * printed text.
 *
 * <p>The tolerance of each case is its row's tolerance column ({@link OpCases.Tolerance}; cases.txt's header gives
 * the numbers); the accumulating classes get an absolute allowance of that tolerance times the largest expected
 * magnitude plus the inputs' scale (the largest input magnitude times the square root of their count): summation
 * order differs, and PyTorch sums float32 in float32 where jtorch accumulates in double. Integers and bools are exact.
 */
public class OpGoldenTest {

    // ---------------------------------------------------------------- tolerances (the classes are cases.txt's tolerance column)

    static double eps(DType d) {
        return switch (d) {
            case float64 -> 0x1p-52;
            case float32 -> 0x1p-23;
            case float16 -> 0x1p-10;
            case bfloat16 -> 0x1p-7;
            default -> 0;
        };
    }

    static double tiny(DType d) {
        return switch (d) {
            case float64 -> Double.MIN_NORMAL;
            case float32, bfloat16 -> Float.MIN_NORMAL;
            case float16 -> 0x1p-14;
            default -> 0;
        };
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void goldensMatchTheTable() {
        assertNotNull(OpCases.header(), "ops_golden.txt has no header line");
        // the goldens are those of the table as it is now: same cases, expressions and keys, in order
        List<OpCases.TableCase> table = OpCases.tableCases();
        List<OpCases.Golden> goldens = OpCases.goldens();
        List<String> problems = new ArrayList<>();
        Map<String, OpCases.Golden> byName = new HashMap<>();
        for (OpCases.Golden g : goldens) byName.put(g.name(), g);
        for (OpCases.TableCase c : table) {
            OpCases.Golden g = byName.remove(c.name());
            if (g == null) problems.add(c.name() + " (cases.txt:" + c.line() + ") has no golden");
            else if (!g.expr().equals(c.expr()) || !g.key().equals(c.key()))
                problems.add(c.name() + " (cases.txt:" + c.line() + ") changed since its golden was made");
        }
        for (String stale : byName.keySet()) problems.add(stale + " has a golden but is no longer in cases.txt");
        assertTrue(problems.isEmpty(), "rerun gen_ops.py (see its header): " + problems.subList(0, Math.min(10, problems.size())));
        // a key means one jtorch call: it must stand for one PyTorch expression
        Map<String, String> exprOfKey = new HashMap<>();
        for (OpCases.Golden g : goldens) {
            String baseKey = g.key().contains(":") ? g.key().substring(0, g.key().indexOf(':')) : g.key();
            String e = g.expr().replaceAll("torch\\.(float32|float64|float16|bfloat16|int64|int32|int16|int8|uint8|bool)", "DT");
            String prev = exprOfKey.putIfAbsent(baseKey, e);
            if (prev != null && !prev.equals(e)) fail("key " + baseKey + " stands for two expressions: " + prev + " and " + e);
        }
        assertTrue(goldens.size() > 1000, "too few golden cases: " + goldens.size());
    }

    @TestFactory
    Stream<DynamicTest> values() {
        return OpCases.goldens().stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> checkValues(g)));
    }

    @TestFactory
    Stream<DynamicTest> printedText() {
        return OpCases.goldens().stream().filter(g -> !g.raises()).map(g -> DynamicTest.dynamicTest(g.name(), () -> checkPrinted(g)));
    }

    static String describe(OpCases.Golden g, Tensor[] in) {
        StringBuilder sb = new StringBuilder(g.name()).append(": ").append(g.expr()).append("  [key ").append(g.key())
                .append(", ops_golden.txt:").append(g.line()).append("]  inputs ").append(g.inputs());
        return sb.toString();
    }

    static Object run(OpCases.Golden g, Tensor[] in) throws Throwable {
        OpCases.Call call = OpCases.call(g.key());
        if (call == null) fail("no Java call for key '" + g.key() + "' (add it to OpCases)");
        return call.apply(in);
    }

    static void checkValues(OpCases.Golden g) throws Throwable { checkValues(g, Device.CPU); }

    /**
     * The case computed on {@code device} (its inputs built there) against PyTorch's golden, with the row's tolerance:
     * what OpGoldenTest checks on the CPU, CudaOpsTest checks on a GPU.
     */
    public static void checkValues(OpCases.Golden g, Device device) throws Throwable {
        Tensor[] in = OpCases.buildInputs(g, device);
        String what = describe(g, in) + (device.equals(Device.CPU) ? "" : " on " + device);
        if (g.raises()) {
            Object r;
            try {
                r = run(g, in);
            } catch (RuntimeException e) {
                String msg = e.getMessage();
                assertEquals(g.errMessage(), msg, what + "\n  PyTorch raised " + g.errType() + "; jtorch threw " + e.getClass().getSimpleName()
                        + " with another message");
                return;
            }
            fail(what + "\n  PyTorch raised " + g.errType() + ": " + g.errMessage() + "\n  jtorch returned " + safeString(r));
        }
        Object r;
        try {
            r = run(g, in);
        } catch (RuntimeException e) {
            throw new AssertionError(what + "\n  jtorch threw " + e, e);
        }
        List<Tensor> outs = OpCases.tensorsOf(r);
        assertEquals(g.outputs().size(), outs.size(), what + ": number of output tensors");
        for (int i = 0; i < outs.size(); i++) {
            OpCases.Output want = g.outputs().get(i);
            Tensor got = outs.get(i);
            String w = what + (outs.size() > 1 ? " (output " + i + ")" : "");
            assertEquals(want.dtype(), got.dtype(), w + ": dtype");
            assertEquals(Arrays.toString(want.shape()), Arrays.toString(got.shape().toArray()), w + ": shape");
            String diff = compare(want, got.cpu(), OpCases.row(g.name()).tolerance(), inputScale(g));
            if (diff != null) fail(w + "\n  " + diff);
        }
    }

    private static String safeString(Object r) {
        try {
            return String.valueOf(r);
        } catch (RuntimeException e) {
            return "(unprintable: " + e + ")";
        }
    }

    /**
     * The size of the rounding error an accumulation over the inputs may carry: the largest finite input
     * magnitude times the square root of the number of input elements.
     */
    static double inputScale(OpCases.Golden g) {
        double max = 0;
        long n = 0;
        for (OpCases.Input in : g.inputs()) {
            n += in.values().length;
            if (!in.dtype().isFloatingPoint()) {
                for (String v : in.values()) if (!in.dtype().equals(DType.bool)) max = Math.max(max, Math.abs((double) Long.parseLong(v)));
                continue;
            }
            for (String v : in.values()) {
                double d = OpCases.parseDouble(v);
                if (Double.isFinite(d)) max = Math.max(max, Math.abs(d));
            }
        }
        return max * Math.sqrt(Math.max(n, 1));
    }

    /** Null when equal within tolerance, else a description of the first differences. */
    static String compare(OpCases.Output want, Tensor got, OpCases.Tolerance tolerance, double inputScale) {
        DType d = want.dtype();
        int n = want.values().length;
        StringBuilder sb = new StringBuilder();
        int bad = 0;
        if (d.isFloatingPoint()) {
            double[] g = got.toDoubleArray();
            double[] e = new double[n];
            double maxAbs = 0;
            for (int i = 0; i < n; i++) {
                e[i] = OpCases.parseDouble(want.values()[i]);
                if (Double.isFinite(e[i])) maxAbs = Math.max(maxAbs, Math.abs(e[i]));
            }
            double rtol = tolerance.rtol(d);
            double atol = tiny(d) + (tolerance.accumulates ? rtol * (maxAbs + inputScale) : 0);
            for (int i = 0; i < n; i++) {
                boolean ok;
                if (Double.isNaN(e[i])) ok = Double.isNaN(g[i]);
                else if (Double.isInfinite(e[i])) ok = e[i] == g[i];
                else ok = Math.abs(g[i] - e[i]) <= atol + rtol * Math.abs(e[i]) && !Double.isNaN(g[i]);
                if (!ok && bad++ < 6)
                    sb.append(String.format("[%d] expected %s got %s (%s vs %s); ", i, e[i], g[i], Double.toHexString(e[i]), Double.toHexString(g[i])));
            }
        } else if (d == DType.bool) {
            boolean[] g = got.toBooleanArray();
            for (int i = 0; i < n; i++) {
                boolean e = !want.values()[i].equals("0");
                if (e != g[i] && bad++ < 6) sb.append(String.format("[%d] expected %s got %s; ", i, e, g[i]));
            }
        } else {
            long[] g = got.toLongArray();
            for (int i = 0; i < n; i++) {
                long e = Long.parseLong(want.values()[i]);
                if (e != g[i] && bad++ < 6) sb.append(String.format("[%d] expected %d got %d; ", i, e, g[i]));
            }
        }
        return bad == 0 ? null : bad + "/" + n + " values differ: " + sb;
    }

    /** True when the computed tensor holds exactly the golden values. */
    static boolean identical(OpCases.Output want, Tensor got) {
        if (want.dtype() != got.dtype() || !Arrays.equals(want.shape(), got.shape().toArray())) return false;
        int n = want.values().length;
        if (want.dtype().isFloatingPoint()) {
            double[] g = got.toDoubleArray();
            for (int i = 0; i < n; i++) {
                double e = OpCases.parseDouble(want.values()[i]);
                if (Double.doubleToLongBits(e) != Double.doubleToLongBits(g[i])) return false;
            }
            return true;
        }
        long[] g = got.toLongArray();
        for (int i = 0; i < n; i++) {
            long e = want.dtype() == DType.bool ? (want.values()[i].equals("0") ? 0 : 1) : Long.parseLong(want.values()[i]);
            if (e != g[i]) return false;
        }
        return true;
    }

    /**
     * The printed text: repr of a tensor holding exactly PyTorch's output values must be PyTorch's repr; and
     * where jtorch computed exactly those values, its result must print the same (and so must the named tuple).
     */
    static void checkPrinted(OpCases.Golden g) throws Throwable {
        Tensor[] in = OpCases.buildInputs(g);
        String what = describe(g, in);
        for (int i = 0; i < g.outputs().size(); i++) {
            OpCases.Output want = g.outputs().get(i);
            Tensor exact = OpCases.dense(want.dtype(), want.shape(), want.values());
            assertEquals(want.repr(), exact.toString(), what + ": repr of PyTorch's values (output " + i + ")");
        }
        Object r;
        try {
            r = run(g, in);
        } catch (RuntimeException e) {
            throw new TestAbortedException("jtorch threw " + e + ": values() fails this case");
        }
        List<Tensor> outs = OpCases.tensorsOf(r);
        boolean all = outs.size() == g.outputs().size();
        for (int i = 0; i < outs.size() && i < g.outputs().size(); i++) {
            OpCases.Output want = g.outputs().get(i);
            if (identical(want, outs.get(i))) assertEquals(want.repr(), outs.get(i).toString(), what + ": repr of jtorch's result (output " + i + ")");
            else all = false;
        }
        if (all && g.srepr() != null) assertEquals(g.srepr(), r.toString(), what + ": repr of the named tuple");
    }
}
