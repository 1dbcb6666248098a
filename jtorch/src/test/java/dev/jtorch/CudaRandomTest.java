package dev.jtorch;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.backend.cuda.Cuda;
import dev.jtorch.backend.cuda.Philox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random numbers drawn on the GPU by the device's Philox generator: the device output against the host
 * reference {@link Philox} (bit for bit for uniforms and integers, to float rounding for normals),
 * seeding and offsets, every distribution's range and moments, and, when the GPU run provides PyTorch's
 * own numbers ({@code JTORCH_TORCH_CUDA_RNG}, written by {@code scripts/torch_cuda_rng.py}), parity
 * with PyTorch's CUDA generator.
 */
@Tag("cuda")
class CudaRandomTest {
    static final Device GPU = Device.of("cuda");

    @BeforeEach
    void needGpu() { Assumptions.assumeTrue(Torch.cuda.isAvailable(), "no CUDA device"); }

    static long grid(long n) {
        int[] lim = Cuda.launchLimits(0);
        return Philox.grid(n, lim[0], lim[1]);
    }

    @Test
    void randMatchesTheReferenceBitForBit() {
        for (int n : new int[]{1, 7, 1000, 300_000, (1 << 20) + 3}) {
            Torch.manualSeed(1234);
            long offset = Torch.cuda.defaultGenerator(0).offset();
            assertEquals(0, offset);
            float[] got = Torch.rand(new long[]{n}, DType.float32, GPU).toFloatArray();
            float[] want = Philox.uniformFloat(1234, 0, n, grid(n), 0, 1);
            assertArrayEquals(want, got, "rand(" + n + ")");
            // the generator moved by what the kernel used, and the next draw continues from there
            long next = Torch.cuda.defaultGenerator(0).offset();
            assertEquals(Philox.increment(n, grid(n), 4), next);
            float[] again = Torch.rand(new long[]{n}, DType.float32, GPU).toFloatArray();
            assertArrayEquals(Philox.uniformFloat(1234, next, n, grid(n), 0, 1), again);
            if (n > 100) assertFalse(java.util.Arrays.equals(got, again));
        }
    }

    @Test
    void float64UniformsAndIntegersMatchTheReference() {
        int n = 100_003;
        Torch.manualSeed(7);
        assertArrayEquals(Philox.uniformDouble(7, 0, n, grid(n), 0, 1), Torch.rand(new long[]{n}, DType.float64, GPU).toDoubleArray());
        Torch.cuda.manualSeed(8);
        double[] u = Torch.empty(new long[]{n}, DType.float64, GPU).uniform_(-2, 5).toDoubleArray();
        assertArrayEquals(Philox.uniformDouble(8, 0, n, grid(n), -2, 5), u);
        Torch.cuda.manualSeed(9);
        assertArrayEquals(Philox.randomFromTo(9, 0, n, grid(n), -5, 17), Torch.randint(-5, 17, new long[]{n}, DType.int64, GPU).toLongArray());
        Torch.cuda.manualSeed(10);
        long big = 1L << 40;
        assertArrayEquals(Philox.randomFromTo(10, 0, n, grid(n), 3, big), Torch.randint(3, big, new long[]{n}, DType.int64, GPU).toLongArray());
    }

