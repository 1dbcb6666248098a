package dev.jtorch.optim;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.GoldenText;
import dev.jtorch.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every optimizer configuration of {@code golden/optim/optim_cases.txt}, run for ten steps on the gradients PyTorch
 * saw, compared with PyTorch's parameters after each step and its final state. Float32 agrees to within a few units
 * in the last place (PyTorch fuses some multiply-adds); float64 to 1e-13 relative; float16 and bfloat16 to a unit or
 * two (PyTorch's CPU kernels round half-precision results differently in their vectorized body and their scalar tail).
 */
class OptimizerGoldenTest {
    static final OptimGolden GOLDEN = OptimGolden.load();

    /** A few units in the last place of each type. */
    static double rtol(DType dtype) {
        return dtype == DType.float64 ? 1e-13 : dtype == DType.float32 ? 2e-6 : dtype == DType.float16 ? 2e-3 : 1.6e-2;
    }

    static double atol(DType dtype) {
        return dtype == DType.float64 ? 1e-15 : dtype == DType.float32 ? 1e-7 : dtype == DType.float16 ? 1e-3 : 8e-3;
    }

    /** The optimizer a case describes, built through the public builders and ParamGroups. */
    static Optimizer build(OptimGolden.Case c, List<Tensor> params) {
        List<ParamGroup> groups = null;
        if (!c.groups.isEmpty()) {
            groups = new ArrayList<>();
            for (OptimGolden.Group g : c.groups) {
                List<Tensor> ps = new ArrayList<>();
                for (int i : g.params()) ps.add(params.get(i));
                ParamGroup pg = new ParamGroup(ps);
                g.kwargs().forEach((k, v) -> pg.set(k, OptimGolden.value(v)));
                groups.add(pg);
            }
        }
        return switch (c.optimizer) {
            case "SGD" -> {
                SGD.Builder b = groups != null ? SGD.builder(groups) : SGD.builder(params);
                c.kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "momentum" -> b.momentum(Double.parseDouble(v));
                        case "dampening" -> b.dampening(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "nesterov" -> b.nesterov((Boolean) OptimGolden.value(v));
                        case "maximize" -> b.maximize((Boolean) OptimGolden.value(v));
                        default -> fail("SGD option " + k);
                    }
                });
                yield b.build();
            }
            case "Adam" -> {
                Adam.Builder b = groups != null ? Adam.builder(groups) : Adam.builder(params);
                c.kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "betas" -> { double[] bs = OptimGolden.doubles(v); b.betas(bs[0], bs[1]); }
                        case "eps" -> b.eps(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "amsgrad" -> b.amsgrad((Boolean) OptimGolden.value(v));
                        case "maximize" -> b.maximize((Boolean) OptimGolden.value(v));
                        case "decoupled_weight_decay" -> b.decoupledWeightDecay((Boolean) OptimGolden.value(v));
                        default -> fail("Adam option " + k);
                    }
                });
                yield b.build();
            }
            case "AdamW" -> {
                AdamW.Builder b = groups != null ? AdamW.builder(groups) : AdamW.builder(params);
                c.kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "betas" -> { double[] bs = OptimGolden.doubles(v); b.betas(bs[0], bs[1]); }
                        case "eps" -> b.eps(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "amsgrad" -> b.amsgrad((Boolean) OptimGolden.value(v));
                        case "maximize" -> b.maximize((Boolean) OptimGolden.value(v));
                        default -> fail("AdamW option " + k);
                    }
                });
                yield b.build();
            }
            case "RMSprop" -> {
                RMSprop.Builder b = groups != null ? RMSprop.builder(groups) : RMSprop.builder(params);
                c.kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "alpha" -> b.alpha(Double.parseDouble(v));
                        case "eps" -> b.eps(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "momentum" -> b.momentum(Double.parseDouble(v));
                        case "centered" -> b.centered((Boolean) OptimGolden.value(v));
                        case "maximize" -> b.maximize((Boolean) OptimGolden.value(v));
                        default -> fail("RMSprop option " + k);
                    }
                });
                yield b.build();
            }
            case "Adagrad" -> {
                Adagrad.Builder b = groups != null ? Adagrad.builder(groups) : Adagrad.builder(params);
                c.kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "lr_decay" -> b.lrDecay(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "initial_accumulator_value" -> b.initialAccumulatorValue(Double.parseDouble(v));
                        case "eps" -> b.eps(Double.parseDouble(v));
                        case "maximize" -> b.maximize((Boolean) OptimGolden.value(v));
                        default -> fail("Adagrad option " + k);
                    }
                });
                yield b.build();
            }
            default -> throw new AssertionError("unknown optimizer " + c.optimizer);
        };
    }

    static LRScheduler scheduler(OptimGolden.Sched s, Optimizer opt) {
        Map<String, String> kw = s.kwargs();
        return switch (s.name()) {
            case "StepLR" -> new StepLR(opt, Integer.parseInt(kw.get("step_size")), Double.parseDouble(kw.getOrDefault("gamma", "0.1")));
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, Integer.parseInt(kw.get("T_max")), Double.parseDouble(kw.getOrDefault("eta_min", "0.0")));
            default -> throw new AssertionError("unknown scheduler " + s.name());
        };
    }

    static List<Tensor> initialParams(OptimGolden.Case c) {
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < c.init.size(); i++) params.add(OptimGolden.tensor(c.init.get(i), c.shapes.get(i), c.dtype).requiresGrad_());
        return params;
    }

    static void feedGrads(OptimGolden.Case c, List<Tensor> params, int step) {
        for (int i = 0; i < params.size(); i++) {
            double[] g = c.grads.get(step).get(i);
            params.get(i).setGrad(g == null ? null : OptimGolden.tensor(g, c.shapes.get(i), c.dtype));
        }
    }

    static void assertClose(double[] expected, Tensor actual, DType dtype, String what) {
        assertEquals(dtype, actual.dtype(), what);
        double[] a = actual.detach().toDoubleArray();
        assertEquals(expected.length, a.length, what);
        for (int j = 0; j < a.length; j++) {
            double tol = atol(dtype) + rtol(dtype) * Math.abs(expected[j]);
            if (!(Math.abs(a[j] - expected[j]) <= tol))
                fail(what + "[" + j + "]: expected " + expected[j] + " but was " + a[j] + " (difference " + Math.abs(a[j] - expected[j]) + ")");
        }
    }

    @Test
    void theGoldenFileHasEveryFamily() {
        assertTrue(GoldenText.Header.parse(GOLDEN.header) != null, GOLDEN.header);
        List<String> names = GOLDEN.cases.stream().map(c -> c.optimizer).distinct().toList();
        assertEquals(List.of("SGD", "Adam", "AdamW", "RMSprop", "Adagrad"), names);
        assertTrue(GOLDEN.cases.size() >= 50, "cases: " + GOLDEN.cases.size());
        for (OptimGolden.Case c : GOLDEN.cases) {
            assertEquals(10, c.after.size(), c.name);
            assertNull(c.grads.get(3).get(1), c.name + ": b has no gradient at step 3");
            assertNull(c.grads.get(0).get(2), c.name + ": c never has a gradient");
        }
    }

    @TestFactory
    Stream<DynamicTest> tenStepsMatchPyTorch() {
        return GOLDEN.cases.stream().map(c -> DynamicTest.dynamicTest(c.name, () -> {
            List<Tensor> params = initialParams(c);
            Optimizer opt = build(c, params);
            LRScheduler sched = c.sched == null ? null : scheduler(c.sched, opt);
            for (int k = 0; k < c.after.size(); k++) {
                opt.zeroGrad();
                feedGrads(c, params, k);
                opt.step();
                for (int i = 0; i < params.size(); i++) assertClose(c.after.get(k).get(i), params.get(i), c.dtype, c.name + " step " + k + " param " + i);
                if (sched != null) sched.step();
            }
            assertArrayEquals(c.init.get(2), params.get(2).detach().toDoubleArray(), "a parameter without a gradient stays put");
            for (int i = 0; i < params.size(); i++) {
                Map<String, double[]> expected = c.state.getOrDefault(i, Map.of());
                Map<String, Object> actual = opt.state().getOrDefault(params.get(i), Map.of());
                assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), c.name + " state keys of param " + i);
                for (var e : expected.entrySet()) {
                    Tensor t = (Tensor) actual.get(e.getKey());
                    if (e.getKey().equals("step")) assertArrayEquals(e.getValue(), t.toDoubleArray(), c.name + " step count");
                    else assertClose(e.getValue(), t, c.dtype, c.name + " state " + e.getKey() + " of param " + i);
                }
            }
            @SuppressWarnings("unchecked")
            var group0 = ((List<Map<String, Object>>) opt.stateDict().get("param_groups")).getFirst();
            assertEquals(c.groupKeys, List.copyOf(group0.keySet()), c.name + ": state_dict()['param_groups'][0] keys");
        }));
    }

    /** Five steps, a state dict, a fresh optimizer on fresh tensors loading it, five more steps: the same result bit for bit. */
    @TestFactory
    Stream<DynamicTest> resumingFromAStateDictContinuesExactly() {
        return GOLDEN.cases.stream().filter(c -> c.sched == null).map(c -> DynamicTest.dynamicTest(c.name, () -> {
            List<Tensor> straight = initialParams(c);
            Optimizer a = build(c, straight);
            List<Tensor> resumed = initialParams(c);
            Optimizer b = build(c, resumed);
            for (int k = 0; k < 5; k++) {
                a.zeroGrad();
                feedGrads(c, straight, k);
                a.step();
                b.zeroGrad();
                feedGrads(c, resumed, k);
                b.step();
            }
            Map<String, Object> sd = b.stateDict();
            List<Tensor> fresh = new ArrayList<>();
            for (Tensor p : resumed) fresh.add(p.detach().clone().requiresGrad_());
            Optimizer b2 = build(c, fresh);
            b2.loadStateDict(sd);
            for (int k = 5; k < c.after.size(); k++) {
                a.zeroGrad();
                feedGrads(c, straight, k);
                a.step();
                b2.zeroGrad();
                feedGrads(c, fresh, k);
                b2.step();
            }
            for (int i = 0; i < straight.size(); i++) {
                assertArrayEquals(straight.get(i).detach().toDoubleArray(), fresh.get(i).detach().toDoubleArray(), c.name + " param " + i);
                assertClose(c.after.getLast().get(i), fresh.get(i), c.dtype, c.name + " param " + i + " against PyTorch");
            }
        }));
    }
}
