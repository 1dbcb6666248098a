package dev.jtorch.optim;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The Optimizer contract: PyTorch's validation messages, zero_grad, groups, state dicts, printing, and a real training loop. */
class OptimizerTest {
    static Tensor param(double... v) { return Torch.tensor(v).requiresGrad_(); }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void hyperparametersAreValidatedWithPyTorchsMessages() {
        List<Tensor> ps = List.of(param(1, 2));
        assertMessage("Invalid learning rate: -0.1", () -> new SGD(ps, -0.1));
        assertMessage("Invalid momentum value: -1.0", () -> new SGD(ps, 0.1, -1.0));
        assertMessage("Invalid weight_decay value: -1e-05", () -> SGD.builder(ps).lr(0.1).weightDecay(-1e-5).build());
        assertMessage("Nesterov momentum requires a momentum and zero dampening", () -> SGD.builder(ps).lr(0.1).nesterov(true).build());
        assertMessage("Nesterov momentum requires a momentum and zero dampening", () -> new SGD(ps, 0.1, 0.9, 0.1, 0, true));
        assertMessage("Invalid learning rate: -0.001", () -> new Adam(ps, -1e-3));
        assertMessage("Invalid epsilon value: -1.0", () -> Adam.builder(ps).eps(-1).build());
        assertMessage("Invalid beta parameter at index 0: 1.0", () -> new Adam(ps, 1e-3, new double[]{1.0, 0.999}));
        assertMessage("Invalid beta parameter at index 1: -0.1", () -> Adam.builder(ps).betas(0.9, -0.1).build());
        assertMessage("Invalid weight_decay value: -0.1", () -> new AdamW(ps, 1e-3, new double[]{0.9, 0.999}, 1e-8, -0.1, false));
        assertMessage("Invalid learning rate: nan", () -> new AdamW(ps, Double.NaN));
        assertMessage("Invalid alpha value: -0.1", () -> RMSprop.builder(ps).alpha(-0.1).build());
        assertMessage("Invalid momentum value: -0.5", () -> RMSprop.builder(ps).momentum(-0.5).build());
        assertMessage("Invalid lr_decay value: -0.1", () -> Adagrad.builder(ps).lrDecay(-0.1).build());
        assertMessage("Invalid initial_accumulator_value value: -1.0", () -> Adagrad.builder(ps).initialAccumulatorValue(-1).build());
        assertMessage("Invalid epsilon value: -1e-20", () -> Adagrad.builder(ps).eps(-1e-20).build());
        // SGD checks lr < 0, which NaN passes, as in PyTorch
        assertTrue(Double.isNaN(new SGD(ps, Double.NaN).paramGroups().getFirst().lr()));
    }

    @Test
    void parametersAreCheckedAfterTheHyperparameters() {
        assertMessage("Invalid learning rate: -1.0", () -> new SGD(List.<Tensor>of(), -1.0));
        assertMessage("optimizer got an empty parameter list", () -> new SGD(List.<Tensor>of(), 0.1));
        assertMessage("optimizer got an empty parameter list", () -> new Adam(List.<ParamGroup>of(), 0.1));
        Tensor w = param(1, 2);
        assertMessage("can't optimize a non-leaf Tensor", () -> new SGD(List.of(w.mul(2)), 0.1));
        assertMessage("some parameters appear in more than one parameter group",
                () -> new SGD(List.of(new ParamGroup(List.of(w)), new ParamGroup(List.of(w))), 0.1));
        assertMessage("optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will "
                + "change between runs. Please use a list instead.", () -> new ParamGroup(new LinkedHashSet<>(List.of(w))));
        // a non-leaf that retains its gradient may be optimized, as in PyTorch
        Tensor h = w.mul(2);
        h.retainGrad();
        assertEquals(1, new SGD(List.of(h), 0.1).paramGroups().size());
    }

