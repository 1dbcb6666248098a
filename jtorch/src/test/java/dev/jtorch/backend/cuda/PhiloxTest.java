package dev.jtorch.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The host reference of the CUDA generator (runs everywhere): Philox4x32 against Random123's published
 * known-answer vectors ({@code kat_vectors}), cuRAND's stream semantics (subsequences, offsets, blocks of
 * four), the transforms, PyTorch's launch geometry, and the generator's bookkeeping.
 */
class PhiloxTest {
    static int[] words(long... v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (int) v[i];
        return r;
    }

    @Test
    void random123KnownAnswers() {
        // Random123 kat_vectors: philox4x32 R ctr[4] key[2] -> out[4]
        assertArrayEquals(words(0x6627e8d5L, 0xe169c58dL, 0xbc57ac4cL, 0x9b00dbd8L),
                Philox.philox4x32_10(words(0, 0, 0, 0), words(0, 0)));
        assertArrayEquals(words(0x408f276dL, 0x41c83b0eL, 0xa20bc7c6L, 0x6d5451fdL),
                Philox.philox4x32_10(words(0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL), words(0xffffffffL, 0xffffffffL)));
        assertArrayEquals(words(0xd16cfe09L, 0x94fdccebL, 0x5001e420L, 0x24126ea1L),
                Philox.philox4x32_10(words(0x243f6a88L, 0x85a308d3L, 0x13198a2eL, 0x03707344L), words(0xa4093822L, 0x299f31d0L)));
        // the 7-round variant of the same vector
        assertArrayEquals(words(0x4dfccabaL, 0x190a87f0L, 0xc47362baL, 0xb6b5242aL),
                Philox.philox4x32(7, words(0x243f6a88L, 0x85a308d3L, 0x13198a2eL, 0x03707344L), words(0xa4093822L, 0x299f31d0L)));
    }

    @Test
    void streamsFollowCurandInit() {
        long seed = 0x0123456789abcdefL;
        int[] key = {(int) seed, (int) (seed >>> 32)};
        // subsequence s starts at counter (0, 0, lo(s), hi(s)); each next4 moves the counter by one
        long sub = 0x1_0000_0005L;
        Philox.Stream s = new Philox.Stream(seed, sub, 0);
        assertArrayEquals(Philox.philox4x32_10(new int[]{0, 0, 5, 1}, key), s.next4());
        assertArrayEquals(Philox.philox4x32_10(new int[]{1, 0, 5, 1}, key), s.next4());
        // an offset of 4k words skips k blocks
        Philox.Stream t = new Philox.Stream(seed, 7, 4 * 3);
        assertArrayEquals(Philox.philox4x32_10(new int[]{3, 0, 7, 0}, key), t.next4());
        // a large offset carries into the second counter word
        Philox.Stream big = new Philox.Stream(seed, 0, 4L * 0x1_0000_0002L);
        assertArrayEquals(Philox.philox4x32_10(new int[]{2, 1, 0, 0}, key), big.next4());
        // offsets that are not multiples of 4 start inside a block
        int[] b0 = Philox.philox4x32_10(new int[]{0, 0, 0, 0}, key), b1 = Philox.philox4x32_10(new int[]{1, 0, 0, 0}, key);
        assertArrayEquals(new int[]{b0[2], b0[3], b1[0], b1[1]}, new Philox.Stream(seed, 0, 2).next4());
        Philox.Stream one = new Philox.Stream(seed, 0, 3);
        assertEquals(b0[3], one.next());
        assertEquals(b1[0], one.next());
        // next() and next4() walk the same words
        Philox.Stream a = new Philox.Stream(seed, 11, 8), c = new Philox.Stream(seed, 11, 8);
        for (int i = 0; i < 5; i++) {
            int[] four = a.next4();
            for (int j = 0; j < 4; j++) assertEquals(four[j], c.next());
        }
    }

