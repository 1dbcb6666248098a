package dev.jtorch.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked GEMM micro-kernels (Vector API), used by {@link Gemm} on packed panels:
 * C[MR x NR] += A_panel[kc x MR] * B_panel[kc x NR], where the A panel holds MR values per k
 * step and the B panel NR (two vectors) per k step. The accumulators stay in vector registers:
 * 8 x 2 vectors where vectors are 512-bit (32 registers), 6 x 2 otherwise (16 registers).
 * Only reached when {@link Simd#AVAILABLE}.
 */
final class VectorGemm {
    private VectorGemm() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    static final int MR_F = FL >= 16 ? 8 : 6, NR_F = 2 * FL;
    static final int MR_D = DL >= 8 ? 8 : 6, NR_D = 2 * DL;

    /** C[cOff + r * ldc + j] += (A panel * B panel)[r, j] for r < MR_F, j < NR_F. */
    static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc) {
        if (MR_F == 8) k8(kc, ap, aOff, bp, bOff, c, cOff, ldc);
        else k6(kc, ap, aOff, bp, bOff, c, cOff, ldc);
    }

    static void kernel(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc) {
        if (MR_D == 8) k8(kc, ap, aOff, bp, bOff, c, cOff, ldc);
        else k6(kc, ap, aOff, bp, bOff, c, cOff, ldc);
    }

    private static void k8(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c0_0 = FloatVector.zero(FS), c0_1 = FloatVector.zero(FS);
        FloatVector c1_0 = FloatVector.zero(FS), c1_1 = FloatVector.zero(FS);
        FloatVector c2_0 = FloatVector.zero(FS), c2_1 = FloatVector.zero(FS);
        FloatVector c3_0 = FloatVector.zero(FS), c3_1 = FloatVector.zero(FS);
        FloatVector c4_0 = FloatVector.zero(FS), c4_1 = FloatVector.zero(FS);
        FloatVector c5_0 = FloatVector.zero(FS), c5_1 = FloatVector.zero(FS);
        FloatVector c6_0 = FloatVector.zero(FS), c6_1 = FloatVector.zero(FS);
        FloatVector c7_0 = FloatVector.zero(FS), c7_1 = FloatVector.zero(FS);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(FS, bp, bOff), b1 = FloatVector.fromArray(FS, bp, bOff + 1 * FL);
            FloatVector a;
            a = FloatVector.broadcast(FS, ap[aOff + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(FS, ap[aOff + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(FS, ap[aOff + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(FS, ap[aOff + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(FS, ap[aOff + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(FS, ap[aOff + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(FS, ap[aOff + 6]); c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(FS, ap[aOff + 7]); c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            aOff += 8; bOff += 2 * FL;
        }
        c0_0.add(FloatVector.fromArray(FS, c, cOff + 0 * ldc + 0 * FL)).intoArray(c, cOff + 0 * ldc + 0 * FL); c0_1.add(FloatVector.fromArray(FS, c, cOff + 0 * ldc + 1 * FL)).intoArray(c, cOff + 0 * ldc + 1 * FL);
        c1_0.add(FloatVector.fromArray(FS, c, cOff + 1 * ldc + 0 * FL)).intoArray(c, cOff + 1 * ldc + 0 * FL); c1_1.add(FloatVector.fromArray(FS, c, cOff + 1 * ldc + 1 * FL)).intoArray(c, cOff + 1 * ldc + 1 * FL);
        c2_0.add(FloatVector.fromArray(FS, c, cOff + 2 * ldc + 0 * FL)).intoArray(c, cOff + 2 * ldc + 0 * FL); c2_1.add(FloatVector.fromArray(FS, c, cOff + 2 * ldc + 1 * FL)).intoArray(c, cOff + 2 * ldc + 1 * FL);
        c3_0.add(FloatVector.fromArray(FS, c, cOff + 3 * ldc + 0 * FL)).intoArray(c, cOff + 3 * ldc + 0 * FL); c3_1.add(FloatVector.fromArray(FS, c, cOff + 3 * ldc + 1 * FL)).intoArray(c, cOff + 3 * ldc + 1 * FL);
        c4_0.add(FloatVector.fromArray(FS, c, cOff + 4 * ldc + 0 * FL)).intoArray(c, cOff + 4 * ldc + 0 * FL); c4_1.add(FloatVector.fromArray(FS, c, cOff + 4 * ldc + 1 * FL)).intoArray(c, cOff + 4 * ldc + 1 * FL);
        c5_0.add(FloatVector.fromArray(FS, c, cOff + 5 * ldc + 0 * FL)).intoArray(c, cOff + 5 * ldc + 0 * FL); c5_1.add(FloatVector.fromArray(FS, c, cOff + 5 * ldc + 1 * FL)).intoArray(c, cOff + 5 * ldc + 1 * FL);
        c6_0.add(FloatVector.fromArray(FS, c, cOff + 6 * ldc + 0 * FL)).intoArray(c, cOff + 6 * ldc + 0 * FL); c6_1.add(FloatVector.fromArray(FS, c, cOff + 6 * ldc + 1 * FL)).intoArray(c, cOff + 6 * ldc + 1 * FL);
        c7_0.add(FloatVector.fromArray(FS, c, cOff + 7 * ldc + 0 * FL)).intoArray(c, cOff + 7 * ldc + 0 * FL); c7_1.add(FloatVector.fromArray(FS, c, cOff + 7 * ldc + 1 * FL)).intoArray(c, cOff + 7 * ldc + 1 * FL);
    }

    private static void k6(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c0_0 = FloatVector.zero(FS), c0_1 = FloatVector.zero(FS);
        FloatVector c1_0 = FloatVector.zero(FS), c1_1 = FloatVector.zero(FS);
        FloatVector c2_0 = FloatVector.zero(FS), c2_1 = FloatVector.zero(FS);
        FloatVector c3_0 = FloatVector.zero(FS), c3_1 = FloatVector.zero(FS);
        FloatVector c4_0 = FloatVector.zero(FS), c4_1 = FloatVector.zero(FS);
        FloatVector c5_0 = FloatVector.zero(FS), c5_1 = FloatVector.zero(FS);
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(FS, bp, bOff), b1 = FloatVector.fromArray(FS, bp, bOff + 1 * FL);
            FloatVector a;
            a = FloatVector.broadcast(FS, ap[aOff + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(FS, ap[aOff + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(FS, ap[aOff + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(FS, ap[aOff + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(FS, ap[aOff + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(FS, ap[aOff + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            aOff += 6; bOff += 2 * FL;
        }
        c0_0.add(FloatVector.fromArray(FS, c, cOff + 0 * ldc + 0 * FL)).intoArray(c, cOff + 0 * ldc + 0 * FL); c0_1.add(FloatVector.fromArray(FS, c, cOff + 0 * ldc + 1 * FL)).intoArray(c, cOff + 0 * ldc + 1 * FL);
        c1_0.add(FloatVector.fromArray(FS, c, cOff + 1 * ldc + 0 * FL)).intoArray(c, cOff + 1 * ldc + 0 * FL); c1_1.add(FloatVector.fromArray(FS, c, cOff + 1 * ldc + 1 * FL)).intoArray(c, cOff + 1 * ldc + 1 * FL);
        c2_0.add(FloatVector.fromArray(FS, c, cOff + 2 * ldc + 0 * FL)).intoArray(c, cOff + 2 * ldc + 0 * FL); c2_1.add(FloatVector.fromArray(FS, c, cOff + 2 * ldc + 1 * FL)).intoArray(c, cOff + 2 * ldc + 1 * FL);
        c3_0.add(FloatVector.fromArray(FS, c, cOff + 3 * ldc + 0 * FL)).intoArray(c, cOff + 3 * ldc + 0 * FL); c3_1.add(FloatVector.fromArray(FS, c, cOff + 3 * ldc + 1 * FL)).intoArray(c, cOff + 3 * ldc + 1 * FL);
        c4_0.add(FloatVector.fromArray(FS, c, cOff + 4 * ldc + 0 * FL)).intoArray(c, cOff + 4 * ldc + 0 * FL); c4_1.add(FloatVector.fromArray(FS, c, cOff + 4 * ldc + 1 * FL)).intoArray(c, cOff + 4 * ldc + 1 * FL);
        c5_0.add(FloatVector.fromArray(FS, c, cOff + 5 * ldc + 0 * FL)).intoArray(c, cOff + 5 * ldc + 0 * FL); c5_1.add(FloatVector.fromArray(FS, c, cOff + 5 * ldc + 1 * FL)).intoArray(c, cOff + 5 * ldc + 1 * FL);
    }

    private static void k8(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc) {
        DoubleVector c0_0 = DoubleVector.zero(DS), c0_1 = DoubleVector.zero(DS);
        DoubleVector c1_0 = DoubleVector.zero(DS), c1_1 = DoubleVector.zero(DS);
        DoubleVector c2_0 = DoubleVector.zero(DS), c2_1 = DoubleVector.zero(DS);
        DoubleVector c3_0 = DoubleVector.zero(DS), c3_1 = DoubleVector.zero(DS);
        DoubleVector c4_0 = DoubleVector.zero(DS), c4_1 = DoubleVector.zero(DS);
        DoubleVector c5_0 = DoubleVector.zero(DS), c5_1 = DoubleVector.zero(DS);
        DoubleVector c6_0 = DoubleVector.zero(DS), c6_1 = DoubleVector.zero(DS);
        DoubleVector c7_0 = DoubleVector.zero(DS), c7_1 = DoubleVector.zero(DS);
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bOff), b1 = DoubleVector.fromArray(DS, bp, bOff + 1 * DL);
            DoubleVector a;
            a = DoubleVector.broadcast(DS, ap[aOff + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 6]); c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 7]); c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            aOff += 8; bOff += 2 * DL;
        }
        c0_0.add(DoubleVector.fromArray(DS, c, cOff + 0 * ldc + 0 * DL)).intoArray(c, cOff + 0 * ldc + 0 * DL); c0_1.add(DoubleVector.fromArray(DS, c, cOff + 0 * ldc + 1 * DL)).intoArray(c, cOff + 0 * ldc + 1 * DL);
        c1_0.add(DoubleVector.fromArray(DS, c, cOff + 1 * ldc + 0 * DL)).intoArray(c, cOff + 1 * ldc + 0 * DL); c1_1.add(DoubleVector.fromArray(DS, c, cOff + 1 * ldc + 1 * DL)).intoArray(c, cOff + 1 * ldc + 1 * DL);
        c2_0.add(DoubleVector.fromArray(DS, c, cOff + 2 * ldc + 0 * DL)).intoArray(c, cOff + 2 * ldc + 0 * DL); c2_1.add(DoubleVector.fromArray(DS, c, cOff + 2 * ldc + 1 * DL)).intoArray(c, cOff + 2 * ldc + 1 * DL);
        c3_0.add(DoubleVector.fromArray(DS, c, cOff + 3 * ldc + 0 * DL)).intoArray(c, cOff + 3 * ldc + 0 * DL); c3_1.add(DoubleVector.fromArray(DS, c, cOff + 3 * ldc + 1 * DL)).intoArray(c, cOff + 3 * ldc + 1 * DL);
        c4_0.add(DoubleVector.fromArray(DS, c, cOff + 4 * ldc + 0 * DL)).intoArray(c, cOff + 4 * ldc + 0 * DL); c4_1.add(DoubleVector.fromArray(DS, c, cOff + 4 * ldc + 1 * DL)).intoArray(c, cOff + 4 * ldc + 1 * DL);
        c5_0.add(DoubleVector.fromArray(DS, c, cOff + 5 * ldc + 0 * DL)).intoArray(c, cOff + 5 * ldc + 0 * DL); c5_1.add(DoubleVector.fromArray(DS, c, cOff + 5 * ldc + 1 * DL)).intoArray(c, cOff + 5 * ldc + 1 * DL);
        c6_0.add(DoubleVector.fromArray(DS, c, cOff + 6 * ldc + 0 * DL)).intoArray(c, cOff + 6 * ldc + 0 * DL); c6_1.add(DoubleVector.fromArray(DS, c, cOff + 6 * ldc + 1 * DL)).intoArray(c, cOff + 6 * ldc + 1 * DL);
        c7_0.add(DoubleVector.fromArray(DS, c, cOff + 7 * ldc + 0 * DL)).intoArray(c, cOff + 7 * ldc + 0 * DL); c7_1.add(DoubleVector.fromArray(DS, c, cOff + 7 * ldc + 1 * DL)).intoArray(c, cOff + 7 * ldc + 1 * DL);
    }

    private static void k6(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc) {
        DoubleVector c0_0 = DoubleVector.zero(DS), c0_1 = DoubleVector.zero(DS);
        DoubleVector c1_0 = DoubleVector.zero(DS), c1_1 = DoubleVector.zero(DS);
        DoubleVector c2_0 = DoubleVector.zero(DS), c2_1 = DoubleVector.zero(DS);
        DoubleVector c3_0 = DoubleVector.zero(DS), c3_1 = DoubleVector.zero(DS);
        DoubleVector c4_0 = DoubleVector.zero(DS), c4_1 = DoubleVector.zero(DS);
        DoubleVector c5_0 = DoubleVector.zero(DS), c5_1 = DoubleVector.zero(DS);
        for (int p = 0; p < kc; p++) {
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bOff), b1 = DoubleVector.fromArray(DS, bp, bOff + 1 * DL);
            DoubleVector a;
            a = DoubleVector.broadcast(DS, ap[aOff + 0]); c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 1]); c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 2]); c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 3]); c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 4]); c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = DoubleVector.broadcast(DS, ap[aOff + 5]); c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            aOff += 6; bOff += 2 * DL;
        }
        c0_0.add(DoubleVector.fromArray(DS, c, cOff + 0 * ldc + 0 * DL)).intoArray(c, cOff + 0 * ldc + 0 * DL); c0_1.add(DoubleVector.fromArray(DS, c, cOff + 0 * ldc + 1 * DL)).intoArray(c, cOff + 0 * ldc + 1 * DL);
        c1_0.add(DoubleVector.fromArray(DS, c, cOff + 1 * ldc + 0 * DL)).intoArray(c, cOff + 1 * ldc + 0 * DL); c1_1.add(DoubleVector.fromArray(DS, c, cOff + 1 * ldc + 1 * DL)).intoArray(c, cOff + 1 * ldc + 1 * DL);
        c2_0.add(DoubleVector.fromArray(DS, c, cOff + 2 * ldc + 0 * DL)).intoArray(c, cOff + 2 * ldc + 0 * DL); c2_1.add(DoubleVector.fromArray(DS, c, cOff + 2 * ldc + 1 * DL)).intoArray(c, cOff + 2 * ldc + 1 * DL);
        c3_0.add(DoubleVector.fromArray(DS, c, cOff + 3 * ldc + 0 * DL)).intoArray(c, cOff + 3 * ldc + 0 * DL); c3_1.add(DoubleVector.fromArray(DS, c, cOff + 3 * ldc + 1 * DL)).intoArray(c, cOff + 3 * ldc + 1 * DL);
        c4_0.add(DoubleVector.fromArray(DS, c, cOff + 4 * ldc + 0 * DL)).intoArray(c, cOff + 4 * ldc + 0 * DL); c4_1.add(DoubleVector.fromArray(DS, c, cOff + 4 * ldc + 1 * DL)).intoArray(c, cOff + 4 * ldc + 1 * DL);
        c5_0.add(DoubleVector.fromArray(DS, c, cOff + 5 * ldc + 0 * DL)).intoArray(c, cOff + 5 * ldc + 0 * DL); c5_1.add(DoubleVector.fromArray(DS, c, cOff + 5 * ldc + 1 * DL)).intoArray(c, cOff + 5 * ldc + 1 * DL);
    }
}
