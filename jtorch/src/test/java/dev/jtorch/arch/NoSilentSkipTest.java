package dev.jtorch.arch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No test returns early and passes: a test that cannot run here (no GPU, no CBLAS, no SIMD, a missing file or
 * variable) says so with JUnit's {@code Assumptions}, which reports it as skipped, never with a bare
 * {@code return}, which reports it as passed. This scans the test sources for the obvious form of that pattern.
 */
class NoSilentSkipTest {
    /** Test source roots, relative to the jtorch module (where Maven runs the tests). */
    private static final List<Path> ROOTS = List.of(Path.of("src/test/java"), Path.of("../examples/src/test/java"),
            Path.of("../benchmarks/src/test/java"));

    /** {@code if (<availability, existence or environment check>) return;} on one line, braces or not. */
    static final Pattern SKIP_BY_RETURN = Pattern.compile(
            "\\bif\\s*\\((?=[^;]*(?:[Aa]vailable|AVAILABLE|exists|getenv|getProperty|[Cc]uda|CUDA|[Gg]pu|GPU|[Nn]vrtc|NVRTC))[^;]*\\)\\s*\\{?\\s*return\\s*;");

    /** A bare {@code return;} whose comment says it skips. */
    static final Pattern COMMENTED_SKIP = Pattern.compile(
            "\\breturn\\s*;\\s*//.*(?:skip|nothing to (?:check|test)|not available|unavailable|no GPU|no CUDA)", Pattern.CASE_INSENSITIVE);

    static boolean skipsByReturning(String line) {
        return SKIP_BY_RETURN.matcher(line).find() || COMMENTED_SKIP.matcher(line).find();
    }

    @Test
    void theScanRecognizesTheForms() {
        assertTrue(skipsByReturning("        if (!Blas.available()) return; // no CBLAS on this machine: nothing to check"));
        assertTrue(skipsByReturning("        if (!Simd.AVAILABLE) return;"));
        assertTrue(skipsByReturning("        if (!Torch.cuda.isAvailable()) { return; }"));
        assertTrue(skipsByReturning("        if (System.getenv(\"JTORCH_X\") == null) return;"));
        assertTrue(skipsByReturning("        if (!Files.exists(p)) return;"));
        assertTrue(skipsByReturning("            return; // skip: sp domains"));
        assertFalse(skipsByReturning("        assumeTrue(Blas.available(), \"no CBLAS on this machine\");"));
        assertFalse(skipsByReturning("        if (empty(out.shape())) return;"));
    }

    @Test
    void noTestSkipsByReturning() throws IOException {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    scanned++;
                    if (f.endsWith("NoSilentSkipTest.java")) continue; // its own examples above
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++)
                        if (skipsByReturning(lines.get(i))) found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertTrue(scanned > 50, "scanned only " + scanned + " test sources: are the roots right? " + ROOTS);
        assertTrue(found.isEmpty(), "tests that pass where they should be skipped: use Assumptions.assumeTrue(cond, \"why\")\n"
                + String.join("\n", found));
    }
}
