package dev.jtorch.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds zip archives byte by byte, so that tests can write the lies a hostile archive tells. */
final class ZipBytes {
    private ZipBytes() {}

    /** One entry: the bytes stored in the archive and what its headers declare, each field free to lie. */
    record Entry(String name, int method, byte[] data, long crc, long compressedSize, long size) {
        Entry withSize(long s) { return new Entry(name, method, data, crc, compressedSize, s); }

        Entry withCrc(long c) { return new Entry(name, method, data, c, compressedSize, size); }

        Entry withName(String n) { return new Entry(n, method, data, crc, compressedSize, size); }
    }

    static Entry stored(String name, byte[] content) {
        return new Entry(name, 0, content, crc(content), content.length, content.length);
    }

    static Entry deflated(String name, byte[] content) { return deflated(name, content, 9); }

    /** Deflated at {@code level} (1 is fast, 9 small). */
    static Entry deflated(String name, byte[] content, int level) {
        Deflater d = new Deflater(level, true);
        d.setInput(content);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        byte[] packed = out.toByteArray();
        return new Entry(name, 8, packed, crc(content), packed.length, content.length);
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    /** An archive of {@code entries}, each a local header followed by its data, then the central directory. */
    static byte[] archive(List<Entry> entries) { return archive(entries, false); }

    /** Like {@link #archive(List)}; with {@code zip64}, every size and offset goes in ZIP64 fields and a ZIP64 end record. */
    static byte[] archive(List<Entry> entries, boolean zip64) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            out.writeBytes(local(e));
            out.writeBytes(e.data);
        }
        return finish(out, entries, offsets, zip64);
    }

    /** The central directory for {@code entries} whose local headers start at {@code offsets}, and the end record. */
    static byte[] finish(ByteArrayOutputStream out, List<Entry> entries, List<Long> offsets, boolean zip64) {
        long cdStart = out.size();
        for (int i = 0; i < entries.size(); i++) out.writeBytes(central(entries.get(i), offsets.get(i), zip64));
        long cdSize = out.size() - cdStart;
        if (zip64) {
            long end64 = out.size();
            out.writeBytes(le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(entries.size()).putLong(entries.size()).putLong(cdSize).putLong(cdStart).array());
            out.writeBytes(le(20).putInt(0x07064b50).putInt(0).putLong(end64).putInt(1).array());
        }
        int count = zip64 ? 0xFFFF : entries.size();
        ByteBuffer end = le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) count).putShort((short) count).putInt(zip64 ? -1 : (int) cdSize).putInt(zip64 ? -1 : (int) cdStart)
                .putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    static byte[] local(Entry e) {
        byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
        return le(30 + name.length).putInt(0x04034b50).putShort((short) 20).putShort((short) (1 << 11)).putShort((short) e.method)
                .putInt(0).putInt((int) e.crc).putInt((int) e.compressedSize).putInt((int) e.size)
                .putShort((short) name.length).putShort((short) 0).put(name).array();
    }

    static byte[] central(Entry e, long offset, boolean zip64) {
        byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
        boolean big = zip64 || e.size >= 0xFFFFFFFFL || e.compressedSize >= 0xFFFFFFFFL || offset >= 0xFFFFFFFFL;
        ByteBuffer b = le(46 + name.length + (big ? 28 : 0)).putInt(0x02014b50).putShort((short) 45).putShort((short) 45)
                .putShort((short) (1 << 11)).putShort((short) e.method).putInt(0).putInt((int) e.crc)
                .putInt(big ? -1 : (int) e.compressedSize).putInt(big ? -1 : (int) e.size)
                .putShort((short) name.length).putShort((short) (big ? 28 : 0)).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(big ? -1 : (int) offset).put(name);
        if (big) b.putShort((short) 1).putShort((short) 24).putLong(e.size).putLong(e.compressedSize).putLong(offset);
        return b.array();
    }

    static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
}
