package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static dev.jtorch.autograd.AutogradGoldenTest.lossOf;
import static dev.jtorch.autograd.AutogradGoldenTest.s;
import static dev.jtorch.autograd.AutogradGoldenTest.vals;
import static dev.jtorch.autograd.AutogradGoldenTest.weights;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Custom Functions with several outputs ({@link Function#forwardAll} / {@link Function#applyAll}, PyTorch's
 * forward returning a tuple): one node for all outputs, one gradient per output in backward (zeros or null),
 * non-differentiable outputs, hooks per output. Goldens from {@code golden/autograd/gen_multi_output_function.py}.
 */
class MultiOutputFunctionTest {
    private static final String FILE = "/golden/autograd/multi_output_function_cases.txt";

    /** (2x, exp(x)); backward records the gradients it was given. */
    static final class TwoOut extends Function {
        final List<Tensor[]> seen;
        final boolean materialize;

        TwoOut(List<Tensor[]> seen) { this(seen, true); }

        TwoOut(List<Tensor[]> seen, boolean materialize) {
            this.seen = seen;
            this.materialize = materialize;
        }

        @Override public Tensor[] forwardAll(FunctionCtx ctx, Tensor... in) {
            ctx.setMaterializeGrads(materialize);
            ctx.saveForBackward(in[0]);
            return new Tensor[]{in[0].mul(2), in[0].exp()};
        }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            seen.add(g.clone());
            Tensor x = ctx.savedTensors()[0];
            Tensor gx = g[0] == null ? null : g[0].mul(2);
            if (g[1] != null) gx = gx == null ? g[1].mul(x.exp()) : gx.add(g[1].mul(x.exp()));
            return new Tensor[]{gx};
        }

        @Override protected String nodeName() { return materialize ? "TwoOutBackward" : "TwoOutNoMaterializeBackward"; }
    }

    /** Identity whose backward returns no gradient. */
    static final class DropGrad extends Function {
        @Override public Tensor forward(FunctionCtx ctx, Tensor... in) { return in[0].clone(); }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... g) { return new Tensor[]{null}; }
    }

    /** (3x, sign(x) marked non-differentiable, argmax as int64). */
    static final class SortLike extends Function {
        final List<Tensor[]> seen;

        SortLike(List<Tensor[]> seen) { this.seen = seen; }

        @Override public Tensor[] forwardAll(FunctionCtx ctx, Tensor... in) {
            Tensor s = in[0].sign();
            ctx.markNonDifferentiable(s);
            return new Tensor[]{in[0].mul(3), s, in[0].argmax()};
        }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            seen.add(g.clone());
            return new Tensor[]{g[0].mul(3)};
        }
    }

    /** Returns its input as is next to a new tensor. */
    static final class PassThrough extends Function {
        @Override public Tensor[] forwardAll(FunctionCtx ctx, Tensor... in) { return new Tensor[]{in[0], in[0].mul(2)}; }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... g) { return new Tensor[]{g[0].add(g[1].mul(2))}; }
    }

    private static void recordSeen(AutogradGoldenTest.Recorder r, List<Tensor[]> seen, String... names) {
        for (int i = 0; i < seen.size(); i++)
            for (int k = 0; k < names.length; k++) r.tensor("call" + i + " " + names[k], seen.get(i)[k]);
    }

    static final Map<String, Consumer<AutogradGoldenTest.Recorder>> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("uses_both", r -> {
            List<Tensor[]> seen = new ArrayList<>();
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.5);
            Tensor[] y = new TwoOut(seen).applyAll(x);
            r.fn("y1", y[0]); r.fn("y2", y[1]);
            r.flag("same node", y[0].gradFn() == y[1].gradFn());
            r.flag("y1.output_nr == 0", y[0].outputNr() == 0); r.flag("y2.output_nr == 1", y[1].outputNr() == 1);
            lossOf(y[0]).add(lossOf(y[1].mul(y[1]))).backward();
            r.grad("x", x);
            recordSeen(r, seen, "g1", "g2");
        });
        PROGRAMS.put("uses_one", r -> {
            List<Tensor[]> seen = new ArrayList<>();
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.5);
            Tensor[] y = new TwoOut(seen).applyAll(x);
            lossOf(y[1]).backward();
            r.grad("only y2", x);
            x = vals(s(2, 3), 7, 11, 5, 0.5);
            y = new TwoOut(seen).applyAll(x);
            lossOf(y[0]).backward();
            r.grad("only y1", x);
            recordSeen(r, seen, "g1", "g2");
        });
        PROGRAMS.put("uses_none", r -> {
            List<Tensor[]> seen = new ArrayList<>();
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.5);
            new TwoOut(seen).applyAll(x);
            lossOf(x.mul(3)).backward();
            r.grad("not used", x);
            r.flag("backward not called", seen.isEmpty());
            x = vals(s(2, 3), 7, 11, 5, 0.5);
            Tensor[] y = new TwoOut(seen).applyAll(x);
            lossOf(new DropGrad().apply(y[0]).add(new DropGrad().apply(y[1]))).backward();
            r.grad("no gradient arrives", x);
            recordSeen(r, seen, "g1", "g2");
        });
        PROGRAMS.put("materialize_off", r -> {
            List<Tensor[]> seen = new ArrayList<>();
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.5);
            Tensor[] y = new TwoOut(seen, false).applyAll(x);
            lossOf(y[1]).backward();
            r.grad("x", x);
            recordSeen(r, seen, "g1", "g2");
        });
        PROGRAMS.put("non_differentiable_outputs", r -> {
            List<Tensor[]> seen = new ArrayList<>();
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.5);
            Tensor[] y = new SortLike(seen).applyAll(x);
            r.fn("y", y[0]); r.fn("s", y[1]); r.fn("i", y[2]);
            r.flag("s.requires_grad", y[1].requiresGrad()); r.flag("i.requires_grad", y[2].requiresGrad());
            lossOf(y[0]).backward();
            r.grad("x", x);
            recordSeen(r, seen, "g", "gs", "gi");
        });
        PROGRAMS.put("returns_input", r -> {
            Tensor x = vals(3);
            Tensor[] y = new PassThrough().applyAll(x);
            r.flag("y1 is x", y[0] == x);
            r.fn("y1", y[0]);
            lossOf(y[0]).add(lossOf(y[1])).backward();
            r.grad("x", x);
        });
        PROGRAMS.put("hooks_per_output", r -> {
            List<Tensor[]> seen = new ArrayList<>();
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.5);
            Tensor[] y = new TwoOut(seen).applyAll(x);
            List<Boolean> saw = new ArrayList<>();
            y[1].registerHook(g -> { saw.add(g == null); return null; });
            y[0].registerHook(g -> g.mul(10));
            y[0].retainGrad();
            lossOf(y[0]).backward();
            r.flag("y2 hook saw None", saw.equals(List.of(true)));
            r.grad("y1", y[0]); r.grad("x", x);
            recordSeen(r, seen, "g1", "g2");
        });
        PROGRAMS.put("second_order", r -> {
            Tensor x = vals(s(4), 7, 11, 5, 0.5);
            Tensor[] y = new TwoOut(new ArrayList<>()).applyAll(x);
            Tensor gx = autograd.grad(lossOf(y[0].mul(y[1])), List.of(x), true).get(0);
            r.tensor("gx", gx);
            r.tensor("g2", autograd.grad(gx.mul(weights(4)).sum(), List.of(x)).get(0));
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

    // ---------------------------------------------------------------- float64 analytic values and gradcheck

    @Test
    void gradientsAgainstAnalyticValues() {
        // loss = sum(w1 * 2x) + sum(w2 * exp(x)): d/dx = 2 w1 + w2 exp(x); with one output used, its term alone
        double[] v = {-0.5, 0.25, 1.5};
        double[] w1 = {1, -2, 0.5}, w2 = {0.25, 3, -1};
        for (int used = 0; used < 3; used++) {
            Tensor x = tensor(v, float64).requiresGrad_();
            Tensor[] y = new TwoOut(new ArrayList<>()).applyAll(x);
            Tensor a = y[0].mul(tensor(w1, float64)).sum(), b = y[1].mul(tensor(w2, float64)).sum();
            (used == 0 ? a.add(b) : used == 1 ? a : b).backward();
            double[] g = x.grad().toDoubleArray();
            for (int i = 0; i < 3; i++) {
                double want = (used != 2 ? 2 * w1[i] : 0) + (used != 1 ? w2[i] * Math.exp(v[i]) : 0);
                assertEquals(want, g[i], 1e-15, "used=" + used + " element " + i);
            }
        }
    }

    @Test
    void gradcheckAndGradgradcheck() {
        manualSeed(3);
        Tensor x = randn(new long[]{2, 3}, float64).requiresGrad_();
        assertTrue(GradCheck.gradcheckMulti(t -> new TwoOut(new ArrayList<>()).applyAll(t[0]), x));
        assertTrue(GradCheck.gradgradcheck(t -> {
            Tensor[] y = new TwoOut(new ArrayList<>()).applyAll(t[0]);
            return y[0].mul(y[1]).add(y[1].sin());
        }, x));
        // with materialization off the backward handles the missing gradient itself
        assertTrue(GradCheck.gradcheckMulti(t -> new TwoOut(new ArrayList<>(), false).applyAll(t[0]), x));
    }

    @Test
    void retainGradSkipsAnOutputWithoutGradient() {
        // PyTorch 2.x's retain_grad hook ignores an undefined gradient (1.13 failed there)
        Tensor x = tensor(new double[]{0.5, -1}, float64).requiresGrad_();
        Tensor[] y = new TwoOut(new ArrayList<>()).applyAll(x);
        y[0].retainGrad();
        y[1].retainGrad();
        y[0].sum().backward();
        assertArrayEquals(new double[]{1, 1}, y[0].grad().toDoubleArray());
        assertNull(y[1].grad());
    }

    @Test
    void autogradGradReachesEachOutputOnItsOwn() {
        // grad with a non-leaf multi-output result as input: the gradient at that output, not its sibling's
        Tensor x = tensor(new double[]{0.5, -1}, float64).requiresGrad_();
        Tensor[] y = new TwoOut(new ArrayList<>()).applyAll(x);
        Tensor loss = y[0].mul(3).sum().add(y[1].mul(5).sum());
        List<Tensor> g = autograd.grad(List.of(loss), List.of(y[1], y[0]), null, false, false, false);
        assertArrayEquals(new double[]{5, 5}, g.get(0).toDoubleArray());
        assertArrayEquals(new double[]{3, 3}, g.get(1).toDoubleArray());
    }

    @Test
    void singleOutputApiStillWorksAndTheMismatchesAreErrors() {
        Tensor x = tensor(new double[]{0.5, -1}, float64).requiresGrad_();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TwoOut(new ArrayList<>()).apply(x));
        assertEquals("TwoOut.forwardAll returned 2 outputs; call applyAll", e.getMessage());
        // a single-output Function through applyAll: an array of one
        Tensor[] one = new DropGrad().applyAll(x);
        assertEquals(1, one.length);
        assertEquals("DropGradBackward", one[0].gradFn().name());
        Function none = new Function() {
            @Override public Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }
        };
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> none.apply(x));
        assertEquals("You must implement the forward function for custom autograd.Function.", u.getMessage());
        Function wrongCount = new Function() {
            @Override public Tensor[] forwardAll(FunctionCtx ctx, Tensor... in) { return new Tensor[]{in[0].mul(2), in[0].mul(3)}; }

            @Override public Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }

            @Override protected String nodeName() { return "WrongCountBackward"; }
        };
        Tensor[] y = wrongCount.applyAll(x);
        e = assertThrows(IllegalStateException.class, () -> y[0].sum().backward());
        assertEquals("function WrongCountBackward returned an incorrect number of gradients (expected 1, got 2)", e.getMessage());
    }

    @Test
    void noGradModeRecordsNothing() {
        Tensor x = tensor(new double[]{0.5, -1}, float64).requiresGrad_();
        Tensor[] y;
        try (var g = noGrad()) {
            y = new PassThrough().applyAll(x);
        }
        assertFalse(y[0].requiresGrad(), "an input handed back under no_grad is a detached alias, as in PyTorch");
        assertNotSame(x, y[0]);
        assertFalse(y[1].requiresGrad());
        assertTrue(x.requiresGrad());
    }

    @Test
    void savedOutputModifiedInPlaceNamesItsOutputIndex() {
        Function saveSecond = new Function() {
            @Override public Tensor[] forwardAll(FunctionCtx ctx, Tensor... in) {
                Tensor a = in[0].mul(2), b = in[0].exp();
                ctx.saveForBackward(b);
                return new Tensor[]{a, b};
            }

            @Override public Tensor[] backward(FunctionCtx ctx, Tensor... g) {
                return new Tensor[]{g[0].mul(2).add(g[1].mul(ctx.savedTensors()[0]))};
            }

            @Override protected String nodeName() { return "SaveSecondBackward"; }
        };
        Tensor x = tensor(new double[]{0.5, -1}, float64).requiresGrad_();
        Tensor[] y = saveSecond.applyAll(x);
        Tensor loss = y[0].sum().add(y[1].sum());
        y[1].mul_(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().startsWith("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.DoubleTensor [2]], which is output 1 of SaveSecondBackward, is at version 1; expected version 0"),
                e.getMessage());
    }
}
