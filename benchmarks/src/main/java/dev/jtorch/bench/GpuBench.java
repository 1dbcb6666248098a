package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.backend.cuda.Cuda;
import dev.jtorch.backend.cuda.Event;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * jtorch's CUDA figures beside PyTorch's, measured in the same run: add of 64M float32 into an existing
 * tensor ({@code out=}) and allocating its result (GB/s, 12 bytes per element), sum of 64M float32 (GB/s, 4 bytes per element), 8192³ matmul in fp32, TF32 and bf16
 * (TFLOP/s), the host cost of a small op (a 1024-element add in a loop, µs per op, synchronized at
 * the end), and a training step of a 784-1024-1024-10 MLP ({@link MlpStep}, ms per step, timed the same way). GPU figures are the median of 7 batches timed with CUDA events after warm-up; PyTorch's
 * come from {@code benchmarks/gpu_reference.py}, run first with {@code python3} when present.
 *
 * <p>Run on a GPU machine: {@code .gpu/run.sh main dev.jtorch.bench.GpuBench [--quick] [--no-reference]}.
 */
public final class GpuBench {
    private GpuBench() {}

    static volatile Object sink;
    static boolean quick;
    static final Device GPU = Device.of("cuda");
    static final int N = 64 * 1024 * 1024, MM = 8192;

    record Figure(String key, String label, String unit, boolean higherIsBetter, double target) {}

    static final List<Figure> FIGURES = List.of(
            new Figure("add64M", "add 64M f32, out=", "GB/s", true, 0.95),
            new Figure("add64M_alloc", "add 64M f32 (a + b)", "GB/s", true, 0),
            new Figure("sum64M", "sum 64M f32", "GB/s", true, 0.95),
            new Figure("mm_fp32", "matmul 8192^3 fp32", "TFLOP/s", true, 0.95),
            new Figure("mm_tf32", "matmul 8192^3 tf32", "TFLOP/s", true, 0.95),
            new Figure("mm_bf16", "matmul 8192^3 bf16", "TFLOP/s", true, 0.95),
            new Figure("tinyadd", "add 1024 f32, host cost", "us/op", false, 1.0),
            new Figure("mlp_step", "MLP training step", "ms", false, 1.0));

    public static void main(String[] args) throws Exception {
        boolean reference = true;
        for (String a : args) {
            if (a.equals("--quick")) quick = true;
            else if (a.equals("--no-reference")) reference = false;
        }
        if (!Torch.cuda.isAvailable()) {
            System.out.println("no CUDA device: " + Cuda.unavailableReason());
            return;
        }
        System.out.println("jtorch CUDA: " + Cuda.describe());
        Map<String, Double> torch = new LinkedHashMap<>();
        if (reference) runReference(torch);
        Map<String, Double> jt = measureJtorch();
        System.out.println("kernel cache: " + Cuda.kernelCacheStats());
        printTable(jt, torch);
    }

    /** Seconds per call: the median over 7 batches of {@code iters} calls, each batch timed with CUDA events. */
    static double gpuTime(Runnable fn, int iters) {
        for (int i = 0; i < 3; i++) fn.run();
        Torch.cuda.synchronize();
        int runs = quick ? 3 : 7;
        double[] t = new double[runs];
        for (int r = 0; r < runs; r++) {
            Event start = Torch.cuda.Event(true), end = Torch.cuda.Event(true);
            start.record();
            for (int i = 0; i < iters; i++) fn.run();
            end.record();
            end.synchronize();
            t[r] = start.elapsedTime(end) / 1e3 / iters;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    /** Wall-clock seconds per call: the best of 7 batches, each ending in a synchronize. */
    static double hostTime(Runnable fn, int iters) {
        for (int i = 0; i < iters; i++) fn.run();
        Torch.cuda.synchronize();
        double best = Double.MAX_VALUE;
        for (int r = 0; r < (quick ? 3 : 7); r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) fn.run();
            Torch.cuda.synchronize();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / iters);
        }
        return best;
    }

