package dev.jtorch.bench;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.backend.cpu.CpuKernels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The CPU figures of jtorch beside numpy's and PyTorch's, measured in the same run: sgemm 1024³
 * and 2048³, dgemm 1024³ (GFLOP/s; BLAS when found and the pure-Java GEMM), add of 16M float32
 * with out= (GB/s, counting 12 bytes per element), exp of 16M float32 with out= (Gelem/s), sum
 * of 16M float32 (GB/s, 4 bytes per element) and a 1024-element add (µs per op, dispatcher
 * included). numpy and PyTorch are measured by {@code benchmarks/cpu_reference.py} (run with
 * {@code /usr/bin/python3}, else {@code python3}) the same way: median of 5 timed runs after warm-up.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am compile exec:exec -Dbench
 * -Dexec.mainClass=dev.jtorch.bench.CpuBench} or {@code benchmarks/run-cpu-bench.sh}
 * (options: {@code --quick}, {@code --no-reference}).
 */
public final class CpuBench {
    private CpuBench() {}

    static volatile Object sink;
    static boolean quick;

    record Figure(String key, String label, String unit, boolean higherIsBetter, String versus, double target) {}

    static final List<Figure> FIGURES = List.of(
            new Figure("sgemm1024", "sgemm 1024^3", "GFLOP/s", true, "numpy", 0.9),
            new Figure("sgemm2048", "sgemm 2048^3", "GFLOP/s", true, "numpy", 0.9),
            new Figure("dgemm1024", "dgemm 1024^3", "GFLOP/s", true, "numpy", 0.9),
            new Figure("sgemm1024_java", "sgemm 1024^3, pure Java", "GFLOP/s", true, "numpy:sgemm1024", 0),
            new Figure("sgemm2048_java", "sgemm 2048^3, pure Java", "GFLOP/s", true, "numpy:sgemm2048", 0.6),
            new Figure("dgemm1024_java", "dgemm 1024^3, pure Java", "GFLOP/s", true, "numpy:dgemm1024", 0),
            new Figure("add16M", "add 16M f32, out=", "GB/s", true, "torch", 0.9),
            new Figure("exp16M", "exp 16M f32, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("sum16M", "sum 16M f32", "GB/s", true, "torch", 0.9),
            new Figure("tinyadd", "add 1024 f32 (a.add(b))", "us/op", false, "torch", 1.0));

    public static void main(String[] args) throws Exception {
        boolean reference = true;
        for (String a : args) {
            if (a.equals("--quick")) quick = true;
            else if (a.equals("--no-reference")) reference = false;
        }
        System.out.println("jtorch CPU kernels:\n  " + CpuKernels.describe().replace("\n", "\n  "));
        System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", java " + System.getProperty("java.version"));
        Map<String, Double> numpy = new LinkedHashMap<>(), torch = new LinkedHashMap<>();
        if (reference) runReference(numpy, torch);
        Map<String, Double> jt = measureJtorch();
        printTable(jt, numpy, torch);
    }

    // ---------------------------------------------------------------- jtorch