    @Test
    void uniformsLieInZeroOneInclusiveOfOne() {
        assertEquals(0x1p-33f, Philox.uniform(0));
        assertEquals(1.0f, Philox.uniform(0xffffffff)); // rounds up: why PyTorch maps to == 1 back to from
        assertEquals(0.5f, Philox.uniform(0x80000000), 1e-9f);
        assertEquals(0x1p-54, Philox.uniformDouble(0, 0));
        assertTrue(Philox.uniformDouble(-1, -1) <= 1.0);
        assertEquals(1.0, Philox.uniformDouble(0x1fffff, -1)); // 53 one bits: x ^ (y << 21)
        // float draws of many words: mean 1/2, variance 1/12
        Philox.Stream s = new Philox.Stream(42, 0, 0);
        double sum = 0, sq = 0;
        int n = 400_000;
        for (int i = 0; i < n; i++) {
            float u = Philox.uniform(s.next());
            assertTrue(u > 0 && u <= 1);
            sum += u;
            sq += u * (double) u;
        }
        double mean = sum / n, var = sq / n - mean * mean;
        assertEquals(0.5, mean, 3e-3);
        assertEquals(1 / 12.0, var, 2e-3);
    }

    @Test
    void boxMullerGivesStandardNormals() {
        Philox.Stream s = new Philox.Stream(7, 3, 0);
        double sum = 0, sq = 0, q = 0;
        int n = 200_000;
        for (int i = 0; i < n / 2; i++) {
            for (float z : Philox.boxMuller(s.next(), s.next())) {
                sum += z;
                sq += z * (double) z;
                q += z * (double) z * z * z;
            }
        }
        double mean = sum / n, var = sq / n - mean * mean;
        assertEquals(0, mean, 1e-2);
        assertEquals(1, var, 1e-2);
        assertEquals(3, q / n, 0.1);
        double[] d = Philox.boxMullerDouble(1, 2, 3, 4);
        assertTrue(Double.isFinite(d[0]) && Double.isFinite(d[1]));
    }

    @Test
    void launchGeometryIsPyTorchs() {
        // H100/H200: 132 SMs, 2048 threads each -> at most 1056 blocks of 256
        assertEquals(1, Philox.grid(1, 132, 2048));
        assertEquals(4, Philox.grid(1000, 132, 2048));
        assertEquals(1056, Philox.grid(1 << 20, 132, 2048));
        // one iteration per thread covers 4 * 256 * grid elements, and costs 4 words of offset
        assertEquals(4, Philox.increment(1000, 4, 4));
        assertEquals(4, Philox.increment(1056L * 1024, 1056, 4));
        assertEquals(8, Philox.increment(1056L * 1024 + 1, 1056, 4));
        assertEquals(993 * 4, Philox.increment(1L << 30, 1056, 4));
    }

    @Test
    void everyElementIsDrawnOnce() {
        for (int unroll : new int[]{2, 4}) {
            for (long n : new long[]{1, 255, 256, 1000, 5000, 70_001}) {
                long grid = Philox.grid(n, 2, 1024); // a small GPU: 8 blocks at most
                int[] seen = new int[(int) n];
                Philox.forEachDraw(n, grid, unroll, 1, 0, (e, w, ii) -> seen[(int) e]++);
                for (int i = 0; i < n; i++) assertEquals(1, seen[i], "n=" + n + " unroll=" + unroll + " element " + i);
            }
        }
    }

