package dev.jtorch.io;

import static dev.jtorch.backend.cpu.LowLimits.isNative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.backend.cpu.LowLimits;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers and writers on tensors too large for a Java array (issue 17, items 3 and 6), without huge memory: the
 * CPU backend's array limit is lowered to {@value #LIMIT} elements (and its staging pieces to {@value #PIECE}), so the
 * tensors below, of about a million elements, live in native memory and are read and written a chunk at a time
 * through {@link RawArrays#CHUNK}-byte buffers, over several chunks. Each is compared bit for bit with the same values
 * in a Java array, and the bytes written with the bytes the array path writes, which the goldens of NpyTest and
 * SafeTensorsTest tie to numpy's and safetensors' layout.
 */
class RoundTripBeyondArraysTest {
    @TempDir Path dir;

    static final long LIMIT = 10_000;
    static final int PIECE = 1000;
    /** More than one chunk of 1-byte elements, nine of float64. */
    static final long[] SHAPE = {5, 300, 701};

    private static LowLimits low() { return LowLimits.set(LIMIT, PIECE); }

    /** Deterministic values of each dtype over the whole range that matters: signs, fractions, wrapped integers. */
    private static Tensor values(DType dtype, long... shape) {
        Torch.manualSeed(dtype.ordinal() + 17);
        return switch (dtype) {
            case bool -> Torch.randn(shape).gt(0.3);
            case int64 -> Torch.randint(-(1L << 62), 1L << 62, shape, DType.int64);
            case float16, bfloat16, float32, float64 -> Torch.randn(shape, DType.float64).mul(1000).to(dtype);
            default -> Torch.randint(-(1L << 40), 1L << 40, shape, DType.int64).to(dtype); // wraps like a C cast
        };
    }

    /** A native-memory copy of an array tensor. */
    private static Tensor nativeCopy(Tensor a) {
        try (var limits = low()) {
            Tensor n = a.clone();
            assertTrue(isNative(n), "native storage for " + a.numel() + " elements");
            return n;
        }
    }

    /** Same dtype, shape and bits. */
    static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what);
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what);
        if (expected.dtype().isFloatingPoint())
            assertArrayEquals(expected.to(DType.float64).toDoubleArray(), actual.to(DType.float64).toDoubleArray(), what);
        else assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what);
        assertArrayEquals(RawArrays.toBytes(expected, ByteOrder.LITTLE_ENDIAN), RawArrays.toBytes(actual, ByteOrder.LITTLE_ENDIAN), what);
    }

    private static final List<DType> NUMPY_DTYPES = List.of(DType.bool, DType.uint8, DType.int8, DType.int16, DType.int32, DType.int64,
            DType.float16, DType.float32, DType.float64);

    @Test
    void npyOfEveryDtype() throws IOException {
        for (DType dtype : NUMPY_DTYPES) {
            Tensor a = values(dtype, SHAPE), n = nativeCopy(a);
            Path fromArray = dir.resolve("a.npy"), fromNative = dir.resolve("n.npy");
            Npy.save(a, fromArray);
            try (var limits = low()) {
                Npy.save(n, fromNative);
                assertArrayEquals(Files.readAllBytes(fromArray), Files.readAllBytes(fromNative), dtype + ": the same bytes from native storage");
                assertArrayEquals(Npy.toBytes(a), Npy.toBytes(n), dtype + ": toBytes");
                Tensor loaded = Npy.load(fromArray);
                assertTrue(isNative(loaded), dtype + ": loads into native storage");
                assertSameBits(a, loaded, dtype + " via native storage");
            }
            Tensor loaded = Npy.load(fromNative);
            assertFalse(isNative(loaded));
            assertSameBits(a, loaded, dtype + " via an array");
        }
    }

    @Test
    void bigEndianAndFortranOrderIntoNativeStorage() throws IOException {
        Tensor a = values(DType.float64, SHAPE);
        byte[] be = npy("'>f8'", false, SHAPE, RawArrays.toBytes(a, ByteOrder.BIG_ENDIAN));
        // Fortran order: the data of the transposed tensor in C order, under the original shape.
        Tensor i = values(DType.int32, SHAPE);
        byte[] fortran = npy("'<i4'", true, SHAPE, RawArrays.toBytes(i.permute(2, 1, 0).contiguous(), ByteOrder.LITTLE_ENDIAN));
        try (var limits = low()) {
            Tensor loaded = Npy.parse(ByteBuffer.wrap(be), "be.npy");
            assertTrue(isNative(loaded));
            assertSameBits(a, loaded, "big-endian");
            loaded = Npy.parse(ByteBuffer.wrap(fortran), "f.npy");
            assertTrue(isNative(loaded));
            assertSameBits(i, loaded, "fortran order");
        }
        assertSameBits(a, Npy.parse(ByteBuffer.wrap(be), "be.npy"), "big-endian via an array");
        assertSameBits(i, Npy.parse(ByteBuffer.wrap(fortran), "f.npy"), "fortran order via an array");
    }

    /** A .npy image with the given descr, order and shape over {@code data}. */
    private static byte[] npy(String descr, boolean fortran, long[] shape, byte[] data) {
        StringBuilder h = new StringBuilder("{'descr': " + descr + ", 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (");
        for (long d : shape) h.append(d).append(", ");
        h.append("), }");
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        byte[] hb = (h + "\n").getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(10 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) hb.length).put(hb).put(data).array();
    }

    @Test
    void stridedNativeTensorsAreWrittenInCOrder() throws IOException {
        // A transposed view (whole rows per piece) and rows longer than a chunk (pieces of one row): both in C order.
        Tensor a = values(DType.float64, SHAPE), wide = values(DType.float64, 3, 200_000);
        Tensor na = nativeCopy(a), nwide = nativeCopy(wide);
        List<Tensor> views = List.of(a.permute(2, 0, 1), a.narrow(1, 7, 250).select(2, 3), wide, wide.narrow(1, 5, 190_000), wide.t());
        try (var limits = low()) {
            List<Tensor> nativeViews = List.of(na.permute(2, 0, 1), na.narrow(1, 7, 250).select(2, 3), nwide, nwide.narrow(1, 5, 190_000), nwide.t());
            for (int v = 0; v < views.size(); v++) {
                byte[] expected = RawArrays.toBytes(views.get(v).contiguous(), ByteOrder.LITTLE_ENDIAN);
                assertArrayEquals(expected, RawArrays.toBytes(views.get(v), ByteOrder.LITTLE_ENDIAN), "view " + v + " from an array");
                assertArrayEquals(expected, RawArrays.toBytes(nativeViews.get(v), ByteOrder.LITTLE_ENDIAN), "view " + v + " from native storage");
                Path p = dir.resolve("v.npy");
                Npy.save(nativeViews.get(v), p);
                assertSameBits(views.get(v).contiguous(), Npy.load(p), "view " + v);
            }
        }
    }

    @Test
    void npzStoredAndDeflated() throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>(), natives = new LinkedHashMap<>();
        for (DType dtype : List.of(DType.float32, DType.uint8, DType.int64, DType.bool)) {
            Tensor a = values(dtype, SHAPE);
            arrays.put(dtype.name(), a);
            natives.put(dtype.name(), nativeCopy(a));
        }
        arrays.put("small", Torch.arange(5));
        natives.put("small", Torch.arange(5));
        Path stored = dir.resolve("stored.npz");
        try (var limits = low()) {
            Npy.saveNpz(natives, stored);
        }
        // An independent reader: java.util.zip checks each stored entry's size and CRC-32 against its bytes.
        int entries = 0;
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(stored)))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; entries++) {
                String key = e.getName().replace(".npy", "");
                assertEquals(ZipEntry.STORED, e.getMethod());
                assertArrayEquals(Npy.toBytes(arrays.get(key)), z.readAllBytes(), key + ": the bytes of the array path");
            }
        }
        assertEquals(arrays.size(), entries);
        // Deflated (fast, at level 1): the 1-byte dtypes, still more than a chunk each.
        Map<String, Tensor> deflatedArrays = new LinkedHashMap<>();
        List<ZipBytes.Entry> deflatedEntries = new ArrayList<>();
        for (String key : List.of("uint8", "bool", "small")) {
            deflatedArrays.put(key, arrays.get(key));
            deflatedEntries.add(ZipBytes.deflated(key + ".npy", Npy.toBytes(arrays.get(key)), 1));
        }
        Path deflated = dir.resolve("deflated.npz");
        Files.write(deflated, ZipBytes.archive(deflatedEntries));
        for (Path p : List.of(stored, deflated)) {
            Map<String, Tensor> expected = p == stored ? arrays : deflatedArrays;
            try (var limits = low()) {
                Map<String, Tensor> loaded = Npy.loadNpz(p);
                assertEquals(List.copyOf(expected.keySet()), List.copyOf(loaded.keySet()));
                for (var e : expected.entrySet()) {
                    assertEquals(e.getValue().numel() > LIMIT, isNative(loaded.get(e.getKey())), e.getKey());
                    assertSameBits(e.getValue(), loaded.get(e.getKey()), p.getFileName() + " " + e.getKey());
                }
            }
            Map<String, Tensor> loaded = Npy.loadNpz(p);
            for (var e : expected.entrySet()) assertSameBits(e.getValue(), loaded.get(e.getKey()), p.getFileName() + " " + e.getKey() + " via arrays");
        }
    }

    @Test
    void safetensorsOfEveryDtype() throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>(), natives = new LinkedHashMap<>();
        for (DType dtype : DType.values()) {
            Tensor a = values(dtype, 3, 41, 101); // 12423 elements: native, in one chunk or a few
            arrays.put("t_" + dtype.name(), a);
            natives.put("t_" + dtype.name(), nativeCopy(a));
        }
        Tensor big = values(DType.float32, SHAPE);
        arrays.put("big", big.transpose(0, 2));
        natives.put("big", nativeCopy(big).transpose(0, 2)); // a strided native view, written in C order
        Path fromArrays = dir.resolve("a.safetensors"), fromNatives = dir.resolve("n.safetensors");
        SafeTensors.saveFile(arrays, fromArrays, Map.of("k", "v"));
        try (var limits = low()) {
            SafeTensors.saveFile(natives, fromNatives, Map.of("k", "v"));
            assertArrayEquals(Files.readAllBytes(fromArrays), Files.readAllBytes(fromNatives), "the same bytes from native storage");
            Map<String, Tensor> loaded = SafeTensors.loadFile(fromNatives);
            for (var e : arrays.entrySet()) {
                assertTrue(isNative(loaded.get(e.getKey())), e.getKey());
                assertSameBits(e.getValue().contiguous(), loaded.get(e.getKey()), e.getKey());
            }
        }
        Map<String, Tensor> loaded = SafeTensors.loadFile(fromNatives);
        for (var e : arrays.entrySet()) assertSameBits(e.getValue().contiguous(), loaded.get(e.getKey()), e.getKey() + " via arrays");
    }

    @Test
    void piecesCoverEveryElementInCOrder() throws IOException {
        Tensor x = Torch.arange(4 * 7 * 3).reshape(4, 7, 3);
        List<Tensor> views = List.of(x, x.permute(2, 0, 1), x.narrow(1, 2, 4), x.get(1), x.get(1, 2, 0), x.narrow(0, 0, 0), x.transpose(0, 2));
        for (Tensor v : views) {
            for (long max : new long[]{1, 2, 5, 7, 20, 21, 22, 100}) {
                List<Long> seen = new ArrayList<>();
                RawArrays.forEachPiece(v, max, piece -> {
                    assertTrue(piece.numel() <= max && piece.numel() > 0, "a piece of " + piece.numel() + " elements for max " + max);
                    for (long e : piece.reshape(-1).toLongArray()) seen.add(e);
                });
                List<Long> expected = new ArrayList<>();
                for (long e : v.reshape(-1).toLongArray()) expected.add(e);
                assertEquals(expected, seen, v.shape() + " in pieces of at most " + max);
            }
        }
    }
}
