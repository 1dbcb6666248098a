package dev.jtorch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Bytes read in order from a file region, a zip entry or memory, whose length is known before reading, so that
 * a reader can check every size a header claims against the bytes that exist before it allocates anything.
 */
abstract class ByteSource {
    /** Names the file (and entry) in every error. */
    final String what;
    private final long length;
    private long position;

    ByteSource(String what, long length) {
        this.what = what;
        this.length = length;
    }

    /** The bytes not yet read. */
    final long remaining() { return length - position; }

    /**
     * Fills {@code dst} completely, or throws numpy's truncation message ({@code format._read_bytes}) saying what
     * was being read and how many bytes were expected and found.
     */
    final void readFully(ByteBuffer dst, String reading) throws IOException {
        int want = dst.remaining();
        if (want > remaining()) throw eof(reading, want, remaining());
        int got = fill(dst);
        position += got;
        if (got < want) throw eof(reading, want, got);
    }

    /** An error about this source's bytes, naming the file (and entry). */
    final IllegalArgumentException error(String message) { return new IllegalArgumentException(what + ": " + message); }

    private IllegalArgumentException eof(String reading, long want, long got) {
        return error("EOF: reading " + reading + ", expected " + want + " bytes got " + got);
    }

    /** Reads up to {@code dst.remaining()} bytes, fewer only where the underlying data ends early; returns the count. */
    abstract int fill(ByteBuffer dst) throws IOException;

    /** The bytes of {@code ch} from {@code start} to {@code end}. */
    static ByteSource of(FileChannel ch, long start, long end, String what) {
        return new ByteSource(what, end - start) {
            private long pos = start;

            @Override
            int fill(ByteBuffer dst) throws IOException {
                int got = 0;
                while (dst.hasRemaining()) {
                    int r;
                    try {
                        r = ch.read(dst, pos);
                    } catch (IOException e) {
                        throw new IOException(what + ": " + e.getMessage(), e);
                    }
                    if (r < 0) break; // the file shrank while being read
                    pos += r;
                    got += r;
                }
                return got;
            }
        };
    }

    /** The remaining bytes of {@code buf}. */
    static ByteSource of(ByteBuffer buf, String what) {
        ByteBuffer src = buf.slice();
        return new ByteSource(what, src.remaining()) {
            @Override
            int fill(ByteBuffer dst) {
                int n = dst.remaining();
                dst.put(src.slice(src.position(), n));
                src.position(src.position() + n);
                return n;
            }
        };
    }
}
