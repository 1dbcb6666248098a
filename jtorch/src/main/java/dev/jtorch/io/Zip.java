package dev.jtorch.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive read for numpy's .npz, with the checks of Python's {@code zipfile} (which {@code np.load} uses) and
 * more, so that a hostile archive can neither exhaust memory nor load corrupt data: every entry's data must lie
 * within the file and apart from every other entry's (no "overlapped entries" bomb), the declared sizes must be
 * possible, inflating stops at the declared size, and every entry's CRC-32 is verified.
 */
final class Zip implements Closeable {
    /** One file of the archive, as its central-directory record and local header describe it. */
    record Entry(String name, int method, long crc, long compressedSize, long size, long dataStart) {
        boolean isDirectory() { return name.endsWith("/"); }
    }

    static final int STORED = 0, DEFLATED = 8;
    private static final int END = 0x06054b50, END64 = 0x06064b50, END64_LOCATOR = 0x07064b50;
    private static final int CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
    private static final int END_SIZE = 22, END64_LOCATOR_SIZE = 20, END64_SIZE = 56, CENTRAL_SIZE = 46, LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA = 0x0001;
    private static final int FLAG_ENCRYPTED = 1, FLAG_UTF8 = 1 << 11;
    // Deflate expands at most about 1032:1 (258-byte matches coded in 2 bits), so a larger declared size is a lie.
    private static final long MAX_DEFLATE_RATIO = 1032;
    // Python's zipfile decodes names without the UTF-8 flag as cp437; a JDK without that charset falls back to latin-1.
    private static final Charset CP437 = Charset.isSupported("IBM437") ? Charset.forName("IBM437") : StandardCharsets.ISO_8859_1;

    final String what;
    final List<Entry> entries;
    private final FileChannel ch;

    private Zip(String what, FileChannel ch, List<Entry> entries) {
        this.what = what;
        this.ch = ch;
        this.entries = entries;
    }