    /** Seconds per call: the median of 5 runs (3 with --quick) of at least 0.4 s (0.1 s), after warm-up. */
    static double measure(Runnable fn) {
        double minTime = quick ? 0.1 : 0.4;
        int repeats = quick ? 3 : 5;
        long warmEnd = System.nanoTime() + (long) ((quick ? 0.3 : 1.0) * 1e9);
        do fn.run(); while (System.nanoTime() < warmEnd);
        long loops = 1;
        double dt;
        while (true) {
            long t = System.nanoTime();
            for (long i = 0; i < loops; i++) fn.run();
            dt = (System.nanoTime() - t) / 1e9;
            if (dt >= minTime / 4) break;
            loops *= 2;
        }
        loops = Math.max(1, (long) (loops * (minTime / Math.max(dt, 1e-9))));
        double[] runs = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            for (long i = 0; i < loops; i++) fn.run();
            runs[r] = (System.nanoTime() - t) / 1e9 / loops;
        }
        java.util.Arrays.sort(runs);
        return runs[repeats / 2];
    }

    static Tensor randomF(SplittableRandom r, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian());
        return Torch.fromArray(v, shape);
    }

    static Tensor randomD(SplittableRandom r, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return Torch.fromArray(v, shape);
    }

    static Map<String, Double> measureJtorch() {
        Map<String, Double> out = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(0);
        String gemmMode = CpuKernels.gemm();
        for (String mode : new String[]{gemmMode, "java"}) {
            CpuKernels.setGemm(mode);
            String suffix = mode.equals(gemmMode) ? "" : "_java";
            for (int n : new int[]{1024, 2048}) {
                Tensor a = randomF(r, n, n), b = randomF(r, n, n);
                out.put("sgemm" + n + suffix, 2.0 * n * n * n / measure(() -> sink = a.matmul(b)) / 1e9);
            }
            Tensor a = randomD(r, 1024, 1024), b = randomD(r, 1024, 1024);
            out.put("dgemm1024" + suffix, 2.0 * 1024 * 1024 * 1024 / measure(() -> sink = a.matmul(b)) / 1e9);
            if (gemmMode.equals("java")) { // already measured
                for (String k : List.of("sgemm1024", "sgemm2048", "dgemm1024")) out.put(k + "_java", out.get(k));
                break;
            }
        }
        CpuKernels.setGemm(gemmMode);
        int n = 16 * 1024 * 1024;
        Tensor x = randomF(r, n), y = randomF(r, n), o = Torch.empty(n);
        out.put("add16M", 12.0 * n / measure(() -> Torch.add(x, y, o)) / 1e9);
        out.put("exp16M", n / measure(() -> Torch.exp(x, o)) / 1e9);
        out.put("sum16M", 4.0 * n / measure(() -> sink = x.sum()) / 1e9);
        Tensor a = randomF(r, 1024), b = randomF(r, 1024);
        out.put("tinyadd", measure(() -> sink = a.add(b)) * 1e6);
        return out;
    }

    // ---------------------------------------------------------------- numpy / PyTorch

    static Path findScript() throws Exception {
        for (String p : List.of("cpu_reference.py", "benchmarks/cpu_reference.py", "../benchmarks/cpu_reference.py")) {
            Path path = Path.of(p);
            if (Files.isRegularFile(path)) return path;
        }
        return null;
    }

    static void runReference(Map<String, Double> numpy, Map<String, Double> torch) throws Exception {
        Path script = findScript();
        if (script == null) {
            System.out.println("(benchmarks/cpu_reference.py not found: no numpy/PyTorch figures)");
            return;
        }
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        if (quick) cmd.add("--quick");
        System.out.println("measuring numpy and PyTorch: " + String.join(" ", cmd));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            System.out.println("(no python3: " + e.getMessage() + ")");
            return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && (f[0].equals("numpy") || f[0].equals("torch"))) {
                    try {
                        (f[0].equals("numpy") ? numpy : torch).put(f[1], Double.parseDouble(f[2]));
                        continue;
                    } catch (NumberFormatException ignored) {
                        // printed below as is
                    }
                }
                System.out.println("  " + line);
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) p.destroyForcibly();
    }

    // ---------------------------------------------------------------- table

    static String fmt(Double v) { return v == null ? "-" : v >= 100 ? String.format("%.1f", v) : String.format("%.2f", v); }

    static void printTable(Map<String, Double> jt, Map<String, Double> numpy, Map<String, Double> torch) {
        System.out.println();
        System.out.printf("%-26s %-8s %9s %9s %9s   %s%n", "figure", "unit", "jtorch", "numpy", "torch", "jtorch vs reference (target)");
        for (Figure f : FIGURES) {
            String npKey = f.key.replace("_java", ""), versus = f.versus, refLib = versus.contains(":") ? versus.split(":")[0] : versus;
            String refKey = versus.contains(":") ? versus.split(":")[1] : f.key;
            Double j = jt.get(f.key), np = numpy.get(npKey), th = torch.get(npKey);
            Double ref = (refLib.equals("numpy") ? numpy : torch).get(refKey);
            String verdict = "";
            if (j != null && ref != null && ref > 0) {
                double ratio = f.higherIsBetter ? j / ref : ref / j;
                verdict = String.format("%.2fx %s", ratio, refLib);
                if (f.target > 0) verdict += String.format(" (>= %.1fx: %s)", f.target, ratio >= f.target ? "met" : "NOT met");
            }
            System.out.printf("%-26s %-8s %9s %9s %9s   %s%n", f.label, f.unit, fmt(j), fmt(np), fmt(th), verdict);
        }
        System.out.println("(tiny add: lower is better; jtorch vs torch is torch time / jtorch time)");
    }
}
