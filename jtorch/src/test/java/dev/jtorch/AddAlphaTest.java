package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code add}/{@code sub} with alpha, bit for bit against golden/alpha/alpha_golden.txt (gen_alpha.py says how each
 * dtype's expected values were made), and their gradients, integer wrap-around and errors against PyTorch 1.13.
 */
class AddAlphaTest {

    record Row(String op, double alpha, double[] expected) {}

    record Case(DType dtype, double[] a, double[] b, List<Row> rows) {}

    static List<Case> cases() throws IOException {
        String text;
        try (InputStream in = AddAlphaTest.class.getResourceAsStream("/golden/alpha/alpha_golden.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        DType dtype = null;
        double[] a = null, b = null;
        List<Row> rows = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) continue; // the generator's header
            String[] f = line.trim().split(" ");
            switch (f[0]) {
                case "case" -> {
                    dtype = DType.valueOf(f[1]);
                    rows = new ArrayList<>();
                }
                case "a" -> a = values(f, 1);
                case "b" -> {
                    b = values(f, 1);
                    cases.add(new Case(dtype, a, b, rows));
                }
                case "add", "sub" -> rows.add(new Row(f[0], Double.parseDouble(f[1]), values(f, 2)));
                default -> { if (!line.isBlank()) fail("bad golden line: " + line); }
            }
        }
        return cases;
    }

    private static double[] values(String[] f, int from) {
        return Arrays.stream(f, from, f.length).mapToDouble(Double::parseDouble).toArray();
    }

    private static void assertBits(double[] expected, Tensor actual, String what) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, what);
        int wrong = 0, first = -1;
        for (int i = 0; i < got.length; i++)
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(got[i])) {
                if (first < 0) first = i;
                wrong++;
            }
        if (wrong > 0) fail(what + ": " + wrong + " of " + got.length + " differ, first at " + first + ": expected "
                + expected[first] + " but was " + got[first]);
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorchBitForBit() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            assertEquals(18, c.rows().size());
            for (Row r : c.rows()) {
                String name = c.dtype() + " " + r.op() + " alpha=" + r.alpha();
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Tensor a = tensor(c.a(), c.dtype()), b = tensor(c.b(), c.dtype());
                    boolean add = r.op().equals("add");
                    assertBits(r.expected(), add ? a.add(b, r.alpha()) : a.sub(b, r.alpha()), name);
                    assertBits(r.expected(), add ? add(a, b, r.alpha()) : sub(a, b, r.alpha()), name + " (Torch)");
                    Tensor inPlace = a.clone();
                    assertSame(inPlace, add ? inPlace.add_(b, r.alpha()) : inPlace.sub_(b, r.alpha()));
                    assertBits(r.expected(), inPlace, name + " in place");
                    Tensor out = empty(new long[]{c.a().length}, float64);
                    assertSame(out, add ? add(a, b, r.alpha(), out) : sub(a, b, r.alpha(), out));
                    assertBits(r.expected(), out, name + " into a float64 out=");
                    // a strided layout takes the generic kernel: one rounding there too
                    int n = c.a().length;
                    Tensor as = stack(List.of(a, zerosLike(a)), 1).select(1, 0), bs = stack(List.of(zerosLike(b), b), 1).select(1, 1);
                    assertFalse(as.isContiguous());
                    assertBits(r.expected(), add ? as.add(bs, r.alpha()) : as.sub(bs, r.alpha()), name + " strided");
                    assertEquals(n, as.numel());
                }));
            }
        }
        assertEquals(4 * 18, tests.size());
        return tests.stream();
    }

    @Test
    void gradientsAreAlphaTimesTheIncomingOne() {
        // x = tensor([1.5, -2.25], float64, requires_grad=True), y = tensor([0.1, 3.3], float64, requires_grad=True)
        Tensor x = tensor(new double[]{1.5, -2.25}, float64).requiresGrad_(), y = tensor(new double[]{0.1, 3.3}, float64).requiresGrad_();
        Tensor g = tensor(new double[]{0.7, -1.9}, float64);
        Tensor z = x.add(y, 0.3);
        assertEquals("AddBackward0", z.gradFn().name());
        z.backward(g);
        assertArrayEquals(new double[]{0.7, -1.9}, x.grad().toDoubleArray());
        assertArrayEquals(new double[]{0.7 * 0.3, -1.9 * 0.3}, y.grad().toDoubleArray());
        x.setGrad(null);
        y.setGrad(null);
        Tensor s = x.sub(y, -1.7);
        assertEquals("SubBackward0", s.gradFn().name());
        s.backward(g);
        assertArrayEquals(new double[]{0.7, -1.9}, x.grad().toDoubleArray());
        assertArrayEquals(new double[]{-0.7 * -1.7, 1.9 * -1.7}, y.grad().toDoubleArray());
        assertArrayEquals(new double[]{1.19, -3.23}, y.grad().toDoubleArray(), 1e-15);

        x.setGrad(null);
        y.setGrad(null);
        Tensor w = x.clone();
        w.add_(y, 2.5);
        assertEquals("AddBackward0", w.gradFn().name());
        assertArrayEquals(new double[]{1.75, 6.0}, w.detach().toDoubleArray());
        w.sum().backward();
        assertArrayEquals(new double[]{1, 1}, x.grad().toDoubleArray());
        assertArrayEquals(new double[]{2.5, 2.5}, y.grad().toDoubleArray());

        x.setGrad(null);
        y.setGrad(null);
        Tensor v = x.clone();
        v.sub_(y.get(0), 3L);
        assertEquals("SubBackward0", v.gradFn().name());
        assertArrayEquals(new double[]{1.5 - 0.1 * 3, -2.25 - 0.1 * 3}, v.detach().toDoubleArray(), 1e-15);
        v.sum().backward();
        assertArrayEquals(new double[]{1, 1}, x.grad().toDoubleArray());
        assertArrayEquals(new double[]{-6, 0}, y.grad().toDoubleArray(), "the broadcast operand's gradient is summed");
    }

    @Test
    void integersWrapAndPromoteAsPyTorch() {
        assertEquals("tensor([-55,  58], dtype=torch.int8)",
                tensor(new long[]{1, 2}, int8).add(tensor(new long[]{100, -100}, int8), 2).toString());
        assertEquals("tensor([255, 252], dtype=torch.uint8)",
                tensor(new long[]{1, 2}, uint8).sub(tensor(new long[]{1, 3}, uint8), 2).toString());
        Tensor wide = empty(new long[]{2}, int64);
        add(tensor(new long[]{1, 2}, int8), tensor(new long[]{100, -100}, int8), 2L, wide);
        assertEquals("tensor([-55,  58])", wide.toString(), "int8 arithmetic wraps before the int64 out= sees it");
        assertEquals("tensor([-13,  31])", add(tensor(new long[]{5, 7}), tensor(new long[]{3, -4}), -6L).toString());
        assertEquals("tensor([True, True])", tensor(new boolean[]{false, true}).add(tensor(new boolean[]{true, false}), 3).toString());
        assertEquals("tensor([False,  True])", tensor(new boolean[]{false, true}).add(tensor(new boolean[]{true, false}), 0).toString());
        assertEquals("tensor([ 7., 10.])", tensor(new double[]{1, 2}).add(tensor(new long[]{3, 4}), 2).toString());
        assertEquals("tensor([2.5000, 4.0000])", tensor(new long[]{1, 2}).add(tensor(new double[]{3, 4}), 0.5).toString());
        assertEquals("tensor([1.1250, 2.1250])", tensor(new long[]{1, 2}).add(tensor(0.25), 0.5).toString());
    }

    @Test
    void alphaErrorsAreTorchs() {
        Tensor i = tensor(new long[]{1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> i.add(i, 2.5));
        assertEquals("For integral input tensors, argument alpha must not be a floating point number.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> i.add_(i, 1.0), "a floating alpha is refused even when it is 1");
        assertThrows(IllegalArgumentException.class, () -> i.sub_(i, 0.5));
        Tensor c = tensor(new long[]{1, 2}, int8);
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class, () -> c.add(c, 300));
        assertEquals("value cannot be converted to type int8_t without overflow", o.getMessage());
        Tensor h = ones(new long[]{2}, float16);
        IllegalArgumentException ho = assertThrows(IllegalArgumentException.class, () -> h.add(h, 1e6));
        assertEquals("value cannot be converted to type c10::Half without overflow", ho.getMessage());
        Tensor leaf = ones(2).requiresGrad_();
        assertThrows(IllegalStateException.class, () -> leaf.sub_(ones(2), 0.5));
    }
}
