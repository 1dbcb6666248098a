package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm}'s double half is its float half with the element type swapped (Java has no generics over
 * primitives): this keeps the two from drifting apart. Edit the float half, then regenerate the double half
 * with the same substitutions.
 */
class GemmHalvesTest {
    static final String FLOAT = "    // ================================================================ float\n";
    static final String DOUBLE = "    // ================================================================ double\n";

    /** The float half turned into the double half: the type, its names, and the smaller blocks doubles need. */
    static String toDouble(String floatHalf) {
        return floatHalf.replace("PARALLEL_FLOPS", "PARALLEL_@LOPS")
                .replace("float", "double").replace("Float", "Double").replace("_F", "_D")
                .replace("buf.fa(", "buf.da(").replace("buf.fb(", "buf.db(").replace("buf.ft(", "buf.dt(")
                .replace("Math.max(1, 192 / MR_D)", "Math.max(1, 96 / MR_D)").replace("Math.max(1, 4096 / NR_D)", "Math.max(1, 2048 / NR_D)")
                .replace("PARALLEL_@LOPS", "PARALLEL_FLOPS");
    }

    @Test
    void theDoubleHalfIsTheFloatHalfWithTheTypeSwapped() throws IOException {
        String src = Files.readString(Path.of("src/main/java/dev/jtorch/backend/cpu/Gemm.java"));
        int f = src.indexOf(FLOAT), d = src.indexOf(DOUBLE), end = src.lastIndexOf("}");
        String floatHalf = src.substring(f + FLOAT.length(), d).stripTrailing();
        String doubleHalf = src.substring(d + DOUBLE.length(), end).stripTrailing();
        assertEquals(toDouble(floatHalf), doubleHalf);
    }
}