    @Test
    void zeroGradSetsToNullByDefaultOrZeroesInPlace() {
        Tensor w = param(1, 2), b = param(3);
        SGD opt = new SGD(List.of(w, b), 0.1);
        w.mul(w).sum().add(b.mul(3).sum()).backward();
        Tensor wGrad = w.grad();
        assertArrayEquals(new double[]{2, 4}, wGrad.toDoubleArray());
        opt.zeroGrad(false);
        assertSame(wGrad, w.grad(), "set_to_none=False keeps the gradient tensor");
        assertArrayEquals(new double[]{0, 0}, w.grad().toDoubleArray());
        assertArrayEquals(new double[]{0}, b.grad().toDoubleArray());
        opt.zeroGrad();
        assertNull(w.grad());
        assertNull(b.grad());
        opt.zeroGrad();  // no gradients: nothing to do
        // a gradient made with create_graph has a history; zero_grad(False) cuts it
        Tensor x = param(1.5);
        SGD ox = new SGD(List.of(x), 0.1);
        x.pow(3).sum().backward(null, true, true);
        assertNotNull(x.grad().gradFn());
        ox.zeroGrad(false);
        assertNull(x.grad().gradFn());
        assertFalse(x.grad().requiresGrad());
        assertEquals(0.0, x.grad().item());
    }

