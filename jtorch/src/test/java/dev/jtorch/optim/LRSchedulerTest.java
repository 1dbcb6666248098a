package dev.jtorch.optim;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The schedulers' learning rates over 20 epochs against PyTorch's ({@code golden/optim/optim_cases.txt}, {@code lrs} records). */
class LRSchedulerTest {
    static final Map<String, IntToDoubleFunction> LAMBDAS = Map.of(
            "pow095", e -> Math.pow(0.95, e),
            "inv", e -> 1.0 / (e + 1),
            "warmup", e -> Math.min(1.0, (e + 1) / 5.0));

    /** Two groups with lr 0.1 and 0.02 (the default 0.5 overridden in both), as the script builds them. */
    static SGD twoGroups() {
        return new SGD(List.of(new ParamGroup(List.of(Torch.zeros(2).requiresGrad_()), Map.of("lr", 0.1)),
                new ParamGroup(List.of(Torch.zeros(3).requiresGrad_()), Map.of("lr", 0.02))), 0.5);
    }

    static LRScheduler build(String cls, Map<String, String> kw, Optimizer opt) {
        return switch (cls) {
            case "StepLR" -> kw.containsKey("gamma")
                    ? new StepLR(opt, Integer.parseInt(kw.get("step_size")), Double.parseDouble(kw.get("gamma")))
                    : new StepLR(opt, Integer.parseInt(kw.get("step_size")));
            case "MultiStepLR" -> kw.containsKey("gamma")
                    ? new MultiStepLR(opt, OptimGolden.ints(kw.get("milestones")), Double.parseDouble(kw.get("gamma")))
                    : new MultiStepLR(opt, OptimGolden.ints(kw.get("milestones")));
            case "ExponentialLR" -> new ExponentialLR(opt, Double.parseDouble(kw.get("gamma")));
            case "CosineAnnealingLR" -> kw.containsKey("eta_min")
                    ? new CosineAnnealingLR(opt, Integer.parseInt(kw.get("T_max")), Double.parseDouble(kw.get("eta_min")))
                    : new CosineAnnealingLR(opt, Integer.parseInt(kw.get("T_max")));
            case "LambdaLR" -> {
                String spec = kw.get("lr_lambda").replace("'", "").replace("[", "").replace("]", "");
                yield spec.contains(",")
                        ? new LambdaLR(opt, Stream.of(spec.split(",")).map(s -> LAMBDAS.get(s.trim())).toList())
                        : new LambdaLR(opt, LAMBDAS.get(spec));
            }
            default -> throw new AssertionError(cls);
        };
    }

    @Test
    void everySchedulerHasGoldens() {
        List<String> kinds = OptimizerGoldenTest.GOLDEN.lrs.stream().map(OptimGolden.Lrs::scheduler).distinct().toList();
        assertEquals(List.of("StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR"), kinds);
    }

    @TestFactory
    Stream<DynamicTest> twentyEpochsMatchPyTorch() {
        return OptimizerGoldenTest.GOLDEN.lrs.stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            SGD opt = twoGroups();
            LRScheduler s = build(g.scheduler(), g.kwargs(), opt);
            assertEquals(0, s.lastEpoch());
            assertEquals(List.of(0.1, 0.02), s.baseLrs());
            for (int e = 0; e < g.perEpoch().size(); e++) {
                if (e > 0) {
                    opt.step();
                    s.step();
                }
                double[] expected = g.perEpoch().get(e);
                List<Double> last = s.getLastLr();
                assertEquals(expected.length, last.size());
                for (int i = 0; i < expected.length; i++) {
                    // Recursions multiply exactly as Python does; cosines may differ from libm's in the last place.
                    double tol = g.scheduler().equals("CosineAnnealingLR") ? 4 * Math.ulp(expected[i]) + 1e-18 : 0;
                    assertEquals(expected[i], last.get(i), tol, g.name() + " epoch " + e + " group " + i);
                    assertEquals(last.get(i), opt.paramGroups().get(i).lr(), g.name() + ": the group's lr is the last lr");
                }
            }
            assertEquals(g.perEpoch().size() - 1, s.lastEpoch());
        }));
    }

    @Test
    void constructionRecordsInitialLrAndStepsChangeTheOptimizersLr() {
        Tensor w = Torch.tensor(new double[]{1, 2}).requiresGrad_();
        SGD opt = new SGD(List.of(w), 0.1);
        StepLR s = new StepLR(opt, 2, 0.5);
        ParamGroup g = opt.paramGroups().getFirst();
        assertEquals(0.1, g.getDouble("initial_lr"));
        assertEquals(List.of(0.1), s.getLastLr());
        w.setGrad(Torch.tensor(new double[]{1, 1}));
        opt.step();
        s.step();
        assertEquals(0.1, g.lr());
        opt.step();
        s.step();
        assertEquals(0.05, g.lr());
        opt.step();
        // the halved rate moves w by 0.05, after two steps of 0.1
        assertArrayEquals(new float[]{1 - 0.1f - 0.1f - 0.05f, 2 - 0.1f - 0.1f - 0.05f}, w.detach().toFloatArray(), 1e-6f);
    }

    @Test
    void chainedSchedulersCompose() {
        SGD opt = new SGD(List.of(Torch.zeros(1).requiresGrad_()), 1.0);
        ExponentialLR a = new ExponentialLR(opt, 0.5);
        StepLR b = new StepLR(opt, 2, 0.1);
        double[] expected = {0.5, 0.025, 0.0125, 0.000625};
        for (double e : expected) {
            opt.step();
            a.step();
            b.step();
            assertEquals(e, opt.paramGroups().getFirst().lr(), 1e-15);
        }
    }

    @Test
    void resumingNeedsInitialLr() {
        SGD opt = new SGD(List.of(Torch.zeros(1).requiresGrad_()), 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 3, 0.1, 4));
        assertEquals("param 'initial_lr' is not specified in param_groups[0] when resuming scheduler with last_epoch >= 0.\n"
                + "This typically happens when:\n"
                + "1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n"
                + "2. You're using last_epoch >= 0 for a fresh training run (not recommended)", e.getMessage());
        opt.paramGroups().getFirst().set("initial_lr", 0.4);
        ExponentialLR s = new ExponentialLR(opt, 0.5, 4);
        assertEquals(5, s.lastEpoch());
        assertEquals(List.of(0.4), s.baseLrs());
        assertEquals(List.of(0.1), s.getLastLr(), "PyTorch 2.x leaves lr alone in the constructor's step");
    }

    @Test
    void lambdaLRNeedsOneFunctionPerGroup() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LambdaLR(twoGroups(), List.of(x -> 1.0)));
        assertEquals("Expected 2 lr_lambdas, but got 1", e.getMessage());
    }

    @Test
    void multiStepLRCountsRepeatedMilestones() {
        SGD opt = new SGD(List.of(Torch.zeros(1).requiresGrad_()), 1.0);
        MultiStepLR s = new MultiStepLR(opt, new int[]{2, 2}, 0.5);
        opt.step();
        s.step();
        assertEquals(1.0, s.getLastLr().getFirst());
        opt.step();
        s.step();
        assertEquals(0.25, s.getLastLr().getFirst());
    }
}
