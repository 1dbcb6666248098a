package dev.jtorch.autograd;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.ops.OpCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Gradcheck driven by the op-case table ({@code golden/ops/cases.txt}): every float64 case whose
 * result autograd records is checked at the table's own inputs, in their layouts. Cases where a
 * finite-difference check cannot hold are left out, each with its reason (the same ones make
 * PyTorch's gradcheck fail); add a case's name or key here when a new one is of that kind. Each case
 * runs under every non-empty subset of its inputs requiring grad, so a new op with a row in the table
 * is covered without more code.
 */
class OpCasesGradcheckTest {
    /** Golden names (prefixes) or keys left out, with why. */
    private static final Map<String, String> EXCLUDED = Map.ofEntries(
            Map.entry("key:to", "converts to a lower precision: the output cannot resolve eps"),
            Map.entry("key:float", "converts to float32"),
            Map.entry("key:half", "converts to float16"),
            Map.entry("key:bfloat16", "converts to bfloat16"),
            Map.entry("key:floor_divide", "not differentiable (PyTorch: the derivative for 'floor_divide' is not implemented)"),
            Map.entry("key:unique", "not differentiable; the output's size changes under perturbation"),
            Map.entry("key:unique_inv", "not differentiable"),
            Map.entry("key:unique_counts", "not differentiable"),
            Map.entry("key:unique_inv_counts", "not differentiable"),
            Map.entry("round_", "inputs on rounding boundaries (x.5)"),
            Map.entry("pow_neg_", "negative bases: the exponent's derivative is NaN"),
            Map.entry("xlogy_", "x = 0 where PyTorch defines the derivative as 0"),
            Map.entry("log_softmax_big_", "inputs of magnitude ~1e3: finite differences lose the precision"));

    private static String excluded(OpCases.Golden g) {
        String key = g.key().contains(":") ? g.key().substring(0, g.key().indexOf(':')) : g.key();
        String why = EXCLUDED.get("key:" + key);
        if (why != null) return why;
        for (var e : EXCLUDED.entrySet()) if (!e.getKey().startsWith("key:") && g.name().startsWith(e.getKey())) return e.getValue();
        for (OpCases.Input in : g.inputs()) if (in.layout().equals("x")) return "an expanded input: its elements overlap in memory";
        return null;
    }

    /**
     * Every case gradchecked once per non-empty subset of its inputs requiring grad (a binary op three
     * times, a ternary one seven): a formula that reads a tensor it saved only when another input needs
     * a gradient, or that returns a gradient for the wrong input, fails here.
     */
    @TestFactory
    Stream<DynamicTest> gradcheckTheTable() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpCases.Golden g : OpCases.goldens()) {
            if (g.raises() || g.inputs().isEmpty() || excluded(g) != null) continue;
            boolean f64 = true;
            for (OpCases.Input in : g.inputs()) f64 &= in.dtype() == DType.float64;
            OpCases.Call call = OpCases.call(g.key());
            if (!f64 || call == null) continue;
            int n = g.inputs().size();
            for (int mask = 1; mask < 1 << n; mask++) {
                int requires = mask;
                tests.add(DynamicTest.dynamicTest(g.name() + ": " + g.expr() + wrt(requires, n), () -> {
                    Tensor[] in = OpCases.buildInputs(g);
                    for (Tensor t : in)
                        for (double v : t.toDoubleArray()) assumeTrue(Double.isFinite(v), "a special-value case: finite differences need finite inputs");
                    for (int i = 0; i < in.length; i++) {
                        in[i] = in[i].detach();
                        if ((requires & 1 << i) != 0) in[i].requiresGrad_();
                    }
                    List<Tensor> outs = OpCases.tensorsOf(call.apply(in));
                    assumeTrue(!outs.isEmpty() && outs.get(0).dtype().isFloatingPoint() && outs.get(0).requiresGrad(),
                            "the result is not differentiable (not floating point, or nothing recorded)");
                    assertTrue(GradCheck.gradcheck(x -> OpCases.tensorsOf(call.apply(x)).get(0), in));
                }));
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    /** The test name's suffix naming the inputs that require grad, when not all do. */
    static String wrt(int mask, int n) {
        if (mask == (1 << n) - 1) return "";
        StringBuilder sb = new StringBuilder(" wrt inputs");
        for (int i = 0; i < n; i++) if ((mask & 1 << i) != 0) sb.append(' ').append(i);
        return sb.toString();
    }
}
