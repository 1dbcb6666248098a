package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hand-specialized float32 / float64 twins of the CPU kernels stay in sync, as {@link GemmHalvesTest} keeps
 * GEMM's halves: Java has no generics over primitives, so each float loop has a double twin written out. Here
 * every float[] method of {@link ScalarKernels} and {@link VectorKernels} must have a double[] overload that is
 * its text with the element type swapped, and every {@code if (f32) { ... } else { ... }} of the CPU backend's
 * sources must have a double branch that is its float branch with the type swapped. Edit one twin, then the other
 * with the same substitutions; a real difference between twins is listed below with its reason.
 */
class TwinKernelsTest {
    static final Path DIR = Path.of("src/main/java/dev/jtorch/backend/cpu");

    /** The float text turned into the double text (the order matters: longer names first). */
    static String toDouble(String floatText) {
        return floatText.replace("FloatVectorMath", "VectorMath").replace("FloatMath", "DetMath").replace("FloatVector", "DoubleVector")
                .replace("float", "double").replace("Float", "Double").replace("FS", "DS").replace("FL", "DL").replace("1f", "1.0");
    }

    /**
     * What twins may differ in without differing: comments, blank lines, casts to the element type or to double (a no-op
     * on the double side), and the one-letter prefix of two-letter local names (fa / da: {@code do} is a keyword).
     */
    static String normalize(String text) {
        String t = text.replaceAll("//[^\n]*", "").replace("(float) ", "").replace("(double) ", "").replaceAll("\\b[fd]([a-z])\\b", "v$1");
        StringBuilder sb = new StringBuilder();
        for (String line : t.split("\n")) if (!line.isBlank()) sb.append(line.stripTrailing()).append('\n');
        return sb.toString();
    }

    /** Methods compared only from their op switch on: before it, each twin runs the generic loop its own way (arraycopy exists only for double). */
    static final Set<String> FROM_THE_OP_SWITCH = Set.of("ScalarKernels.unary", "ScalarKernels.binary");

    /** Twins that differ on purpose, with the reason. */
    static final Map<String, String> DIFFERENT = Map.of(
            "VectorKernels.dot", "float sums its two accumulator pairs in float lanes and the tail in double; double ends with an fma tail");

    /** Float methods without a double twin, with the reason. */
    static final Map<String, String> FLOAT_ONLY = Map.of(
            "VectorKernels.sum", "float runs are summed in float blocks widened to double; double runs go through blockSum");

    record Method(String name, String params, String text) {}

    static List<Method> methods(String src) {
        Pattern head = Pattern.compile("^    (?:private )?static \\S+ (\\w+)\\((.*)\\) \\{(.*)$");
        String[] lines = src.split("\n", -1);
        List<Method> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = head.matcher(lines[i]);
            if (!m.matches()) continue;
            if (!m.group(3).isBlank() && lines[i].stripTrailing().endsWith("}")) { // one line
                out.add(new Method(m.group(1), m.group(2), lines[i]));
                continue;
            }
            int j = i + 1;
            while (!lines[j].equals("    }")) j++;
            out.add(new Method(m.group(1), m.group(2), String.join("\n", java.util.Arrays.copyOfRange(lines, i, j + 1))));
            i = j;
        }
        return out;
    }

    @Test
    void theDoubleKernelsAreTheFloatKernelsWithTheTypeSwapped() throws IOException {
        int compared = 0;
        for (String file : List.of("ScalarKernels", "VectorKernels")) {
            List<Method> ms = methods(Files.readString(DIR.resolve(file + ".java")));
            for (Method f : ms) {
                if (!f.params.contains("float[]")) continue;
                String key = file + "." + f.name;
                Method d = ms.stream().filter(m -> m.name.equals(f.name) && m.params.equals(toDouble(f.params))).findFirst().orElse(null);
                if (d == null) {
                    assertTrue(FLOAT_ONLY.containsKey(key), key + "(" + f.params + ") has no double twin");
                    continue;
                }
                if (DIFFERENT.containsKey(key)) continue;
                String ft = toDouble(f.text), dt = d.text;
                if (FROM_THE_OP_SWITCH.contains(key)) {
                    ft = ft.substring(ft.indexOf("switch (op)"));
                    dt = dt.substring(dt.indexOf("switch (op)"));
                }
                assertEquals(normalize(ft), normalize(dt), key + ": the double twin is not the float one with the type swapped");
                compared++;
            }
        }
        assertTrue(compared >= 20, "only " + compared + " twins found: has the source layout changed?");
    }

    @Test
    void theFloat64BranchesAreTheFloat32BranchesWithTheTypeSwapped() throws IOException {
        Pattern open = Pattern.compile("^(\\s*)if \\(f32\\) \\{$");
        int compared = 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            String[] lines = Files.readString(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = open.matcher(lines[i]);
                if (!m.matches()) continue;
                String ind = m.group(1);
                int j = i + 1;
                while (!lines[j].startsWith(ind + "}")) j++;
                if (!lines[j].equals(ind + "} else {")) continue; // not a two-way branch (else if, or no else)
                int k = j + 1;
                while (!lines[k].startsWith(ind + "}")) k++;
                if (!lines[k].equals(ind + "}")) fail(file.getFileName() + ":" + (i + 1) + ": an if (f32) with more than two branches");
                String f = String.join("\n", java.util.Arrays.copyOfRange(lines, i + 1, j));
                String d = String.join("\n", java.util.Arrays.copyOfRange(lines, j + 1, k));
                assertEquals(normalize(toDouble(f)), normalize(d), file.getFileName() + ":" + (i + 1) + ": the float64 branch is not the float32 one with the type swapped");
                compared++;
            }
        }
        assertTrue(compared >= 4, "only " + compared + " branches found: has the source layout changed?");
    }
}
