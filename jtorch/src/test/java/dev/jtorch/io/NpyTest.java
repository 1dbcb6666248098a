package dev.jtorch.io;

import static dev.jtorch.io.IoGoldens.assertCase;
import static dev.jtorch.io.IoGoldens.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir Path dir;

    private static final List<String> C_ORDER = List.of("c_bool", "c_uint8", "c_int8", "c_int16", "c_int32", "c_int64",
            "c_float16", "c_float32", "c_float64", "scalar_float64", "empty_float32", "vec_int32");

    @Test
    void loadsAndRewritesNumpysBytesExactly() throws IOException {
        for (String n : C_ORDER) {
            Tensor t = Npy.load(path(n + ".npy"));
            assertCase(n + ".npy", t);
            assertArrayEquals(Files.readAllBytes(path(n + ".npy")), Npy.toBytes(t), n);
            Path out = dir.resolve(n + ".npy");
            Npy.save(t, out);
            assertArrayEquals(Files.readAllBytes(path(n + ".npy")), Files.readAllBytes(out), n);
        }
    }

    @Test
    void independentlyBuiltTensorWritesNumpysBytes() throws IOException {
        Tensor t = Torch.fromArray(new int[]{-2147483648, 26, 63, 100, 137, 174, 2147483647}, 7);
        assertArrayEquals(Files.readAllBytes(path("vec_int32.npy")), Npy.toBytes(t));
        byte[] b = Npy.toBytes(Torch.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
        String header = new String(b, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertEquals('\n', header.charAt(117));
    }

    @Test
    void loadsBigEndianFortranAndNewerVersions() throws IOException {
        for (String n : List.of("be_int16", "be_int32", "be_int64", "be_float16", "be_float32", "be_float64",
                "f_float32", "f_int64", "v2_float32", "v3_float32"))
            assertCase(n + ".npy", Npy.load(path(n + ".npy")));
        Tensor f = Npy.load(path("f_float32.npy"));
        assertTrue(f.isContiguous());
        assertArrayEquals(new long[]{2, 3, 4}, f.shape().toArray());
    }

    @Test
    void npzStoredAndDeflated() throws IOException {
        for (String file : List.of("stored.npz", "deflated.npz")) {
            Map<String, Tensor> m = Npy.loadNpz(path(file));
            assertEquals(List.of("w", "b", "mask"), List.copyOf(m.keySet()), file);
            for (var e : m.entrySet()) assertCase("npz:" + e.getKey(), e.getValue());
        }
    }

    @Test
    void savezEntriesAreNumpysNpyBytes() throws IOException {
        Map<String, Tensor> m = Npy.loadNpz(path("stored.npz"));
        Path out = dir.resolve("out.npz");
        Npy.saveNpz(m, out);
        try (ZipFile ours = new ZipFile(out.toFile()); ZipFile theirs = new ZipFile(path("stored.npz").toFile())) {
            for (String k : m.keySet()) {
                ZipEntry e = ours.getEntry(k + ".npy");
                assertEquals(ZipEntry.STORED, e.getMethod());
                assertArrayEquals(theirs.getInputStream(theirs.getEntry(k + ".npy")).readAllBytes(),
                        ours.getInputStream(e).readAllBytes(), k);
            }
        }
        Map<String, Tensor> back = Npy.loadNpz(out);
        for (var e : back.entrySet()) assertCase("npz:" + e.getKey(), e.getValue());
    }

    @Test
    void unsupportedDtypesFailClearly() {
        assertMessage(() -> Npy.load(path("object.npy")), "object arrays");
        assertMessage(() -> Npy.load(path("complex64.npy")), "complex");
        assertMessage(() -> Npy.load(path("uint16.npy")), "unsupported numpy dtype '<u2'");
        assertMessage(() -> Npy.toBytes(Torch.zeros(new long[]{2}, DType.bfloat16)), "bfloat16");
    }

    @Test
    void corruptFilesFailClearly() throws IOException {
        byte[] good = Files.readAllBytes(path("c_float32.npy"));
        assertMessage(() -> parse(java.util.Arrays.copyOf(good, good.length - 1)), "only 23 bytes are present");
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertMessage(() -> parse(magic), "bad magic");
        byte[] hlen = good.clone();
        hlen[8] = (byte) 0xFF;
        hlen[9] = (byte) 0xFF;
        assertMessage(() -> parse(hlen), "EOF: reading array header, expected 65535 bytes got 142");
        String h = new String(good, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(2, 3), }   ", "(99999999999999999, 3), }");
        byte[] big = good.clone();
        System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, big, 0, 128);
        assertMessage(() -> parse(big), "only 24 bytes are present");
        String o = new String(good, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(2, 3), }   ", "(3037000500, 3037000500)}");
        byte[] overflow = good.clone();
        System.arraycopy(o.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, overflow, 0, 128);
        assertMessage(() -> parse(overflow), "overflows");
        byte[] version = good.clone();
        version[6] = 9;
        assertMessage(() -> parse(version), "version 9.0");
    }

    @Test
    void corruptNpzFailsClearly() throws IOException {
        Path bad = dir.resolve("bad.npz");
        Files.write(bad, new byte[]{1, 2, 3, 4, 5});
        assertMessage(() -> Npy.loadNpz(bad), "not a valid .npz");
    }

    private static Tensor parse(byte[] b) { return Npy.parse(java.nio.ByteBuffer.wrap(b), "test.npy"); }

    interface Call { void run() throws Exception; }

    static void assertMessage(Call c, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