    @Test
    void randnMatchesTheReferenceToRounding() {
        int n = 500_001;
        Torch.manualSeed(99);
        float[] got = Torch.randn(new long[]{n}, DType.float32, GPU).toFloatArray();
        float[] want = Philox.normalFloat(99, 0, n, grid(n), 0, 1);
        int exact = 0;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            if (got[i] == want[i]) exact++;
            worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
        }
        System.out.printf("randn float32 vs host reference: %d of %d bit-identical, worst relative difference %.3g%n", exact, n, worst);
        assertTrue(worst < 2e-5, "worst " + worst);
        double[] moments = moments(got);
        assertEquals(0, moments[0], 5e-3);
        assertEquals(1, moments[1], 5e-3);
        Torch.cuda.manualSeed(5);
        Tensor d = Torch.empty(new long[]{n}, DType.float64, GPU).normal_(3, 0.5);
        double[] m = moments(d.toDoubleArray());
        assertEquals(3, m[0], 5e-3);
        assertEquals(0.25, m[1], 5e-3);
    }

    static double[] moments(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return moments(d);
    }

    /** {mean, variance} */
    static double[] moments(double[] v) {
        double s = 0, q = 0;
        for (double x : v) {
            s += x;
            q += x * x;
        }
        double mean = s / v.length;
        return new double[]{mean, q / v.length - mean * mean};
    }

    @Test
    void seedsReplayAndCallsDiffer() {
        Torch.manualSeed(0);
        Tensor a = Torch.rand(new long[]{64, 64}, DType.float32, GPU);
        Tensor b = Torch.rand(new long[]{64, 64}, DType.float32, GPU);
        assertFalse(a.equal(b));
        Torch.manualSeed(0);
        assertTrue(a.equal(Torch.rand(new long[]{64, 64}, DType.float32, GPU)));
        assertEquals(0, Torch.cuda.initialSeed());
        // the state (seed and offset) replays from the middle of a sequence
        byte[] state = Torch.cuda.getRngState();
        Tensor c = Torch.randn(new long[]{1000}, DType.float32, GPU);
        Torch.cuda.setRngState(state);
        assertTrue(c.equal(Torch.randn(new long[]{1000}, DType.float32, GPU)));
        // seeding the CPU generator alone leaves the CUDA sequence alone, and vice versa
        Torch.cuda.manualSeed(5);
        Tensor x = Torch.rand(new long[]{100}, DType.float32, GPU);
        Torch.cuda.manualSeed(5);
        Generator.defaultGenerator().manualSeed(77);
        assertTrue(x.equal(Torch.rand(new long[]{100}, DType.float32, GPU)));
    }

    @Test
    void everyDtypeAndDistributionStaysInRange() {
        Torch.manualSeed(3);
        int n = 200_000;
        for (DType t : new DType[]{DType.float32, DType.float64, DType.float16, DType.bfloat16}) {
            double[] u = Torch.rand(new long[]{n}, t, GPU).toDoubleArray();
            for (double v : u) assertTrue(v >= 0 && v < 1, t + " rand gave " + v);
            double[] m = moments(u);
            assertEquals(0.5, m[0], t.isFloatingPoint() && t.itemSize() == 2 ? 1e-2 : 3e-3, t + " mean");
            double[] r = Torch.empty(new long[]{n}, t, GPU).uniform_(-3, 2).toDoubleArray();
            for (double v : r) assertTrue(v >= -3 && v < 2, t + " uniform_ gave " + v);
            double[] z = Torch.randn(new long[]{n}, t, GPU).toDoubleArray();
            double[] zm = moments(z);
            assertEquals(0, zm[0], 2e-2, t + " randn mean");
            assertEquals(1, zm[1], 3e-2, t + " randn variance");
        }
        for (DType t : new DType[]{DType.int64, DType.int32, DType.int16, DType.int8, DType.uint8, DType.float32, DType.bfloat16}) {
            long[] k = Torch.randint(-3, 9, new long[]{10_000}, t.equals(DType.uint8) ? DType.int64 : t, GPU).toLongArray();
            for (long v : k) assertTrue(v >= -3 && v < 9, t + " randint gave " + v);
            long[] b = Torch.randint(0, 2, new long[]{10_000}, t, GPU).toLongArray();
            long ones = java.util.Arrays.stream(b).sum();
            assertTrue(ones > 4500 && ones < 5500, t + " randint(0, 2) ones " + ones);
        }
        long[] bools = Torch.randint(0, 2, new long[]{1000}, DType.bool, GPU).toLongArray();
        assertTrue(java.util.Arrays.stream(bools).allMatch(v -> v == 0 || v == 1));
    }

    @Test
    void bernoulliScalarAndTensor() {
        Torch.manualSeed(11);
        int n = 100_000;
        for (DType t : new DType[]{DType.float32, DType.float64, DType.float16, DType.int64, DType.bool}) {
            double mean = Torch.empty(new long[]{n}, t, GPU).bernoulli_(0.3).to(DType.float64).mean().item();
            assertEquals(0.3, mean, 1e-2, t + " bernoulli_(0.3)");
            assertEquals(0.0, Torch.empty(new long[]{n}, t, GPU).bernoulli_(0).to(DType.float64).sum().item());
            // p = 1 gives 1 except when the uniform is exactly 1.0 (cuRAND's lie in (0, 1]; about 3e-8 per float draw), as in PyTorch
            assertTrue(Torch.empty(new long[]{n}, t, GPU).bernoulli_(1).to(DType.float64).sum().item() >= n - 1);
        }
        Tensor p = Torch.full(new long[]{n}, 0.25, DType.float32, GPU);
        p.get(":1000").fill_(0);
        p.get("1000:2000").fill_(1);
        Tensor b = Torch.bernoulli(p);
        assertEquals(DType.float32, b.dtype());
        assertEquals(0.0, b.get(":1000").sum().item());
        assertEquals(1000.0, b.get("1000:2000").sum().item());
        assertEquals(0.25, b.get("2000:").mean().item(), 1e-2);
        Tensor pd = Torch.full(new long[]{50, 40}, 0.75, DType.float64, GPU).t();
        Tensor bd = Torch.bernoulli(pd);
        assertEquals(DType.float64, bd.dtype());
        assertArrayEquals(new long[]{40, 50}, bd.shape().toArray());
        assertEquals(0.75, bd.mean().item(), 3e-2);
    }

    @Test
    void nonContiguousTensorsFillInMemoryOrder() {
        Tensor base = Torch.empty(new long[]{30, 40}, DType.float32, GPU);
        Tensor t = base.t();
        Torch.cuda.manualSeed(21);
        t.uniform_(0, 1);
        // t's memory is base's row-major order: the same numbers a contiguous 1200-element draw gives
        assertArrayEquals(Philox.uniformFloat(21, 0, 1200, grid(1200), 0, 1), base.toFloatArray());
        Tensor slice = Torch.zeros(new long[]{10, 10}, DType.float32, GPU);
        slice.get(":, ::2").normal_(0, 1);
        assertEquals(0.0, slice.get(":, 1::2").abs().sum().item());
        assertTrue(slice.get(":, ::2").abs().sum().item() > 0);
    }

    @Test
    void errorsAreTorchs() {
        assertThrows(IllegalArgumentException.class, () -> Torch.rand(new long[]{2}, DType.int64, GPU));
        assertThrows(IllegalArgumentException.class, () -> Torch.randn(new long[]{2}, DType.int32, GPU));
        assertThrows(IllegalArgumentException.class, () -> Torch.empty(new long[]{2}, DType.float32, GPU).uniform_(2, 1));
        assertThrows(IllegalArgumentException.class, () -> Torch.empty(new long[]{2}, DType.float32, GPU).normal_(0, -1));
        assertThrows(IllegalArgumentException.class, () -> Torch.randint(3, 3, new long[]{2}, DType.int64, GPU));
        Tensor leaf = Torch.zeros(new long[]{3}, DType.float32, GPU).requiresGrad_();
        assertThrows(IllegalStateException.class, () -> leaf.uniform_(0, 1));
        assertEquals(0, Torch.rand(new long[]{0}, DType.float32, GPU).numel());
        Tensor perm = Torch.randperm(100, DType.int64, GPU);
        assertTrue(perm.isCuda());
        assertEquals(4950, perm.sum().itemLong());
    }

    /**
     * PyTorch's own CUDA numbers, when the GPU run wrote them ({@code scripts/gpu-verify.sh} runs
     * {@code scripts/torch_cuda_rng.py} and points {@code JTORCH_TORCH_CUDA_RNG} at its output). Lines:
     * {@code kind seed dtype n calls a b : v0 v1 ...} where the values are the last of {@code calls} draws
     * after {@code torch.manual_seed(seed)}, floats as their bits in hex.
     */
    @Test
    void pytorchParity() throws IOException {
        String f = System.getenv("JTORCH_TORCH_CUDA_RNG");
        Assumptions.assumeTrue(f != null && Files.isRegularFile(Path.of(f)), "no PyTorch reference (JTORCH_TORCH_CUDA_RNG)");
        List<String> lines = Files.readAllLines(Path.of(f)).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        int cases = 0, exactCases = 0;
        StringBuilder report = new StringBuilder();
        List<String> failures = new java.util.ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(" : ");
            String[] h = parts[0].trim().split("\\s+");
            String[] vals = parts.length > 1 ? parts[1].trim().split("\\s+") : new String[0];
            String kind = h[0];
            long seed = Long.parseLong(h[1]);
            DType dt = DType.valueOf(h[2]);
            long n = Long.parseLong(h[3]);
            int calls = Integer.parseInt(h[4]);
            double a = Double.parseDouble(h[5]), b = Double.parseDouble(h[6]);
            Torch.manualSeed(seed);
            Tensor got = null;
            for (int c = 0; c < calls; c++) {
                got = switch (kind) {
                    case "rand" -> Torch.rand(new long[]{n}, dt, GPU);
                    case "randn" -> Torch.randn(new long[]{n}, dt, GPU);
                    case "uniform" -> Torch.empty(new long[]{n}, dt, GPU).uniform_(a, b);
                    case "normal" -> Torch.empty(new long[]{n}, dt, GPU).normal_(a, b);
                    case "randint" -> Torch.randint((long) a, (long) b, new long[]{n}, dt, GPU);
                    case "bernoulli" -> Torch.empty(new long[]{n}, dt, GPU).bernoulli_(a);
                    default -> throw new IllegalArgumentException(kind);
                };
            }
            long[] mine = bits(got);
            int same = 0;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                long want = Long.parseUnsignedLong(vals[i], 16);
                if (want == mine[i]) same++;
                else worst = Math.max(worst, Math.abs(value(dt, want) - value(dt, mine[i])));
            }
            cases++;
            if (same == n) exactCases++;
            report.append(String.format("  %-60s %s%n", parts[0].trim(), same == n ? "exact" : same + "/" + n + " exact, worst |diff| " + worst));
            boolean normal = kind.equals("randn") || kind.equals("normal");
            if (normal ? worst > 1e-4 * Math.max(1, Math.abs(b)) : same != n) failures.add(parts[0].trim() + ": " + same + "/" + n + " exact, worst " + worst);
        }
        System.out.print("PyTorch CUDA RNG parity: " + exactCases + " of " + cases + " cases bit-identical\n" + report);
        assertTrue(failures.isEmpty(), "not like PyTorch:\n" + String.join("\n", failures));
    }

    /** The stored bits of each element (floats) or the value (integers), as the reference file writes them. */
    static long[] bits(Tensor t) {
        return switch (t.dtype()) {
            case float32 -> {
                float[] f = t.toFloatArray();
                long[] r = new long[f.length];
                for (int i = 0; i < f.length; i++) r[i] = Float.floatToRawIntBits(f[i]) & 0xffffffffL;
                yield r;
            }
            case float64 -> {
                double[] d = t.toDoubleArray();
                long[] r = new long[d.length];
                for (int i = 0; i < d.length; i++) r[i] = Double.doubleToRawLongBits(d[i]);
                yield r;
            }
            case float16, bfloat16 -> {
                float[] f = t.toFloatArray();
                long[] r = new long[f.length];
                for (int i = 0; i < f.length; i++)
                    r[i] = t.dtype() == DType.float16 ? Float.floatToFloat16(f[i]) & 0xffffL : (Float.floatToRawIntBits(f[i]) >>> 16) & 0xffffL;
                yield r;
            }
            default -> t.toLongArray();
        };
    }

    static double value(DType t, long bits) {
        return switch (t) {
            case float32 -> Float.intBitsToFloat((int) bits);
            case float64 -> Double.longBitsToDouble(bits);
            case float16 -> Float.float16ToFloat((short) bits);
            case bfloat16 -> Float.intBitsToFloat((int) bits << 16);
            default -> bits;
        };
    }
}
