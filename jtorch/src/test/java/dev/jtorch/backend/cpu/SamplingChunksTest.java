package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CPU samplers fill a tensor a chunk at a time ({@link CpuRandom#sample}), so that tensors beyond a Java array (issue 17,
 * item 6) can be sampled: the values must be exactly those of one draw for the whole tensor, here {@link Generator}
 * called once with an array of every element, for counts around the chunk boundaries and the ragged end of
 * {@code normal}'s blocks of 16, for every floating dtype; and the same in native storage (the CPU backend's array
 * limit lowered), where the whole-array draw could not be made for a real tensor of more than 2^31 elements.
 */
class SamplingChunksTest {
    static final int C = CpuRandom.CHUNK;
    static final List<Long> COUNTS = List.of(0L, 15L, 16L, 17L, C - 1L, (long) C + 15, (long) C + 16, (long) C + 17, 3L * C + 21);
    static final List<DType> FLOATS = List.of(DType.float64, DType.float32, DType.float16, DType.bfloat16);

    private static Generator seeded(long seed) { return new Generator().manualSeed(seed); }

    /** The same values as the whole draw {@code expected}, rounded to the dtype as the tensor holds them. */
    private static void assertValues(double[] expected, Tensor actual, String what) {
        assertArrayEquals(expected, actual.to(DType.float64).toDoubleArray(), what);
    }

    @Test
    void randAndRandnAreOneDrawForEveryCount() {
        for (DType dtype : FLOATS) {
            for (long n : COUNTS) {
                double[] uniform = new double[(int) n], normal = new double[(int) n];
                seeded(n).uniform(uniform, dtype, 0, 1);
                seeded(n).normal(normal, dtype, 0, 1);
                String what = dtype + ", " + n + " elements";
                assertValues(uniform, Torch.rand(new long[]{n}, dtype, Device.CPU, seeded(n)), "rand " + what);
                assertValues(normal, Torch.randn(new long[]{n}, dtype, Device.CPU, seeded(n)), "randn " + what);
                assertValues(uniform, Torch.empty(new long[]{n}, dtype).uniform_(0, 1, seeded(n)), "uniform_ " + what);
                assertValues(normal, Torch.empty(new long[]{n}, dtype).normal_(0, 1, seeded(n)), "normal_ " + what);
            }
        }
    }

    @Test
    void theDefaultGeneratorsSamplersAreOneDraw() {
        long n = 2L * C + 37;
        double[] expected = new double[(int) n];
        Torch.manualSeed(3);
        Generator.defaultGenerator().normal(expected, DType.float32, 2.0, 0.5);
        Torch.manualSeed(3);
        assertValues(expected, Torch.normal(2.0, 0.5, n), "normal");
        long[] ints = new long[(int) n];
        Torch.manualSeed(4);
        Generator.defaultGenerator().randomFromTo(ints, DType.int16, -1000, 1000);
        Torch.manualSeed(4);
        assertArrayEquals(ints, Torch.randint(-1000, 1000, new long[]{n}, DType.int16).toLongArray(), "randint");
        Torch.manualSeed(4);
        assertArrayEquals(ints, Torch.empty(new long[]{n}, DType.int16).random_(-1000, 1000).toLongArray(), "random_");
        double[] coins = new double[(int) n];
        Torch.manualSeed(5);
        Generator.defaultGenerator().bernoulliScalar(coins, 0.25, DType.float32);
        Torch.manualSeed(5);
        assertValues(coins, Torch.empty(n).bernoulli_(0.25), "bernoulli_");
        Tensor p = Torch.rand(n);
        double[] drawn = new double[(int) n];
        Torch.manualSeed(6);
        Generator.defaultGenerator().bernoulli(drawn, p.toDoubleArray(), DType.float32);
        Torch.manualSeed(6);
        assertValues(drawn, Torch.bernoulli(p), "bernoulli");
    }

    @Test
    void stridedTargetsAreFilledInMemoryOrder() {
        // uniform_ and normal_ fill a transposed tensor in its memory order: its storage holds the draw in order.
        long rows = 300, cols = 500; // 150000 elements: three chunks
        Tensor expected = Torch.randn(new long[]{cols, rows}, DType.float32, Device.CPU, seeded(8));
        Tensor t = Torch.empty(cols, rows).t();
        t.normal_(0, 1, seeded(8));
        assertArrayEquals(expected.toFloatArray(), t.t().toFloatArray());
        // a view with gaps: filled in its own C order through a temporary
        Tensor base = Torch.zeros(rows, cols + 3);
        base.narrow(1, 1, cols).uniform_(0, 1, seeded(9));
        assertArrayEquals(Torch.rand(new long[]{rows, cols}, DType.float32, Device.CPU, seeded(9)).toFloatArray(),
                base.narrow(1, 1, cols).toFloatArray());
        assertEquals(0.0, base.narrow(1, 0, 1).abs().sum().item());
        assertEquals(0.0, base.narrow(1, cols + 1, 2).abs().sum().item());
    }

    @Test
    void samplesInNativeStorageAreTheSame() {
        long[] shape = {3, 30001}; // beyond the lowered limit of 10000 elements, and more than one chunk
        for (DType dtype : FLOATS) {
            Tensor a = Torch.randn(shape, dtype, Device.CPU, seeded(11)), u = Torch.rand(shape, dtype, Device.CPU, seeded(12));
            try (var limits = LowLimits.set(10_000, 1000)) {
                Tensor na = Torch.randn(shape, dtype, Device.CPU, seeded(11)), nu = Torch.rand(shape, dtype, Device.CPU, seeded(12));
                assertTrue(LowLimits.isNative(na) && LowLimits.isNative(nu));
                assertArrayEquals(a.to(DType.float64).toDoubleArray(), na.to(DType.float64).toDoubleArray(), "randn " + dtype);
                assertArrayEquals(u.to(DType.float64).toDoubleArray(), nu.to(DType.float64).toDoubleArray(), "rand " + dtype);
                Tensor filled = Torch.empty(shape, dtype).normal_(0, 1, seeded(11));
                assertTrue(LowLimits.isNative(filled));
                assertArrayEquals(a.to(DType.float64).toDoubleArray(), filled.to(DType.float64).toDoubleArray(), "normal_ " + dtype);
            }
        }
    }
}
