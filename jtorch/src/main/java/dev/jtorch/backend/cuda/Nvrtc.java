package dev.jtorch.backend.cuda;

import static dev.jtorch.backend.cuda.Native.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * NVRTC, the CUDA runtime compiler, through FFM. Found under the CUDA toolkit's lib64 (via
 * LD_LIBRARY_PATH, CUDA_HOME, /usr/local/cuda, /usr/local/cuda-*) or pip's nvidia-cuda-nvrtc
 * wheel; {@code -Djtorch.cuda.nvrtc=/path/libnvrtc.so.N} overrides the search.
 */
final class Nvrtc {
    final Path path;
    final int major, minor;
    private final int[] supportedArchs;
    private final MethodHandle create, compile, destroy, logSize, log, cubinSize, cubin, ptxSize, ptx, errorString;

    private Nvrtc(Path path) {
        this.path = path;
        // NVRTC dlopens its builtins library by soname; load the one beside it first so that it resolves
        // even when that directory is not on LD_LIBRARY_PATH.
        try (java.nio.file.DirectoryStream<Path> ds = java.nio.file.Files.newDirectoryStream(path.toAbsolutePath().getParent(), "libnvrtc-builtins.so*")) {
            for (Path b : ds) {
                if (b.getFileName().toString().contains(".alt.")) continue;
                try { SymbolLookup.libraryLookup(b, Arena.global()); } catch (Throwable ignored) { }
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // fall back to the loader's search path
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        String name = path.toString();
        MethodHandle version = required(lib, name, FunctionDescriptor.of(I, P, P), "nvrtcVersion");
        create = required(lib, name, FunctionDescriptor.of(I, P, P, P, I, P, P), "nvrtcCreateProgram");
        compile = required(lib, name, FunctionDescriptor.of(I, P, I, P), "nvrtcCompileProgram");
        destroy = required(lib, name, FunctionDescriptor.of(I, P), "nvrtcDestroyProgram");
        logSize = required(lib, name, FunctionDescriptor.of(I, P, P), "nvrtcGetProgramLogSize");
        log = required(lib, name, FunctionDescriptor.of(I, P, P), "nvrtcGetProgramLog");
        cubinSize = optional(lib, FunctionDescriptor.of(I, P, P), "nvrtcGetCUBINSize");
        cubin = optional(lib, FunctionDescriptor.of(I, P, P), "nvrtcGetCUBIN");
        ptxSize = required(lib, name, FunctionDescriptor.of(I, P, P), "nvrtcGetPTXSize");
        ptx = required(lib, name, FunctionDescriptor.of(I, P, P), "nvrtcGetPTX");
        errorString = required(lib, name, FunctionDescriptor.of(P, I), "nvrtcGetErrorString");
        MethodHandle numArchs = optional(lib, FunctionDescriptor.of(I, P), "nvrtcGetNumSupportedArchs");
        MethodHandle archs = optional(lib, FunctionDescriptor.of(I, P), "nvrtcGetSupportedArchs");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mj = a.allocate(I), mn = a.allocate(I);
            check((int) version.invokeExact(mj, mn), "nvrtcVersion");
            major = mj.get(I, 0);
            minor = mn.get(I, 0);
            int[] sup = new int[0];
            if (numArchs != null && archs != null) {
                MemorySegment n = a.allocate(I);
                if ((int) numArchs.invokeExact(n) == 0) {
                    MemorySegment arr = a.allocate(I, Math.max(1, n.get(I, 0)));
                    if ((int) archs.invokeExact(arr) == 0) sup = arr.toArray(I);
                    sup = java.util.Arrays.copyOf(sup, n.get(I, 0));
                }
            }
            supportedArchs = sup;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static volatile Nvrtc instance;
    private static volatile String failure;

    /** Loads NVRTC, preferring the newest one whose major version the driver supports. */
    static Nvrtc get(int driverVersion) {
        Nvrtc n = instance;
        if (n != null) return n;
        synchronized (Nvrtc.class) {
            if (instance != null) return instance;
            if (failure != null) throw new CudaException(failure);
            List<Path> candidates = new ArrayList<>();
            String override = System.getProperty("jtorch.cuda.nvrtc", System.getenv("JTORCH_NVRTC"));
            if (override != null && !override.isBlank()) candidates.add(Path.of(override));
            List<Path> found = findLibraries("libnvrtc.so", "builtins", ".alt.");
            int driverMajor = driverVersion / 1000;
            List<Path> ok = new ArrayList<>(), newer = new ArrayList<>();
            for (Path p : found) (Native.soMajor(p) <= driverMajor ? ok : newer).add(p);
            candidates.addAll(ok);
            candidates.addAll(newer);
            StringBuilder why = new StringBuilder();
            for (Path p : candidates) {
                try {
                    instance = new Nvrtc(p);
                    return instance;
                } catch (Throwable t) {
                    why.append("\n  ").append(p).append(": ").append(t);
                }
            }
            failure = "NVRTC (libnvrtc.so) was not found or could not be loaded; jtorch compiles its CUDA kernels with it. "
                    + "Install the CUDA toolkit (or `pip install nvidia-cuda-nvrtc`), add its lib64 to LD_LIBRARY_PATH, "
                    + "or pass -Djtorch.cuda.nvrtc=/path/to/libnvrtc.so.N. Searched: " + Native.libraryDirs() + why;
            throw new CudaException(failure);
        }
    }

    String version() { return major + "." + minor; }

    /**
     * The architecture option for a device of compute capability {@code cc} (e.g. 90): real machine
     * code ({@code sm_90}) when NVRTC supports it, else PTX for the newest virtual arch it has.
     */
    String archOption(int cc) {
        if (supportedArchs.length == 0) return "--gpu-architecture=sm_" + cc;
        int best = -1;
        for (int a : supportedArchs) {
            if (a == cc) return "--gpu-architecture=sm_" + cc;
            if (a <= cc && a > best) best = a;
        }
        if (best < 0) best = supportedArchs[0];
        return "--gpu-architecture=compute_" + best;
    }

    private String err(int rc) {
        try {
            return cString((MemorySegment) errorString.invokeExact(rc));
        } catch (Throwable t) {
            return "NVRTC_ERROR_" + rc;
        }
    }

    private void check(int rc, String call) {
        if (rc != 0) throw new CudaException("NVRTC error " + err(rc) + " in " + call, rc, err(rc));
    }

    /** A compiled program: CUBIN (machine code) or PTX, NUL-terminated in the PTX case. */
    record Image(byte[] bytes, boolean cubin) {}

    /** Compiles CUDA C++ source; throws with the compiler log on failure. */
    Image compile(String source, String programName, List<String> options) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment progOut = a.allocate(P);
            check((int) create.invokeExact(progOut, a.allocateFrom(source), a.allocateFrom(programName), 0, MemorySegment.NULL, MemorySegment.NULL),
                    "nvrtcCreateProgram");
            MemorySegment prog = progOut.get(P, 0);
            try {
                MemorySegment opts = a.allocate(P, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(P, i, a.allocateFrom(options.get(i)));
                int rc = (int) compile.invokeExact(prog, options.size(), opts);
                if (rc != 0) {
                    String l = programLog(a, prog);
                    throw new CudaException("NVRTC failed to compile " + programName + " (" + err(rc) + "):\n" + l
                            + "\n--- source ---\n" + numbered(source), rc, err(rc));
                }
                boolean wantCubin = options.stream().anyMatch(o -> o.startsWith("--gpu-architecture=sm_")) && cubin != null;
                MemorySegment size = a.allocate(J);
                if (wantCubin) {
                    check((int) cubinSize.invokeExact(prog, size), "nvrtcGetCUBINSize");
                    MemorySegment buf = a.allocate(size.get(J, 0));
                    check((int) cubin.invokeExact(prog, buf), "nvrtcGetCUBIN");
                    return new Image(buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), true);
                }
                check((int) ptxSize.invokeExact(prog, size), "nvrtcGetPTXSize");
                MemorySegment buf = a.allocate(size.get(J, 0));
                check((int) ptx.invokeExact(prog, buf), "nvrtcGetPTX");
                return new Image(buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), false);
            } finally {
                MemorySegment pp = a.allocate(P);
                pp.set(P, 0, prog);
                int ignored = (int) destroy.invokeExact(pp);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private String programLog(Arena a, MemorySegment prog) throws Throwable {
        MemorySegment size = a.allocate(J);
        if ((int) logSize.invokeExact(prog, size) != 0) return "(no log)";
        MemorySegment buf = a.allocate(Math.max(1, size.get(J, 0)));
        if ((int) log.invokeExact(prog, buf) != 0) return "(no log)";
        return buf.getString(0);
    }

    private static String numbered(String src) {
        StringBuilder sb = new StringBuilder();
        String[] lines = src.split("\n", -1);
        for (int i = 0; i < lines.length; i++) sb.append(String.format("%4d  %s%n", i + 1, lines[i]));
        return sb.toString();
    }
}
