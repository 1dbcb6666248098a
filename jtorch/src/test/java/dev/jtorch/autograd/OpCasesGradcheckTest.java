package dev.jtorch.autograd;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.ops.OpCases;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Gradcheck driven by the op-case table ({@code golden/ops/cases.txt}): every float64 case is run at the table's own
 * inputs, in their layouts, and its grad column decides what must hold. "yes": the result requires grad and
 * gradcheck passes under every non-empty subset of the inputs requiring grad (so a new op with a row is covered
 * without more code); "no": the result does not require grad; "raises": the result requires grad and backward
 * throws, as PyTorch's does; "skip REASON": not checked, for that reason. Cases with non-finite inputs (the sp
 * domains) or an expanded input (its elements overlap in memory) are not generated: a finite-difference check
 * cannot hold there.
 */
class OpCasesGradcheckTest {

    /** Why a float64 case is not generated at all, or null. */
    private static String notCheckable(OpCases.Golden g) {
        for (OpCases.Input in : g.inputs()) {
            if (in.layout().equals("x")) return "an expanded input: its elements overlap in memory";
            for (String v : in.values()) if (!Double.isFinite(OpCases.parseDouble(v))) return "a non-finite input";
        }
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
        int differentiable = 0;
        for (OpCases.Golden g : OpCases.goldens()) {
            if (g.raises() || g.inputs().isEmpty()) continue;
            boolean f64 = true;
            for (OpCases.Input in : g.inputs()) f64 &= in.dtype() == DType.float64;
            OpCases.TableCase row = OpCases.row(g.name());
            if (!f64 || row.gradSkipReason() != null || notCheckable(g) != null) continue;
            OpCases.Call call = OpCases.call(g.key());
            assertNotNull(call, g.name() + ": no Java call for key " + g.key());
            String where = g.name() + " (cases.txt:" + row.line() + ")";
            if (!row.grad().equals("yes")) {
                tests.add(DynamicTest.dynamicTest(g.name() + ": " + g.expr(), () -> {
                    Tensor[] in = OpCases.buildInputs(g);
                    for (int i = 0; i < in.length; i++) in[i] = in[i].detach().requiresGrad_();
                    List<Tensor> outs = OpCases.tensorsOf(call.apply(in));
                    assertFalse(outs.isEmpty(), g.name() + ": no output");
                    Tensor out = outs.getFirst();
                    switch (row.grad()) {
                        case "no" -> assertFalse(out.requiresGrad(), where + " says grad 'no', but its result requires grad");
                        case "raises" -> {
                            assertTrue(out.requiresGrad(), where + " says grad 'raises', but its result does not require grad");
                            assertThrows(RuntimeException.class, () -> out.sum().backward(), where + " says grad 'raises', but backward ran");
                        }
                        default -> fail(where + ": unknown grad column '" + row.grad() + "'");
                    }
                }));
                continue;
            }
            differentiable++;
            int n = g.inputs().size();
            for (int mask = 1; mask < 1 << n; mask++) {
                int requires = mask;
                tests.add(DynamicTest.dynamicTest(g.name() + ": " + g.expr() + wrt(requires, n), () -> {
                    Tensor[] in = OpCases.buildInputs(g);
                    for (int i = 0; i < in.length; i++) {
                        in[i] = in[i].detach();
                        if ((requires & 1 << i) != 0) in[i].requiresGrad_();
                    }
                    Tensor out = OpCases.tensorsOf(call.apply(in)).getFirst();
                    assertTrue(out.dtype().isFloatingPoint() && out.requiresGrad(),
                            where + " says grad 'yes', but its result is " + out.dtype() + " without grad");
                    assertTrue(GradCheck.gradcheck(x -> OpCases.tensorsOf(call.apply(x)).getFirst(), in));
                }));
            }
        }
        assertTrue(differentiable > 100, "too few differentiable float64 cases: " + differentiable);
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
