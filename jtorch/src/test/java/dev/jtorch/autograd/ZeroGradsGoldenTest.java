package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static dev.jtorch.autograd.AutogradGoldenTest.lossOf;
import static dev.jtorch.autograd.AutogradGoldenTest.s;
import static dev.jtorch.autograd.AutogradGoldenTest.vals;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Gradients of norms, std and var where they are zero: PyTorch masks them to 0 (its norm_backward and
 * std_backward), where the chain rule through sqrt or pow would give NaN. Goldens from
 * {@code golden/autograd/gen_zero_grads.py}; the formulas themselves are gradchecked (first and second
 * order) away from zero.
 */
class ZeroGradsGoldenTest {
    private static final String FILE = "/golden/autograd/zero_grads_cases.txt";
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final String[] P_NAMES = {"2", "1", "3", "1.5", "0.5", "-1", "inf", "-inf", "0"};
    private static final double[] PS = {2, 1, 3, 1.5, 0.5, -1, INF, -INF, 0};

    private static Tensor mixed() {
        return tensor(new double[][]{{0, 0, 0, 0}, {1, -2, 0, 0.5}, {0, 0, 0, 0}}, float64).requiresGrad_();
    }

    static final Map<String, Consumer<AutogradGoldenTest.Recorder>> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("norm_all_zero", r -> {
            for (int i = 0; i < PS.length; i++) {
                Tensor x = zeros(new long[]{2, 3}, float64).requiresGrad_();
                Tensor y = x.norm(PS[i]);
                r.fn("p=" + P_NAMES[i], y);
                y.backward();
                r.grad("p=" + P_NAMES[i], x);
            }
        });
        PROGRAMS.put("norm_dim_zero_rows", r -> {
            for (int i = 0; i < PS.length; i++) {
                for (boolean keepdim : new boolean[]{false, true}) {
                    Tensor x = mixed();
                    lossOf(x.norm(PS[i], 1, keepdim)).backward();
                    r.grad("p=" + P_NAMES[i] + " keepdim=" + (keepdim ? "True" : "False"), x);
                }
            }
        });
        PROGRAMS.put("norm_dims_3d", r -> {
            for (int i = 0; i < PS.length; i++) {
                Tensor x = vals(s(2, 3, 4), 5, 7, 3, 0.5);
                try (var g = noGrad()) {
                    x.set(":, 1, :", 0.0);
                    x.set("1, :, 2", 0.0);
                }
                lossOf(x.norm(PS[i], new int[]{0, 2}, false)).backward();
                r.grad("p=" + P_NAMES[i], x);
            }
        });
        PROGRAMS.put("norm_scalar_zero", r -> {
            for (int i = 0; i < PS.length; i++) {
                Tensor x = tensor(0.0, float64).requiresGrad_();
                x.norm(PS[i]).backward();
                r.grad("p=" + P_NAMES[i], x);
            }
        });
        PROGRAMS.put("std_zero", r -> {
            Tensor x = mixed();
            r.fn("std", x.std(1));
            lossOf(x.std(1)).backward();
            r.grad("std(1)", x);
            x = mixed();
            lossOf(x.std(1, true, true)).backward();
            r.grad("std(1, keepdim)", x);
            x = mixed();
            lossOf(x.std(0, false, false)).backward();
            r.grad("std(0, unbiased=False)", x);
            x = mixed();
            lossOf(x.std(new int[]{1}, 2, false)).backward();
            r.grad("std(1, correction=2)", x);
            x = full(new long[]{2, 3}, 1.5, float64).requiresGrad_();
            x.std().backward();
            r.grad("std() constant", x);
            x = full(new long[]{2, 3, 2}, -0.5, float64).requiresGrad_();
            lossOf(x.std(new int[]{0, 2}, 1, false)).backward();
            r.grad("std((0, 2)) constant", x);
        });
        PROGRAMS.put("var_edges", r -> {
            Tensor x = mixed();
            r.fn("var", x.var(1));
            lossOf(x.var(1)).backward();
            r.grad("var(1)", x);
            x = mixed();
            lossOf(x.var(new int[]{0}, 0, true)).backward();
            r.grad("var(0, correction=0, keepdim)", x);
            x = tensor(new double[][]{{1, -1, 2}}, float64).requiresGrad_();
            lossOf(x.var(0)).backward();
            r.grad("var(0) one row", x);
            x = tensor(new double[][]{{1, -1, 2}}, float64).requiresGrad_();
            lossOf(x.std(0)).backward();
            r.grad("std(0) one row", x);
        });
    }

    @TestFactory
    Stream<DynamicTest> programs() throws IOException {
        Map<String, List<String[]>> expected = AutogradGoldenTest.expected(FILE);
        assertEquals(PROGRAMS.keySet(), expected.keySet(), "the Java twins and the goldens name the same programs");
        return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            AutogradGoldenTest.Recorder r = new AutogradGoldenTest.Recorder();
            PROGRAMS.get(e.getKey()).accept(r);
            AutogradGoldenTest.compare(e.getKey(), e.getValue(), r.records);
        }));
    }

    // ---------------------------------------------------------------- what the goldens cannot show

    @Test
    void normZeroHasAGradFnButNoGradient() {
        // p = 0 counts non-zeros: PyTorch still records LinalgVectorNormBackward0, whose formula returns no gradient
        Tensor x = tensor(new double[]{0, 1.5, -2}, float64).requiresGrad_();
        Tensor y = x.norm(0);
        assertEquals(2.0, y.item());
        assertEquals("LinalgVectorNormBackward0", y.gradFn().name());
        y.backward();
        assertNull(x.grad());
    }

    @Test
    void frobeniusNormIsAVectorNorm() {
        // linalg.matrix_norm(A) is linalg_vector_norm(A, 2, (-2, -1)) in PyTorch: same node, zero gradient at zero
        Tensor a = zeros(new long[]{2, 2, 2}, float64).requiresGrad_();
        Tensor y = linalg.matrixNorm(a);
        assertEquals("LinalgVectorNormBackward0", y.gradFn().name());
        y.sum().backward();
        assertArrayEquals(new double[8], a.grad().toDoubleArray());
        Tensor b = tensor(new double[][]{{3, 0}, {0, -4}}, float64).requiresGrad_();
        linalg.matrixNorm(b).backward();
        assertArrayEquals(new double[]{0.6, 0, 0, -0.8}, b.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void varWithoutDegreesOfFreedomFollowsPyTorch2() {
        // PyTorch 2.x var_backward, numel <= correction over all elements: grad * where(x == mean, NaN, +inf)
        for (double correction : new double[]{3, 4}) {
            Tensor x = tensor(new double[]{1, 2, 3}, float64).requiresGrad_();
            x.var(null, correction, false).backward();
            double[] g = x.grad().toDoubleArray();
            assertEquals(INF, g[0]);
            assertTrue(Double.isNaN(g[1]));
            assertEquals(INF, g[2]);
        }
        Tensor one = tensor(new double[]{0.5}, float64).requiresGrad_();
        one.var().backward();
        assertTrue(Double.isNaN(one.grad().item()));
    }

    @Test
    void gradientsAwayFromZeroAreUnchanged() {
        // the masked formulas against the analytic float64 gradients where nothing is masked
        double[] v = {0.5, -1.25, 2};
        double l2 = Math.sqrt(0.25 + 1.5625 + 4), mean = 1.25 / 3;
        Tensor x = tensor(v, float64).requiresGrad_();
        x.norm().backward();
        for (int i = 0; i < 3; i++) assertEquals(v[i] / l2, x.grad().toDoubleArray()[i], 1e-15);
        x.setGrad(null);
        Tensor sd = x.std();
        sd.backward();
        for (int i = 0; i < 3; i++) assertEquals((v[i] - mean) / (2 * sd.item()), x.grad().toDoubleArray()[i], 1e-15);
        x.setGrad(null);
        x.norm(3).backward();
        double l3 = Math.cbrt(0.125 + 1.953125 + 8);
        for (int i = 0; i < 3; i++) assertEquals(v[i] * Math.abs(v[i]) / (l3 * l3), x.grad().toDoubleArray()[i], 1e-15);
    }

    @Test
    void formulasPassGradcheckAndGradgradcheck() {
        manualSeed(7);
        // |x| in [0.5, 1.5) with random signs, distinct magnitudes so the inf-norms have no ties
        Tensor base = rand(new long[]{3, 4}, float64).add(0.5).mul(randint(0, 2, 3, 4).mul(2).sub(1));
        for (double p : PS) {
            if (p == 0) continue;
            for (int[] dims : new int[][]{null, {1}, {0}, {0, 1}}) {
                for (boolean keepdim : new boolean[]{false, true}) {
                    Tensor x = base.clone().requiresGrad_();
                    String what = "norm p=" + p + " dims=" + java.util.Arrays.toString(dims) + " keepdim=" + keepdim;
                    assertTrue(GradCheck.gradcheck(t -> t[0].norm(p, dims, keepdim), x), what);
                    assertTrue(GradCheck.gradgradcheck(t -> t[0].norm(p, dims, keepdim), x), what);
                }
            }
        }
        for (double correction : new double[]{0, 1, 2}) {
            for (int[] dims : new int[][]{null, {1}, {0, 1}}) {
                for (boolean keepdim : new boolean[]{false, true}) {
                    Tensor x = base.clone().requiresGrad_();
                    String what = "correction=" + correction + " dims=" + java.util.Arrays.toString(dims) + " keepdim=" + keepdim;
                    assertTrue(GradCheck.gradcheck(t -> t[0].std(dims, correction, keepdim), x), "std " + what);
                    assertTrue(GradCheck.gradgradcheck(t -> t[0].std(dims, correction, keepdim), x), "std " + what);
                    assertTrue(GradCheck.gradcheck(t -> t[0].var(dims, correction, keepdim), x), "var " + what);
                    assertTrue(GradCheck.gradgradcheck(t -> t[0].var(dims, correction, keepdim), x), "var " + what);
                }
            }
        }
        Tensor scalar = tensor(-0.75, float64).requiresGrad_();
        for (double p : PS) if (p != 0) assertTrue(GradCheck.gradgradcheck(t -> t[0].norm(p), scalar), "0-dim norm p=" + p);
    }

    @Test
    void secondOrderThroughTheSavedNorm() {
        // d²‖x‖/dx² = (I - x xᵀ/‖x‖²)/‖x‖: exercised through autograd.grad with createGraph
        Tensor x = tensor(new double[]{3, -4}, float64).requiresGrad_();
        Tensor g = autograd.grad(List.of(x.norm()), List.of(x), null, true, true, false).get(0);
        assertEquals("LinalgVectorNormBackward0", x.norm().gradFn().name());
        Tensor h0 = autograd.grad(List.of(g.select(0, 0)), List.of(x), null, true, false, false).get(0);
        assertArrayEquals(new double[]{16.0 / 125, 12.0 / 125}, h0.toDoubleArray(), 1e-15);
    }
}
