package dev.jtorch.io;

import static dev.jtorch.io.IoGoldens.assertCase;
import static dev.jtorch.io.IoGoldens.path;
import static dev.jtorch.io.NpyTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir Path dir;

    @Test
    void loadsEveryDtypeAndRewritesTheSameBytes() throws IOException {
        Map<String, Tensor> m = SafeTensors.loadFile(path("all.safetensors"));
        assertEquals(List.of("brain", "empty", "half", "idx", "layer.0.bias", "layer.0.weight", "layer.10.bias", "mask",
                "pixels", "q", "s", "scalar", "step"), List.copyOf(m.keySet()));
        for (var e : m.entrySet()) assertCase("st:" + e.getKey(), e.getValue());
        Path out = dir.resolve("out.safetensors");
        SafeTensors.saveFile(m, out);
        assertArrayEquals(Files.readAllBytes(path("all.safetensors")), Files.readAllBytes(out));
    }

    /** The Rust crate's own test_serialization and test_empty expectations, independent of gen_io.py. */
    @Test
    void matchesTheRustCratesSerializationTests() throws IOException {
        Path out = dir.resolve("a.safetensors");
        SafeTensors.saveFile(Map.of("attn.0", Torch.fromArray(new float[]{0, 1, 2, 3, 4, 5}, 1, 2, 3)), out);
        byte[] b = Files.readAllBytes(out);
        assertEquals(64, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
                new String(b, 8, 64, StandardCharsets.UTF_8));
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, SafeTensors.loadFile(out).get("attn.0").toFloatArray());
        assertEquals(8 + 64 + 24, b.length);
        SafeTensors.saveFile(Map.of("attn0", Torch.fromArray(new float[]{0, 1, 2, 3, 4, 5}, 1, 1, 2, 3)), out);
        assertEquals(72, ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).getLong());
        SafeTensors.saveFile(Map.of(), out);
        assertArrayEquals(new byte[]{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', 32, 32, 32, 32, 32, 32}, Files.readAllBytes(out));
        SafeTensors.saveFile(Map.of(), out, Map.of("framework", "pt"));
        assertEquals(8 + 40, Files.readAllBytes(out).length);
        assertEquals("{\"__metadata__\":{\"framework\":\"pt\"}}     ", new String(Files.readAllBytes(out), 8, 40, StandardCharsets.UTF_8));
        SafeTensors.saveFile(Map.of(), out);
        assertArrayEquals(Files.readAllBytes(path("empty.safetensors")), Files.readAllBytes(out));
        assertEquals(Map.of(), SafeTensors.loadFile(out));
    }

    @Test
    void metadataRoundTripsWithEscapes() throws IOException {
        Path out = dir.resolve("m.safetensors");
        Map<String, String> meta = Map.of("format", "pt", "note", "quote \" slash \\ é");
        SafeTensors.saveFile(Map.of("x", Torch.fromArray(new float[]{1, 2})), out, meta);
        assertArrayEquals(Files.readAllBytes(path("meta.safetensors")), Files.readAllBytes(out));
        assertEquals(meta, SafeTensors.metadata(path("meta.safetensors")));
        assertArrayEquals(new float[]{1, 2}, SafeTensors.loadFile(out).get("x").toFloatArray());
    }

    @Test
    void namesAreEscapedAsSerdeJsonDoes() throws IOException {
        String name = "a\"b\\c\nd\u0001é";
        Path out = dir.resolve("n.safetensors");
        SafeTensors.saveFile(Map.of(name, Torch.fromArray(new int[]{5})), out);
        byte[] b = Files.readAllBytes(out);
        int n = (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals("{\"a\\\"b\\\\c\\nd\\u0001é\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new String(b, 8, n, StandardCharsets.UTF_8).stripTrailing());
        assertArrayEquals(new int[]{5}, SafeTensors.loadFile(out).get(name).toIntArray());
    }

    @Test
    void readsDataInOffsetOrderWhateverTheHeaderOrder() throws IOException {
        Map<String, Tensor> m = SafeTensors.loadFile(path("legacy_order.safetensors"));
        assertArrayEquals(new int[]{20}, m.get("b").toIntArray());
        assertArrayEquals(new int[]{10}, m.get("a").toIntArray());
    }

    @Test
    void nonContiguousAndViewsSaveTheirElements() throws IOException {
        Tensor base = Torch.fromArray(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Path out = dir.resolve("t.safetensors");
        SafeTensors.saveFile(Map.of("t", base.t()), out);
        Tensor back = SafeTensors.loadFile(out).get("t");
        assertArrayEquals(new long[]{3, 2}, back.shape().toArray());
        assertArrayEquals(new double[]{1, 4, 2, 5, 3, 6}, back.toDoubleArray());
    }

    @Test
    void moduleStateDictRoundTrip() throws IOException {
        Torch.manualSeed(3);
        Module a = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        Torch.manualSeed(4);
        Module b = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        Tensor x = Torch.randn(5, 4);
        Path out = dir.resolve("model.safetensors");
        SafeTensors.saveFile(a.stateDict(), out);
        Map<String, Tensor> loaded = SafeTensors.loadFile(out);
        assertEquals(a.stateDict().keySet(), loaded.keySet());
        float[] before = b.forward(x).toFloatArray();
        b.loadStateDict(loaded);
        float[] want = a.forward(x).toFloatArray();
        assertArrayEquals(want, b.forward(x).toFloatArray(), 0f);
        assertEquals(false, java.util.Arrays.equals(want, before));
    }

    @Test
    void corruptFilesFailClearly() throws IOException {
        byte[] good = Files.readAllBytes(path("meta.safetensors"));
        int n = (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertMessage(() -> load(new byte[]{1, 2, 3}), "too short");
        assertMessage(() -> load(withLong(good, 0, 1L << 40)), "exceeds the limit");
        assertMessage(() -> load(withLong(good, 0, -1)), "exceeds the limit");
        assertMessage(() -> load(java.util.Arrays.copyOf(good, 8 + n - 1)), "exceeds the file's");
        assertMessage(() -> load(java.util.Arrays.copyOf(good, good.length - 1)), "cover 8 bytes but the data buffer has 7");
        assertMessage(() -> load(java.util.Arrays.copyOf(good, good.length + 8)), "cover 8 bytes but the data buffer has 16");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8)), "malformed");
        assertMessage(() -> load(header("[1,2]", 0)), "does not start with '{'");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)), "shape [3] needs 3 elements of 4 bytes but only 8 bytes are present");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)), "without gaps");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8)), "dtype C64");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8)), "overflows");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}}", 8)), "too large");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8)), "non-negative");
        assertMessage(() -> load(header("{\"x\":{\"dtype\":\"F64\",\"shape\":[300000000],\"data_offsets\":[0,2400000000]}}", 8)),
                "the tensors cover 2400000000 bytes but the data buffer has 8 (the file is truncated)");
        assertMessage(() -> load(header("{\"x\":1,\"x\":2}", 0)), "duplicate key");
        assertMessage(() -> load(header("{\"__metadata__\":{\"a\":1}}", 0)), "not a string");
        assertMessage(() -> SafeTensors.saveFile(Map.of("__metadata__", Torch.zeros(1)), dir.resolve("r")), "reserved");
    }

    private Map<String, Tensor> load(byte[] bytes) throws IOException {
        Path p = dir.resolve("corrupt.safetensors");
        Files.write(p, bytes);
        return SafeTensors.loadFile(p);
    }

    private static byte[] withLong(byte[] b, int at, long v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
        return c;
    }

    private static byte[] header(String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }
}
