package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.SplittableRandom;

/** Random benchmark inputs made without going through jtorch's own random number generators. */
final class Data {
    private Data() {}

    static Tensor random(SplittableRandom r, DType t, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        if (t == DType.float64) {
            double[] v = new double[(int) n];
            for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
            return Torch.fromArray(v, shape);
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        Tensor x = Torch.fromArray(v, shape);
        return t == DType.float32 ? x : x.to(t);
    }
}
