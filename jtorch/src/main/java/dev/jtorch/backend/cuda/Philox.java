package dev.jtorch.backend.cuda;

/**
 * A host reference of the counter-based generator PyTorch's CUDA random numbers come from: Philox4x32-10
 * (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011; Random123) driven the way
 * cuRAND's {@code curandStatePhilox4_32_10_t} drives it, and the grid-stride layout of PyTorch's
 * {@code distribution_nullary_kernel}. The CUDA backend's generated kernels compute the same thing on
 * the device ({@link RandomKernels}); this class exists to test them and to say exactly what they do.
 *
 * <h2>The generator</h2>
 * A 128-bit counter {@code (c0, c1, c2, c3)} and a 64-bit key {@code (k0, k1)} give four 32-bit words
 * per counter value. A stream is initialised from {@code (seed, subsequence, offset)}: key = seed (low
 * word first), counter = 0; the subsequence is added to the high 64 bits of the counter
 * {@code (c2, c3)}; then the stream skips {@code offset} words (a quarter of it into the low 64 bits of
 * the counter, the remainder as a position within the current block of four). {@link Stream#next4()}
 * returns the next four words, {@link Stream#next()} one.
 *
 * <h2>How PyTorch uses it</h2>
 * A CUDA generator is a seed and an offset. A kernel that draws asks for an increment (rounded up to a
 * multiple of 4), gets the current offset, and the generator moves on by the increment, so the next
 * kernel's numbers are new. The kernel launches {@code grid} blocks of 256 threads ({@link #grid}); thread
 * {@code t} opens a stream with subsequence {@code t} at that offset and, in a grid-stride loop of step
 * {@code 256 * grid * unroll}, takes four words per iteration and writes up to {@code unroll} elements
 * {@code li + 256 * grid * ii} ({@link #forEachDraw}). Float uniforms are {@code word * 2^-32 + 2^-33}
 * in float (values in (0, 1]); {@code uniform_(from, to)} maps an exact {@code to} back to {@code from}.
 */
public final class Philox {
    private Philox() {}

    static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /** Threads per block of PyTorch's distribution kernels. */
    public static final int BLOCK = 256;

    /** Philox4x32 with {@code rounds} rounds: the four output words for counter {@code ctr} and key {@code key}. */
    public static int[] philox4x32(int rounds, int[] ctr, int[] key) {
        int c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3], k0 = key[0], k1 = key[1];
        for (int r = 0; r < rounds; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xffffffffL) * (c0 & 0xffffffffL), p1 = (M1 & 0xffffffffL) * (c2 & 0xffffffffL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0, hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        return new int[]{c0, c1, c2, c3};
    }

    /** Philox4x32-10, the variant cuRAND and PyTorch use. */
    public static int[] philox4x32_10(int[] ctr, int[] key) { return philox4x32(10, ctr, key); }

    /** A stream of 32-bit words, like cuRAND's Philox4_32_10 state after {@code curand_init(seed, subsequence, offset)}. */
    public static final class Stream {
        private final int[] ctr = new int[4];
        private final int[] key;
        private int[] output;
        private int state;

        public Stream(long seed, long subsequence, long offset) {
            key = new int[]{(int) seed, (int) (seed >>> 32)};
            // skip subsequences: the high 64 bits of the counter
            int lo = (int) subsequence, hi = (int) (subsequence >>> 32);
            ctr[2] += lo;
            if (Integer.compareUnsigned(ctr[2], lo) < 0) hi++;
            ctr[3] += hi;
            // skip words: whole blocks of four into the low 64 bits, the rest as the position in the block
            state += (int) (offset & 3);
            long n = offset >>> 2;
            if (state > 3) {
                n++;
                state -= 4;
            }
            increment(n);
            output = philox4x32_10(ctr, key);
        }

