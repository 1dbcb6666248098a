package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes Hugging Face's safetensors format, byte for byte as the Python {@code safetensors} package writes it. */
public final class SafeTensors {
    private SafeTensors() {}

    // The Rust reader refuses larger headers (MAX_HEADER_SIZE).
    private static final long MAX_HEADER_SIZE = 100_000_000;

    /**
     * The safetensors dtype names for jtorch's dtypes, in the Rust {@code Dtype} enum's order, which
     * the writer sorts by (descending) to lay out the data; rank is the enum position.
     */
    private enum Kind {
        BOOL(0, DType.bool), U8(1, DType.uint8), I8(2, DType.int8), I16(5, DType.int16), F16(7, DType.float16),
        BF16(8, DType.bfloat16), I32(9, DType.int32), F32(11, DType.float32), F64(12, DType.float64), I64(13, DType.int64);

        final int rank;
        final DType dtype;

        Kind(int rank, DType dtype) {
            this.rank = rank;
            this.dtype = dtype;
        }

        static Kind of(DType d) {
            for (Kind k : values()) if (k.dtype == d) return k;
            throw new IllegalArgumentException("safetensors: no dtype for " + d);
        }
    }

    /** Reads every tensor of a safetensors file, keyed by name in sorted order, like {@code safetensors.torch.load_file}. */
    public static LinkedHashMap<String, Tensor> loadFile(Path path) throws IOException {
        return read(path, null);
    }

