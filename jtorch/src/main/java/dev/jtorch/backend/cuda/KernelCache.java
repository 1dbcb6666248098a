package dev.jtorch.backend.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiles generated CUDA C++ with NVRTC and caches the loaded kernels: in memory by a short key
 * (op, dtypes, layout), and on disk under {@code ~/.cache/jtorch/cuda} (or
 * {@code -Djtorch.cuda.cacheDir}) by the SHA-256 of source, options and NVRTC version, so a second
 * run skips the compiler. {@code -Djtorch.cuda.diskCache=false} turns the disk cache off.
 */
final class KernelCache {
    /**
     * A kernel spec: a short unique key and the source that defines {@code extern "C" __global__ void k(...)}.
     * Implementations are records whose equals/hashCode agree with {@link #key()}.
     */
    interface Spec {
        String key();

        String source();
    }

    private final CudaDevice device;
    /** Loaded kernels by spec (specs are records with value equality: no key string is built on a hit). */
    private final ConcurrentHashMap<Spec, MemorySegment> functions = new ConcurrentHashMap<>();
    static final AtomicLong compiled = new AtomicLong(), diskHits = new AtomicLong(), compileNanos = new AtomicLong();

    KernelCache(CudaDevice device) { this.device = device; }

    MemorySegment get(Spec spec) {
        MemorySegment f = functions.get(spec);
        if (f != null) return f;
        return functions.computeIfAbsent(spec, k -> load(spec));
    }

    int size() { return functions.size(); }

    static List<String> options(Nvrtc nvrtc, int cc) {
        return List.of(nvrtc.archOption(cc), "--std=c++17", "-DJT_CC=" + cc);
    }

    static String fullSource(Spec spec) { return Codegen.PRELUDE + "\n// kernel: " + spec.key() + "\n" + spec.source(); }

    private MemorySegment load(Spec spec) {
        Nvrtc nvrtc = Nvrtc.get(device.driverVersion);
        int cc = device.computeCapability();
        List<String> opts = options(nvrtc, cc);
        String src = fullSource(spec);
        String hash = sha256(src + "\u0000" + String.join(" ", opts) + "\u0000" + nvrtc.version());
        Path dir = cacheDir();
        byte[] image = null;
        boolean cubin = opts.get(0).contains("sm_");
        Path file = dir == null ? null : dir.resolve(hash + (cubin ? ".cubin" : ".ptx"));
        if (file != null && Files.isRegularFile(file)) {
            try {
                image = Files.readAllBytes(file);
                diskHits.incrementAndGet();
            } catch (IOException e) {
                image = null;
            }
        }
        if (image == null) {
            long t0 = System.nanoTime();
            Nvrtc.Image img = nvrtc.compile(src, "jtorch_" + hash.substring(0, 12) + ".cu", opts);
            compileNanos.addAndGet(System.nanoTime() - t0);
            compiled.incrementAndGet();
            image = img.bytes();
            if (file != null) {
                try {
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, hash, ".tmp");
                    Files.write(tmp, image);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    // the cache is an optimization only
                }
            }
        }
        device.makeCurrent();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment img = a.allocate(image.length + 1L);
            MemorySegment.copy(image, 0, img, ValueLayout.JAVA_BYTE, 0, image.length);
            img.set(ValueLayout.JAVA_BYTE, image.length, (byte) 0);
            MemorySegment module = Driver.moduleLoadData(img);
            return Driver.moduleGetFunction(module, "k");
        }
    }

    static Path cacheDir() {
        if ("false".equals(System.getProperty("jtorch.cuda.diskCache"))) return null;
        String p = System.getProperty("jtorch.cuda.cacheDir");
        if (p != null && !p.isBlank()) return Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "jtorch", "cuda");
        String home = System.getProperty("user.home");
        return home == null ? null : Path.of(home, ".cache", "jtorch", "cuda");
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
