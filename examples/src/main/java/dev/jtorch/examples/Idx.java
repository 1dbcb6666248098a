package dev.jtorch.examples;

import static dev.jtorch.Torch.*;

import dev.jtorch.Tensor;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST's IDX files: a big-endian magic number {@code 0x0000TTRR} (TT the element type, RR the rank), the
 * RR sizes as big-endian ints, then the elements row-major.
 */
final class Idx {
    private static final int UBYTE = 0x08;

    private Idx() {}

    /** A gzipped IDX file of unsigned bytes on the class path (e.g. {@code "/data/labels-idx1-ubyte.gz"}) as a uint8 tensor. */
    static Tensor read(String resource) throws IOException {
        InputStream raw = Idx.class.getResourceAsStream(resource);
        if (raw == null) throw new FileNotFoundException("no resource " + resource);
        try (var in = new DataInputStream(new GZIPInputStream(raw))) {
            int magic = in.readInt();
            if (magic >>> 8 != UBYTE) throw new IOException(resource + ": not an IDX file of unsigned bytes (magic 0x" + Integer.toHexString(magic) + ")");
            long[] shape = new long[magic & 0xFF];
            long count = 1;
            for (int i = 0; i < shape.length; i++) count *= shape[i] = in.readInt();
            byte[] data = in.readAllBytes();
            if (data.length != count) throw new IOException(resource + ": " + data.length + " bytes of data, the header says " + count);
            return fromArray(data, uint8, shape);
        }
    }
}
