package dev.jtorch.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.DType;
import dev.jtorch.ops.JoinOp;
import dev.jtorch.ops.MatmulOp;
import dev.jtorch.ops.MemoryOp;
import dev.jtorch.ops.Op;
import dev.jtorch.ops.BinaryOp;
import dev.jtorch.ops.IndexOp;
import dev.jtorch.ops.ReduceOp;
import dev.jtorch.ops.ScanOp;
import dev.jtorch.ops.TernaryOp;
import dev.jtorch.ops.UnaryOp;
import dev.jtorch.ops.ViewOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compiles a broad sample of the generated kernels (about 1700) with NVRTC for sm_90. Needs NVRTC but
 * no GPU; it takes minutes, so it runs only when asked:
 * {@code -DargLine="-Djtorch.cuda.compileCheck=true -Djtorch.cuda.libPath=.../nvidia/cu13/lib"}
 * (NVRTC from {@code pip install nvidia-cuda-nvrtc} is enough).
 */
class KernelSourceTest {
    static final DType[] ALL = DType.values();

    static Nvrtc nvrtc() {
        Assumptions.assumeTrue(Boolean.getBoolean("jtorch.cuda.compileCheck"), "set -Djtorch.cuda.compileCheck=true to compile every kernel");
        return loadNvrtc();
    }

    static Nvrtc loadNvrtc() {
        try {
            return Nvrtc.get(99000);
        } catch (RuntimeException | LinkageError e) {
            Assumptions.abort("NVRTC not available: " + e.getMessage());
            return null;
        }
    }