        private void increment(long n) {
            int lo = (int) n, hi = (int) (n >>> 32);
            ctr[0] += lo;
            if (Integer.compareUnsigned(ctr[0], lo) < 0) hi++;
            ctr[1] += hi;
            if (Integer.compareUnsigned(hi, ctr[1]) <= 0) return;
            if (++ctr[2] != 0) return;
            ++ctr[3];
        }

        private void incrementOne() {
            if (++ctr[0] != 0) return;
            if (++ctr[1] != 0) return;
            if (++ctr[2] != 0) return;
            ++ctr[3];
        }

        /** The next four words ({@code curand4}). */
        public int[] next4() {
            int[] tmp = output;
            incrementOne();
            output = philox4x32_10(ctr, key);
            return switch (state) {
                case 0 -> tmp;
                case 1 -> new int[]{tmp[1], tmp[2], tmp[3], output[0]};
                case 2 -> new int[]{tmp[2], tmp[3], output[0], output[1]};
                default -> new int[]{tmp[3], output[0], output[1], output[2]};
            };
        }

        /** The next word ({@code curand}). */
        public int next() {
            int r = output[state++];
            if (state == 4) {
                incrementOne();
                output = philox4x32_10(ctr, key);
                state = 0;
            }
            return r;
        }
    }

    // ---------------------------------------------------------------- transforms

    /** 2^-32, 2^-33 and 2 pi 2^-32 (cuRAND's float constants). */
    static final float INV32 = 0x1p-32f, INV33 = 0x1p-33f, INV32_2PI = 0x1p-32f * 6.2831855f;

    /** A float uniform in (0, 1] from one word: {@code word * 2^-32 + 2^-33} ({@code curand_uniform}). */
    public static float uniform(int word) { return Math.fma((float) Integer.toUnsignedLong(word), INV32, INV33); }

    /** A double uniform in (0, 1] from two words: 53 bits {@code x ^ (y << 21)} ({@code curand_uniform2_double}). */
    public static double uniformDouble(int x, int y) {
        long z = Integer.toUnsignedLong(x) ^ (Integer.toUnsignedLong(y) << 21);
        return Math.fma((double) z, 0x1p-53, 0x1p-54);
    }

    /**
     * Two float normals from two words by Box-Muller ({@code curand_normal4} takes words 0, 1 and 2, 3):
     * {@code s = sqrt(-2 log u)}, {@code (sin(v) s, cos(v) s)} with {@code u} uniform in (0, 1] and
     * {@code v} in (0, 2 pi]. The device uses the fast hardware sine and cosine, so this reference agrees to
     * about 1e-6 relative, not to the bit.
     */
    public static float[] boxMuller(int x, int y) {
        float u = uniform(x);
        float v = Math.fma((float) Integer.toUnsignedLong(y), INV32_2PI, INV32_2PI / 2);
        float s = (float) Math.sqrt(-2.0f * (float) Math.log(u));
        return new float[]{(float) Math.sin(v) * s, (float) Math.cos(v) * s};
    }

    /** Two double normals from four words ({@code curand_normal2_double}); to about 1e-15 relative of the device. */
    public static double[] boxMullerDouble(int x0, int x1, int y0, int y1) {
        long zx = Integer.toUnsignedLong(x0) ^ (Integer.toUnsignedLong(x1) << 21);
        long zy = Integer.toUnsignedLong(y0) ^ (Integer.toUnsignedLong(y1) << 21);
        double u = Math.fma((double) zx, 0x1p-53, 0x1p-54), v = Math.fma((double) zy, 0x1p-52, 0x1p-53);
        double s = Math.sqrt(-2.0 * Math.log(u));
        return new double[]{Math.sin(Math.PI * v) * s, Math.cos(Math.PI * v) * s};
    }

    // ---------------------------------------------------------------- layout