    @Test
    void stepUpdatesInPlaceWithoutRecordingAndSkipsParamsWithoutGrad() {
        Tensor w = param(1, 2), frozen = param(5);
        Tensor before = w.detach();
        int version = w.version();
        Adam opt = new Adam(List.of(w, frozen), 0.1);
        w.setGrad(Torch.tensor(new double[]{0.5, -0.5}));
        opt.step();
        assertSame(before.dtype(), w.dtype());
        assertTrue(w.version() > version, "updated in place");
        assertArrayEquals(new double[]{0.9, 2.1}, before.toDoubleArray(), 1e-7, "the storage the caller holds moved");
        assertTrue(w.isLeaf());
        assertTrue(w.requiresGrad());
        assertNull(w.gradFn());
        assertArrayEquals(new double[]{5}, frozen.detach().toDoubleArray());
        assertFalse(opt.state().containsKey(frozen));
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(opt.state(w).keySet()));
        Tensor step = (Tensor) opt.state(w).get("step");
        assertEquals(DType.float32, step.dtype());
        assertEquals(0, step.dim());
        assertEquals(1.0, step.item());
    }

    @Test
    void stepWithAClosureEvaluatesItWithGradEnabledAndReturnsTheLoss() {
        Tensor w = param(3);
        SGD opt = new SGD(List.of(w), 0.25);
        AtomicBoolean gradWasOn = new AtomicBoolean();
        Tensor loss;
        try (var g = Torch.noGrad()) {
            loss = opt.step(() -> {
                gradWasOn.set(Torch.isGradEnabled());
                opt.zeroGrad();
                Tensor l = w.mul(w).sum();
                l.backward();
                return l;
            });
        }
        assertTrue(gradWasOn.get());
        assertEquals(9.0, loss.item());
        assertEquals(3 - 0.25 * 6, w.detach().item(), 1e-6);
    }

    @Test
    void groupsTakeTheDefaultsTheyDoNotSetAndTheirLrIsLive() {
        Tensor a = param(1), b = param(1);
        SGD opt = new SGD(List.of(new ParamGroup(List.of(a), Map.of("lr", 0.5)), new ParamGroup(List.of(b))), 0.1, 0.9);
        ParamGroup ga = opt.paramGroups().get(0), gb = opt.paramGroups().get(1);
        assertEquals(0.5, ga.lr());
        assertEquals(0.1, gb.lr());
        assertEquals(0.9, ga.getDouble("momentum"));
        assertEquals(List.of("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "fused"),
                List.copyOf(ga.options().keySet()));
        assertNull(ga.get("foreach"));
        assertThrows(java.util.NoSuchElementException.class, () -> ga.get("betas"));
        gb.setLr(0.0);
        a.setGrad(Torch.tensor(new double[]{1}));
        b.setGrad(Torch.tensor(new double[]{1}));
        opt.step();
        assertEquals(0.5, a.detach().item(), 1e-7);
        assertEquals(1.0, b.detach().item(), "a group's lr set to 0 freezes it");
        Tensor c = param(2);
        opt.addParamGroup(new ParamGroup(List.of(c), Map.of("momentum", 0.0)));
        assertEquals(3, opt.paramGroups().size());
        assertEquals(0.1, opt.paramGroups().get(2).lr());
        assertMessage("some parameters appear in more than one parameter group", () -> opt.addParamGroup(new ParamGroup(List.of(a))));
    }

    @Test
    void buildersAndConstructorsMakeTheSameDefaults() {
        List<Tensor> ps = List.of(param(1));
        assertEquals(new SGD(ps).defaults(), SGD.builder(ps).build().defaults());
        assertEquals(0.001, new SGD(ps).defaults().get("lr"));
        assertEquals(new Adam(ps).defaults(), Adam.builder(ps).build().defaults());
        assertEquals(List.of(0.9, 0.999), new Adam(ps).defaults().get("betas"));
        assertEquals(new AdamW(ps).defaults(), AdamW.builder(ps).build().defaults());
        assertEquals(0.01, new AdamW(ps).defaults().get("weight_decay"));
        assertEquals(true, new AdamW(ps).defaults().get("decoupled_weight_decay"));
        assertEquals(new RMSprop(ps).defaults(), RMSprop.builder(ps).build().defaults());
        assertEquals(0.99, new RMSprop(ps).defaults().get("alpha"));
        assertEquals(new Adagrad(ps).defaults(), Adagrad.builder(ps).build().defaults());
        assertEquals(1e-10, new Adagrad(ps).defaults().get("eps"));
    }

    @Test
    void printsLikePyTorch() {
        List<Tensor> ps = List.of(param(1));
        assertEquals("""
                SGD (
                Parameter Group 0
                    dampening: 0
                    differentiable: False
                    foreach: None
                    fused: None
                    lr: 0.1
                    maximize: False
                    momentum: 0.9
                    nesterov: False
                    weight_decay: 0
                )""", new SGD(ps, 0.1, 0.9).toString());
        assertEquals("""
                Adam (
                Parameter Group 0
                    amsgrad: False
                    betas: (0.9, 0.999)
                    capturable: False
                    decoupled_weight_decay: False
                    differentiable: False
                    eps: 1e-08
                    foreach: None
                    fused: None
                    lr: 0.001
                    maximize: False
                    weight_decay: 0
                )""", new Adam(ps).toString());
        assertEquals("""
                AdamW (
                Parameter Group 0
                    amsgrad: False
                    betas: (0.8, 0.9)
                    capturable: False
                    decoupled_weight_decay: True
                    differentiable: False
                    eps: 1e-08
                    foreach: None
                    fused: None
                    lr: 0.5
                    maximize: False
                    weight_decay: 0.01
                )""", AdamW.builder(List.of(new ParamGroup(ps, Map.of("lr", 0.5)))).lr(0.01).betas(0.8, 0.9).build().toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateDictHasPyTorchsLayout() {
        Tensor a = param(1, 2), b = param(3), c = param(4);
        SGD opt = new SGD(List.of(new ParamGroup(List.of(a, b)), new ParamGroup(List.of(c), Map.of("lr", 0.5))), 0.1, 0.9);
        a.setGrad(Torch.tensor(new double[]{1, 1}));
        c.setGrad(Torch.tensor(new double[]{2}));
        opt.step();
        Map<String, Object> sd = opt.stateDict();
        assertEquals(List.of("state", "param_groups"), List.copyOf(sd.keySet()));
        Map<Integer, Map<String, Object>> state = (Map<Integer, Map<String, Object>>) sd.get("state");
        assertEquals(List.of(0, 2), List.copyOf(state.keySet()), "b had no gradient, so no state");
        assertSame(opt.state(a).get("momentum_buffer"), state.get(0).get("momentum_buffer"), "live tensors, as PyTorch's");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) sd.get("param_groups");
        assertEquals(List.of(0, 1), groups.get(0).get("params"));
        assertEquals(List.of(2), groups.get(1).get("params"));
        assertEquals(0.5, groups.get(1).get("lr"));
        assertEquals("params", List.copyOf(groups.get(1).keySet()).getLast());

        Tensor a2 = Torch.tensor(new double[]{1, 2}, DType.float32).requiresGrad_(), b2 = param(3), c2 = param(4);
        SGD other = new SGD(List.of(new ParamGroup(List.of(a2, b2)), new ParamGroup(List.of(c2))), 0.7);
        other.loadStateDict(sd);
        assertEquals(0.5, other.paramGroups().get(1).lr(), "options come from the state dict");
        assertEquals(0.9, other.paramGroups().get(0).getDouble("momentum"));
        Tensor buf = (Tensor) other.state(a2).get("momentum_buffer");
        assertEquals(DType.float32, buf.dtype(), "floating state takes its parameter's dtype");
        assertArrayEquals(new float[]{1, 1}, buf.toFloatArray());
        assertFalse(other.state().containsKey(b2));

        assertMessage("loaded state dict has a different number of parameter groups",
                () -> new SGD(List.of(param(1)), 0.1).loadStateDict(sd));
        assertMessage("loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
                () -> new SGD(List.of(new ParamGroup(List.of(param(1))), new ParamGroup(List.of(param(2)))), 0.1).loadStateDict(sd));
    }

    @Test
    void adamWLoadingAdamsStateStaysDecoupled() {
        Tensor w = param(1), w2 = param(1);
        Adam adam = Adam.builder(List.of(w)).weightDecay(0.5).lr(0.1).build();
        AdamW adamW = new AdamW(List.of(w2), 0.1);
        adamW.loadStateDict(adam.stateDict());
        assertEquals(true, adamW.paramGroups().getFirst().get("decoupled_weight_decay"));
        assertEquals(0.5, adamW.paramGroups().getFirst().getDouble("weight_decay"));
        w2.setGrad(Torch.tensor(new double[]{0}));
        adamW.step();
        // decoupled: the weight shrinks by lr * wd even with a zero gradient (Adam's own step is 0 here)
        assertEquals(1 - 0.1 * 0.5, w2.detach().item(), 1e-7);
    }

    // ---------------------------------------------------------------- a training loop with jtorch's autograd

    static Tensor vals(int n, int k, int m, int off, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (Math.floorMod(i * k, m) - off) * scale;
        return Torch.fromArray(v);
    }

    /** The script's loss: mean((x @ w + b - y)^2) + 0.05 * sum(w^4). */
    static Tensor lossOf(Tensor w, Tensor b) {
        Tensor x = vals(15, 5, 7, 3, 0.5).reshape(5, 3).to(w.dtype()), y = vals(20, 3, 11, 5, 0.25).reshape(5, 4).to(w.dtype());
        return x.matmul(w).add(b).sub(y).pow(2).mean().add(w.pow(4).sum().mul(0.05));
    }

    @Test
    void aTrainingLoopWithAutogradFollowsPyTorch() {
        for (String name : List.of("sgd_nesterov_f64", "adam_amsgrad_f64", "rmsprop_momentum_centered_f64", "adamw_default")) {
            OptimGolden.Case c = OptimizerGoldenTest.GOLDEN.cases.stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow();
            List<Tensor> params = OptimizerGoldenTest.initialParams(c);
            Optimizer opt = OptimizerGoldenTest.build(c, params);
            Tensor w = params.get(0), b = params.get(1);
            double first = Double.NaN, last = Double.NaN;
            for (int k = 0; k < 10; k++) {
                opt.zeroGrad();
                Tensor loss = lossOf(w, b);
                if (k == 0) first = loss.item();
                last = loss.item();
                loss.backward();
                if (k == 3) b.setGrad(null);
                opt.step();
            }
            assertTrue(last < first, name + ": the loss went down from " + first + " to " + last);
            double rtol = c.dtype == DType.float64 ? 1e-12 : 1e-5;
            for (int i = 0; i < 3; i++) {
                double[] e = c.after.getLast().get(i), a = params.get(i).detach().toDoubleArray();
                for (int j = 0; j < e.length; j++) assertEquals(e[j], a[j], 1e-6 * rtol + rtol * Math.abs(e[j]), name + " param " + i + "[" + j + "]");
            }
        }
    }
}
