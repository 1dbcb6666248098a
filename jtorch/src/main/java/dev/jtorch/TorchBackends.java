package dev.jtorch;

/** The {@code torch.backends} namespace: {@code backends.cuda.matmul.allowTf32(true)}. */
public final class TorchBackends {
    TorchBackends() {}

    private static volatile String precision = "highest";

    /** {@code torch.backends.cuda}. */
    public final Cuda cuda = new Cuda();

    public static final class Cuda {
        Cuda() {}

        /** {@code torch.backends.cuda.matmul}. */
        public final Matmul matmul = new Matmul();
    }

    public static final class Matmul {
        Matmul() {}

        /** Lets float32 matmuls use TF32 tensor cores, like {@code torch.backends.cuda.matmul.allow_tf32 = True}. */
        public void allowTf32(boolean on) {
            precision = on ? "high" : "highest";
            TorchCuda.setFloat32MatmulPrecision(precision);
        }

        public boolean allowTf32() { return !precision.equals("highest"); }
    }

    static void setFloat32MatmulPrecision(String p) {
        if (!p.equals("highest") && !p.equals("high") && !p.equals("medium"))
            throw new IllegalArgumentException("Invalid precision: " + p + ", expected one of highest, high, medium");
        precision = p;
        TorchCuda.setFloat32MatmulPrecision(p);
    }

    static String float32MatmulPrecision() { return precision; }
}
