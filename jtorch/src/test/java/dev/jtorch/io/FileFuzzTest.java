package dev.jtorch.io;

import static dev.jtorch.io.IoGoldens.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds every reader (.npy, .npz stored and deflated, .safetensors) structured lies and random mutations of valid
 * files. Each input must either load or be refused with an {@link IllegalArgumentException} whose message names the
 * file; never an Error (OutOfMemoryError, StackOverflowError) or an internal exception. A .npz that loads must hold
 * the original's data, since every byte of its entries is covered by a CRC-32 (names are not). No input can make a
 * reader allocate more than about a thousand times its own length (the inputs are kilobytes): a tensor is allocated
 * only after its size is checked against the bytes present, the file's or the zip entry's declared size, and a
 * deflated entry may not declare more than deflate can produce from its compressed bytes; loaded tensors are checked
 * against that bound. The random part runs
 * a fixed count with fixed seeds; {@code -Djtorch.fuzzSeconds=600} runs it for that long instead (a new seed per round).
 */
class FileFuzzTest {
    @TempDir Path dir;

    private static final int RANDOM_PER_FILE = 200;

    /** A reader under test, and what it does with a file. */
    private enum Reader {
        NPY(".npy"), NPZ(".npz"), SAFETENSORS(".safetensors");

        final String extension;

        Reader(String extension) { this.extension = extension; }

        Map<String, Tensor> load(Path p) throws IOException {
            return switch (this) {
                case NPY -> Map.of("", Npy.load(p));
                case NPZ -> Npy.loadNpz(p);
                case SAFETENSORS -> SafeTensors.loadFile(p);
            };
        }
    }

    /** Inputs, loads and refusals for one reader. */
    private static final class Tally {
        long inputs, loaded, refused;

        @Override
        public String toString() { return inputs + " inputs: " + loaded + " loaded, " + refused + " refused"; }
    }

    private final Map<Reader, Tally> tallies = new LinkedHashMap<>();

