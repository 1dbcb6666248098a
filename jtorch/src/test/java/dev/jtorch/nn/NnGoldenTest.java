package dev.jtorch.nn;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.GoldenText;
import dev.jtorch.DType;
import dev.jtorch.Tensor;
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
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The programs of {@code golden/nn/gen_nn.py}, run with dev.jtorch.nn and compared with what PyTorch computed:
 * parameters bit for bit (initialization draws from the seeded default generator as PyTorch does), values and
 * gradients to float32/float64 rounding, grad_fn names and printed text exactly.
 */
class NnGoldenTest {
    private static final String FILE = "/golden/nn/nn_cases.txt";

    private record Golden(DType dtype, long[] shape, double[] values) {}

    private static final Map<String, Golden> TENSORS = new HashMap<>();
    private static final Map<String, String> TEXTS = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = NnGoldenTest.class.getResourceAsStream(FILE)) {
            assertNotNull(in, FILE + " missing: run gen_nn.py");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                String[] f = line.split("\\|", 5);
                if (f[0].equals("text")) {
                    TEXTS.put(f[1], GoldenText.unescape(line.substring("text|".length() + f[1].length() + 1)));
                } else if (f.length == 3) {
                    TENSORS.put(f[1], null);
                } else {
                    long[] shape = f[3].isEmpty() ? new long[0] : Arrays.stream(f[3].split(",")).mapToLong(Long::parseLong).toArray();
                    double[] v = f[4].isEmpty() ? new double[0] : Arrays.stream(f[4].split(",")).mapToDouble(GoldenText::number).toArray();
                    TENSORS.put(f[1], new Golden(DType.valueOf(f[2]), shape, v));
                }
            }
        }
    }

    // ---------------------------------------------------------------- inputs, as gen_nn.py's vals()

    static Tensor vals(long[] shape, int k, int m, int off, double scale, double shift, DType dtype, boolean grad) {
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = ((long) i * k % m - off) * scale + shift;
        Tensor t = tensor(v, dtype).reshape(shape);
        return grad ? t.requiresGrad_() : t;
    }

    static Tensor vals(long... shape) { return vals(shape, 7, 11, 5, 0.25, 0, float32, false); }

    // ---------------------------------------------------------------- comparisons

    private static Golden golden(String label) {
        assertTrue(TENSORS.containsKey(label), "no golden " + label);
        return TENSORS.get(label);
    }

    /** Same dtype, shape and bits. */
    static void exact(String label, Tensor t) {
        Golden g = golden(label);
        assertEquals(g.dtype(), t.dtype(), label + " dtype");
        assertArrayEquals(g.shape(), t.shape().toArray(), label + " shape");
        assertArrayEquals(g.values(), t.detach().toDoubleArray(), 0.0, label);
    }

    /** Same dtype and shape; values within float32 (rtol 2e-6) or float64 (rtol 1e-12) rounding of PyTorch's. */
    static void close(String label, Tensor t) {
        Golden g = golden(label);
        assertNotNull(t, label + " is null, PyTorch has a value");
        assertEquals(g.dtype(), t.dtype(), label + " dtype");
        assertArrayEquals(g.shape(), t.shape().toArray(), label + " shape");
        double rtol = t.dtype() == float64 ? 1e-12 : 2e-6, atol = t.dtype() == float64 ? 1e-14 : 1e-7;
        double[] a = t.detach().toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            double e = g.values()[i];
            if (Double.isNaN(e)) { assertTrue(Double.isNaN(a[i]), label + "[" + i + "] should be nan"); continue; }
            assertEquals(e, a[i], atol + rtol * Math.abs(e), label + "[" + i + "]");
        }
    }

    static void text(String label, Object actual) {
        assertTrue(TEXTS.containsKey(label), "no golden " + label);
        assertEquals(TEXTS.get(label), String.valueOf(actual), label);
    }

    static void fn(String label, Tensor t) { text(label, t.gradFn() == null ? "None" : t.gradFn().name()); }

    static void paramsAndGrads(String prefix, Module model) {
        for (var e : model.namedParameters().entrySet()) {
            exact(prefix + ".param." + e.getKey(), e.getValue());
            close(prefix + ".grad." + e.getKey(), e.getValue().grad());
        }
    }

    // ---------------------------------------------------------------- programs

    @Test
    void smallClassifierEndToEnd() {
        manualSeed(0);
        Sequential mlp = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        text("mlp.repr", mlp);
        text("mlp.keys", String.join(",", mlp.stateDict().keySet()));
        Tensor out = mlp.forward(vals(5, 4));
        close("mlp.out", out);
        text("mlp.out.repr", out);
        Tensor loss = F.crossEntropy(out, tensor(new long[]{0, 2, 1, 1, 0}));
        close("mlp.loss", loss);
        text("mlp.loss.repr", loss);
        loss.backward();
        paramsAndGrads("mlp", mlp);
        text("mlp.grad0.repr", ((Linear) mlp.get(0)).bias().grad());
    }

    @Test
    void linearInitializationIsPyTorchsBitForBit() {
        manualSeed(1);
        Linear big = new Linear(784, 1024);
        Tensor w = big.weight().detach().reshape(-1);
        exact("init.big.weight.head", w.get(":16"));
        exact("init.big.weight.tail", w.get("-16:"));
        close("init.big.weight.sum", w.to(float64).sum());
        exact("init.big.bias", big.bias());
        manualSeed(2);
        Linear noBias = new Linear(3, 5, false);
        exact("init.nobias.weight", noBias.weight());
        assertNull(noBias.bias());
        text("init.nobias.repr", noBias);
        text("init.nobias.keys", String.join(",", noBias.stateDict().keySet()));
        manualSeed(3);
        Linear dbl = new Linear(6, 2, true, dev.jtorch.Device.CPU, float64);
        exact("init.double.weight", dbl.weight());
        exact("init.double.bias", dbl.bias());
    }

    @Test
    void initFunctions() {
        manualSeed(4);
        exact("init.kaiming_uniform", Init.kaimingUniform_(empty(5, 7)));
        exact("init.kaiming_uniform_relu_fan_out", Init.kaimingUniform_(empty(5, 7), 0, "fan_out", "relu"));
        exact("init.kaiming_normal", Init.kaimingNormal_(empty(4, 3, 2, 2)));
        exact("init.kaiming_normal_a", Init.kaimingNormal_(empty(3, 5), 0.2));
        exact("init.xavier_uniform", Init.xavierUniform_(empty(4, 6)));
        exact("init.xavier_uniform_gain", Init.xavierUniform_(empty(4, 6, 3), Init.calculateGain("relu")));
        exact("init.xavier_normal", Init.xavierNormal_(empty(20, 3)));
        exact("init.uniform", Init.uniform_(empty(3, 4), -2.0, 3.0));
        exact("init.normal", Init.normal_(empty(3, 4), 1.0, 0.5));
        exact("init.constant", Init.constant_(empty(2, 3), 0.3));
        List<Double> gains = new ArrayList<>();
        for (String n : List.of("linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu")) gains.add(Init.calculateGain(n));
        gains.add(Init.calculateGain("leaky_relu", 0.2));
        exact("init.gains", tensor(gains, float64));
    }

    @Test
    void losses() {
        Tensor logits = vals(new long[]{4, 5}, 7, 11, 5, 0.25, 0, float64, true);
        Tensor target = tensor(new long[]{1, 0, 4, 2});
        Tensor weight = tensor(new double[]{0.5, 1.0, 2.0, 0.25, 1.5}, float64);
        Tensor probs = F.softmax(vals(new long[]{4, 5}, 3, 7, 2, 0.25, 0, float64, false), 1);
        Tensor other = vals(new long[]{4, 5}, 3, 7, 5, 0.25, 0, float64, false);
        Map<String, Function<Tensor, Tensor>> cases = new LinkedHashMap<>();
        cases.put("ce_mean", x -> F.crossEntropy(x, target));
        cases.put("ce_sum", x -> F.crossEntropy(x, target, "sum"));
        cases.put("ce_none", x -> F.crossEntropy(x, target, "none"));
        cases.put("ce_weight", x -> F.crossEntropy(x, target, weight));
        cases.put("ce_weight_none", x -> F.crossEntropy(x, target, weight, -100, "none", 0.0));
        cases.put("ce_ignore", x -> F.crossEntropy(x, tensor(new long[]{1, -100, 4, -100})));
        cases.put("ce_ignore_weight", x -> F.crossEntropy(x, tensor(new long[]{1, 3, 4, 3}), weight, 3, "mean", 0.0));
        cases.put("ce_smooth", x -> F.crossEntropy(x, target, 0.1));
        cases.put("ce_smooth_weight_ignore", x -> F.crossEntropy(x, tensor(new long[]{1, 3, 4, 0}), weight, 3, "mean", 0.2));
        cases.put("ce_smooth_none", x -> F.crossEntropy(x, target, null, -100, "none", 0.3));
        cases.put("ce_probs", x -> F.crossEntropy(x, probs));
        cases.put("ce_probs_sum", x -> F.crossEntropy(x, probs, "sum"));
        cases.put("ce_probs_none", x -> F.crossEntropy(x, probs, "none"));
        cases.put("ce_probs_weight_smooth", x -> F.crossEntropy(x, probs, weight, -100, "mean", 0.25));
        cases.put("ce_1d", x -> F.crossEntropy(x.get(1), tensor(3L)));
        cases.put("ce_3d", x -> F.crossEntropy(x.reshape(2, 5, 2), tensor(new long[][]{{1, 4}, {0, 2}})));
        cases.put("ce_3d_none", x -> F.crossEntropy(x.reshape(2, 5, 2), tensor(new long[][]{{1, 4}, {0, 2}}), "none"));
        cases.put("ce_4d", x -> F.crossEntropy(x.reshape(1, 5, 2, 2), tensor(new long[][][]{{{1, 4}, {0, 2}}})));
        cases.put("nll_mean", x -> F.nllLoss(x, target));
        cases.put("nll_none", x -> F.nllLoss(x, tensor(new long[]{1, -100, 4, 2}), "none"));
        cases.put("nll_weight_sum", x -> F.nllLoss(x, target, weight, -100, "sum"));
        cases.put("nll_all_ignored", x -> F.nllLoss(x, tensor(new long[]{-100, -100, -100, -100})));
        cases.put("mse_mean", x -> F.mseLoss(x, other));
        cases.put("mse_sum", x -> F.mseLoss(x, other, "sum"));
        cases.put("mse_none", x -> F.mseLoss(x, other, "none"));
        for (var c : cases.entrySet()) {
            logits.setGrad(null);
            Tensor l = c.getValue().apply(logits);
            close("loss." + c.getKey(), l);
            fn("loss." + c.getKey() + ".fn", l);
            l.sum().backward();
            close("loss." + c.getKey() + ".grad", logits.grad());
        }
    }

    @Test
    void crossEntropyModuleInFloat32() {
        Tensor x = vals(new long[]{6, 3}, 5, 13, 6, 0.5, 0, float32, true);
        Tensor l = new CrossEntropyLoss().forward(x, tensor(new long[]{0, 1, 2, 2, 1, 0}));
        close("loss.module_ce32", l);
        l.backward();
        close("loss.module_ce32.grad", x.grad());
        text("loss.module_reprs", new MSELoss() + " " + new CrossEntropyLoss() + " " + new NLLLoss("sum"));
    }

    @Test
    void linearPathsAndAddmm() {
        Tensor w = vals(new long[]{3, 4}, 5, 9, 4, 0.25, 0, float32, true);
        Tensor b = vals(new long[]{3}, 2, 5, 2, 0.25, 0, float32, true);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("2d", vals(2, 4));
        inputs.put("3d", vals(2, 2, 4));
        inputs.put("3d_noncontig", vals(4, 2, 2).transpose(0, 2));
        for (var e : inputs.entrySet()) {
            Tensor o = F.linear(e.getValue(), w, b);
            close("linear." + e.getKey(), o);
            fn("linear." + e.getKey() + ".fn", o);
        }
        Tensor o = F.linear(vals(2, 4), w);
        close("linear.nobias", o);
        fn("linear.nobias.fn", o);
        w.setGrad(null);
        b.setGrad(null);
        F.linear(vals(2, 2, 4), w, b).sum().backward();
        close("linear.3d.grad.w", w.grad());
        close("linear.3d.grad.b", b.grad());

        Tensor m1 = vals(new long[]{2, 3}, 7, 11, 5, 0.25, 0, float32, true);
        Tensor m2 = vals(new long[]{3, 4}, 3, 11, 5, 0.25, 0, float32, true);
        Tensor in = vals(new long[]{4}, 2, 3, 5, 0.25, 0, float32, true);
        Tensor r = addmm(in, m1, m2, 0.5, 2.0);
        close("addmm.beta_alpha", r);
        fn("addmm.fn", r);
        r.sum().backward();
        close("addmm.grad.input", in.grad());
        close("addmm.grad.mat1", m1.grad());
        close("addmm.grad.mat2", m2.grad());
    }

    @Test
    void dropoutDrawsPyTorchsMask() {
        manualSeed(5);
        Tensor x = vals(new long[]{4, 6}, 7, 11, 5, 0.25, 0.125, float32, true);
        Tensor o = F.dropout(x, 0.3);
        exact("dropout.out", o);
        fn("dropout.fn", o);
        o.sum().backward();
        exact("dropout.grad", x.grad());
        manualSeed(6);
        Dropout drop = new Dropout(0.5);
        exact("dropout.module_train", drop.forward(ones(3, 4)));
        drop.eval();
        exact("dropout.module_eval", drop.forward(ones(3, 4)));
        text("dropout.reprs", new Dropout() + " " + new Dropout(0.2) + " " + new Dropout(1e-5, true));
    }

    @Test
    void activationAndShapeModules() {
        Tensor x = vals(new long[]{2, 3, 2}, 7, 11, 5, 0.25, 0, float32, true);
        Map<String, Module> modules = new LinkedHashMap<>();
        modules.put("relu", new ReLU());
        modules.put("sigmoid", new Sigmoid());
        modules.put("tanh", new Tanh());
        modules.put("softmax", new Softmax(1));
        modules.put("log_softmax", new LogSoftmax(-1));
        modules.put("flatten", new Flatten());
        modules.put("flatten02", new Flatten(0, 1));
        modules.put("identity", new Identity());
        for (var e : modules.entrySet()) {
            close("module." + e.getKey(), e.getValue().forward(x));
            text("module." + e.getKey() + ".repr", e.getValue());
        }
    }

    /** The model of PyTorch's quickstart tutorial, ported line by line. */
    static final class NeuralNetwork extends Module {
        final Flatten flatten = register("flatten", new Flatten());
        final Sequential linearReluStack = register("linear_relu_stack", new Sequential(
                new Linear(28 * 28, 512),
                new ReLU(),
                new Linear(512, 512),
                new ReLU(),
                new Linear(512, 10)));

        @Override public Tensor forward(Tensor x) {
            x = flatten.forward(x);
            Tensor logits = linearReluStack.forward(x);
            return logits;
        }
    }

    @Test
    void quickstartTutorialPrintsWhatPyTorchPrints() {
        manualSeed(7);
        NeuralNetwork model = new NeuralNetwork();
        text("tutorial.print", model);
        List<String> lines = new ArrayList<>();
        for (var e : model.namedParameters().entrySet())
            lines.add("Layer: " + e.getKey() + " | Size: " + e.getValue().size() + " | Values : " + e.getValue().get(":2") + " \n");
        text("tutorial.params", String.join("\n", lines));
        Tensor X = rand(1, 28, 28);
        Tensor logits = model.forward(X);
        Tensor predProbab = new Softmax(1).forward(logits);
        Tensor yPred = predProbab.argmax(1);
        close("tutorial.logits", logits);
        text("tutorial.pred", "Predicted class: " + yPred);
    }

    /** Five SGD steps on the 784-1024-1024-10 MLP: float32 rounding differences may grow a little over the steps. */
    @Test
    void trainsTheMnistSizedMlpAsPyTorchDoes() {
        manualSeed(8);
        Sequential net = new Sequential(new Flatten(), new Linear(784, 1024), new ReLU(), new Linear(1024, 1024), new ReLU(), new Linear(1024, 10));
        Tensor x = vals(new long[]{64, 1, 28, 28}, 37, 101, 50, 0.02, 0, float32, false);
        Tensor y = arange(64).remainder(10);
        double[] losses = new double[5];
        for (int step = 0; step < 5; step++) {
            Tensor loss = F.crossEntropy(net.forward(x), y);
            losses[step] = loss.item();
            net.zeroGrad();
            loss.backward();
            try (var g = noGrad()) {
                for (Tensor p : net.parameters()) p.add_(p.grad(), -0.1);
            }
        }
        Golden expected = golden("train.losses");
        for (int i = 0; i < 5; i++) assertEquals(expected.values()[i], losses[i], 1e-5 * expected.values()[i], "loss at step " + i);
        assertTrue(losses[4] < losses[0] - 0.1, "the loss goes down");
        Golden bias = golden("train.final_bias");
        double[] b = ((Linear) net.get(5)).bias().toDoubleArray();
        for (int i = 0; i < b.length; i++) assertEquals(bias.values()[i], b[i], 1e-5, "final bias[" + i + "]");
    }
}
