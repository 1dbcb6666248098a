package dev.jtorch.autograd;

import static org.junit.jupiter.api.Assertions.*;

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
 * PyTorch's gradcheck fail); add a case's name or key here when a new one is of that kind.
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

    @TestFactory
    Stream<DynamicTest> gradcheckTheTable() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpCases.Golden g : OpCases.goldens()) {
            if (g.raises() || g.inputs().isEmpty() || excluded(g) != null) continue;
            boolean f64 = true;
            for (OpCases.Input in : g.inputs()) f64 &= in.dtype() == DType.float64;
            OpCases.Call call = OpCases.call(g.key());
            if (!f64 || call == null) continue;
            tests.add(DynamicTest.dynamicTest(g.name() + ": " + g.expr(), () -> {
                Tensor[] in = OpCases.buildInputs(g);
                for (Tensor t : in) for (double v : t.toDoubleArray()) if (!Double.isFinite(v)) return;  // sp domains
                for (int i = 0; i < in.length; i++) in[i] = in[i].detach().requiresGrad_();
                List<Tensor> outs = OpCases.tensorsOf(call.apply(in));
                if (outs.isEmpty() || !outs.get(0).dtype().isFloatingPoint() || !outs.get(0).requiresGrad()) return;
                assertTrue(GradCheck.gradcheck(x -> OpCases.tensorsOf(call.apply(x)).get(0), in));
            }));
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }
}
