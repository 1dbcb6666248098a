package dev.jtorch.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code cblas_sgemm} / {@code cblas_dgemm} of a CBLAS library already on the machine, through
 * FFM. Looked for once: the library named by {@code -Djtorch.blas=/path/lib.so} (a path or a
 * library name), else OpenBLAS, MKL, BLIS or a CBLAS-carrying {@code libblas} by their usual
 * names. Heap arrays are passed without a copy ({@link Linker.Option#critical(boolean)}), and
 * every call is checked first: positive sizes, leading dimensions CBLAS accepts, and every element
 * the library will touch inside its array. Views with no unit stride are copied to a dense
 * temporary. The LP64 interface (32-bit ints) is assumed, as all these libraries export by default.
 */
final class Blas {
    private Blas() {}

    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private static final MethodHandle SGEMM, DGEMM, SET_THREADS;
    private static final String LIBRARY, PROBLEM;
    private static int threadsSet = -1;

    static {
        MethodHandle s = null, d = null, t = null;
        String lib = null;
        List<String> tried = new ArrayList<>();
        try {
            Linker linker = Linker.nativeLinker();
            String prop = System.getProperty("jtorch.blas");
            List<String> names = prop != null && !prop.isBlank() ? List.of(prop.trim()) : candidates();
            for (String name : names) {
                SymbolLookup lookup;
                try {
                    lookup = name.contains("/") ? SymbolLookup.libraryLookup(java.nio.file.Path.of(name), Arena.global())
                            : SymbolLookup.libraryLookup(name, Arena.global());
                } catch (RuntimeException e) {
                    tried.add(name + " (not found)");
                    continue;
                }
                Optional<MemorySegment> sg = lookup.find("cblas_sgemm"), dg = lookup.find("cblas_dgemm");
                if (sg.isEmpty() || dg.isEmpty()) {
                    tried.add(name + " (no cblas_sgemm/cblas_dgemm)");
                    continue;
                }
                Linker.Option critical = Linker.Option.critical(true);
                s = linker.downcallHandle(sg.get(), gemmDescriptor(ValueLayout.JAVA_FLOAT), critical);
                d = linker.downcallHandle(dg.get(), gemmDescriptor(ValueLayout.JAVA_DOUBLE), critical);
                Optional<MemorySegment> th = lookup.find("openblas_set_num_threads").or(() -> lookup.find("MKL_Set_Num_Threads"));
                if (th.isPresent()) t = linker.downcallHandle(th.get(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
                lib = name;
                break;
            }
        } catch (RuntimeException | LinkageError e) {
            tried.add(e.toString());
            s = d = t = null;
            lib = null;
        }
        SGEMM = s;
        DGEMM = d;
        SET_THREADS = t;
        LIBRARY = lib;
        PROBLEM = lib == null ? "no CBLAS library found: " + String.join(", ", tried) : null;
    }

    private static List<String> candidates() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("mac")) return List.of("libopenblas.dylib", "libopenblas.0.dylib", "libblis.dylib", "libmkl_rt.dylib");
        if (os.contains("win")) return List.of("libopenblas.dll", "openblas.dll", "mkl_rt.2.dll", "mkl_rt.dll", "blis.dll");
        return List.of("libopenblas.so.0", "libopenblas.so", "libmkl_rt.so.2", "libmkl_rt.so", "libblis.so.4", "libblis.so",
                "libblas.so.3", "libcblas.so.3", "libblas.so");
    }

    private static FunctionDescriptor gemmDescriptor(ValueLayout scalar) {
        ValueLayout i = ValueLayout.JAVA_INT, p = ValueLayout.ADDRESS;
        return FunctionDescriptor.ofVoid(i, i, i, i, i, i, scalar, p, i, p, i, scalar, p, i);
    }

    static boolean available() { return SGEMM != null && DGEMM != null; }

    /** The library in use, or null. */
    static String library() { return LIBRARY; }

    /** Why no library is in use, or null. */
    static String problem() { return PROBLEM; }

    /** Keeps the library's thread count equal to the intra-op pool's. */
    private static void syncThreads() {
        if (SET_THREADS == null) return;
        int n = Parallel.getNumThreads();
        synchronized (Blas.class) {
            if (n == threadsSet) return;
            try {
                SET_THREADS.invokeExact(n);
            } catch (Throwable e) {
                throw new IllegalStateException("BLAS thread setting failed", e);
            }
            threadsSet = n;
        }
    }

    /** How one operand is handed to CBLAS: trans flag and leading dimension, or null when neither stride is 1. */
    private record Form(int trans, int ld) {}

    /** An r x c operand with element (i, j) at off + i * rs + j * cs, as a row-major CBLAS operand. */
    private static Form form(int r, int c, int rs, int cs) {
        // a size-1 dim's stride is meaningless: pick what CBLAS will accept
        if (c == 1) cs = 1;
        if (r == 1) rs = Math.max(c, 1);
        if (cs == 1 && rs >= Math.max(1, c)) return new Form(NO_TRANS, rs);
        if (r == 1 && cs >= 1) return new Form(TRANS, Math.max(cs, 1)); // a row vector with strided columns: its transpose
        if (rs == 1 && cs >= Math.max(1, r)) return new Form(TRANS, cs);
        return null;
    }

    /** Checks every element CBLAS will touch for an r x c operand in form f lies in [0, length). */
    private static void checkBounds(String what, int length, int off, int r, int c, Form f) {
        long rows = f.trans == NO_TRANS ? r : c, cols = f.trans == NO_TRANS ? c : r;
        long last = off + (rows - 1) * f.ld + (cols - 1);
        if (off < 0 || last >= length || f.ld < Math.max(1, cols))
            throw new IllegalStateException("BLAS call refused: " + what + " (" + r + "x" + c + ", ld " + f.ld + ", offset " + off
                    + ") does not fit its array of " + length);
    }

    static void gemm(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                     float[] c, int co, int crs, int ccs) {
        if (m <= 0 || n <= 0 || k <= 0) throw new IllegalArgumentException("BLAS gemm needs positive sizes: " + m + "x" + n + "x" + k);
        Form fc = form(m, n, crs, ccs);
        if (fc == null || fc.trans != NO_TRANS) {
            if (fc != null) { // C column-major: C^T = B^T A^T, all row-major
                gemm(n, m, k, b, bo, bcs, brs, a, ao, acs, ars, c, co, ccs, crs);
                return;
            }
            float[] tmp = new float[m * n];
            gemm(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, tmp, 0, n, 1);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * crs + j * ccs] = tmp[i * n + j];
            return;
        }
        Form fa = form(m, k, ars, acs), fb = form(k, n, brs, bcs);
        if (fa == null) { a = denseF(a, ao, ars, acs, m, k); ao = 0; fa = new Form(NO_TRANS, k); }
        if (fb == null) { b = denseF(b, bo, brs, bcs, k, n); bo = 0; fb = new Form(NO_TRANS, n); }
        checkBounds("A", a.length, ao, m, k, fa);
        checkBounds("B", b.length, bo, k, n, fb);
        checkBounds("C", c.length, co, m, n, fc);
        syncThreads();
        try {
            SGEMM.invokeExact(ROW_MAJOR, fa.trans, fb.trans, m, n, k, 1f, MemorySegment.ofArray(a).asSlice(4L * ao), fa.ld,
                    MemorySegment.ofArray(b).asSlice(4L * bo), fb.ld, 0f, MemorySegment.ofArray(c).asSlice(4L * co), fc.ld);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    static void gemm(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs, int bcs,
                     double[] c, int co, int crs, int ccs) {
        if (m <= 0 || n <= 0 || k <= 0) throw new IllegalArgumentException("BLAS gemm needs positive sizes: " + m + "x" + n + "x" + k);
        Form fc = form(m, n, crs, ccs);
        if (fc == null || fc.trans != NO_TRANS) {
            if (fc != null) {
                gemm(n, m, k, b, bo, bcs, brs, a, ao, acs, ars, c, co, ccs, crs);
                return;
            }
            double[] tmp = new double[m * n];
            gemm(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, tmp, 0, n, 1);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c[co + i * crs + j * ccs] = tmp[i * n + j];
            return;
        }
        Form fa = form(m, k, ars, acs), fb = form(k, n, brs, bcs);
        if (fa == null) { a = denseD(a, ao, ars, acs, m, k); ao = 0; fa = new Form(NO_TRANS, k); }
        if (fb == null) { b = denseD(b, bo, brs, bcs, k, n); bo = 0; fb = new Form(NO_TRANS, n); }
        checkBounds("A", a.length, ao, m, k, fa);
        checkBounds("B", b.length, bo, k, n, fb);
        checkBounds("C", c.length, co, m, n, fc);
        syncThreads();
        try {
            DGEMM.invokeExact(ROW_MAJOR, fa.trans, fb.trans, m, n, k, 1.0, MemorySegment.ofArray(a).asSlice(8L * ao), fa.ld,
                    MemorySegment.ofArray(b).asSlice(8L * bo), fb.ld, 0.0, MemorySegment.ofArray(c).asSlice(8L * co), fc.ld);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dgemm failed", e);
        }
    }

    private static float[] denseF(float[] x, int off, int rs, int cs, int r, int c) {
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) d[i * c + j] = x[off + i * rs + j * cs];
        return d;
    }

    private static double[] denseD(double[] x, int off, int rs, int cs, int r, int c) {
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) d[i * c + j] = x[off + i * rs + j * cs];
        return d;
    }
}