    /** Opens and checks the archive at {@code path}: its directory, every local header, and that no two entries share bytes. */
    static Zip open(Path path) throws IOException {
        String what = path.toString();
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new Zip(what, ch, readEntries(ch, what));
        } catch (RuntimeException | IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException { ch.close(); }

    /** The entry's uncompressed bytes; after reading them all, {@link Reader#finish} verifies the size and the CRC-32. */
    Reader reader(Entry e) {
        String where = what + " (entry '" + e.name + "')";
        ByteSource raw = ByteSource.of(ch, e.dataStart, e.dataStart + e.compressedSize, where);
        return e.method == STORED ? new Reader(where, e, raw, null) : new Reader(where, e, raw, new Inflater(true));
    }

    /** An entry's bytes as a source of exactly its declared size, computing the CRC-32 of what passes. */
    static final class Reader extends ByteSource implements AutoCloseable {
        private final Entry entry;
        private final ByteSource raw;
        private final Inflater inflater;
        private final CRC32 crc = new CRC32();
        private final ByteBuffer input;

        private Reader(String what, Entry entry, ByteSource raw, Inflater inflater) {
            super(what, entry.size);
            this.entry = entry;
            this.raw = raw;
            this.inflater = inflater;
            this.input = inflater == null ? null : ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, entry.compressedSize)));
        }

        @Override
        int fill(ByteBuffer dst) throws IOException {
            int start = dst.position();
            if (inflater == null) raw.readFully(dst, "stored data");
            else {
                inflate(dst);
                if (dst.hasRemaining())
                    throw error("truncated: the deflate stream ends after " + (entry.size - remaining() + dst.position() - start)
                            + " of the entry's declared " + entry.size + " bytes");
            }
            crc.update(dst.slice(start, dst.position() - start));
            return dst.position() - start;
        }

        /** Inflates into {@code dst} until it is full or the deflate stream ends. */
        /** Frees the inflater's native memory. */
        @Override
        public void close() { if (inflater != null) inflater.end(); }

        private void inflate(ByteBuffer dst) throws IOException {
            try {
                while (dst.hasRemaining() && !inflater.finished()) {
                    if (inflater.inflate(dst) > 0) continue;
                    if (inflater.needsDictionary()) throw error("the deflate stream needs a preset dictionary, which zip does not allow");
                    if (!inflater.needsInput()) throw error("the deflate stream stalled");
                    if (raw.remaining() == 0)
                        throw error("truncated: the " + entry.compressedSize + " compressed bytes end before the deflate stream does");
                    input.clear().limit((int) Math.min(input.capacity(), raw.remaining()));
                    raw.readFully(input, "compressed data");
                    inflater.setInput(input.flip());
                }
            } catch (DataFormatException x) {
                throw error("invalid deflate data (" + x.getMessage() + ")");
            }
        }

        /**
         * Reads what is left of the entry, checks that the deflate stream ends exactly at the declared size, and
         * verifies the CRC-32, with Python's message ("Bad CRC-32 for file 'x.npy'").
         */
        void finish() throws IOException {
            ByteBuffer rest = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, remaining())));
            while (remaining() > 0) {
                rest.clear().limit((int) Math.min(rest.capacity(), remaining()));
                readFully(rest, "entry data");
            }
            if (inflater != null) {
                ByteBuffer one = ByteBuffer.allocate(1);
                inflate(one);
                if (one.position() > 0)
                    throw error("inflates to more than its declared " + entry.size + " bytes (possible zip bomb)");
            }
            if (crc.getValue() != entry.crc) throw error("Bad CRC-32 for file '" + entry.name + "'");
        }
    }

    private static List<Entry> readEntries(FileChannel ch, String what) throws IOException {
        long fileSize = ch.size();
        // The end-of-central-directory record is the last 22 bytes, or is followed by a comment of at most 64 KiB.
        int tailLength = (int) Math.min(fileSize, END_SIZE + 0xFFFF);
        ByteBuffer tail = read(ch, fileSize - tailLength, tailLength, what, "the end of the archive");
        int at = -1;
        for (int i = tailLength - END_SIZE; i >= 0 && at < 0; i--)
            if (tail.getInt(i) == END && i + END_SIZE + (tail.getShort(i + 20) & 0xFFFF) <= tailLength) at = i;
        if (at < 0) throw error(what, "not a valid .npz (zip) file: no end of central directory record");
        long endPos = fileSize - tailLength + at;
        int disk = u16(tail, at + 4), cdDisk = u16(tail, at + 6);
        long diskCount = u16(tail, at + 8), count = u16(tail, at + 10);
        long cdSize = u32(tail, at + 12), cdOffset = u32(tail, at + 16);
        long cdEnd = endPos;
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL || diskCount == 0xFFFF) {
            // ZIP64: a locator just before the record points at the 64-bit end record (APPNOTE 4.3.14-15).
            if (endPos < END64_LOCATOR_SIZE) throw error(what, "ZIP64 end of central directory locator is missing");
            ByteBuffer loc = read(ch, endPos - END64_LOCATOR_SIZE, END64_LOCATOR_SIZE, what, "the ZIP64 locator");
            if (loc.getInt(0) != END64_LOCATOR) throw error(what, "ZIP64 end of central directory locator is missing");
            if (loc.getInt(16) != 1) throw error(what, "multi-disk zip archives are not supported");
            // The 64-bit record sits right before the locator, where the locator says it is.
            long end64Pos = endPos - END64_LOCATOR_SIZE - END64_SIZE;
            if (end64Pos < 0 || loc.getLong(8) != end64Pos) throw error(what, "ZIP64 end of central directory record is missing");
            ByteBuffer e64 = read(ch, end64Pos, END64_SIZE, what, "the ZIP64 end record");
            if (e64.getInt(0) != END64) throw error(what, "ZIP64 end of central directory record is missing");
            disk = e64.getInt(16);
            cdDisk = e64.getInt(20);
            count = e64.getLong(32);
            cdSize = e64.getLong(40);
            cdOffset = e64.getLong(48);
            cdEnd = end64Pos;
        }
        if (disk != 0 || cdDisk != 0) throw error(what, "multi-disk zip archives are not supported");
        if (cdSize < 0 || cdOffset < 0 || cdSize > cdEnd)
            throw error(what, "central directory of " + cdSize + " bytes does not fit in the archive's " + fileSize + " bytes");
        // Python's zipfile reads a directory found elsewhere than its recorded offset as if bytes were prepended to the
        // archive; that would also load an archive whose end record lies about the directory's size as an empty one, so
        // the directory must end where the end record begins and start at its recorded offset.
        long cdStart = cdEnd - cdSize;
        if (cdStart != cdOffset)
            throw error(what, "the end record puts the central directory at byte " + cdOffset + " with " + cdSize
                    + " bytes, but it must end at byte " + cdEnd + " (a lying end record, or bytes prepended to the archive, which are not supported)");
        if (cdSize > Integer.MAX_VALUE - 8) throw error(what, "central directory of " + cdSize + " bytes is too large");
        ByteBuffer cd = read(ch, cdStart, (int) cdSize, what, "the central directory");

        record Central(String name, int flags, int method, long crc, long compressedSize, long size, long offset) {}
        List<Central> central = new ArrayList<>();
        // Like Python's zipfile, read records until the directory's size is used up; unlike it, then check the end
        // record's entry count, or a record whose lengths swallow the next one would silently drop an entry.
        int p = 0;
        for (int i = 0; p < cd.limit(); i++) {
            if (p + CENTRAL_SIZE > cd.limit() || cd.getInt(p) != CENTRAL)
                throw error(what, "bad magic number for central directory entry " + i);
            int flags = u16(cd, p + 8), method = u16(cd, p + 10);
            long crc = u32(cd, p + 16), compressed = u32(cd, p + 20), size = u32(cd, p + 24);
            int nameLength = u16(cd, p + 28), extraLength = u16(cd, p + 30), commentLength = u16(cd, p + 32);
            int entryDisk = u16(cd, p + 34);
            long offset = u32(cd, p + 42);
            int next = p + CENTRAL_SIZE + nameLength + extraLength + commentLength;
            if (next > cd.limit()) throw error(what, "truncated central directory at entry " + i);
            byte[] nameBytes = new byte[nameLength];
            cd.get(p + CENTRAL_SIZE, nameBytes);
            String name = new String(nameBytes, (flags & FLAG_UTF8) != 0 ? StandardCharsets.UTF_8 : CP437);
            String where = "entry '" + name + "'";
            // The ZIP64 extra field holds, in this order, whichever 32-bit fields are saturated (APPNOTE 4.5.3).
            for (int x = p + CENTRAL_SIZE + nameLength, xEnd = x + extraLength; x + 4 <= xEnd; ) {
                int id = u16(cd, x), len = u16(cd, x + 2), y = x + 4;
                if (y + len > xEnd) throw error(what, where + ": extra field overruns its record");
                if (id == ZIP64_EXTRA) {
                    if (size == 0xFFFFFFFFL) { size = long64(cd, y, y + len, what, where); y += 8; }
                    if (compressed == 0xFFFFFFFFL) { compressed = long64(cd, y, y + len, what, where); y += 8; }
                    if (offset == 0xFFFFFFFFL) { offset = long64(cd, y, y + len, what, where); y += 8; }
                    if (entryDisk == 0xFFFF && y + 4 <= x + 4 + len) entryDisk = cd.getInt(y);
                }
                x += 4 + len;
            }
            if (entryDisk != 0) throw error(what, "multi-disk zip archives are not supported");
            if ((flags & FLAG_ENCRYPTED) != 0) throw error(what, where + " is encrypted, which is not supported");
            if (method != STORED && method != DEFLATED)
                throw error(what, where + " uses compression method " + method + "; only stored (0) and deflated (8) are supported");
            if (size < 0 || compressed < 0 || offset < 0 || offset > cdOffset)
                throw error(what, where + " declares an impossible size or offset");
            if (method == STORED && size != compressed)
                throw error(what, where + " is stored but declares " + compressed + " bytes in the archive and " + size + " uncompressed");
            if (method == DEFLATED && compressed < (Long.MAX_VALUE - 64) / MAX_DEFLATE_RATIO && size > MAX_DEFLATE_RATIO * compressed + 64)
                throw error(what, where + " declares " + size + " uncompressed bytes, more than deflate can produce from its "
                        + compressed + " compressed bytes (possible zip bomb)");
            central.add(new Central(name, flags, method, crc, compressed, size, offset));
            p = next;
        }

        if (central.size() != count)
            throw error(what, "the end record declares " + count + " entries but the central directory holds " + central.size());

        // Each entry's data must end before the next local header (or the central directory) begins: entries that share
        // bytes would let a small archive inflate without bound. Python's zipfile refuses these ("Overlapped entries").
        Integer[] byOffset = new Integer[central.size()];
        Arrays.setAll(byOffset, i -> i);
        Arrays.sort(byOffset, Comparator.comparingLong(i -> central.get(i).offset));
        long[] dataStart = new long[central.size()];
        for (int k = 0; k < byOffset.length; k++) {
            Central c = central.get(byOffset[k]);
            String where = "entry '" + c.name + "'";
            long limit = k + 1 < byOffset.length ? central.get(byOffset[k + 1]).offset : cdStart;
            if (c.offset + LOCAL_SIZE > limit)
                throw error(what, k + 1 < byOffset.length ? "Overlapped entries: '" + c.name + "' (possible zip bomb)"
                        : where + "'s local header at byte " + c.offset + " runs into the central directory at byte " + cdStart);
            ByteBuffer local = read(ch, c.offset, LOCAL_SIZE, what, "the local header of " + where);
            if (local.getInt(0) != LOCAL) throw error(what, where + ": bad magic number for file header");
            int nameLength = u16(local, 26), extraLength = u16(local, 28);
            long start = c.offset + LOCAL_SIZE + nameLength + extraLength;
            if (c.compressedSize > limit - start)
                throw error(what, k + 1 < byOffset.length ? "Overlapped entries: '" + c.name + "' (possible zip bomb)"
                        : where + " declares " + c.compressedSize + " bytes of data but only " + Math.max(0, cdStart - start)
                                + " lie between its header and the central directory (truncated or lying archive)");
            ByteBuffer nameBuf = read(ch, c.offset + LOCAL_SIZE, nameLength, what, "the local header of " + where);
            String name = new String(nameBuf.array(), (u16(local, 6) & FLAG_UTF8) != 0 ? StandardCharsets.UTF_8 : CP437);
            if (!name.equals(c.name))
                throw error(what, "file name in directory '" + c.name + "' and header '" + name + "' differ");
            dataStart[byOffset[k]] = start;
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < central.size(); i++) {
            Central c = central.get(i);
            out.add(new Entry(c.name, c.method, c.crc, c.compressedSize, c.size, dataStart[i]));
        }
        return out;
    }

    /** {@code length} bytes at {@code pos}, little-endian, or an error saying the archive is truncated. */
    private static ByteBuffer read(FileChannel ch, long pos, int length, String what, String reading) throws IOException {
        if (pos < 0 || pos + length > ch.size())
            throw error(what, "truncated archive: " + reading + " needs bytes " + pos + " to " + (pos + length) + " of a "
                    + ch.size() + "-byte file");
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        ByteSource.of(ch, pos, pos + length, what).readFully(b, reading);
        return b.flip();
    }

    private static long long64(ByteBuffer b, int at, int end, String what, String where) {
        if (at + 8 > end) throw error(what, where + ": ZIP64 extra field is too short");
        long v = b.getLong(at);
        if (v < 0) throw error(what, where + ": ZIP64 size or offset " + Long.toUnsignedString(v) + " is too large");
        return v;
    }

    private static int u16(ByteBuffer b, int at) { return b.getShort(at) & 0xFFFF; }

    private static long u32(ByteBuffer b, int at) { return b.getInt(at) & 0xFFFFFFFFL; }

    private static IllegalArgumentException error(String what, String message) {
        return new IllegalArgumentException(what + ": " + message);
    }
}
