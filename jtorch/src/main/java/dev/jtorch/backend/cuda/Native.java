package dev.jtorch.backend.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** FFM helpers shared by the bindings: downcall handles, per-thread scratch memory, library discovery. */
final class Native {
    private Native() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    static final java.lang.foreign.AddressLayout P = ValueLayout.ADDRESS;

    /** A downcall to the first of {@code names} that {@code lib} exports; null when none is there. */
    static MethodHandle optional(SymbolLookup lib, FunctionDescriptor fd, String... names) {
        return optional(lib, fd, new Linker.Option[0], names);
    }

    static MethodHandle optional(SymbolLookup lib, FunctionDescriptor fd, Linker.Option[] opts, String... names) {
        for (String n : names) {
            Optional<MemorySegment> s = lib.find(n);
            if (s.isPresent()) return LINKER.downcallHandle(s.get(), fd, opts);
        }
        return null;
    }

    static MethodHandle required(SymbolLookup lib, String libName, FunctionDescriptor fd, String... names) {
        MethodHandle h = optional(lib, fd, names);
        if (h == null) throw new UnsatisfiedLinkError(libName + " has no symbol " + String.join(" or ", names));
        return h;
    }

    static MethodHandle requiredCritical(SymbolLookup lib, String libName, FunctionDescriptor fd, String... names) {
        MethodHandle h = optional(lib, fd, new Linker.Option[]{Linker.Option.critical(true)}, names);
        if (h == null) throw new UnsatisfiedLinkError(libName + " has no symbol " + String.join(" or ", names));
        return h;
    }

    /** Rethrows what a downcall threw: runtime exceptions and errors as they are, anything else wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new RuntimeException(t);
    }

    /** Per-thread scratch memory for out-parameters: 4 KiB, reused by every call on the thread. */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(4096, 16));

    static MemorySegment scratch() { return SCRATCH.get(); }

    /** Reads a NUL-terminated C string; null for a NULL pointer. */
    static String cString(MemorySegment p) {
        if (p == null || p.address() == 0) return null;
        return p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    // ---------------------------------------------------------------- library discovery

    /** Where CUDA toolkit libraries may live, in the order they are tried. */
    static List<Path> libraryDirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        String prop = System.getProperty("jtorch.cuda.libPath");
        if (prop != null) for (String s : prop.split(":")) if (!s.isBlank()) dirs.add(Path.of(s));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String s : ld.split(":")) if (!s.isBlank()) dirs.add(Path.of(s));
        for (String env : new String[]{"CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) { dirs.add(Path.of(v, "lib64")); dirs.add(Path.of(v, "lib")); }
        }
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        dirs.add(Path.of("/usr/local/cuda/targets/sbsa-linux/lib"));
        List<Path> versioned = new ArrayList<>(glob(Path.of("/usr/local"), "cuda-*"));
        versioned.sort((a, b) -> compareVersions(b.getFileName().toString(), a.getFileName().toString()));
        for (Path v : versioned) dirs.add(v.resolve("lib64"));
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        dirs.add(Path.of("/usr/lib64"));
        dirs.add(Path.of("/usr/lib/aarch64-linux-gnu"));
        // pip's nvidia-* wheels (nvidia/cu13/lib, nvidia/cuda_nvrtc/lib, nvidia/cublas/lib, ...)
        List<Path> sitePackages = new ArrayList<>();
        for (Path root : List.of(Path.of("/usr/lib"), Path.of("/usr/local/lib"), Path.of(System.getProperty("user.home", "/root"), ".local/lib")))
            for (Path py : glob(root, "python3*")) { sitePackages.add(py.resolve("site-packages")); sitePackages.add(py.resolve("dist-packages")); }
        for (Path opt : glob(Path.of("/opt"), "*"))
            for (Path venv : List.of(opt.resolve(".venv"), opt.resolve("venv"), opt, opt.resolve("conda")))
                for (Path py : glob(venv.resolve("lib"), "python3*")) sitePackages.add(py.resolve("site-packages"));
        String venv = System.getenv("VIRTUAL_ENV");
        if (venv != null) for (Path py : glob(Path.of(venv, "lib"), "python3*")) sitePackages.add(py.resolve("site-packages"));
        for (Path sp : sitePackages) for (Path pkg : glob(sp.resolve("nvidia"), "*")) dirs.add(pkg.resolve("lib"));
        return new ArrayList<>(dirs);
    }

    private static List<Path> glob(Path dir, String pattern) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern)) {
            for (Path p : ds) if (Files.isDirectory(p)) out.add(p);
        } catch (IOException | SecurityException e) {
            // unreadable: skip
        }
        return out;
    }

    private static final Pattern NUM = Pattern.compile("\\d+");

    static int compareVersions(String a, String b) {
        Matcher ma = NUM.matcher(a), mb = NUM.matcher(b);
        while (true) {
            boolean fa = ma.find(), fb = mb.find();
            if (!fa || !fb) return Boolean.compare(fa, fb);
            int c = Long.compare(Long.parseLong(ma.group()), Long.parseLong(mb.group()));
            if (c != 0) return c;
        }
    }

    /**
     * Shared libraries named {@code base} or {@code base.N...} (e.g. libnvrtc.so.13) in the library
     * dirs, excluding names containing any of {@code exclude}; the first dir with a match wins, and
     * within it the highest version.
     */
    static List<Path> findLibraries(String base, String... exclude) {
        List<Path> found = new ArrayList<>();
        for (Path dir : libraryDirs()) {
            if (!Files.isDirectory(dir)) continue;
            List<Path> here = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, base + "*")) {
                outer:
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (!(n.equals(base) || n.startsWith(base + "."))) continue;
                    for (String x : exclude) if (n.contains(x)) continue outer;
                    here.add(p);
                }
            } catch (IOException | SecurityException e) {
                continue;
            }
            here.sort((a, b) -> compareVersions(b.getFileName().toString(), a.getFileName().toString()));
            found.addAll(here);
        }
        return found;
    }

    /** The major version in a library file name like libnvrtc.so.13 or libnvrtc.so.13.0.88; -1 when unversioned. */
    static int soMajor(Path lib) {
        String n = lib.getFileName().toString();
        int i = n.indexOf(".so.");
        if (i < 0) return -1;
        Matcher m = NUM.matcher(n.substring(i + 4));
        return m.find() ? Integer.parseInt(m.group()) : -1;
    }
}
