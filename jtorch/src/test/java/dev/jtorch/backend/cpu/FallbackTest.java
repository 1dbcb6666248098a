package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtorch.DType;
import dev.jtorch.backend.ArrayStorage;
import dev.jtorch.backend.KernelCalls;
import dev.jtorch.backend.Strided;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.UnaryOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The plain-Java fallbacks: a child JVM started without {@code --add-modules jdk.incubator.vector}
 * runs {@link #main}, which checks that the Vector API is reported absent and that elementwise ops,
 * reductions and the packed GEMM (plain micro-kernel) still give the generic path's results (transcendental
 * functions bit for bit, with vectors too); and
 * the same checks with the Vector API on 256-bit and 128-bit vectors (other tiles and tails).
 */
class FallbackTest {

    @Test
    void withoutTheVectorModuleThePlainJavaKernelsRun() throws IOException, InterruptedException {
        child("plain");
    }

    /** The 6 x 2-vector GEMM micro-kernel and the kernels' tails on 256-bit and 128-bit vectors. */
    @Test
    void narrowerVectorsWork() throws IOException, InterruptedException {
        child("vector", "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=32");
        child("vector", "--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=16");
    }

    private static void child(String mode, String... flags) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", classPath(), "-Djtorch.gemm=java", FallbackTest.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", flags) + "\n" + out);
        assertEquals("fallback ok", out.strip().lines().reduce((a, b) -> b).orElse(""), out);
    }

    /** This JVM's class path plus where the test, jtorch and JUnit classes came from (launchers may load them apart from it). */
    private static String classPath() {
        java.util.LinkedHashSet<String> parts = new java.util.LinkedHashSet<>();
        for (Class<?> c : new Class<?>[]{FallbackTest.class, CpuBackend.class, Test.class, org.junit.jupiter.api.Assertions.class}) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (Exception | Error e) {
                // not from a file: the class path below has to do
            }
        }
        parts.addAll(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        return String.join(java.io.File.pathSeparator, parts);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAILED: " + what);
            System.exit(1);
        }
    }

    private static Strided vec(DType t, int n, SplittableRandom r) {
        ArrayStorage st = ArrayStorage.allocate(t, n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble() * 4 - 2;
        Strided s = new Strided(st, t, new long[]{n}, new long[]{1}, 0);
        Access.storeDouble(s, 0, n, v);
        return s;
    }

    private static double[] values(Strided s) {
        double[] v = new double[(int) s.numel()];
        Access.loadDouble(s, 0, v.length, v);
        return v;
    }

    /** Run in the child JVM. */
    public static void main(String[] args) {
        boolean plain = args.length == 0 || args[0].equals("plain");
        check(Simd.AVAILABLE != plain, "Simd.AVAILABLE is " + Simd.AVAILABLE + " in mode " + (plain ? "plain" : "vector"));
        CpuBackend cpu = new CpuBackend();
        SplittableRandom r = new SplittableRandom(11);
        for (DType t : new DType[]{DType.float32, DType.float64}) {
            for (int n : new int[]{1, 33, 1000, 100_003}) {
                Strided a = vec(t, n, r), b = vec(t, n, r), o = new Strided(ArrayStorage.allocate(t, n), t, new long[]{n}, new long[]{1}, 0);
                for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.POW}) {
                    cpu.execute(KernelCalls.of(op, o, new Strided[]{a, b}));
                    double[] x = values(a), y = values(b), got = values(o), want = new double[n];
                    BinaryKernels.generic(op, x, y, want, n);
                    for (int i = 0; i < n; i++) check(Double.compare(got[i], Access.roundTo(t, want[i])) == 0, op + " " + t + " at " + i);
                }
                for (UnaryOp op : new UnaryOp[]{UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.LOG1P}) {
                    cpu.execute(KernelCalls.of(op, o, new Strided[]{a}));
                    double[] x = values(a), got = values(o), want = new double[n];
                    if (t == DType.float32) { // the float32 functions (FloatMath) in plain Java
                        float[] xf = new float[n], yf = new float[n];
                        for (int i = 0; i < n; i++) xf[i] = (float) x[i];
                        ScalarKernels.unary(op, xf, 0, yf, 0, n);
                        for (int i = 0; i < n; i++) want[i] = yf[i];
                    } else {
                        UnaryKernels.generic(op, t, x, want, n);
                    }
                    // the vector lanes compute exactly what the plain-Java functions compute
                    for (int i = 0; i < n; i++) check(Double.compare(got[i], want[i]) == 0, op + " " + t + " at " + i + ": " + got[i] + " vs " + want[i]);
                }
                Strided s = new Strided(ArrayStorage.allocate(t, 1), t, new long[]{1}, new long[]{1}, 0);
                cpu.execute(KernelCalls.of(ReduceOp.SUM, s, new Strided[]{a}));
                double exact = 0;
                for (double v : values(a)) exact += v;
                check(Math.abs(values(s)[0] - exact) <= 1e-5 * n, "sum " + t + " n=" + n);
                cpu.execute(KernelCalls.of(ReduceOp.AMAX, s, new Strided[]{a}));
                double max = Double.NEGATIVE_INFINITY;
                for (double v : values(a)) max = Math.max(max, v);
                check(values(s)[0] == max, "amax " + t + " n=" + n);
            }
            for (int[] mnk : new int[][]{{3, 5, 7}, {37, 45, 61}, {130, 70, 300}, {2, 300, 50}, {200, 3, 64}}) {
                int m = mnk[0], n = mnk[1], k = mnk[2];
                Strided a = vec(t, m * k, r), b = vec(t, k * n, r);
                Strided a3 = new Strided(a.storage(), t, new long[]{1, m, k}, new long[]{0, k, 1}, 0);
                Strided b3 = new Strided(b.storage(), t, new long[]{1, k, n}, new long[]{0, 1, k}, 0); // column-major B
                Strided c3 = new Strided(ArrayStorage.allocate(t, m * n), t, new long[]{1, m, n}, new long[]{0, n, 1}, 0);
                cpu.execute(KernelCalls.of(MatmulOp.MATMUL, c3, new Strided[]{a3, b3}));
                double[] av = values(a), bv = values(b), cv = values(new Strided(c3.storage(), t, new long[]{m * n}, new long[]{1}, 0));
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double w = 0;
                        for (int p = 0; p < k; p++) w += av[i * k + p] * bv[j * k + p];
                        check(Math.abs(cv[i * n + j] - w) <= (t == DType.float32 ? 1e-4 : 1e-12) * k, "gemm " + t + " " + m + "x" + n + "x" + k);
                    }
            }
        }
        System.out.println("fallback ok");
    }
}
