package dev.jtorch.io;

import static dev.jtorch.io.IoGoldens.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.backend.CpuOutOfMemoryError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for issue 17 item 3: hostile archives and lying headers fail with a message, never by exhausting memory. */
class HostileFilesTest {
    @TempDir Path dir;

    /** The magic string, version and header numpy writes for an array of {@code descr} and {@code shape}, without the data. */
    private static byte[] npyHeader(String descr, long... shape) {
        String dims = shape.length == 1 ? "(" + shape[0] + ",)" : Arrays.toString(shape).replace('[', '(').replace(']', ')');
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }");
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(10 + hb.length).order(ByteOrder.LITTLE_ENDIAN).put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
                .putShort((short) hb.length).put(hb).array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        FileFuzzTest.overwrite(p, bytes);
        return p;
    }

    private static IllegalArgumentException refused(Path p, HostileCall c, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::run);
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), "contains '" + part + "': " + e.getMessage());
        return e;
    }

    interface HostileCall { void run() throws Exception; }

    @Test
    void sharedStreamNpzIsRefused() throws IOException {
        // One deflated 8 MB .npy, and 30 directory records that all point at it: 240 MB from a few kilobytes.
        byte[] npy = Npy.toBytes(Torch.zeros(1 << 20).to(dev.jtorch.DType.float64));
        ZipBytes.Entry one = ZipBytes.deflated("a0.npy", npy);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ZipBytes.local(one));
        out.writeBytes(one.data());
        List<ZipBytes.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) entries.add(one.withName("a" + i + ".npy"));
        Path p = write("shared.npz", ZipBytes.finish(out, entries, Collections.nCopies(30, 0L), false));
        assertTrue(Files.size(p) < 20_000, "a small archive: " + Files.size(p));
        refused(p, () -> Npy.loadNpz(p), "Overlapped entries", "possible zip bomb");

        // The other layout: each entry has its own header, but declares data that runs over the entries after it.
        ZipBytes.Entry small = ZipBytes.stored("s0.npy", Npy.toBytes(Torch.arange(4)));
        byte[] ok = ZipBytes.archive(List.of(small, small.withName("s1.npy"), small.withName("s2.npy")));
        assertEquals(3, Npy.loadNpz(write("ok.npz", ok)).size());
        byte[] spill = ok.clone();
        // s0's central record: its sizes (offsets 20 and 24 of the record) grown to reach into s1's local header.
        int cd = ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).getInt(ok.length - 6);
        ByteBuffer.wrap(spill).order(ByteOrder.LITTLE_ENDIAN).putInt(cd + 20, (int) small.size() + 40).putInt(cd + 24, (int) small.size() + 40);
        Path q = write("spill.npz", spill);
        refused(q, () -> Npy.loadNpz(q), "Overlapped entries: 's0.npy'");
    }

    /** A real bomb: about 1 MB of deflate that inflates to a 1 GiB .npy of zeros, built by repeating a flushed block. */
    private static ZipBytes.Entry bomb(String name, long claimedElements) {
        byte[] header = npyHeader("<f8", claimedElements);
        Deflater d = new Deflater(9, true);
        byte[] buf = new byte[1 << 21];
        d.setInput(header);
        int h = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        byte[] head = Arrays.copyOf(buf, h);
        // After a full flush nothing refers back, so one flushed block of 1 MiB of zeros may be repeated verbatim.
        d.setInput(new byte[1 << 20]);
        int b = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
        byte[] block = Arrays.copyOf(buf, b);
        d.finish();
        int t = d.deflate(buf);
        byte[] tail = Arrays.copyOf(buf, t);
        d.end();
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        packed.writeBytes(head);
        CRC32 crc = new CRC32();
        crc.update(header);
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 1024; i++) {
            packed.writeBytes(block);
            crc.update(zeros);
        }
        packed.writeBytes(tail);
        byte[] data = packed.toByteArray();
        return new ZipBytes.Entry(name, 8, data, crc.getValue(), data.length, header.length + (1L << 30));
    }

    @Test
    void zipBombIsBoundedByTheCallersLimit() throws IOException {
        ZipBytes.Entry e = bomb("x.npy", 1L << 27);
        Path p = write("bomb.npz", ZipBytes.archive(List.of(e)));
        assertTrue(Files.size(p) < 1_200_000, "about 1 MB: " + Files.size(p));
        // Honest sizes: refused before inflating anything when the total exceeds what the caller allows.
        refused(p, () -> Npy.loadNpz(p, 256L << 20), "more than the limit of 268435456 uncompressed bytes", "'x.npy'", "maxBytes");
        // Lying sizes (the directory and the .npy header claim 1 MiB of data): inflating stops at the declared size.
        ZipBytes.Entry small = bomb("x.npy", 1L << 17);
        Path lie = write("lie.npz", ZipBytes.archive(List.of(small.withSize(small.size() - (1L << 30) + (1L << 20)))));
        refused(lie, () -> Npy.loadNpz(lie), "entry 'x.npy'", "inflates to more than its declared 1048704 bytes");
        // A declared size that deflate cannot produce from the compressed bytes is refused at once.
        Path impossible = write("impossible.npz", ZipBytes.archive(List.of(e.withSize(1L << 40))));
        refused(impossible, () -> Npy.loadNpz(impossible), "'x.npy' declares 1099511627776 uncompressed bytes, more than deflate can produce");
        // The limit counts every entry together.
        ZipBytes.Entry a = ZipBytes.stored("a.npy", Npy.toBytes(Torch.zeros(1000)));
        Path two = write("two.npz", ZipBytes.archive(List.of(a, a.withName("b.npy"))));
        assertEquals(2, Npy.loadNpz(two, 2 * a.size()).size());
        refused(two, () -> Npy.loadNpz(two, 2 * a.size() - 1), "entry 'b.npy' declares " + a.size() + " after " + a.size());
        Path dup = write("dup.npz", ZipBytes.archive(List.of(a, a.withName("a"))));
        refused(dup, () -> Npy.loadNpz(dup), "entries 'a.npy' and 'a' both hold key 'a'");
        assertThrows(IllegalArgumentException.class, () -> Npy.loadNpz(two, -1));
        assertEquals(Runtime.getRuntime().maxMemory(), Npy.defaultMaxBytes());
    }

    @Test
    void crcFlipIsRefusedLikeNumpy() throws IOException {
        Path good = dir.resolve("good.npz");
        Npy.saveNpz(Map.of("x", Torch.fromArray(new float[]{0, 1, 2, 3}, 4)), good);
        byte[] b = Files.readAllBytes(good);
        byte[] npy = Npy.toBytes(Torch.fromArray(new float[]{0, 1, 2, 3}, 4));
        int data = indexOf(b, npy) + npy.length - 16;
        // 1.0f is 0x3F800000; one bit turns it into infinity.
        assertEquals(0x3F, b[data + 4 + 3]);
        b[data + 4 + 3] = 0x7F;
        Path bad = write("flipped.npz", b);
        refused(bad, () -> Npy.loadNpz(bad), "(entry 'x.npy')", "Bad CRC-32 for file 'x.npy'");
        // numpy's deflated golden: a flipped bit in the compressed stream breaks the stream or the checksum.
        byte[] z = Files.readAllBytes(path("deflated.npz"));
        try (ZipFile zf = new ZipFile(path("deflated.npz").toFile())) {
            assertEquals(java.util.zip.ZipEntry.DEFLATED, zf.getEntry("w.npy").getMethod());
        }
        int w = indexOf(z, "w.npy".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer local = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        int packed = local.getInt(w - 12), extra = local.getShort(w - 2);
        z[w + 5 + extra + packed / 2] ^= 0x10;
        Path badz = write("flipped_deflated.npz", z);
        IllegalArgumentException e = refused(badz, () -> Npy.loadNpz(badz), "(entry 'w.npy')");
        assertTrue(e.getMessage().contains("Bad CRC-32") || e.getMessage().contains("deflate"), e.getMessage());
    }

    @Test
    void hugeNpyHeaderGetsASizeMessage() throws IOException {
        // A header claiming 3 GB over 24 bytes of data: refused by comparing with the file's length, not by allocating.
        byte[] header = npyHeader("<f8", 375_000_000L);
        Path lie = write("lie.npy", ByteBuffer.allocate(header.length + 24).put(header).array());
        refused(lie, () -> Npy.load(lie), "shape [375000000] needs 375000000 elements of 8 bytes but only 24 bytes are present");
        // The same lie inside an archive names the entry.
        Path npz = write("lie.npz", ZipBytes.archive(List.of(ZipBytes.stored("big.npy", Files.readAllBytes(lie)))));
        refused(npz, () -> Npy.loadNpz(npz), "(entry 'big.npy')", "only 24 bytes are present");
        // A ZIP64 directory that declares a 3 GB stored entry over a few bytes of data.
        ZipBytes.Entry e = ZipBytes.stored("big.npy", Files.readAllBytes(lie));
        Path z64 = write("lie64.npz", ZipBytes.archive(List.of(new ZipBytes.Entry("big.npy", 0, e.data(), e.crc(), 3_000_000_000L, 3_000_000_000L)), true));
        refused(z64, () -> Npy.loadNpz(z64), "'big.npy' declares 3000000000 bytes of data but only");
    }

    /**
     * A header whose size the file really has (sparse: setLength writes no blocks on ext4, xfs or btrfs) but the
     * memory does not: the CPU allocator's exception and message, as from Torch.empty, before any data is read; no
     * OutOfMemoryError.
     * Files within memory load whatever their size (RoundTripBeyondArraysTest runs that path on small tensors).
     */
    @Test
    void aRealFileBeyondMemoryGetsTheAllocatorsMessage() throws IOException {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long nativeBytes = 1L << 42; // 4 TiB of uint8: native memory, beyond the machine
        Assumptions.assumeTrue(os.getTotalMemorySize() + os.getTotalSwapSpaceSize() < nativeBytes, "the machine has 4 TiB");
        Path big = sparse("beyond_memory.npy", npyHeader("|u1", nativeBytes), nativeBytes);
        CpuOutOfMemoryError e = assertThrows(CpuOutOfMemoryError.class, () -> Npy.load(big));
        assertTrue(e.getMessage().startsWith("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: "
                + "you tried to allocate 4398046511104 bytes. Error code 12 (Cannot allocate memory); native memory: "), e.getMessage());
        // 2^31 - 9 float64 (17 GB): the largest Java array, beyond the heap.
        long heapElements = Integer.MAX_VALUE - 8;
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < heapElements * 8, "the heap could hold 17 GB");
        Path heap = sparse("beyond_heap.npy", npyHeader("<f8", heapElements), heapElements * 8);
        e = assertThrows(CpuOutOfMemoryError.class, () -> Npy.load(heap));
        assertTrue(e.getMessage().startsWith("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: "
                + "you tried to allocate 17179869112 bytes. Error code 12 (Cannot allocate memory); Java heap: "), e.getMessage());
        assertEquals(6.0, Torch.ones(2, 3).sum().item()); // the JVM goes on
    }

    /** {@code header} followed by {@code dataBytes} zero bytes that take no disk space, or the test is skipped where they would. */
    private Path sparse(String name, byte[] header, long dataBytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(header);
            f.setLength(header.length + dataBytes);
        } catch (IOException e) {
            Assumptions.abort("this file system cannot hold a sparse file of " + dataBytes + " bytes: " + e.getMessage());
        }
        return p;
    }

    @Test
    void aLyingDirectoryCannotDropEntries() throws IOException {
        Path good = dir.resolve("two.npz");
        Npy.saveNpz(Map.of("a", Torch.arange(3), "b", Torch.arange(5)), good);
        byte[] z = Files.readAllBytes(good);
        ByteBuffer b = ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN);
        int cd = b.getInt(z.length - 6);
        int second = cd + 46 + b.getShort(cd + 28);
        // The first record's comment length grown to swallow the second record (FileFuzzTest's long run found the same
        // with an extra field that happened to parse).
        byte[] swallow = z.clone();
        ByteBuffer.wrap(swallow).order(ByteOrder.LITTLE_ENDIAN).putShort(cd + 32, (short) (z.length - 22 - second));
        Path p = write("swallow.npz", swallow);
        refused(p, () -> Npy.loadNpz(p), "the end record declares 2 entries but the central directory holds 1");
        // The end record's directory size shrunk to nothing: Python's zipfile would read an empty archive.
        byte[] empty = z.clone();
        ByteBuffer.wrap(empty).order(ByteOrder.LITTLE_ENDIAN).putInt(z.length - 10, 0);
        Path q = write("empty.npz", empty);
        refused(q, () -> Npy.loadNpz(q), "must end at byte");
    }

    @Test
    void zip64ArchivesLoad() throws IOException {
        Tensor t = Torch.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] bytes = ZipBytes.archive(List.of(ZipBytes.stored("a.npy", Npy.toBytes(t)), ZipBytes.deflated("b.npy", Npy.toBytes(t))), true);
        Path p = write("z64.npz", bytes);
        // The JDK's reader agrees that the archive is well formed.
        try (ZipFile zf = new ZipFile(p.toFile())) {
            assertEquals(2, zf.size());
        }
        Map<String, Tensor> m = Npy.loadNpz(p);
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
        for (Tensor x : m.values()) assertArrayEquals(t.toFloatArray(), x.toFloatArray(), 0f);
    }

    @Test
    void truncatedFilesSayWhatWasExpected() throws IOException {
        byte[] npy = Files.readAllBytes(path("c_float32.npy"));
        for (int n = 0; n < npy.length; n++) {
            Path p = write("t.npy", Arrays.copyOf(npy, n));
            IllegalArgumentException e = refused(p, () -> Npy.load(p));
            String m = e.getMessage();
            if (n < 8) assertTrue(m.endsWith("EOF: reading magic string, expected 8 bytes got " + n), m);
            else if (n < 10) assertTrue(m.endsWith("EOF: reading array header length, expected 2 bytes got " + (n - 8)), m);
            else if (n < 128) assertTrue(m.endsWith("EOF: reading array header, expected 118 bytes got " + (n - 10)), m);
            else assertTrue(m.endsWith("needs 6 elements of 4 bytes but only " + (n - 128) + " bytes are present"), m);
        }
        byte[] npz = Files.readAllBytes(path("stored.npz"));
        for (int n = 0; n < npz.length; n++) {
            Path p = write("t.npz", Arrays.copyOf(npz, n));
            refused(p, () -> Npy.loadNpz(p));
        }
        byte[] st = Files.readAllBytes(path("all.safetensors"));
        for (int n = 0; n < st.length; n++) {
            Path p = write("t.safetensors", Arrays.copyOf(st, n));
            IllegalArgumentException e = refused(p, () -> SafeTensors.loadFile(p));
            long header = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n >= 8 + header) assertTrue(e.getMessage().contains("(the file is truncated)"), e.getMessage());
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("not found");
    }
}