    /** Writes {@code bytes} over the file in place: much faster than deleting and recreating it on a journaling file system. */
    static void overwrite(Path p, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes.length);
            f.seek(0);
            f.write(bytes);
        }
    }

    /** Loads one input and checks the outcome; {@code original} is what an unaltered .npz holds. */
    private void check(Reader reader, byte[] input, Map<String, Tensor> original, String label) throws IOException {
        Path p = dir.resolve("fuzz" + reader.extension);
        overwrite(p, input);
        Tally t = tallies.computeIfAbsent(reader, r -> new Tally());
        t.inputs++;
        Map<String, Tensor> got;
        try {
            got = reader.load(p);
        } catch (IllegalArgumentException e) {
            if (e.getClass() != IllegalArgumentException.class || e.getMessage() == null || !e.getMessage().contains(p.toString()))
                fail(label + ": refused without a message naming the file", e);
            t.refused++;
            return;
        } catch (Throwable e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            fail(label + ": " + e + "\n" + w + "\ninput: " + HexFormatted.of(input));
            return;
        }
        t.loaded++;
        long bytes = 0;
        for (Tensor x : got.values()) bytes += RawArrays.byteSize(x);
        assertTrue(bytes <= 1032L * input.length + 64, label + ": " + bytes + " bytes loaded from " + input.length);
        if (reader == Reader.NPZ) assertSame(original, got, label);
    }

    /**
     * The entries' data must be the original's, in order: the CRC-32 covers every byte of it. Names are not covered
     * (a mutation that changes a name alike in the directory and the local header loads under the new name in
     * Python's zipfile too), so only the count of entries is compared, not their keys.
     */
    private static void assertSame(Map<String, Tensor> want, Map<String, Tensor> got, String label) {
        assertEquals(want.size(), got.size(), label + ": a .npz that loads has the original entries, " + want.keySet() + " vs " + got.keySet());
        List<Tensor> a = List.copyOf(want.values()), b = List.copyOf(got.values());
        for (int i = 0; i < a.size(); i++) {
            String k = label + " entry " + i;
            assertEquals(a.get(i).dtype(), b.get(i).dtype(), k);
            assertArrayEquals(a.get(i).shape().toArray(), b.get(i).shape().toArray(), k);
            assertArrayEquals(RawArrays.toBytes(a.get(i), ByteOrder.LITTLE_ENDIAN), RawArrays.toBytes(b.get(i), ByteOrder.LITTLE_ENDIAN), k);
        }
    }

    /** Prints a short input in hex so that a failure can be reproduced. */
    private static final class HexFormatted {
        static String of(byte[] b) {
            return b.length > 4096 ? b.length + " bytes" : java.util.HexFormat.of().formatHex(b);
        }
    }

    private static final List<String> NPY_FILES = List.of("c_bool", "c_uint8", "c_int8", "c_int16", "c_int32", "c_int64", "c_float16",
            "c_float32", "c_float64", "scalar_float64", "empty_float32", "vec_int32", "be_float64", "f_int64", "v2_float32", "v3_float32");
    private static final List<String> SAFETENSORS_FILES = List.of("all", "meta", "empty", "legacy_order");

    private static byte[] golden(String name) throws IOException { return Files.readAllBytes(path(name)); }

    /** The .npz bases: numpy's stored and deflated archives, ours, and a ZIP64 one. */
    private Map<String, byte[]> npzBases() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("stored.npz", golden("stored.npz"));
        out.put("deflated.npz", golden("deflated.npz"));
        Path ours = dir.resolve("ours.npz");
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Torch.fromArray(new float[]{0, 1, 2, 3}, 2, 2));
        m.put("b", Torch.arange(5));
        Npy.saveNpz(m, ours);
        out.put("ours.npz", Files.readAllBytes(ours));
        out.put("zip64.npz", ZipBytes.archive(List.of(ZipBytes.deflated("x.npy", Npy.toBytes(Torch.arange(7))),
                ZipBytes.stored("y.npy", Npy.toBytes(Torch.fromArray(new double[]{1.5, -2}, 2)))), true));
        return out;
    }

    private Map<String, Tensor> loadOriginal(byte[] npz) throws IOException {
        Path p = dir.resolve("original.npz");
        overwrite(p, npz);
        return Npy.loadNpz(p);
    }

    @Test
    void everyReaderSurvivesLiesAndMutations() {
        long seconds = Long.getLong("jtorch.fuzzSeconds", 0);
        assertTimeoutPreemptively(Duration.ofSeconds(120 + seconds * 2), () -> run(seconds));
        for (var e : tallies.entrySet()) System.out.println("FileFuzzTest " + e.getKey() + ": " + e.getValue());
        for (Reader r : Reader.values()) {
            Tally t = tallies.get(r);
            assertTrue(t.loaded > 0 && t.refused > 0, r + " both loads and refuses: " + t);
        }
        long total = tallies.values().stream().mapToLong(t -> t.inputs).sum();
        assertTrue(total >= 5000, "inputs: " + total);
    }

    private void run(long seconds) throws IOException {
        Map<String, byte[]> npy = new LinkedHashMap<>();
        for (String n : NPY_FILES) npy.put(n + ".npy", golden(n + ".npy"));
        Map<String, byte[]> st = new LinkedHashMap<>();
        for (String n : SAFETENSORS_FILES) st.put(n + ".safetensors", golden(n + ".safetensors"));
        Map<String, byte[]> npz = npzBases();
        Map<String, Map<String, Tensor>> originals = new LinkedHashMap<>();
        for (var e : npz.entrySet()) originals.put(e.getKey(), loadOriginal(e.getValue()));

        for (var e : npy.entrySet()) check(Reader.NPY, e.getValue(), null, e.getKey());
        for (var e : st.entrySet()) check(Reader.SAFETENSORS, e.getValue(), null, e.getKey());
        for (var e : npz.entrySet()) check(Reader.NPZ, e.getValue(), originals.get(e.getKey()), e.getKey());
        assertEquals(npy.size() + st.size() + npz.size(), tallies.values().stream().mapToLong(t -> t.loaded).sum(), "every base file loads");

        for (var e : npy.entrySet()) for (byte[] lie : npyLies(e.getValue())) check(Reader.NPY, lie, null, "npy lie on " + e.getKey());
        for (var e : st.entrySet()) for (byte[] lie : safetensorsLies(e.getValue())) check(Reader.SAFETENSORS, lie, null, "safetensors lie on " + e.getKey());
        for (var e : npz.entrySet())
            for (byte[] lie : npzLies(e.getValue())) check(Reader.NPZ, lie, originals.get(e.getKey()), "npz lie on " + e.getKey());
        for (byte[] lie : npzBombs()) check(Reader.NPZ, lie, Map.of(), "npz bomb");

        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long round = 0;
        do {
            SplittableRandom rnd = new SplittableRandom(1234 + round);
            for (var e : npy.entrySet())
                for (int i = 0; i < RANDOM_PER_FILE; i++) check(Reader.NPY, mutate(e.getValue(), rnd), null, "round " + round + " " + e.getKey() + " #" + i);
            for (var e : st.entrySet())
                for (int i = 0; i < RANDOM_PER_FILE; i++)
                    check(Reader.SAFETENSORS, mutate(e.getValue(), rnd), null, "round " + round + " " + e.getKey() + " #" + i);
            for (var e : npz.entrySet())
                for (int i = 0; i < RANDOM_PER_FILE * 2; i++)
                    check(Reader.NPZ, mutate(e.getValue(), rnd), originals.get(e.getKey()), "round " + round + " " + e.getKey() + " #" + i);
            round++;
        } while (System.nanoTime() < deadline);
    }

    // ---- random mutations ----

    private static final long[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL,
            Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 1L << 40, 3_000_000_000L};

    /** One to four random edits: bit flips, interesting bytes and integers, insertions, deletions, duplications, truncation. */
    static byte[] mutate(byte[] in, SplittableRandom rnd) {
        byte[] b = in.clone();
        for (int edits = 1 + rnd.nextInt(4); edits > 0; edits--) {
            int n = b.length;
            int at = n == 0 ? 0 : rnd.nextInt(n);
            switch (rnd.nextInt(8)) {
                case 0 -> { if (n > 0) b[at] ^= (byte) (1 << rnd.nextInt(8)); }
                case 1 -> { if (n > 0) b[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)]; }
                case 2 -> {
                    // A little-endian integer of 2, 4 or 8 bytes: sizes, offsets and counts in every format.
                    int width = 2 << rnd.nextInt(3);
                    if (at + width <= n) {
                        long v = rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)] : n + rnd.nextInt(-2, 3);
                        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                        switch (width) {
                            case 2 -> w.putShort(at, (short) v);
                            case 4 -> w.putInt(at, (int) v);
                            default -> w.putLong(at, v);
                        }
                    }
                }
                case 3 -> {
                    byte[] ins = new byte[1 + rnd.nextInt(16)];
                    rnd.nextBytes(ins);
                    b = splice(b, at, 0, ins);
                }
                case 4 -> b = splice(b, at, Math.min(n - at, 1 + rnd.nextInt(16)), new byte[0]);
                case 5 -> {
                    int len = Math.min(n - at, 1 + rnd.nextInt(64));
                    b = splice(b, rnd.nextInt(n + 1), 0, Arrays.copyOfRange(b, at, at + len));
                }
                case 6 -> b = Arrays.copyOf(b, at);
                default -> { if (n > 0) b[at] = (byte) rnd.nextInt(256); }
            }
        }
        return b;
    }

    static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    // ---- structured lies: .npy ----

    private static final List<String> NPY_HEADERS = List.of(
            // shapes
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3037000500, 3037000500), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (375000000,), }",
            "{'descr': '|b1', 'fortran_order': True, 'shape': (1073741824, 2, 0), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1, ".repeat(1000) + "), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': ((2, 3),), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3], }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (0x10,), }",
            // dtypes
            "{'descr': '<f3', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '<f16', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': 'x', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '<U10', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '|V8', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
            "{'descr': 3, 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '=f4', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '>b1', 'fortran_order': False, 'shape': (2,), }",
            // other keys and syntax
            "{'descr': '<f4', 'fortran_order': None, 'shape': (2,), }",
            "{'descr': '<f4', 'fortran_order': 1, 'shape': (2,), }",
            "{'descr': '<f4', 'shape': (2,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1, }",
            "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ",
            "{'descr': '<f4, 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) }}",
            "{'descr': '<f4' 'fortran_order': False, 'shape': (2,), }",
            "{'d\u00e9scr': '<f4', 'fortran_order': False, 'shape': (2,), }",
            "['<f4', False, (2,)]",
            "{",
            "",
            "{}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" + " ".repeat(11000));

    /** The structured lies for one .npy: bad framing, and every header above spliced over its data. */
    static List<byte[]> npyLies(byte[] good) {
        List<byte[]> out = new ArrayList<>();
        int major = good[6];
        int lenBytes = major == 1 ? 2 : 4;
        int dataStart = 8 + lenBytes + (int) (major == 1 ? ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF
                : ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
        byte[] data = Arrays.copyOfRange(good, dataStart, good.length);
        for (int[] v : new int[][]{{0, 0}, {1, 1}, {2, 0}, {3, 0}, {4, 0}, {255, 255}}) {
            byte[] b = good.clone();
            b[6] = (byte) v[0];
            b[7] = (byte) v[1];
            out.add(b);
        }
        for (long len : new long[]{0, 1, 0xFFFF, 0xFFFFFFFFL, 0x7FFFFFFF, 0x80000000L, dataStart - 8 - lenBytes + 1, dataStart - 8 - lenBytes - 1}) {
            byte[] b = good.clone();
            ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            if (lenBytes == 2) w.putShort(8, (short) len); else w.putInt(8, (int) len);
            out.add(b);
        }
        for (String h : NPY_HEADERS) {
            for (int version : new int[]{1, 3}) {
                byte[] hb = (h + "\n").getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                ByteBuffer b = ByteBuffer.allocate(12 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
                b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
                if (version == 1 && hb.length > 0xFFFF) continue;
                if (version == 1) b.putShort((short) hb.length); else b.putInt(hb.length);
                b.put(hb).put(data);
                out.add(Arrays.copyOf(b.array(), b.position()));
            }
        }
        // Truncation at every boundary: inside the magic, the version, the length, the header, and the data.
        for (int n : new int[]{0, 1, 5, 6, 7, 8, 9, 10, dataStart - 1, dataStart, dataStart + 1, good.length - 1})
            if (n >= 0 && n < good.length) out.add(Arrays.copyOf(good, n));
        return out;
    }

    // ---- structured lies: .safetensors ----

    private static final List<String> SAFETENSORS_HEADERS = List.of(
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,9223372036854775807]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[9223372036854775800,9223372036854775807]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,-8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0.0,8.0]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,1e1]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":\"0,8\"}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F64\",\"shape\":[375000000],\"data_offsets\":[0,3000000000]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[" + "9".repeat(400) + "],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[1" + "0".repeat(400) + "e-400],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}",
            "{\"x\":[1,2]}",
            "{\"x\":null}",
            "{\"__metadata__\":{\"a\":1},\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"__metadata__\":[1],\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"__metadata__\":{\"a\":\"b\"},\"__metadata__\":{},\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\\u0000\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\\ud800\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\\u12\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\\q\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"n\":NaN}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"n\":-}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"n\":tru}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"n\":01}",
            "{" + "[".repeat(100_000),
            "{\"a\":" + "{\"a\":".repeat(100_000),
            "\ufeff{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
            "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}\u0000",
            "{\"unterminated",
            "{",
            "",
            "null",
            "[]");

    /** The structured lies for one .safetensors: header sizes, every header above over 8 data bytes, and truncations. */
    static List<byte[]> safetensorsLies(byte[] good) {
        List<byte[]> out = new ArrayList<>();
        long n = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (long v : new long[]{0, 1, 2, n - 1, n + 1, n + 8, good.length - 8, good.length, 100_000_000, 100_000_001, 1L << 40, -1, Long.MIN_VALUE}) {
            byte[] b = good.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
            out.add(b);
        }
        for (String h : SAFETENSORS_HEADERS) {
            byte[] hb = h.getBytes(StandardCharsets.UTF_8);
            out.add(ByteBuffer.allocate(8 + hb.length + 8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).put(hb).array());
        }
        byte[] notUtf8 = ByteBuffer.allocate(8 + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(4).put(new byte[]{'{', (byte) 0xC3, (byte) 0x28, '}'}).array();
        out.add(notUtf8);
        for (long cut : new long[]{0, 4, 7, 8, 9, 8 + n - 1, 8 + n, 8 + n + 1, good.length - 1})
            if (cut >= 0 && cut < good.length) out.add(Arrays.copyOf(good, (int) cut));
        return out;
    }

    // ---- structured lies: .npz ----

    /** Where the parts of an archive lie, read from its end record and central directory. */
    private record Layout(int cdStart, int cdSize, int end, List<Integer> central, List<Integer> local) {
        static Layout of(byte[] z) {
            ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
            int end = z.length - 22;
            while (b.getInt(end) != 0x06054b50) end--;
            int count = b.getShort(end + 10) & 0xFFFF;
            int cdSize = b.getInt(end + 12), cdStart = b.getInt(end + 16);
            boolean zip64 = count == 0xFFFF;
            if (zip64) {
                int e64 = end - 20 - 56;
                count = (int) b.getLong(e64 + 32);
                cdSize = (int) b.getLong(e64 + 40);
                cdStart = (int) b.getLong(e64 + 48);
            }
            List<Integer> central = new ArrayList<>(), local = new ArrayList<>();
            for (int p = cdStart, i = 0; i < count; i++) {
                central.add(p);
                long off = b.getInt(p + 42) & 0xFFFFFFFFL;
                int extra = b.getShort(p + 30) & 0xFFFF, nameLength = b.getShort(p + 28) & 0xFFFF;
                if (off == 0xFFFFFFFFL) off = b.getLong(p + 46 + nameLength + 4 + 16);
                local.add((int) off);
                p += 46 + nameLength + extra + (b.getShort(p + 32) & 0xFFFF);
            }
            return new Layout(cdStart, cdSize, end, central, local);
        }
    }

    private static byte[] withInt(byte[] z, int at, int width, long v) {
        byte[] b = z.clone();
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 2 -> w.putShort(at, (short) v);
            case 4 -> w.putInt(at, (int) v);
            default -> w.putLong(at, v);
        }
        return b;
    }

    /** The structured lies for one archive: each field of each record changed, CRC and data flips, and truncation at every record. */
    static List<byte[]> npzLies(byte[] z) {
        List<byte[]> out = new ArrayList<>();
        Layout l = Layout.of(z);
        ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        long[] values32 = {0, 1, 0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, z.length, z.length + 1};
        for (int e = 0; e < l.central.size(); e++) {
            int c = l.central.get(e), loc = l.local.get(e);
            for (long v : values32) {
                for (int field : new int[]{16, 20, 24, 42}) out.add(withInt(z, c + field, 4, v)); // crc, sizes, offset
                for (int field : new int[]{14, 18, 22}) out.add(withInt(z, loc + field, 4, v)); // the local header's copies
            }
            for (int delta : new int[]{-1, 1, -30, 30}) {
                out.add(withInt(z, c + 20, 4, (b.getInt(c + 20) & 0xFFFFFFFFL) + delta));
                out.add(withInt(z, c + 24, 4, (b.getInt(c + 24) & 0xFFFFFFFFL) + delta));
                out.add(withInt(z, c + 42, 4, (b.getInt(c + 42) & 0xFFFFFFFFL) + delta));
            }
            for (int method : new int[]{0, 1, 8, 12, 14, 99, 0xFFFF}) out.add(withInt(z, c + 10, 2, method));
            for (int flags : new int[]{1, 8, 1 << 6, 0xFFFF}) out.add(withInt(z, c + 8, 2, flags));
            for (long v : new long[]{0, 1, 0xFFFF}) {
                out.add(withInt(z, c + 28, 2, v)); // name, extra and comment lengths
                out.add(withInt(z, c + 30, 2, v));
                out.add(withInt(z, c + 32, 2, v));
                out.add(withInt(z, loc + 26, 2, v));
                out.add(withInt(z, loc + 28, 2, v));
                out.add(withInt(z, c + 34, 2, v)); // disk number
            }
            // Another entry's local header offset: two entries over the same bytes.
            for (int other : l.local) if (other != loc) out.add(withInt(z, c + 42, 4, other));
            // A flipped bit in the CRC, and in each of the first data bytes.
            byte[] crc = z.clone();
            crc[c + 16] ^= 1;
            out.add(crc);
            int start = loc + 30 + (b.getShort(loc + 26) & 0xFFFF) + (b.getShort(loc + 28) & 0xFFFF);
            int packed = b.getInt(c + 20);
            for (int i = 0; i < Math.min(packed, 200); i += 7) {
                byte[] d = z.clone();
                d[start + i] ^= (byte) (1 << (i % 8));
                out.add(d);
            }
            // The name changed in the directory only, and made equal to another entry's name.
            byte[] name = z.clone();
            name[c + 46] ^= 0x20;
            out.add(name);
            for (int f = 0; f < l.central.size(); f++)
                if (f != e && (b.getShort(l.central.get(f) + 28) == b.getShort(c + 28))) {
                    byte[] dup = z.clone();
                    int len = b.getShort(c + 28);
                    System.arraycopy(z, l.central.get(f) + 46, dup, c + 46, len);
                    System.arraycopy(z, l.local.get(f) + 30, dup, loc + 30, len);
                    out.add(dup);
                }
            // Truncation inside this entry's header and data.
            for (int cut : new int[]{loc, loc + 1, loc + 29, loc + 30, start, start + 1, start + packed - 1, start + packed})
                if (cut < z.length) out.add(Arrays.copyOf(z, cut));
        }
        // The end record and the ZIP64 records.
        for (int field : new int[]{4, 6, 8, 10}) for (long v : new long[]{0, 1, 2, 0xFFFF}) out.add(withInt(z, l.end + field, 2, v));
        for (int field : new int[]{12, 16}) for (long v : values32) out.add(withInt(z, l.end + field, 4, v));
        for (long v : new long[]{1, 22, 0xFFFF}) out.add(withInt(z, l.end + 20, 2, v));
        if ((b.getShort(l.end + 10) & 0xFFFF) == 0xFFFF) {
            int e64 = l.end - 20 - 56;
            for (int field : new int[]{16, 20}) out.add(withInt(z, e64 + field, 4, 1));
            for (int field : new int[]{24, 32, 40, 48})
                for (long v : new long[]{0, 1, -1, Long.MAX_VALUE, 1L << 32, z.length}) out.add(withInt(z, e64 + field, 8, v));
            out.add(withInt(z, l.end - 20 + 8, 8, 0));
            out.add(withInt(z, l.end - 20 + 16, 4, 2));
        }
        for (int cut : new int[]{0, 4, 21, 22, l.cdStart - 1, l.cdStart, l.cdStart + 1, l.cdStart + l.cdSize - 1, l.end, l.end + 1, z.length - 1})
            if (cut >= 0 && cut < z.length) out.add(Arrays.copyOf(z, cut));
        out.add(splice(z, 0, 0, new byte[]{'P', 'K', 0, 0})); // bytes prepended before the archive
        out.add(splice(z, z.length, 0, new byte[]{1, 2, 3})); // and appended after it
        return out;
    }

    /** Shared-stream and ratio bombs, small enough to build in milliseconds; none may load. */
    static List<byte[]> npzBombs() {
        List<byte[]> out = new ArrayList<>();
        byte[] npy = Npy.toBytes(Torch.zeros(1 << 16));
        ZipBytes.Entry e = ZipBytes.deflated("a.npy", npy);
        ByteArrayOutputStream shared = new ByteArrayOutputStream();
        shared.writeBytes(ZipBytes.local(e));
        shared.writeBytes(e.data());
        List<ZipBytes.Entry> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) names.add(e.withName(i == 0 ? "a.npy" : "a" + i + ".npy"));
        out.add(ZipBytes.finish(shared, names, java.util.Collections.nCopies(30, 0L), false));
        out.add(ZipBytes.archive(List.of(e.withSize(1000))));
        out.add(ZipBytes.archive(List.of(e.withSize(npy.length * 2L))));
        out.add(ZipBytes.archive(List.of(e.withSize(1L << 40))));
        out.add(ZipBytes.archive(List.of(e, e)));
        out.add(ZipBytes.archive(List.of(e, e.withName("a"))));
        out.add(ZipBytes.archive(List.of(e.withCrc(e.crc() ^ 1))));
        return out;
    }
}
