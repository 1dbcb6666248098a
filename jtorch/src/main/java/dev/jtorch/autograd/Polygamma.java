package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;

/**
 * {@code polygamma(n, x)} for n ≥ 1, the derivatives of digamma, which digamma's backward needs
 * (trigamma, computed as PyTorch computes it) and, for higher orders, the next one:
 * {@code (-1)^(n+1) n! ζ(n+1, x)} with the Hurwitz zeta summed directly up to a shift and then by
 * Euler–Maclaurin.
 */
final class Polygamma {
    private Polygamma() {}

    /** B_2j / (2j)! for j = 1..8. */
    private static final double[] B2J_OVER_FACT = {
        1.0 / 6 / 2, -1.0 / 30 / 24, 1.0 / 42 / 720, -1.0 / 30 / 40320, 5.0 / 66 / 3628800,
        -691.0 / 2730 / 479001600, 7.0 / 6 / 87178291200.0, -3617.0 / 510 / 20922789888000.0
    };

    /** Elementwise polygamma of order {@code n ≥ 1}, differentiable (its derivative is the next order). */
    static Tensor polygamma(int n, Tensor x) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = value(n, v[i]);
        Tensor out = Torch.tensor(v, x.dtype()).reshape(x.shape().toArray());
        if (!x.device().equals(out.device())) out = out.to(x.device());
        if (Graph.needsRecording(x)) {
            Graph.record("PolygammaBackward0", out, new Tensor[]{x}, new Tensor[]{x}, (g, saved) -> new Tensor[]{g.mul(polygamma(n + 1, saved[0]))});
        }
        return out;
    }

    static double value(int n, double x) {
        if (n == 1) return trigamma(x);
        if (Double.isNaN(x)) return Double.NaN;
        if (x == Math.rint(x) && x <= 0) return n % 2 == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
        if (x == Double.POSITIVE_INFINITY) return 0;
        int s = n + 1;
        double sum = 0;
        double threshold = 20 + n;
        while (x < threshold) {
            sum += Math.pow(x, -s);
            x += 1;
        }
        // tail: x^(1-s)/(s-1) + x^-s/2 + sum_j B_2j/(2j)! (s)_(2j-1) x^(-s-2j+1)
        double tail = Math.pow(x, 1 - s) / (s - 1) + 0.5 * Math.pow(x, -s);
        double rising = s;  // (s)_1
        double xpow = Math.pow(x, -s - 1);
        double x2 = 1 / (x * x);
        for (int j = 0; j < B2J_OVER_FACT.length; j++) {
            tail += B2J_OVER_FACT[j] * rising * xpow;
            rising *= (s + 2 * j + 1) * (double) (s + 2 * j + 2);
            xpow *= x2;
        }
        sum += tail;
        double factorial = 1;
        for (int k = 2; k <= n; k++) factorial *= k;
        return (n % 2 == 1 ? 1 : -1) * factorial * sum;
    }

    /** PyTorch's {@code calc_trigamma} step for step (reflection below 0.5, six shifts, then the asymptotic series), so values agree. */
    static double trigamma(double x) {
        double sign = 1, result = 0;
        if (x < 0.5) {
            sign = -1;
            double sinPiX = Math.sin(Math.PI * x);
            result -= (Math.PI * Math.PI) / (sinPiX * sinPiX);
            x = 1 - x;
        }
        for (int i = 0; i < 6; i++) {
            result += 1 / (x * x);
            x += 1;
        }
        double ixx = 1 / (x * x);
        result += (1 + 1 / (2 * x) + ixx * (1. / 6 - ixx * (1. / 30 - ixx * (1. / 42)))) / x;
        return sign * result;
    }
}
