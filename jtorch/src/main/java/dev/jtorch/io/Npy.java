package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Reads and writes numpy's .npy and .npz files, byte for byte as numpy 1.24 writes them. */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ARRAY_ALIGN = 64;
    // numpy leaves room in the header for the growth axis to reach this many digits (format.GROWTH_AXIS_MAX_DIGITS).
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    // np.load refuses longer headers unless the file is trusted (format._MAX_HEADER_SIZE, numpy 1.24).
    private static final int MAX_HEADER_SIZE = 10000;

    /**
     * Reads a .npy file into a new tensor, like {@code torch.from_numpy(np.load(path))}. Like numpy, bytes after the
     * array's data are ignored; a shape that needs more bytes than the file holds is refused before anything is allocated.
     */
    public static Tensor load(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(ByteSource.of(ch, 0, ch.size(), path.toString()));
        }
    }

    /** Writes a tensor as a .npy file, like {@code np.save(path, t.numpy())}; the data is streamed, so any size can be saved. */
    public static void save(Tensor tensor, Path path) throws IOException {
        byte[] header = header(tensor);
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(header);
            RawArrays.write(tensor, ByteOrder.LITTLE_ENDIAN, out);
        }
    }

    /** The bytes {@code np.save} writes for this tensor, in one array: for tensors of less than 2 GiB. */
    public static byte[] toBytes(Tensor tensor) {
        return RawArrays.toBytes(header(tensor), tensor, ByteOrder.LITTLE_ENDIAN);
    }

    /** The magic string, version, header length and header dict that {@code np.save} writes before the data. */
    private static byte[] header(Tensor tensor) {
        String descr = descr(tensor.dtype());
        long[] shape = tensor.shape().toArray();
        StringBuilder h = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': ")
                .append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) h.repeat(' ', GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length());
        byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int hlen = header.length + 1;
        int major = 1, lenBytes = 2;
        int pad = pad(MAGIC.length + 2 + lenBytes + hlen);
        if (hlen + pad > 0xFFFF) {
            major = 2;
            lenBytes = 4;
            pad = pad(MAGIC.length + 2 + lenBytes + hlen);
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + lenBytes + hlen + pad).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) (hlen + pad)); else b.putInt(hlen + pad);
        b.put(header);
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    private static int pad(int used) { return ARRAY_ALIGN - used % ARRAY_ALIGN; }

    private static String shapeRepr(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(')').toString();
    }

    private static String descr(DType d) {
        return switch (d) {
            case bool -> "|b1";
            case uint8 -> "|u1";
            case int8 -> "|i1";
            case int16 -> "<i2";
            case int32 -> "<i4";
            case int64 -> "<i8";
            case float16 -> "<f2";
            case float32 -> "<f4";
            case float64 -> "<f8";
            case bfloat16 -> throw new IllegalArgumentException(
                    "numpy has no bfloat16 dtype: convert the tensor first, e.g. t.to(float32), before saving as .npy");
        };
    }

    /**
     * Reads a .npz archive (stored or deflated) into tensors keyed by name, like {@code dict(np.load(path))}, allowing
     * at most {@link #defaultMaxBytes()} uncompressed bytes in all.
     */
    public static LinkedHashMap<String, Tensor> loadNpz(Path path) throws IOException {
        return loadNpz(path, defaultMaxBytes());
    }

    /**
     * Reads a .npz archive allowing at most {@code maxBytes} uncompressed bytes in all. The archive is checked before
     * any entry is inflated: entries may not share bytes (Python's "Overlapped entries"), declared sizes must fit the
     * file and what deflate can produce, names must be distinct (Python's zipfile would silently keep the last), and
     * the declared sizes must sum to at most {@code maxBytes}; while reading, inflating stops at each entry's declared
     * size and every entry's CRC-32 is verified (numpy's "Bad CRC-32 for file 'x.npy'"). numpy itself bounds nothing
     * but the header length, so the limit is ours.
     */
    public static LinkedHashMap<String, Tensor> loadNpz(Path path, long maxBytes) throws IOException {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must be non-negative, got " + maxBytes);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        try (Zip zip = Zip.open(path)) {
            long total = 0;
            Map<String, String> keys = new LinkedHashMap<>();
            for (Zip.Entry e : zip.entries) {
                if (e.isDirectory()) continue;
                String other = keys.put(key(e.name()), e.name());
                if (other != null)
                    throw new IllegalArgumentException(path + ": entries '" + other + "' and '" + e.name() + "' both hold key '" + key(e.name()) + "'");
                if (e.size() > maxBytes - total)
                    throw new IllegalArgumentException(path + ": the archive's entries declare more than the limit of " + maxBytes
                            + " uncompressed bytes in all (entry '" + e.name() + "' declares " + e.size() + " after " + total
                            + "); pass a larger maxBytes to loadNpz to allow it");
                total += e.size();
            }
            for (Zip.Entry e : zip.entries) {
                if (e.isDirectory()) continue;
                try (Zip.Reader r = zip.reader(e)) {
                    Tensor t = read(r);
                    r.finish();
                    out.put(key(e.name()), t);
                }
            }
        }
        return out;
    }

    /** numpy's key for an archive entry: its name without the ".npy" suffix. */
    private static String key(String name) { return name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name; }

    /**
     * The default total for {@link #loadNpz(Path)}: the JVM's maximum heap ({@code Runtime.maxMemory()}), a fixed number
     * for the life of the JVM, so the same archive loads or fails the same way each time. Tensors too large for a Java
     * array live in native memory and may exceed it: pass a larger {@code maxBytes} for such an archive.
     */
    public static long defaultMaxBytes() { return Runtime.getRuntime().maxMemory(); }

    /**
     * Writes tensors as an uncompressed .npz archive of .npy entries, like {@code np.savez(path, **tensors)}. Each
     * entry is streamed twice, once for its CRC-32 (which a stored entry's header holds before its data) and once
     * to the archive, so no tensor is held as bytes in memory.
     */
    public static void saveNpz(Map<String, Tensor> tensors, Path path) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(path))) {
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                byte[] header = header(t);
                long size = Math.addExact(header.length, RawArrays.byteSize(t));
                CRC32 crc = new CRC32();
                crc.update(header);
                RawArrays.write(t, ByteOrder.LITTLE_ENDIAN, new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(size);
                entry.setCompressedSize(size);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(header);
                RawArrays.write(t, ByteOrder.LITTLE_ENDIAN, zip);
                zip.closeEntry();
            }
        }
    }

    /** Parses one .npy image; {@code what} names it in errors. */
    static Tensor parse(ByteBuffer buf, String what) {
        try {
            return read(ByteSource.of(buf, what));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // memory does not fail to read
        }
    }

    /** Reads one .npy image from {@code src}, checking every size its header claims against the bytes present. */
    static Tensor read(ByteSource src) throws IOException {
        String what = src.what;
        ByteBuffer magic = ByteBuffer.allocate(MAGIC.length + 2);
        src.readFully(magic, "magic string");
        for (int i = 0; i < MAGIC.length; i++)
            if (magic.get(i) != MAGIC[i]) throw new IllegalArgumentException(what + ": not a .npy file (bad magic string)");
        int major = magic.get(MAGIC.length) & 0xFF, minor = magic.get(MAGIC.length + 1) & 0xFF;
        if (major < 1 || major > 3 || minor != 0)
            throw new IllegalArgumentException(what + ": unsupported .npy format version " + major + "." + minor);
        ByteBuffer lb = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        src.readFully(lb, "array header length");
        long hlen = major == 1 ? lb.getShort(0) & 0xFFFF : lb.getInt(0) & 0xFFFFFFFFL;
        if (hlen > src.remaining())
            throw src.error("EOF: reading array header, expected " + hlen + " bytes got " + src.remaining());
        // A UTF-8 header (version 3) has at most 4 bytes per character, so a longer one cannot pass numpy's limit below.
        if (hlen > 4L * MAX_HEADER_SIZE) throw headerTooLarge(what, hlen);
        ByteBuffer hb = ByteBuffer.allocate((int) hlen);
        src.readFully(hb, "array header");
        // Versions 1 and 2 are latin-1; version 3 is utf-8.
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (header.length() > MAX_HEADER_SIZE) throw headerTooLarge(what, header.length());
        Map<String, Object> dict = new HeaderParser(header, what).dict();
        if (!(dict.get("descr") instanceof String descr))
            throw new IllegalArgumentException(what + ": header 'descr' " + dict.get("descr") + " is not a simple dtype string (structured arrays are not supported)");
        if (!(dict.get("fortran_order") instanceof Boolean fortran))
            throw new IllegalArgumentException(what + ": header lacks a boolean 'fortran_order'");
        if (!(dict.get("shape") instanceof long[] shape))
            throw new IllegalArgumentException(what + ": header lacks a 'shape' tuple");
        if (dict.size() != 3) throw new IllegalArgumentException(what + ": header has unexpected keys " + dict.keySet());
        ByteOrder order = byteOrder(descr, what);
        DType dtype = dtype(descr, what);
        long[] fileShape = shape.clone();
        if (fortran) for (int i = 0; i < shape.length; i++) fileShape[i] = shape[shape.length - 1 - i];
        long count = RawArrays.checkedCount(fileShape, dtype.itemSize(), src.remaining(), what);
        Tensor t = RawArrays.read(src, order, dtype, fileShape, count);
        if (fortran && shape.length > 1) {
            int[] rev = new int[shape.length];
            for (int i = 0; i < rev.length; i++) rev[i] = rev.length - 1 - i;
            t = t.permute(rev).contiguous();
        }
        return t;
    }

    private static IllegalArgumentException headerTooLarge(String what, long length) {
        return new IllegalArgumentException(what + ": Header info length (" + length + ") is large and may not be safe to load"
                + " securely (numpy's limit is " + MAX_HEADER_SIZE + ")");
    }

    private static ByteOrder byteOrder(String descr, String what) {
        if (descr.isEmpty()) throw new IllegalArgumentException(what + ": empty dtype descr");
        return switch (descr.charAt(0)) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> throw new IllegalArgumentException(what + ": dtype descr '" + descr + "' lacks a byte-order character");
        };
    }

    private static DType dtype(String descr, String what) {
        return switch (descr.substring(1)) {
            case "b1" -> DType.bool;
            case "u1" -> DType.uint8;
            case "i1" -> DType.int8;
            case "i2" -> DType.int16;
            case "i4" -> DType.int32;
            case "i8" -> DType.int64;
            case "f2" -> DType.float16;
            case "f4" -> DType.float32;
            case "f8" -> DType.float64;
            case String s when s.startsWith("O") -> throw new IllegalArgumentException(
                    what + ": object arrays ('" + descr + "') hold pickled Python objects and cannot be loaded as tensors");
            case String s when s.startsWith("c") -> throw new IllegalArgumentException(
                    what + ": complex dtype '" + descr + "' is not supported (jtorch has no complex tensors)");
            default -> throw new IllegalArgumentException(what + ": unsupported numpy dtype '" + descr
                    + "' (supported: bool, uint8, int8, int16, int32, int64, float16, float32, float64)");
        };
    }

    /** Parses the Python dict literal numpy writes as the header: string, bool and int-tuple values only. */
    private static final class HeaderParser {
        private final String s;
        private final String what;
        private int i;

        HeaderParser(String s, String what) {
            this.s = s;
            this.what = what;
        }

        Map<String, Object> dict() {
            skip();
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            while (true) {
                skip();
                if (peek() == '}') { i++; break; }
                String key = string();
                skip();
                expect(':');
                skip();
                if (out.put(key, value()) != null) throw error("duplicate key '" + key + "'");
                skip();
                if (peek() == ',') i++;
                else if (peek() != '}') throw error("expected ',' or '}'");
            }
            skip();
            if (i != s.length()) throw error("trailing text after the dict");
            return out;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (c == '(') return tuple();
            if (s.startsWith("True", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("False", i)) { i += 5; return Boolean.FALSE; }
            if (c == '[') throw error("structured dtypes (a list descr) are not supported");
            throw error("unexpected value");
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skip();
                if (peek() == ')') { i++; break; }
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                if (start == i) throw error("expected a non-negative integer in the shape");
                try {
                    dims.add(Long.parseLong(s.substring(start, i)));
                } catch (NumberFormatException e) {
                    throw error("shape dimension too large");
                }
                if (i < s.length() && s.charAt(i) == 'L') i++; // Python 2 longs
                skip();
                if (peek() == ',') i++;
                else if (peek() != ')') throw error("expected ',' or ')' in the shape");
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a string");
            int end = s.indexOf(q, i + 1);
            if (end < 0) throw error("unterminated string");
            String out = s.substring(i + 1, end);
            i = end + 1;
            return out;
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private char peek() {
            if (i >= s.length()) throw error("unexpected end");
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            i++;
        }

        private IllegalArgumentException error(String msg) {
            return new IllegalArgumentException(what + ": malformed .npy header at character " + i + ": " + msg + " in " + s.strip());
        }
    }
}
