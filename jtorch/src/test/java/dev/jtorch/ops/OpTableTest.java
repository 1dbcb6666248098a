package dev.jtorch.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The op-case table covers the op vocabulary: every primitive op has a row of cases.txt whose java key is its torch
 * name (or that name followed by '_' and the call's arguments, e.g. cumsum_d0), so a new primitive fails here until
 * its cases, with their domain, dtypes, tolerance and differentiability, are in the table.
 */
public class OpTableTest {
    /** Primitives whose table key is another name than theirs: the key that exercises them. */
    static final Map<String, String> KEY_OF = Map.of(
            "bitwise_left_shift", "lshift",
            "bitwise_right_shift", "rshift",
            "slice", "narrow");

    @Test
    void everyPrimitiveOpHasARow() {
        Set<String> keys = new HashSet<>();
        for (OpCases.TableCase c : OpCases.tableCases()) keys.add(c.key().contains(":") ? c.key().substring(0, c.key().indexOf(':')) : c.key());
        List<String> missing = new ArrayList<>();
        for (String op : OpCases.allPrimitiveOps()) {
            String key = KEY_OF.getOrDefault(op, op);
            boolean found = keys.contains(key) || keys.stream().anyMatch(k -> k.startsWith(key + "_"));
            if (!found) missing.add(op);
        }
        assertTrue(missing.isEmpty(), "primitive ops without a row in golden/ops/cases.txt (add one, see CONTRIBUTING.md): " + missing);
        assertTrue(OpCases.allPrimitiveOps().containsAll(KEY_OF.keySet()), "KEY_OF names an op that is no longer a primitive");
    }

    @Test
    void everyRowHasAJavaCall() {
        List<String> missing = new ArrayList<>();
        for (OpCases.TableCase c : OpCases.tableCases()) if (OpCases.call(c.key()) == null) missing.add(c.name() + " (key " + c.key() + ")");
        assertTrue(missing.isEmpty(), "rows of cases.txt whose java key OpCases does not map: " + missing);
    }
}