    @Test
    void uniformFloatFollowsTheLayout() {
        // element e of a small tensor: thread e, first iteration, slot 0 (n < 256 * grid)
        float[] r = Philox.uniformFloat(0, 0, 10, Philox.grid(10, 132, 2048), 0, 1);
        for (int e = 0; e < 10; e++) assertEquals(Philox.uniform(new Philox.Stream(0, e, 0).next4()[0]), r[e]);
        // bounds: in [from, to)
        float[] s = Philox.uniformFloat(5, 8, 3000, 3, -2, 3);
        for (float v : s) assertTrue(v >= -2 && v < 3, "value " + v);
        long[] k = Philox.randomFromTo(5, 0, 3000, 3, -3, 4);
        for (long v : k) assertTrue(v >= -3 && v < 4);
        long[] wide = Philox.randomFromTo(5, 0, 3000, 3, 0, 1L << 40);
        for (long v : wide) assertTrue(v >= 0 && v < (1L << 40));
    }

    @Test
    void uniformBoundsRoundLikeTheDtype() {
        assertArrayEquals(new double[]{0, 1, 1}, RandomKernels.uniformBounds(dev.jtorch.DType.float32, 0, 1));
        double[] h = RandomKernels.uniformBounds(dev.jtorch.DType.float16, 0.1, 1000.3);
        assertEquals(Float.float16ToFloat(Float.floatToFloat16(0.1f)), h[0]);
        assertEquals(1000.5, h[2]);
        double[] d = RandomKernels.uniformBounds(dev.jtorch.DType.float64, -1, 2);
        assertArrayEquals(new double[]{-1, 3, 2}, d);
    }

    @Test
    void generatorReservesOffsetsInFours() {
        CudaGenerator g = new CudaGenerator(0, 123);
        assertEquals(123, g.initialSeed());
        assertArrayEquals(new long[]{123, 0}, g.reserve(4));
        assertArrayEquals(new long[]{123, 4}, g.reserve(5));
        assertEquals(12, g.offset());
        byte[] st = g.getState();
        assertEquals(CudaGenerator.STATE_SIZE, st.length);
        assertEquals(123, st[0]);
        assertEquals(12, st[8]);
        g.manualSeed(-1);
        assertEquals(-1, g.initialSeed());
        assertEquals(0, g.offset());
        g.setState(st);
        assertEquals(123, g.initialSeed());
        assertEquals(12, g.offset());
        assertThrows(IllegalArgumentException.class, () -> g.setOffset(3));
        assertThrows(IllegalArgumentException.class, () -> g.setState(new byte[3]));
    }

    @Test
    void torchSeedingReachesTheCudaGeneratorsWithoutAGpu() {
        dev.jtorch.Torch.manualSeed(1234);
        assertEquals(1234, Cuda.generator(0).initialSeed());
        assertEquals(1234, Cuda.generator(5).initialSeed()); // created later: starts from the last seed-all
        Cuda.generator(0).reserve(8);
        dev.jtorch.Torch.cuda.manualSeed(7);                  // the current device only
        assertEquals(7, dev.jtorch.Torch.cuda.initialSeed());
        assertEquals(0, Cuda.generator(0).offset());
        assertEquals(1234, Cuda.generator(5).initialSeed());
        dev.jtorch.Torch.cuda.manualSeedAll(9);
        assertEquals(9, Cuda.generator(0).initialSeed());
        assertEquals(9, Cuda.generator(5).initialSeed());
        Cuda.generator(0).reserve(4);
        byte[] state = dev.jtorch.Torch.cuda.getRngState();
        Cuda.generator(0).reserve(400);
        dev.jtorch.Torch.cuda.setRngState(state);
        assertEquals(4, Cuda.generator(0).offset());
        long s = dev.jtorch.Torch.seed();                     // torch.seed() reseeds CUDA too
        assertEquals(s, Cuda.generator(0).initialSeed());
        dev.jtorch.Torch.manualSeed(0);
    }

    @Test
    void kernelSourcesAreWellFormed() {
        for (KernelCache.Spec s : KernelSourceTest.randomSpecs()) {
            String src = s.source();
            assertTrue(src.contains("extern \"C\" __global__ void"), s.key());
            assertEquals(src.chars().filter(c -> c == '{').count(), src.chars().filter(c -> c == '}').count(), s.key());
        }
    }
}
