package dev.jtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * torch.linalg against goldens written by PyTorch ({@code golden/linalg/gen_linalg.py}): 1e-10 for
 * float64, 1e-4 for float32. Singular vectors and eigenvectors are compared up to the sign of each
 * vector, and checked through reconstruction and orthonormality; when the goldens come from an MKL
 * build, the SVD's signs must match exactly too.
 */
class LinalgTest {
    private static final TorchLinalg L = Torch.linalg;

    // ================================================================ golden file

    record Golden(DType dtype, long[] shape, double[] values) {
        Tensor tensor() {
            if (dtype == DType.int64) {
                long[] v = new long[values.length];
                for (int i = 0; i < v.length; i++) v[i] = (long) values[i];
                return Torch.fromArray(v, shape);
            }
            return Torch.fromArray(values.clone(), shape).to(dtype);
        }
    }

    record Case(String op, String name, Map<String, String> opts, List<Golden> args, Map<String, Golden> outs) {}

    private static String lapack = "unknown";

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = LinalgTest.class.getResourceAsStream("/golden/linalg/linalg_cases.txt")) {
            assertNotNull(in, "golden/linalg/linalg_cases.txt missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Case cur = null;
            for (String line; (line = r.readLine()) != null; ) {
                GoldenText.Header header = GoldenText.Header.parse(line);
                if (header != null) lapack = header.environment().getOrDefault("lapack", "unknown");
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] p = line.split(" ");
                switch (p[0]) {
                    case "case" -> cur = new Case(p[1], p[2], new LinkedHashMap<>(), new ArrayList<>(), new LinkedHashMap<>());
                    case "opt" -> cur.opts().put(p[1], p[2]);
                    case "arg" -> cur.args().add(parse(p, 1));
                    case "out" -> cur.outs().put(p[1], parse(p, 2));
                    case "end" -> cases.add(cur);
                    default -> throw new IllegalStateException("bad golden line: " + line);
                }
            }
        }
        return cases;
    }

    private static Golden parse(String[] p, int at) {
        DType dtype = DType.valueOf(p[at]);
        long[] shape;
        if (p[at + 1].equals("-")) shape = new long[0];
        else {
            String[] s = p[at + 1].split("x");
            shape = new long[s.length];
            for (int i = 0; i < s.length; i++) shape[i] = Long.parseLong(s[i]);
        }
        double[] v = new double[p.length - at - 2];
        for (int i = 0; i < v.length; i++) {
            String t = p[at + 2 + i];
            v[i] = dtype == DType.int64 ? Long.parseLong(t) : Double.parseDouble(t);
        }
        return new Golden(dtype, shape, v);
    }

    static double tol(DType t) { return t == DType.float64 ? 1e-10 : 1e-4; }

    static void assertClose(Golden expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape().toArray(), what + ": shape");
        double tol = tol(expected.dtype());
        double[] a = actual.toDoubleArray(), e = expected.values();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            assertTrue(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])),
                    what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i]);
        }
    }

    /** Columns (dim -1 indexes vectors when {@code columns}) compared up to sign; returns how many needed a flip. */
    static int assertCloseUpToSign(Golden expected, Tensor actual, boolean columns, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape().toArray(), what + ": shape");
        long[] s = expected.shape();
        int rows = (int) s[s.length - 2], cols = (int) s[s.length - 1];
        int mats = rows * cols == 0 ? 0 : expected.values().length / (rows * cols);
        int vectors = columns ? cols : rows, len = columns ? rows : cols;
        double tol = tol(expected.dtype());
        double[] a = actual.toDoubleArray(), e = expected.values();
        int flips = 0;
        for (int b = 0; b < mats; b++)
            for (int v = 0; v < vectors; v++) {
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    int at = b * rows * cols + (columns ? i * cols + v : v * cols + i);
                    dot += a[at] * e[at];
                }
                double sign = dot < 0 ? -1 : 1;
                if (sign < 0) flips++;
                for (int i = 0; i < len; i++) {
                    int at = b * rows * cols + (columns ? i * cols + v : v * cols + i);
                    assertTrue(Math.abs(sign * a[at] - e[at]) <= tol * (1 + Math.abs(e[at])),
                            what + ": matrix " + b + " vector " + v + " element " + i + " is " + a[at] + ", PyTorch gives " + e[at]);
                }
            }
        return flips;
    }

    static void assertTensorClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++)
            assertTrue(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])), what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
    }

    static void assertOrthonormalColumns(Tensor q, double tol, String what) {
        Tensor qtq = q.mT().matmul(q).float64();
        long k = q.size(-1);
        assertTensorClose(Torch.eye(k, DType.float64).expand(qtq.shape().toArray()), qtq, tol, what + ": orthonormality");
    }

    // ================================================================ golden cases

    @TestFactory
    Stream<DynamicTest> goldens() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.op() + " " + c.name(), () -> run(c)));
    }

    private static void run(Case c) {
        Tensor a = c.args().get(0).tensor();
        Map<String, Golden> o = c.outs();
        String what = c.op() + " " + c.name();
        switch (c.op()) {
            case "inv" -> assertClose(o.get("out"), L.inv(a), what);
            case "det" -> assertClose(o.get("out"), L.det(a), what);
            case "solve" -> assertClose(o.get("out"), L.solve(a, c.args().get(1).tensor()), what);
            case "svdvals" -> assertClose(o.get("out"), L.svdvals(a), what);
            case "svd" -> checkSvd(c, a, what);
            case "qr" -> {
                TorchLinalg.Qr r = L.qr(a, c.opts().get("mode"));
                assertClose(o.get("R"), r.R(), what + " R");
                assertClose(o.get("Q"), r.Q(), what + " Q");
            }
            case "eigh" -> {
                TorchLinalg.Eigh r = L.eigh(a, c.opts().get("uplo"));
                assertClose(o.get("eigenvalues"), r.eigenvalues(), what + " eigenvalues");
                assertCloseUpToSign(o.get("eigenvectors"), r.eigenvectors(), true, what + " eigenvectors");
                double tol = tol(a.dtype()) * 10;
                assertOrthonormalColumns(r.eigenvectors(), tol, what);
                Tensor sym = symmetrize(a, c.opts().get("uplo").equals("L"));
                Tensor rec = r.eigenvectors().mul(r.eigenvalues().unsqueeze(-2)).matmul(r.eigenvectors().mT());
                assertTensorClose(sym, rec, tol, what + " reconstruction");
            }
            case "eigvalsh" -> assertClose(o.get("out"), L.eigvalsh(a, c.opts().get("uplo")), what);
            case "cholesky" -> assertClose(o.get("out"), L.cholesky(a, Boolean.parseBoolean(c.opts().get("upper"))), what);
            case "matrix_rank" -> assertClose(o.get("out"), L.matrixRank(a), what);
            case "pinv" -> assertClose(o.get("out"), L.pinv(a), what);
            case "matrix_norm" -> {
                String ord = c.opts().get("ord");
                Tensor r = switch (ord) {
                    case "fro", "nuc" -> L.matrixNorm(a, ord);
                    case "inf" -> L.matrixNorm(a, Double.POSITIVE_INFINITY);
                    case "-inf" -> L.matrixNorm(a, Double.NEGATIVE_INFINITY);
                    default -> L.matrixNorm(a, Double.parseDouble(ord));
                };
                assertClose(o.get("out"), r, what);
            }
            default -> throw new IllegalStateException("unknown op " + c.op());
        }
    }

    /** The symmetric matrix (batch) eigh reads from one triangle of {@code a}, in float64. */
    static Tensor symmetrize(Tensor a, boolean lower) {
        int n = (int) a.size(-1);
        double[] x = a.toDoubleArray(), y = new double[x.length];
        for (int b = 0; b < x.length / (n * n); b++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    boolean stored = lower ? i >= j : i <= j;
                    y[b * n * n + i * n + j] = stored ? x[b * n * n + i * n + j] : x[b * n * n + j * n + i];
                }
        return Torch.fromArray(y, a.shape().toArray());
    }

    private static void checkSvd(Case c, Tensor a, String what) {
        ReturnTypes.LinalgSvd r = L.svd(a);
        Map<String, Golden> o = c.outs();
        assertClose(o.get("S"), r.S(), what + " S");
        double tol = tol(a.dtype()) * 10;
        assertOrthonormalColumns(r.U(), tol, what + " U");
        assertOrthonormalColumns(r.Vh().mT(), tol, what + " Vh");
        Tensor rec = r.U().mul(r.S().unsqueeze(-2)).matmul(r.Vh());
        assertTensorClose(a, rec, tol, what + " reconstruction U diag(S) Vh");
        int flipsU = assertCloseUpToSign(o.get("U"), r.U(), true, what + " U");
        int flipsV = assertCloseUpToSign(o.get("Vh"), r.Vh(), false, what + " Vh");
        assertEquals(flipsU, flipsV, what + ": U and Vh flipped together");
        if (lapack.equals("mkl")) assertEquals(0, flipsU, what + ": singular vector signs differ from PyTorch+MKL's");
    }

    // ================================================================ fixed cases

    private static final double[][] SINGULAR = {{1, 2, 3}, {2, 4, 6}, {1, 1, 1}};

    @Test
    void seedTutorialSvdSigns() {
        Tensor z = Torch.tensor(new double[][]{{2.4062, 1.2434, 0.3095}}, DType.float32);
        ReturnTypes.Svd r = Torch.svd(z);
        assertEquals(-1.0, r.U().item());
        assertEquals(2.7261, r.S().item(), 1e-4);
        assertArrayEquals(new float[]{-0.8827f, -0.4561f, -0.1135f}, r.V().toFloatArray(), 1e-4f);
        assertEquals("torch.return_types.svd(\nU=tensor([[-1.]]),\nS=tensor([2.7261]),\nV=tensor([[-0.8827],\n        [-0.4561],\n        [-0.1135]]))",
                r.toString());
    }

    @Test
    void emptySvd() {
        ReturnTypes.LinalgSvd r = L.svd(Torch.zeros(new long[]{0, 3}, DType.float32));
        assertArrayEquals(new long[]{0, 0}, r.U().shape().toArray());
        assertArrayEquals(new long[]{0}, r.S().shape().toArray());
        assertArrayEquals(new long[]{0, 3}, r.Vh().shape().toArray());
    }

    @Test
    void largerSvdReconstructs() {
        Torch.manualSeed(7);
        for (long[] shape : new long[][]{{40, 30}, {30, 40}, {60, 8}, {8, 200}}) {
            Tensor a = Torch.randn(shape).float64();
            ReturnTypes.LinalgSvd r = L.svd(a);
            assertOrthonormalColumns(r.U(), 1e-12, "U");
            assertOrthonormalColumns(r.Vh().mT(), 1e-12, "V");
            assertTensorClose(a, r.U().mul(r.S().unsqueeze(-2)).matmul(r.Vh()), 1e-12, "reconstruction");
            double[] s = r.S().toDoubleArray();
            for (int i = 1; i < s.length; i++) assertTrue(s[i - 1] >= s[i], "descending");
        }
    }

    @Test
    void degenerateSvdReconstructs() {
        Tensor rank1 = Torch.fromArray(new double[]{1, 2, 3}, 3, 1).matmul(Torch.fromArray(new double[]{4, -5, 6, 7}, 1, 4));
        for (Tensor a : new Tensor[]{Torch.zeros(new long[]{3, 3}, DType.float64), Torch.eye(4, DType.float64), rank1, rank1.mT(),
                Torch.fromArray(new double[]{1e-300, 0, 0, 1e300}, 2, 2), Torch.ones(new long[]{5, 5}, DType.float64)}) {
            ReturnTypes.LinalgSvd r = L.svd(a);
            assertOrthonormalColumns(r.U(), 1e-12, "U");
            assertOrthonormalColumns(r.Vh().mT(), 1e-12, "V");
            double scale = Math.max(1, r.S().toDoubleArray()[0]);
            assertTensorClose(a.div(scale), r.U().mul(r.S().unsqueeze(-2)).matmul(r.Vh()).div(scale), 1e-12, "reconstruction");
        }
        assertEquals(1L, L.matrixRank(rank1).itemLong());
    }

    @Test
    void invIsDifferentiable() {
        Tensor a = Torch.tensor(new double[][]{{4, 1, 0}, {1, 3, 1}, {0, 2, 5}}, DType.float64).requiresGrad_();
        Tensor w = Torch.tensor(new double[][]{{1, 2, 3}, {-1, 0.5, 2}, {0, 1, -2}}, DType.float64);
        Tensor y = L.inv(a).mul(w).sum();
        assertEquals("LinalgInvExBackward0", L.inv(a).gradFn().name());
        y.backward();
        Tensor inv = L.inv(a.detach());
        Tensor expected = inv.mT().matmul(w).matmul(inv.mT()).neg();
        assertTensorClose(expected, a.grad(), 1e-12, "grad");
        // central differences
        double[] base = a.detach().toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < 9; i++) {
            double[] p = base.clone(), m = base.clone();
            p[i] += h;
            m[i] -= h;
            double fp = L.inv(Torch.fromArray(p, 3, 3)).mul(w).sum().item();
            double fm = L.inv(Torch.fromArray(m, 3, 3)).mul(w).sum().item();
            assertEquals((fp - fm) / (2 * h), a.grad().toDoubleArray()[i], 1e-6);
        }
    }

    @Test
    void otherOpsRefuseGrad() {
        Tensor a = Torch.eye(3, DType.float64).requiresGrad_();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> L.svd(a));
        assertEquals("the derivative of linalg.svd is not implemented yet", e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> L.det(a));
        assertThrows(UnsupportedOperationException.class, () -> L.eigh(a));
        // Frobenius norm is composed of differentiable ops
        L.matrixNorm(a).backward();
        assertNotNull(a.grad());
        try (var g = dev.jtorch.autograd.GradMode.set(false)) {
            assertEquals(1.0, L.det(a).item());
        }
    }

    @Test
    void resultsFollowInputDtype() {
        Tensor a = Torch.tensor(new double[][]{{2, 1}, {1, 3}}, DType.float32);
        assertEquals(DType.float32, L.inv(a).dtype());
        assertEquals(DType.float32, L.det(a).dtype());
        assertEquals(5.0, L.det(a).item(), 1e-6);
        assertEquals(DType.int64, L.matrixRank(a).dtype());
        assertEquals(DType.float32, L.svd(a).S().dtype());
        assertEquals(DType.float32, L.eigh(a).eigenvectors().dtype());
        assertFalse(L.inv(a).requiresGrad());
    }

    private static void assertMessage(Class<? extends Throwable> type, String message, Executable body) {
        Throwable t = assertThrows(type, body::run);
        assertEquals(message, t.getMessage());
    }

    @FunctionalInterface
    interface Executable { void run() throws Throwable; }

    @Test
    void errorsMatchPyTorch() {
        Tensor longM = Torch.tensor(new long[][]{{1, 2}, {3, 4}});
        Tensor rect = Torch.zeros(2, 3);
        Tensor vec = Torch.tensor(new double[]{1, 2}, DType.float32);
        Tensor singular = Torch.tensor(SINGULAR, DType.float32);
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<TorchLinalg.LinAlgError> lae = TorchLinalg.LinAlgError.class;
        Class<UnsupportedOperationException> uoe = UnsupportedOperationException.class;

        assertMessage(iae, "linalg.inv: Expected a floating point or complex tensor as input. Got Long", () -> L.inv(longM));
        assertMessage(iae, "linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices", () -> L.inv(rect));
        assertMessage(iae, "linalg.inv: The input tensor A must have at least 2 dimensions.", () -> L.inv(vec));
        assertMessage(lae, "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.",
                () -> L.inv(singular));
        assertMessage(lae, "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.",
                () -> L.inv(singular.float64()));
        assertMessage(lae, "linalg.inv: (Batch element 1): The diagonal element 2 is zero, the inversion could not be completed because the input "
                + "matrix is singular.", () -> L.inv(Torch.stack(Torch.eye(3), singular)));
        assertMessage(iae, "linalg.inv: Low precision dtypes not supported. Got Half", () -> L.inv(Torch.eye(2).half()));

        assertMessage(iae, "linalg.det: Expected a floating point or complex tensor as input. Got Long", () -> L.det(longM));
        assertMessage(iae, "linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices", () -> L.det(rect));
        assertMessage(uoe, "\"lu_cpu\" not implemented for 'Half'", () -> L.det(Torch.eye(2).half()));
        assertEquals(-0.0, L.det(singular).item()); // like PyTorch 1.13 (OpenBLAS); exact zeros depend on the LAPACK's rounding

        assertMessage(lae, "torch.linalg.solve: The solver failed because the input matrix is singular.", () -> L.solve(singular, Torch.ones(3)));
        assertMessage(lae, "torch.linalg.solve: (Batch element 1): The solver failed because the input matrix is singular.",
                () -> L.solve(Torch.stack(Torch.eye(3), singular), Torch.ones(2, 3, 1)));
        assertMessage(iae, "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1)", () -> L.solve(Torch.eye(3), Torch.ones(2)));
        assertMessage(iae, "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 4x3)", () -> L.solve(Torch.eye(3), Torch.ones(4, 3)));
        assertMessage(iae, "linalg.solve: Expected A and B to have the same dtype, but found A of type Float and B of type Double instead",
                () -> L.solve(Torch.eye(3), Torch.ones(3).float64()));

        assertMessage(iae, "linalg.svd: Expected a floating point or complex tensor as input. Got Long", () -> L.svd(longM));
        assertMessage(iae, "linalg.svd: The input tensor A must have at least 2 dimensions.", () -> L.svd(vec));
        assertMessage(uoe, "\"linalg_svd_cpu\" not implemented for 'Half'", () -> L.svd(Torch.eye(2).half()));
        assertMessage(lae, "linalg.svd: The algorithm failed to converge because the input matrix contained non-finite values.",
                () -> L.svd(Torch.tensor(new double[][]{{1, Double.NaN}, {1, 2}}, DType.float32)));

        assertMessage(iae, "linalg.qr: Expected a floating point or complex tensor as input. Got Long", () -> L.qr(longM));
        assertMessage(uoe, "\"geqrf_cpu\" not implemented for 'Half'", () -> L.qr(Torch.eye(2).half()));

        assertMessage(uoe, "\"linalg_eigh_cpu\" not implemented for 'Long'", () -> L.eigh(longM));
        assertMessage(iae, "linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices", () -> L.eigvalsh(rect));

        assertMessage(iae, "linalg.cholesky: Expected a floating point or complex tensor as input. Got Long", () -> L.cholesky(longM));
        assertMessage(lae, "linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading "
                + "minor of order 2 is not positive-definite).", () -> L.cholesky(Torch.tensor(new double[][]{{1, 2}, {2, 1}}, DType.float32)));
        assertMessage(lae, "linalg.cholesky: (Batch element 1): The factorization could not be completed because the input is not "
                + "positive-definite (the leading minor of order 2 is not positive-definite).",
                () -> L.cholesky(Torch.stack(Torch.eye(2), Torch.tensor(new double[][]{{1, 2}, {2, 1}}, DType.float32))));

        assertMessage(iae, "This function doesn't handle types other than float and double", () -> L.matrixRank(longM));
        assertMessage(iae, "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.", () -> L.matrixRank(vec));
        assertMessage(iae, "linalg.pinv(Long{[2, 2]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types",
                () -> L.pinv(longM));
        assertMessage(iae, "linalg.pinv(Float{[2]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types",
                () -> L.pinv(vec));
        assertMessage(iae, "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got Long", () -> L.matrixNorm(longM));
        assertMessage(iae, "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.", () -> L.matrixNorm(vec));
    }

    @Test
    void emptyMatrices() {
        assertEquals(1.0, L.det(Torch.zeros(0, 0)).item());
        assertArrayEquals(new long[]{0, 0}, L.inv(Torch.zeros(0, 0)).shape().toArray());
        assertArrayEquals(new long[]{3, 0}, L.pinv(Torch.zeros(0, 3)).shape().toArray());
    }
}