    /** The file's {@code __metadata__} map (empty when absent), like {@code safe_open(path).metadata()}. */
    public static Map<String, String> metadata(Path path) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        read(path, meta);
        return meta;
    }

    /** Writes tensors to a safetensors file, like {@code safetensors.torch.save_file(tensors, path)}; the data is streamed, so any size can be saved. */
    public static void saveFile(Map<String, Tensor> tensors, Path path) throws IOException {
        saveFile(tensors, path, null);
    }

    /** Writes tensors and a string metadata map, like {@code save_file(tensors, path, metadata=...)}. */
    public static void saveFile(Map<String, Tensor> tensors, Path path, Map<String, String> metadata) throws IOException {
        record Entry(String name, byte[] utf8, Kind kind, Tensor tensor) {}
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("safetensors: '__metadata__' is reserved and cannot name a tensor");
            entries.add(new Entry(e.getKey(), e.getKey().getBytes(StandardCharsets.UTF_8), Kind.of(e.getValue().dtype()), e.getValue()));
        }
        // Rust's prepare(): descending dtype alignment, then name compared as bytes.
        entries.sort(Comparator.<Entry>comparingInt(x -> -x.kind.rank).thenComparing(x -> x.utf8, Arrays::compareUnsigned));
        StringBuilder json = new StringBuilder("{");
        if (metadata != null) {
            json.append("\"__metadata__\":{");
            // The Rust writer keeps metadata in a HashMap (unordered); sorting makes ours deterministic.
            boolean first = true;
            for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
                if (!first) json.append(',');
                first = false;
                quote(json, m.getKey()).append(':');
                quote(json, m.getValue());
            }
            json.append('}');
            if (!entries.isEmpty()) json.append(',');
        }
        long offset = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long bytes = RawArrays.byteSize(e.tensor);
            if (i > 0) json.append(',');
            quote(json, e.name).append(":{\"dtype\":\"").append(e.kind.name()).append("\",\"shape\":[");
            long[] shape = e.tensor.shape().toArray();
            for (int d = 0; d < shape.length; d++) json.append(d == 0 ? "" : ",").append(shape[d]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(header);
        while (prefix.hasRemaining()) prefix.put((byte) ' ');
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(prefix.array());
            for (Entry e : entries) RawArrays.write(e.tensor, ByteOrder.LITTLE_ENDIAN, out); // streamed: any size
        }
    }

    /** serde_json's string escaping: quote, backslash and control characters; everything else as raw UTF-8. */
    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"');
    }

    private record Info(String name, Kind kind, long[] shape, long begin, long end) {}

    private static LinkedHashMap<String, Tensor> read(Path path, Map<String, String> metaOut) throws IOException {
        String what = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) throw new IllegalArgumentException(what + ": too short for a safetensors file (" + fileSize + " bytes)");
            ByteBuffer nb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ByteSource.of(ch, 0, 8, what).readFully(nb, "header size");
            long n = nb.flip().getLong();
            if (n < 0 || n > MAX_HEADER_SIZE)
                throw new IllegalArgumentException(what + ": header size " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_SIZE);
            if (n + 8 > fileSize)
                throw new IllegalArgumentException(what + ": header size " + n + " exceeds the file's " + fileSize + " bytes");
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            ByteSource.of(ch, 8, 8 + n, what).readFully(hb, "header");
            String header;
            try {
                header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(what + ": header is not valid UTF-8");
            }
            if (!header.startsWith("{")) throw new IllegalArgumentException(what + ": header does not start with '{'");
            Object parsed = new Json(header, what).document();
            if (!(parsed instanceof Map<?, ?> root)) throw new IllegalArgumentException(what + ": header is not a JSON object");
            List<Info> infos = new ArrayList<>();
            for (Map.Entry<?, ?> e : root.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    if (!(e.getValue() instanceof Map<?, ?> meta)) throw new IllegalArgumentException(what + ": __metadata__ is not an object");
                    for (Map.Entry<?, ?> m : meta.entrySet()) {
                        if (!(m.getValue() instanceof String v))
                            throw new IllegalArgumentException(what + ": __metadata__ value of '" + m.getKey() + "' is not a string");
                        if (metaOut != null) metaOut.put((String) m.getKey(), v);
                    }
                    continue;
                }
                infos.add(info(name, e.getValue(), what));
            }
            long dataSize = fileSize - 8 - n;
            infos.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
            long start = 0;
            for (Info in : infos) {
                if (in.begin != start || in.end < in.begin)
                    throw new IllegalArgumentException(what + ": tensor '" + in.name + "' has data_offsets [" + in.begin + ", " + in.end
                            + "] but the data must continue at byte " + start + " without gaps or overlaps");
                long count = RawArrays.checkedCount(in.shape, in.kind.dtype.itemSize(), in.end - in.begin, what + ": tensor '" + in.name + "'");
                if (count * in.kind.dtype.itemSize() != in.end - in.begin)
                    throw new IllegalArgumentException(what + ": tensor '" + in.name + "' has " + (in.end - in.begin)
                            + " bytes but shape " + Arrays.toString(in.shape) + " of " + in.kind + " needs " + count * in.kind.dtype.itemSize());
                start = in.end;
            }
            if (start != dataSize)
                throw new IllegalArgumentException(what + ": the tensors cover " + start + " bytes but the data buffer has " + dataSize
                        + (start > dataSize ? " (the file is truncated)" : ""));
            if (metaOut != null) return new LinkedHashMap<>();
            infos.sort(Comparator.comparing(Info::name));
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (Info in : infos) {
                long count = (in.end - in.begin) / in.kind.dtype.itemSize();
                ByteSource data = ByteSource.of(ch, 8 + n + in.begin, 8 + n + in.end, what + ": tensor '" + in.name + "'");
                out.put(in.name, RawArrays.read(data, ByteOrder.LITTLE_ENDIAN, in.kind.dtype, in.shape, count));
            }
            return out;
        }
    }

    private static Info info(String name, Object value, String what) {
        String where = what + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + " is not described by a JSON object");
        if (!(m.get("dtype") instanceof String dt)) throw new IllegalArgumentException(where + " lacks a string 'dtype'");
        Kind kind;
        try {
            kind = Kind.valueOf(dt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " has dtype " + dt + ", which jtorch does not support (supported: "
                    + Arrays.toString(Kind.values()) + ")");
        }
        long[] shape = longs(m.get("shape"), -1, where + " 'shape'");
        long[] offsets = longs(m.get("data_offsets"), 2, where + " 'data_offsets'");
        return new Info(name, kind, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(Object v, int length, String where) {
        if (!(v instanceof List<?> list)) throw new IllegalArgumentException(where + " is not a JSON array");
        if (length >= 0 && list.size() != length) throw new IllegalArgumentException(where + " must have " + length + " entries");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long x) || x < 0) throw new IllegalArgumentException(where + " must hold non-negative integers");
            out[i] = x;
        }
        return out;
    }

    /** A strict JSON reader: objects (duplicate keys refused), arrays, strings, integers as Long, other numbers as Double. */
    private static final class Json {
        private final String s;
        private final String what;
        private int i;
        private int depth;

        Json(String s, String what) {
            this.s = s;
            this.what = what;
        }

        Object document() {
            Object v = value();
            skip();
            // The writer pads the header with spaces, which skip() has consumed.
            if (i != s.length()) throw error("trailing text after the JSON value");
            return v;
        }

        private Object value() {
            skip();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> object() {
            if (++depth > 64) throw error("nesting too deep");
            i++;
            Map<String, Object> m = new LinkedHashMap<>();
            skip();
            if (peek() == '}') { i++; depth--; return m; }
            while (true) {
                skip();
                if (peek() != '"') throw error("expected a string key");
                String k = string();
                skip();
                if (peek() != ':') throw error("expected ':'");
                i++;
                if (m.containsKey(k)) throw error("duplicate key \"" + k + "\"");
                m.put(k, value());
                skip();
                char c = peek();
                i++;
                if (c == '}') { depth--; return m; }
                if (c != ',') throw error("expected ',' or '}'");
            }
        }

        private List<Object> array() {
            if (++depth > 64) throw error("nesting too deep");
            i++;
            List<Object> l = new ArrayList<>();
            skip();
            if (peek() == ']') { i++; depth--; return l; }
            while (true) {
                l.add(value());
                skip();
                char c = peek();
                i++;
                if (c == ']') { depth--; return l; }
                if (c != ',') throw error("expected ',' or ']'");
            }
        }

        private String string() {
            i++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                i++;
                if (c == '"') return sb.toString();
                if (c < 0x20) throw error("control character in string");
                if (c != '\\') { sb.append(c); continue; }
                char e = peek();
                i++;
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw error("truncated \\u escape");
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = i;
            if (s.charAt(i) == '-') i++;
            while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) i++;
            String t = s.substring(start, i);
            if (t.matches("-?(0|[1-9][0-9]*)")) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw error("integer " + t + " is too large");
                }
            }
            if (!t.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) throw error("malformed number " + t);
            return Double.parseDouble(t);
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) throw error("unexpected token");
            i += word.length();
            return v;
        }

        private void skip() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) i++;
        }

        private char peek() {
            if (i >= s.length()) throw error("unexpected end");
            return s.charAt(i);
        }

        private IllegalArgumentException error(String msg) {
            return new IllegalArgumentException(what + ": malformed safetensors JSON header at character " + i + ": " + msg);
        }
    }
}
