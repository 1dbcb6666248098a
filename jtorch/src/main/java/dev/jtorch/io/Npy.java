package dev.jtorch.io;

import dev.jtorch.DType;
import dev.jtorch.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Reads and writes numpy's .npy and .npz files, byte for byte as numpy 1.24 writes them. */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ARRAY_ALIGN = 64;
    // numpy leaves room in the header for the growth axis to reach this many digits (format.GROWTH_AXIS_MAX_DIGITS).
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    // Deflate cannot expand data by more than about 1032:1, so a larger declared size is a lie.
    private static final long MAX_DEFLATE_RATIO = 1032;

    /** Reads a .npy file into a new tensor, like {@code torch.from_numpy(np.load(path))}. */
    public static Tensor load(Path path) throws IOException {
        return parse(ByteBuffer.wrap(Files.readAllBytes(path)), path.toString());
    }

    /** Writes a tensor as a .npy file, like {@code np.save(path, t.numpy())}. */
    public static void save(Tensor tensor, Path path) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(toBytes(tensor));
        }
    }

    /** The bytes {@code np.save} writes for this tensor. */
    public static byte[] toBytes(Tensor tensor) {
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
        byte[] data = RawArrays.toBytes(tensor, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + lenBytes + hlen + pad + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) (hlen + pad)); else b.putInt(hlen + pad);
        b.put(header);
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n').put(data);
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

    /** Reads a .npz archive (stored or deflated) into tensors keyed by name, like {@code dict(np.load(path))}. */
    public static LinkedHashMap<String, Tensor> loadNpz(Path path) throws IOException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory()) continue;
                String name = entry.getName();
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                long size = entry.getSize();
                long packed = entry.getCompressedSize();
                long bound = entry.getMethod() == ZipEntry.DEFLATED && packed >= 0 && packed < Long.MAX_VALUE / MAX_DEFLATE_RATIO
                        ? packed * MAX_DEFLATE_RATIO + 64 : Long.MAX_VALUE;
                if (size < 0 || size > bound || size > Integer.MAX_VALUE - 8)
                    throw new IllegalArgumentException(path + ": entry " + name + " declares an invalid size " + size);
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readNBytes((int) size);
                    if (bytes.length != size || in.read() != -1)
                        throw new IllegalArgumentException(path + ": entry " + name + " does not hold its declared " + size + " bytes");
                }
                if (out.put(key, parse(ByteBuffer.wrap(bytes), path + ":" + name)) != null)
                    throw new IllegalArgumentException(path + ": duplicate entry " + name);
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(path + ": not a valid .npz (zip) file: " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes tensors as an uncompressed .npz archive of .npy entries, like {@code np.savez(path, **tensors)}. */
    public static void saveNpz(Map<String, Tensor> tensors, Path path) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(path))) {
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                byte[] bytes = toBytes(e.getValue());
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
    }

    /** Parses one .npy image; {@code what} names it in errors. */
    static Tensor parse(ByteBuffer buf, String what) {
        buf.order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < MAGIC.length + 2) throw new IllegalArgumentException(what + ": too short to be a .npy file");
        for (byte m : MAGIC)
            if (buf.get() != m) throw new IllegalArgumentException(what + ": not a .npy file (bad magic string)");
        int major = buf.get() & 0xFF, minor = buf.get() & 0xFF;
        long hlen;
        switch (major) {
            case 1 -> {
                if (buf.remaining() < 2) throw new IllegalArgumentException(what + ": truncated header");
                hlen = buf.getShort() & 0xFFFF;
            }
            case 2, 3 -> {
                if (buf.remaining() < 4) throw new IllegalArgumentException(what + ": truncated header");
                hlen = buf.getInt() & 0xFFFFFFFFL;
            }
            default -> throw new IllegalArgumentException(what + ": unsupported .npy format version " + major + "." + minor);
        }
        if (hlen > buf.remaining())
            throw new IllegalArgumentException(what + ": header length " + hlen + " exceeds the file's " + buf.remaining() + " remaining bytes");
        byte[] hb = new byte[(int) hlen];
        buf.get(hb);
        // Versions 1 and 2 are latin-1; version 3 is utf-8.
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
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
        int count = RawArrays.checkedCount(fileShape, dtype.itemSize(), buf.remaining(), what);
        Tensor t = RawArrays.fromBytes(buf, order, dtype, fileShape, count);
        if (fortran && shape.length > 1) {
            int[] rev = new int[shape.length];
            for (int i = 0; i < rev.length; i++) rev[i] = rev.length - 1 - i;
            t = t.permute(rev).contiguous();
        }
        return t;
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