    /**
     * The number of blocks PyTorch's {@code calc_execution_policy} launches for {@code n} elements: enough
     * blocks of 256 for all elements, at most as many as fit on the GPU at once
     * ({@code smCount * maxThreadsPerSm / 256}).
     */
    public static long grid(long n, int smCount, int maxThreadsPerSm) {
        long blocks = (n + BLOCK - 1) / BLOCK;
        long resident = (long) smCount * (maxThreadsPerSm / BLOCK);
        return Math.max(1, Math.min(resident, blocks));
    }

    /** How far a kernel moves the generator's offset: 4 words per grid-stride iteration (before rounding to 4). */
    public static long increment(long n, long grid, int unroll) {
        return ((n - 1) / (BLOCK * grid * unroll) + 1) * 4;
    }

    /** Receives one element's draw: its linear index, the four words of its iteration and its slot (0..unroll-1) among them. */
    @FunctionalInterface
    public interface Draw {
        void accept(long index, int[] words, int slot);
    }

    /** Walks the grid-stride loop of PyTorch's distribution kernels on the host, in thread order. */
    public static void forEachDraw(long n, long grid, int unroll, long seed, long offset, Draw f) {
        if (n <= 0) return;
        long stride = BLOCK * grid, step = stride * unroll;
        long rounded = ((n - 1) / step + 1) * step;
        for (long t = 0; t < stride; t++) {
            Stream s = new Stream(seed, t, offset);
            for (long li = t; li < rounded; li += step) {
                int[] w = s.next4();
                for (int ii = 0; ii < unroll; ii++) {
                    long e = li + stride * ii;
                    if (e < n) f.accept(e, w, ii);
                }
            }
        }
    }

    /**
     * What {@code uniform_(from, to)} writes into a contiguous float32 CUDA tensor of {@code n} elements
     * with the generator at {@code (seed, offset)} and {@code grid} blocks; exact.
     */
    public static float[] uniformFloat(long seed, long offset, int n, long grid, double from, double to) {
        float[] out = new float[n];
        float f = (float) from, t = (float) to, range = t - f;
        forEachDraw(n, grid, 4, seed, offset, (e, w, ii) -> {
            float v = Math.fma(uniform(w[ii]), range, f);
            out[(int) e] = v == t ? f : v;
        });
        return out;
    }

    /** The same for float64 (two elements per iteration, 53-bit uniforms); exact. */
    public static double[] uniformDouble(long seed, long offset, int n, long grid, double from, double to) {
        double[] out = new double[n];
        double range = to - from;
        forEachDraw(n, grid, 2, seed, offset, (e, w, ii) -> {
            double v = Math.fma(uniformDouble(w[2 * ii], w[2 * ii + 1]), range, from);
            out[(int) e] = v == to ? from : v;
        });
        return out;
    }

    /** What {@code normal_(mean, std)} writes into a contiguous float32 CUDA tensor, to about 1e-6 (see {@link #boxMuller}). */
    public static float[] normalFloat(long seed, long offset, int n, long grid, double mean, double std) {
        float[] out = new float[n];
        float m = (float) mean, sd = (float) std;
        forEachDraw(n, grid, 4, seed, offset, (e, w, ii) -> {
            float[] pair = boxMuller(w[ii & 2], w[(ii & 2) + 1]);
            out[(int) e] = Math.fma(pair[ii & 1], sd, m);
        });
        return out;
    }

    /** What {@code random_(from, to)} writes into a contiguous int64 CUDA tensor; exact. */
    public static long[] randomFromTo(long seed, long offset, int n, long grid, long from, long toExclusive) {
        long[] out = new long[n];
        long range = toExclusive - from;
        boolean wide = Long.compareUnsigned(range, 1L << 28) >= 0;
        forEachDraw(n, grid, wide ? 2 : 4, seed, offset, (e, w, ii) -> {
            long word = wide ? (Integer.toUnsignedLong(w[2 * ii]) << 32) | Integer.toUnsignedLong(w[2 * ii + 1]) : Integer.toUnsignedLong(w[ii]);
            out[(int) e] = Long.remainderUnsigned(word, range) + from;
        });
        return out;
    }
}