    static List<KernelCache.Spec> specs() {
        List<KernelCache.Spec> s = new ArrayList<>();
        for (Op op : Op.values()) {
            for (DType t : ALL) {
                switch (op) {
                    case UnaryOp u -> {
                        if (op.result() == Op.Result.FLOAT && !t.isFloatingPoint()) continue;
                        if (op.result() == Op.Result.INTEGRAL && t.isFloatingPoint()) continue;
                        if (t == DType.bool && op != UnaryOp.LOGICAL_NOT && op != UnaryOp.BITWISE_NOT && op != UnaryOp.ABS && op != UnaryOp.SIGN) continue;
                        DType out = op.result() == Op.Result.BOOL ? DType.bool : t;
                        s.add(new EwKernels.Spec(EwKernels.What.UNARY, op, out, new DType[]{t}, 'c', new char[]{'c'}, 1, true, 4));
                        s.add(new EwKernels.Spec(EwKernels.What.UNARY, op, out, new DType[]{t}, 's', new char[]{'s'}, 3, false, 0));
                    }
                    case BinaryOp b -> {
                        if (op.result() == Op.Result.FLOAT && !t.isFloatingPoint()) continue;
                        if (op.result() == Op.Result.INTEGRAL && t.isFloatingPoint()) continue;
                        DType out = op.result() == Op.Result.BOOL ? DType.bool : t;
                        s.add(new EwKernels.Spec(EwKernels.What.BINARY, op, out, new DType[]{t, t}, 'c', new char[]{'c', 'c'}, 1, true, 16 / Math.max(out.itemSize(), t.itemSize())));
                        s.add(new EwKernels.Spec(EwKernels.What.BINARY, op, out, new DType[]{t, t.isFloatingPoint() ? DType.float32 : DType.int64}, 's', new char[]{'s', 'v'}, 2, true, 0));
                        s.add(new EwKernels.Spec(EwKernels.What.BINARY, op, out, new DType[]{t, t}, 'c', new char[]{'z', 'c'}, 1, false, 1));
                        if (op == BinaryOp.ADD || op == BinaryOp.SUB) { // with an alpha
                            s.add(new EwKernels.Spec(EwKernels.What.BINARY, op, out, new DType[]{t, t}, 'c', new char[]{'c', 'c'}, 1, true,
                                    16 / Math.max(out.itemSize(), t.itemSize()), true));
                            s.add(new EwKernels.Spec(EwKernels.What.BINARY, op, out, new DType[]{t, t.isFloatingPoint() ? DType.float32 : DType.int64},
                                    's', new char[]{'s', 'v'}, 2, true, 0, true));
                        }
                    }
                    case ReduceOp r -> {
                        if (r == ReduceOp.MEAN && !t.isFloatingPoint()) continue;
                        DType out = op.result() == Op.Result.BOOL ? DType.bool : op.result() == Op.Result.INDEX ? DType.int64 : t;
                        int vec = ReduceKernels.isArg(r) ? 1 : 16 / t.itemSize();
                        s.add(new ReduceKernels.Spec(r, t, out, 'A', 1, 1, true, true, 512, vec));
                        s.add(new ReduceKernels.Spec(r, t, out, 'A', 2, 2, true, false, 128, 1));
                        s.add(new ReduceKernels.Spec(r, t, out, 'B', 1, 1, false, false, 256, 1));
                        s.add(new ReduceKernels.FinishSpec(r, t, out, 1, true, 256));
                        s.add(new ReduceKernels.FinishSpec(r, t, out, 0, true, 32));
                    }
                    case ScanOp sc -> {
                        if (sc == ScanOp.ARGSORT) continue;
                        s.add(new ScanKernels.Spec(sc, t, t, 'T', 2, true, 128));
                        s.add(new ScanKernels.Spec(sc, t, t, 'B', 1, false, 1024));
                    }
                    case IndexOp ix -> {
                        s.add(new IndexKernels.Spec(ix == IndexOp.INDEX_PUT, false, t, new char[]{'c', 's', 's', 'v'}, 2, true));
                        if (ix == IndexOp.INDEX_PUT) s.add(new IndexKernels.Spec(true, true, t, new char[]{'s', 'c', 'c'}, 1, true));
                    }
                    case MatmulOp m -> { if (!t.isFloatingPoint() && t != DType.bool) s.add(new MatmulKernels.IntSpec(t, true)); }
                    case MemoryOp m -> { } // COPY and FILL: every pair of dtypes below
                    case TernaryOp w -> { } // WHERE: below
                    case JoinOp j -> { } // CAT: copies
                    case ViewOp v -> { } // never reaches a backend
                }
            }
        }
        s.addAll(randomSpecs());
        for (DType a : ALL) {
            for (DType b : ALL) s.add(new EwKernels.Spec(EwKernels.What.COPY, null, b, new DType[]{a}, 's', new char[]{'c'}, 2, true, 0));
            s.add(new EwKernels.Spec(EwKernels.What.FILL, null, a, new DType[0], 's', new char[0], 2, true, 0));
            s.add(new EwKernels.Spec(EwKernels.What.WHERE, null, a, new DType[]{DType.bool, a, a}, 'c', new char[]{'c', 'c', 'v'}, 1, true, 4));
        }
        return s;
    }

    /** Every random-sampling kernel: each distribution for every output dtype it takes. */
    static List<KernelCache.Spec> randomSpecs() {
        List<KernelCache.Spec> s = new ArrayList<>();
        for (DType t : ALL) {
            if (t.isFloatingPoint()) {
                s.add(new RandomKernels.Spec(RandomKernels.Distribution.UNIFORM, t, null, false));
                s.add(new RandomKernels.Spec(RandomKernels.Distribution.NORMAL, t, null, false));
                DType p = t == DType.float64 ? DType.float64 : DType.float32;
                s.add(new RandomKernels.Spec(RandomKernels.Distribution.BERNOULLI_TENSOR, t, p, false));
            }
            s.add(new RandomKernels.Spec(RandomKernels.Distribution.RANDOM_FROM_TO, t, null, false));
            s.add(new RandomKernels.Spec(RandomKernels.Distribution.RANDOM_FROM_TO, t, null, true));
            s.add(new RandomKernels.Spec(RandomKernels.Distribution.BERNOULLI_SCALAR, t, null, false));
        }
        return s;
    }

