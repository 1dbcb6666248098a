package dev.jtorch.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.ops.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No switch over an op family in the kernels, the code generator, the derivatives or the reference backend has a
 * {@code default}: a new constant must fail to compile where it must be handled (docs/DESIGN.md, "Compiler-checked
 * completeness"). A switch is taken to be over a family when all its case labels are constants of that family.
 */
class NoDefaultOverOpsTest {
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java/dev/jtorch/backend"),
            Path.of("src/main/java/dev/jtorch/autograd/Derivatives.java"), Path.of("src/test/java/dev/jtorch/ops/ReferenceBackend.java"));
    private static final Pattern SWITCH = Pattern.compile("switch \\([^)]*\\) \\{");
    private static final Pattern LABEL = Pattern.compile("\\bcase ([A-Z][A-Z0-9_]*(?:\\s*,\\s*[A-Z][A-Z0-9_]*)*)\\s*(?:->|:)|\\bdefault\\s*(?:->|:)");

    /** The family of each constant name (names shared by two families count for neither). */
    static Map<String, Class<?>> families() {
        Map<String, Class<?>> family = new HashMap<>();
        for (Op op : Op.values()) family.merge(op.name(), op.getClass(), (a, b) -> a == b ? a : Void.class);
        return family;
    }

    /** "file:line" of every switch whose labels are all one family's constants and that has a default. */
    static List<String> violations(String file, String text, Map<String, Class<?>> family) {
        List<String> out = new ArrayList<>();
        String code = text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "").replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
        Matcher m = SWITCH.matcher(code);
        while (m.find()) {
            int depth = 0, end = m.end() - 1;
            for (int i = end; i < code.length(); i++) {
                char c = code.charAt(i);
                if (c == '{') depth++;
                else if (c == '}' && --depth == 0) { end = i; break; }
            }
            // the labels at this switch's own nesting level
            StringBuilder own = new StringBuilder();
            depth = 0;
            for (int i = m.end(); i < end; i++) {
                char c = code.charAt(i);
                if (c == '{') depth++;
                else if (c == '}') depth--;
                else if (depth == 0) own.append(c);
                else own.append(' ');
            }
            Matcher l = LABEL.matcher(own);
            Class<?> fam = null;
            boolean allOps = true, hasDefault = false, any = false;
            while (l.find()) {
                if (l.group(1) == null) { hasDefault = true; continue; }
                for (String name : l.group(1).split("\\s*,\\s*")) {
                    any = true;
                    Class<?> f = family.get(name);
                    if (f == null || f == Void.class || (fam != null && fam != f)) allOps = false;
                    else fam = f;
                }
            }
            if (any && allOps && hasDefault) out.add(file + ":" + (code.substring(0, m.start()).split("\n", -1).length));
        }
        return out;
    }

    @Test
    void noDefaultInASwitchOverAnOpFamily() throws IOException {
        Map<String, Class<?>> family = families();
        List<String> found = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList())
                    found.addAll(violations(f.toString(), Files.readString(f), family));
            }
        }
        assertEquals(List.of(), found, "switches over an op family with a default");
    }

    @Test
    void theScanFindsADefault() {
        String planted = "class X { void f(UnaryOp op) { switch (op) { case EXP -> a(); case LOG -> b(); default -> c(); } } }";
        assertEquals(List.of("X.java:1"), violations("X.java", planted, families()));
        assertTrue(violations("X.java", planted.replace("default -> c();", "case SIN -> c();"), families()).isEmpty());
    }
}