    static Map<String, Double> measureJtorch() {
        Map<String, Double> out = new LinkedHashMap<>();
        Torch.manualSeed(0);
        // random inputs made on the device from a smaller random block (the CPU generator is slow for 64M)
        Tensor seedBlock = Torch.randn(new long[]{1 << 20}, DType.float32, GPU);
        Tensor a = seedBlock.repeat(64).mul(Torch.randn(new long[]{64, 1}, DType.float32, GPU).reshape(64, 1).expand(64, 1 << 20).reshape(N)).contiguous();
        Tensor b = a.flip(0).add(0.5);
        Tensor c = Torch.emptyLike(a);
        out.put("add64M", 12.0 * N / gpuTime(() -> Torch.add(a, b, c), 20) / 1e9);
        out.put("add64M_alloc", 12.0 * N / gpuTime(() -> sink = a.add(b), 20) / 1e9);
        out.put("sum64M", 4.0 * N / gpuTime(() -> sink = a.sum(), 20) / 1e9);
        sink = null;
        Tensor x = a.reshape(MM, MM), y = b.reshape(MM, MM).t().contiguous();
        double flop = 2.0 * MM * MM * MM;
        Torch.backends.cuda.matmul.allowTf32(false);
        out.put("mm_fp32", flop / gpuTime(() -> sink = x.matmul(y), 5) / 1e12);
        Torch.backends.cuda.matmul.allowTf32(true);
        out.put("mm_tf32", flop / gpuTime(() -> sink = x.matmul(y), 10) / 1e12);
        Torch.backends.cuda.matmul.allowTf32(false);
        Tensor xb = x.to(DType.bfloat16), yb = y.to(DType.bfloat16);
        out.put("mm_bf16", flop / gpuTime(() -> sink = xb.matmul(yb), 20) / 1e12);
        sink = null;
        Tensor s = Torch.randn(new long[]{1024}, DType.float32, GPU), t = Torch.randn(new long[]{1024}, DType.float32, GPU);
        out.put("tinyadd", hostTime(() -> sink = s.add(t), 10000) * 1e6);
        MlpStep step = new MlpStep(GPU);
        double first = step.loss();
        out.put("mlp_step", hostTime(step, 200) * 1e3);
        System.out.printf("MLP step: loss %.4f at the first step, %.4f after the timed ones%n", first, step.loss());
        return out;
    }

    static Path findScript() {
        for (String p : List.of("gpu_reference.py", "benchmarks/gpu_reference.py", "../benchmarks/gpu_reference.py")) {
            Path path = Path.of(p);
            if (Files.isRegularFile(path)) return path;
        }
        return null;
    }

    static void runReference(Map<String, Double> torch) throws Exception {
        Path script = findScript();
        if (script == null) {
            System.out.println("(benchmarks/gpu_reference.py not found: no PyTorch figures)");
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        if (quick) cmd.add("--quick");
        System.out.println("measuring PyTorch: " + String.join(" ", cmd));
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PYTHONUNBUFFERED", "1");
            p = pb.start();
        } catch (java.io.IOException e) {
            System.out.println("(no python3: " + e.getMessage() + ")");
            return;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].equals("torch")) {
                    try {
                        torch.put(f[1], Double.parseDouble(f[2]));
                        continue;
                    } catch (NumberFormatException ignored) {
                        // printed as is
                    }
                }
                System.out.println("  " + line);
            }
        }
        if (!p.waitFor(20, TimeUnit.MINUTES)) p.destroyForcibly();
    }

    static String fmt(Double v) { return v == null ? "-" : v >= 100 ? String.format("%.1f", v) : String.format("%.2f", v); }

    static void printTable(Map<String, Double> jt, Map<String, Double> torch) {
        System.out.println();
        System.out.printf("%-26s %-8s %9s %9s   %s%n", "figure", "unit", "jtorch", "PyTorch", "jtorch vs PyTorch (target)");
        for (Figure f : FIGURES) {
            Double j = jt.get(f.key), th = torch.get(f.key);
            String verdict = "";
            if (j != null && th != null && th > 0) {
                double ratio = f.higherIsBetter ? j / th : th / j;
                verdict = f.target == 0 ? String.format("%.2fx (no target: each result is freed only when the GC finds it)", ratio)
                        : String.format("%.2fx (%s %.2fx)", ratio, ratio >= f.target ? "meets" : "below", f.target);
            }
            System.out.printf("%-26s %-8s %9s %9s   %s%n", f.label, f.unit, fmt(j), fmt(th), verdict);
        }
    }
}