    /** The random kernels are few: they compile whenever NVRTC can be loaded (no opt-in needed; part of the GPU run). */
    @Test
    @org.junit.jupiter.api.Tag("cuda")
    void randomKernelsCompile() throws Exception {
        compileAll(loadNvrtc(), randomSpecs());
    }

    /** ADD and SUB with an alpha, every dtype and layout the sample has: compiles whenever NVRTC can be loaded. */
    @Test
    void alphaKernelsCompile() throws Exception {
        Nvrtc n = loadNvrtc();
        List<KernelCache.Spec> alpha = specs().stream().filter(s -> s instanceof EwKernels.Spec e && e.alpha()).toList();
        assertEquals(2 * 2 * ALL.length, alpha.size());
        compileAll(n, alpha);
    }

    @Test
    void everyGeneratedKernelCompiles() throws Exception {
        compileAll(nvrtc(), specs());
    }

    /**
     * Every generated kernel compiled to PTX for sm_90 by the CUDA toolkit's {@code nvcc}, where it is installed (no GPU
     * or NVRTC needed): the kernels go 400 to a translation unit, each in its own namespace with its entry renamed, after
     * one copy of the prelude, so the whole sample compiles in seconds.
     */
    @Test
    void everyGeneratedKernelCompilesWithNvcc() throws Exception {
        java.nio.file.Path nvcc = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> java.nio.file.Path.of(d, "nvcc")).filter(java.nio.file.Files::isExecutable).findFirst()
                .orElse(java.nio.file.Path.of("/usr/local/cuda/bin/nvcc"));
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(nvcc), "no nvcc on PATH or in /usr/local/cuda/bin");
        List<KernelCache.Spec> specs = specs();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jtorch-nvcc");
        int batch = 400;
        for (int from = 0; from < specs.size(); from += batch) {
            StringBuilder unit = new StringBuilder(Codegen.PRELUDE).append('\n');
            int to = Math.min(specs.size(), from + batch);
            for (int i = from; i < to; i++)
                unit.append("namespace n").append(i).append(" {\n// ").append(specs.get(i).key()).append('\n')
                        .append(specs.get(i).source().replaceAll("\\bk\\(", "k_" + i + "(")).append("\n}\n");
            java.nio.file.Path cu = dir.resolve("kernels" + from + ".cu"), ptx = dir.resolve("kernels" + from + ".ptx");
            java.nio.file.Files.writeString(cu, unit);
            Process p = new ProcessBuilder(nvcc.toString(), "-ptx", "-arch=sm_90", "-x", "cu", "-diag-suppress", "1835", "-o", ptx.toString(),
                    cu.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "nvcc failed on kernels " + from + ".." + (to - 1) + " (" + cu + "):\n" + log);
            long entries = java.nio.file.Files.readAllLines(ptx).stream().filter(l -> l.contains(".entry ")).count();
            assertEquals(to - from, entries, "PTX entries of " + cu);
            java.nio.file.Files.delete(cu);
            java.nio.file.Files.delete(ptx);
        }
        java.nio.file.Files.delete(dir);
    }

    static void compileAll(Nvrtc n, List<KernelCache.Spec> specs) throws Exception {
        List<String> opts = KernelCache.options(n, 90);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (KernelCache.Spec spec : specs) {
            assertTrue(keys.add(spec.key()), "duplicate key " + spec.key());
            pool.submit(() -> {
                try {
                    Nvrtc.Image img = n.compile(KernelCache.fullSource(spec), spec.key(), opts);
                    if (img.bytes().length == 0) failures.add(spec.key() + ": empty image");
                } catch (Throwable t) {
                    failures.add(spec.key() + ": " + t.getMessage());
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.MINUTES));
        if (!failures.isEmpty()) {
            String first = failures.peek();
            fail(failures.size() + " of " + specs.size() + " kernels failed to compile; first:\n" + first.substring(0, Math.min(first.length(), 6000)));
        }
        System.out.println("compiled " + specs.size() + " kernels with NVRTC " + n.version());
    }
}
