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
 * and 2048³, dgemm 1024³ and 2048³ (GFLOP/s; BLAS when found and the pure-Java GEMM), add of 16M float32
 * with out= (GB/s, counting 12 bytes per element), exp, log, sin, cos, tanh and sigmoid of 16M float32 with out=
 * (Gelem/s; the same in float64 with {@code --only=ew16M_f64}), sum
 * of 16M float32 (GB/s, 4 bytes per element) and a 1024-element add (µs per op, dispatcher
 * included). numpy and PyTorch are measured by {@code benchmarks/cpu_reference.py} (run with
 * {@code /usr/bin/python3}, else {@code python3}) the same way: the best of 9 timed runs after warm-up.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am compile exec:exec -Dbench
 * -Dexec.mainClass=dev.jtorch.bench.CpuBench} or {@code benchmarks/run-cpu-bench.sh}
 * (options: {@code --quick}, {@code --no-reference}, {@code --rounds=N}: how many times every figure is
 * measured, interleaved with the reference; the best value is kept, default 3; {@code --only=sgemm1024,sum16M}:
 * just those figures).
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
            new Figure("dgemm2048", "dgemm 2048^3", "GFLOP/s", true, "numpy", 0.9),
            new Figure("sgemm1024_java", "sgemm 1024^3, pure Java", "GFLOP/s", true, "numpy:sgemm1024", 0),
            new Figure("sgemm2048_java", "sgemm 2048^3, pure Java", "GFLOP/s", true, "numpy:sgemm2048", 0.6),
            new Figure("dgemm1024_java", "dgemm 1024^3, pure Java", "GFLOP/s", true, "numpy:dgemm1024", 0),
            new Figure("dgemm2048_java", "dgemm 2048^3, pure Java", "GFLOP/s", true, "numpy:dgemm2048", 0),
            new Figure("add16M", "add 16M f32, out=", "GB/s", true, "torch", 0.9),
            new Figure("exp16M", "exp 16M f32, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("log16M", "log 16M f32 (|x|), out=", "Gelem/s", true, "torch", 1.0),
            new Figure("sin16M", "sin 16M f32, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("cos16M", "cos 16M f32, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("tanh16M", "tanh 16M f32, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("sigmoid16M", "sigmoid 16M f32, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("exp16M_f64", "exp 16M f64, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("log16M_f64", "log 16M f64 (|x|), out=", "Gelem/s", true, "torch", 1.0),
            new Figure("sin16M_f64", "sin 16M f64, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("cos16M_f64", "cos 16M f64, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("tanh16M_f64", "tanh 16M f64, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("sigmoid16M_f64", "sigmoid 16M f64, out=", "Gelem/s", true, "torch", 1.0),
            new Figure("sum16M", "sum 16M f32", "GB/s", true, "torch", 0.9),
            new Figure("tinyadd", "add 1024 f32 (a.add(b))", "us/op", false, "torch", 1.0),
            new Figure("mlp_step", "MLP 784-1024-1024-10 step", "ms", false, "torch", 1.0));

    public static void main(String[] args) throws Exception {
        boolean reference = true;
        int rounds = 3;
        List<String> only = null;
        for (String a : args) {
            if (a.equals("--quick")) quick = true;
            else if (a.equals("--no-reference")) reference = false;
            else if (a.startsWith("--rounds=")) rounds = Integer.parseInt(a.substring("--rounds=".length()));
            else if (a.startsWith("--only=")) only = expand(a.substring("--only=".length()).split(","));
        }
        if (quick) rounds = 1;
        System.out.println("jtorch CPU kernels:\n  " + CpuKernels.describe().replace("\n", "\n  "));
        System.out.println("cores: " + Runtime.getRuntime().availableProcessors() + ", java " + System.getProperty("java.version"));
        Map<String, Double> numpy = new LinkedHashMap<>(), torch = new LinkedHashMap<>(), jt = new LinkedHashMap<>();
        Reference ref = reference ? Reference.start() : null;
        Jtorch mine = new Jtorch();
        // Interleaved: each figure is measured by numpy/PyTorch and then by jtorch, so that both see the same
        // machine load; each round repeats all figures, and the best value of each is kept.
        for (int round = 0; round < rounds; round++) {
            for (String fig : only != null ? only : expand("sgemm1024", "sgemm2048", "dgemm1024", "dgemm2048", "add16M", "ew16M", "sum16M", "tinyadd", "mlp_step")) {
                if (ref != null) ref.measure(fig, numpy, torch);
                mine.measure(fig, jt);
            }
        }
        if (ref != null) ref.close();
        printTable(jt, numpy, torch);
    }

    /** The transcendental elementwise figures, float32 and float64: 16M elements each, out= given. */
    static final List<String> EW16M = List.of("exp16M", "log16M", "sin16M", "cos16M", "tanh16M", "sigmoid16M"),
            EW16M_F64 = EW16M.stream().map(k -> k + "_f64").toList();

    /** Figure names with the groups ew16M (float32) and ew16M_f64 spelled out. */
    static List<String> expand(String... names) {
        List<String> r = new ArrayList<>();
        for (String n : names) {
            if (n.equals("ew16M")) r.addAll(EW16M);
            else if (n.equals("ew16M_f64")) r.addAll(EW16M_F64);
            else r.add(n);
        }
        return r;
    }

    static void keepBest(Map<String, Double> m, String key, double v) {
        boolean lowerIsBetter = key.equals("tinyadd") || key.equals("mlp_step");
        m.merge(key, v, (a, b) -> lowerIsBetter ? Math.min(a, b) : Math.max(a, b));
    }

    // ---------------------------------------------------------------- jtorch

    /**
     * Seconds per call: the best of 9 timed runs (3 with --quick) of at least 0.25 s (0.1 s) each, after
     * warm-up; the same rule as cpu_reference.py (other processes on the machine only ever slow a run down).
     */
    static double measure(Runnable fn) {
        double minTime = quick ? 0.1 : 0.25;
        int repeats = quick ? 3 : 9;
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
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            for (long i = 0; i < loops; i++) fn.run();
            best = Math.min(best, (System.nanoTime() - t) / 1e9 / loops);
        }
        return best;
    }

    /** jtorch's side: inputs made once, each figure measured through the public API. */
    static final class Jtorch {
        final SplittableRandom r = new SplittableRandom(0);
        final String gemmMode = CpuKernels.gemm();
        final Map<String, Tensor[]> data = new LinkedHashMap<>();
        final Map<String, Object> steps = new LinkedHashMap<>();

        Tensor[] data(String key, java.util.function.Supplier<Tensor[]> make) { return data.computeIfAbsent(key, k -> make.get()); }

        void measure(String fig, Map<String, Double> out) {
            int n16 = 16 * 1024 * 1024;
            switch (fig) {
                case "sgemm1024", "sgemm2048", "dgemm1024", "dgemm2048" -> {
                    int n = Integer.parseInt(fig.substring(5));
                    boolean f32 = fig.charAt(0) == 's';
                    Tensor[] ab = data(fig, () -> f32 ? new Tensor[]{randomF(r, n, n), randomF(r, n, n)} : new Tensor[]{randomD(r, n, n), randomD(r, n, n)});
                    double flop = 2.0 * n * n * n;
                    for (String mode : gemmMode.equals("java") ? List.of("java") : List.of(gemmMode, "java")) {
                        CpuKernels.setGemm(mode);
                        double v = flop / CpuBench.measure(() -> sink = ab[0].matmul(ab[1])) / 1e9;
                        if (mode.equals(gemmMode)) keepBest(out, fig, v);
                        if (mode.equals("java")) keepBest(out, fig + "_java", v);
                    }
                    CpuKernels.setGemm(gemmMode);
                }
                case "add16M" -> {
                    Tensor[] v = vectors(n16);
                    keepBest(out, fig, 12.0 * n16 / CpuBench.measure(() -> Torch.add(v[0], v[1], v[2])) / 1e9);
                }
                case "exp16M", "log16M", "sin16M", "cos16M", "tanh16M", "sigmoid16M",
                        "exp16M_f64", "log16M_f64", "sin16M_f64", "cos16M_f64", "tanh16M_f64", "sigmoid16M_f64" -> {
                    boolean f64 = fig.endsWith("_f64");
                    Tensor[] v = f64 ? data("d" + n16, () -> new Tensor[]{randomD(r, n16), null, Torch.empty(new long[]{n16}, dev.jtorch.DType.float64)}) : vectors(n16);
                    Tensor x = fig.startsWith("log") ? data("abs" + f64 + n16, () -> new Tensor[]{v[0].abs()})[0] : v[0], o = v[2];
                    Runnable fn = switch (fig.substring(0, fig.indexOf("16M"))) {
                        case "exp" -> () -> Torch.exp(x, o);
                        case "log" -> () -> Torch.log(x, o);
                        case "sin" -> () -> Torch.sin(x, o);
                        case "cos" -> () -> Torch.cos(x, o);
                        case "tanh" -> () -> Torch.tanh(x, o);
                        default -> () -> Torch.sigmoid(x, o);
                    };
                    keepBest(out, fig, n16 / CpuBench.measure(fn) / 1e9);
                }
                case "sum16M" -> {
                    Tensor[] v = vectors(n16);
                    keepBest(out, fig, 4.0 * n16 / CpuBench.measure(() -> sink = v[0].sum()) / 1e9);
                }
                case "tinyadd" -> {
                    Tensor[] v = vectors(1024);
                    keepBest(out, fig, CpuBench.measure(() -> sink = v[0].add(v[1])) * 1e6);
                }
                case "mlp_step" -> {
                    MlpStep step = (MlpStep) steps.computeIfAbsent(fig, k -> new MlpStep(dev.jtorch.Device.CPU));
                    keepBest(out, fig, CpuBench.measure(step) * 1e3);
                }
                default -> throw new IllegalArgumentException(fig);
            }
        }

        Tensor[] vectors(int n) { return data("v" + n, () -> new Tensor[]{randomF(r, n), randomF(r, n), Torch.empty(n)}); }
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

    // ---------------------------------------------------------------- numpy / PyTorch

    static Path findScript() {
        for (String p : List.of("cpu_reference.py", "benchmarks/cpu_reference.py", "../benchmarks/cpu_reference.py")) {
            Path path = Path.of(p);
            if (Files.isRegularFile(path)) return path;
        }
        return null;
    }

    /** cpu_reference.py in --serve mode: asked for one figure at a time. */
    static final class Reference implements AutoCloseable {
        final Process process;
        final BufferedReader in;
        final java.io.Writer out;

        private Reference(Process p) {
            process = p;
            in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            out = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Reference start() throws Exception {
            Path script = findScript();
            if (script == null) {
                System.out.println("(benchmarks/cpu_reference.py not found: no numpy/PyTorch figures)");
                return null;
            }
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--serve"));
            if (quick) cmd.add("--quick");
            System.out.println("numpy and PyTorch: " + String.join(" ", cmd));
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                System.out.println("(no python3: " + e.getMessage() + ")");
                return null;
            }
            Reference ref = new Reference(p);
            String line;
            while ((line = ref.in.readLine()) != null && !line.equals("ready")) System.out.println("  " + line);
            if (line == null) {
                System.out.println("(cpu_reference.py exited: no numpy/PyTorch figures)");
                return null;
            }
            return ref;
        }

        void measure(String fig, Map<String, Double> numpy, Map<String, Double> torch) throws Exception {
            out.write(fig + "\n");
            out.flush();
            String line;
            while ((line = in.readLine()) != null && !line.equals("end")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && (f[0].equals("numpy") || f[0].equals("torch"))) {
                    try {
                        keepBest(f[0].equals("numpy") ? numpy : torch, f[1], Double.parseDouble(f[2]));
                        continue;
                    } catch (NumberFormatException ignored) {
                        // printed below as is
                    }
                }
                System.out.println("  " + line);
            }
        }

        @Override public void close() throws Exception {
            out.close();
            if (!process.waitFor(1, TimeUnit.MINUTES)) process.destroyForcibly();
        }
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
        System.out.println("(tiny add and MLP step: lower is better; jtorch vs torch is torch time / jtorch time)");
    }
}
