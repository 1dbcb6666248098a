package dev.jtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorch.DType;
import dev.jtorch.GoldenText;
import dev.jtorch.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The io goldens (golden/io, written by gen_io.py beside them) and their expected values (cases.txt). */
final class IoGoldens {
    private IoGoldens() {}

    record Case(String name, DType dtype, long[] shape, String[] values) {}

    static final Map<String, Case> CASES = load();

    private static Map<String, Case> load() {
        try (InputStream in = IoGoldens.class.getResourceAsStream("/golden/io/cases.txt")) {
            Map<String, Case> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split(" ");
                String dims = f[2].substring(1, f[2].length() - 1);
                long[] shape = dims.isEmpty() ? new long[0] : Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
                out.put(f[0], new Case(f[0], DType.valueOf(f[1]), shape, Arrays.copyOfRange(f, 3, f.length)));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path path(String name) {
        try {
            return Path.of(IoGoldens.class.getResource("/golden/io/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts dtype, shape and every value of {@code t} against the named case. */
    static void assertCase(String name, Tensor t) {
        Case c = CASES.get(name);
        if (c == null) throw new IllegalStateException("no case " + name);
        assertEquals(c.dtype(), t.dtype(), name);
        assertArrayEquals(c.shape(), t.shape().toArray(), name);
        assertEquals(c.values().length, t.numel(), name);
        if (c.dtype().isFloatingPoint()) {
            double[] want = Arrays.stream(c.values()).mapToDouble(GoldenText::number).toArray();
            assertArrayEquals(want, t.toDoubleArray(), 0.0, name);
        } else if (c.dtype() == DType.bool) {
            boolean[] got = t.toBooleanArray();
            for (int i = 0; i < got.length; i++) assertEquals(c.values()[i].equals("1"), got[i], name + "[" + i + "]");
        } else {
            assertArrayEquals(Arrays.stream(c.values()).mapToLong(Long::parseLong).toArray(), t.toLongArray(), name);
        }
    }
}
