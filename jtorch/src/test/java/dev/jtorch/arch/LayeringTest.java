package dev.jtorch.arch;

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

/** DESIGN.md's layers: imports (and fully qualified references) point down only. */
class LayeringTest {
    private static final Path SRC = Path.of("src/main/java");
    private static final Set<String> VALUE_TYPES = Set.of("dev.jtorch.DType", "dev.jtorch.Device", "dev.jtorch.Size");
    private static final Pattern REF = Pattern.compile("\\bdev\\.jtorch(?:\\.[a-z][a-z0-9]*)*(?:\\.[A-Z]\\w*)?");

    /** The packages each package may reference, besides itself and the value types. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("dev.jtorch.ops", Set.of()),
            Map.entry("dev.jtorch.backend", Set.of("dev.jtorch.ops", "dev.jtorch.backend.cpu", "dev.jtorch.backend.cuda")),
            Map.entry("dev.jtorch.backend.cpu", Set.of("dev.jtorch.ops", "dev.jtorch.backend")),
            Map.entry("dev.jtorch.backend.cuda", Set.of("dev.jtorch.ops", "dev.jtorch.backend")),
            // the facade reaches devices through the Backend interface and Backends only, never a backend's own classes
            // (the facade and the dispatcher, indexing and autograd below it reference each other: Tensor's methods are one line
            // into them, and they build Tensors; they read Tensor's internals only through internal.TensorAccess)
            Map.entry("dev.jtorch", Set.of("dev.jtorch.ops", "dev.jtorch.backend", "dev.jtorch.autograd", "dev.jtorch.dispatch",
                    "dev.jtorch.internal")),
            Map.entry("dev.jtorch.internal", Set.of("dev.jtorch", "dev.jtorch.ops", "dev.jtorch.backend")),
            Map.entry("dev.jtorch.dispatch", Set.of("dev.jtorch", "dev.jtorch.internal", "dev.jtorch.ops", "dev.jtorch.backend",
                    "dev.jtorch.autograd")),
            Map.entry("dev.jtorch.autograd", Set.of("dev.jtorch", "dev.jtorch.internal", "dev.jtorch.ops")),
            Map.entry("dev.jtorch.nn", Set.of("dev.jtorch", "dev.jtorch.autograd")),
            Map.entry("dev.jtorch.optim", Set.of("dev.jtorch", "dev.jtorch.autograd", "dev.jtorch.nn")),
            Map.entry("dev.jtorch.data", Set.of("dev.jtorch")),
            Map.entry("dev.jtorch.io", Set.of("dev.jtorch", "dev.jtorch.nn")),
            Map.entry("dev.jtorch.amp", Set.of("dev.jtorch", "dev.jtorch.autograd", "dev.jtorch.optim")));

    /**
     * Single classes that may reference a package their own package may not: {@code torch.cuda}'s namespace hands out
     * the CUDA backend's user-facing handles (streams, events, generators) and reads its CUDA-only settings and
     * statistics through {@code backend.cuda.Cuda}, without downcasting a backend.
     */
    private static final Map<String, Set<String>> CLASS_EXCEPTIONS = Map.of(
            "dev.jtorch.TorchCuda", Set.of("dev.jtorch.backend.cuda"));

    /** The most lines a main source file may have, unless {@link #LONG_FILES} names it. */
    private static final int MAX_LINES = 1000;

    /** Files allowed over {@link #MAX_LINES}, each with the reason: only generated or type-specialized kernels that a test keeps in sync. */
    private static final Map<String, String> LONG_FILES = Map.of();

    @Test
    void noMainSourceFileIsOverAThousandLines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = SRC.relativize(f).toString().replace('\\', '/');
                long lines;
                try (Stream<String> ls = Files.lines(f)) { lines = ls.count(); }
                if (lines > MAX_LINES && !LONG_FILES.containsKey(rel)) tooLong.add(rel + " (" + lines + " lines)");
            }
        }
        for (String allowed : LONG_FILES.keySet())
            assertTrue(Files.exists(SRC.resolve(allowed)), "LONG_FILES names a file that no longer exists: " + allowed);
        if (!tooLong.isEmpty()) fail("main source files over " + MAX_LINES + " lines (split them, or list a generated or type-specialized "
                + "kernel guarded by a test in LONG_FILES):\n" + String.join("\n", tooLong));
    }

    @Test
    void importsPointDownOnly() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SRC)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")).toList()) {
                String pkg = SRC.relativize(f.getParent()).toString().replace('/', '.');
                String cls = pkg + "." + f.getFileName().toString().replace(".java", "");
                String text = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
                Matcher m = REF.matcher(text);
                while (m.find()) {
                    String ref = m.group();
                    if (ref.startsWith("dev.jtorch.") && text.startsWith("package " + ref, m.start() - 8)) continue;
                    String refPkg = ref.matches(".*\\.[A-Z]\\w*$") ? ref.substring(0, ref.lastIndexOf('.')) : ref;
                    if (refPkg.equals(pkg) || refPkg.equals("dev.jtorch") && VALUE_TYPES.contains(ref) && !VALUE_TYPES.contains(cls)) continue;
                    if (VALUE_TYPES.contains(cls)) { violations.add(cls + " (a value type) references " + ref); continue; }
                    if (CLASS_EXCEPTIONS.getOrDefault(cls, Set.of()).contains(refPkg)) continue;
                    Set<String> ok = ALLOWED.get(pkg);
                    if (ok == null) { violations.add(cls + ": package " + pkg + " has no layer in LayeringTest"); continue; }
                    if (!ok.contains(refPkg) && !refPkg.equals("dev.jtorch") || refPkg.equals("dev.jtorch") && !ok.contains("dev.jtorch") && !pkg.equals("dev.jtorch"))
                        violations.add(cls + " references " + ref);
                }
            }
        }
        if (!violations.isEmpty()) fail("upward or sideways references:\n" + String.join("\n", violations.stream().distinct().toList()));
    }

    @Test
    void everyPackageHasPackageInfo() throws IOException {
        try (Stream<Path> dirs = Files.walk(SRC)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                boolean hasJava;
                try (Stream<Path> fs = Files.list(d)) { hasJava = fs.anyMatch(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")); }
                if (hasJava) assertTrue(Files.exists(d.resolve("package-info.java")), "missing package-info.java in " + d);
            }
        }
    }
}
