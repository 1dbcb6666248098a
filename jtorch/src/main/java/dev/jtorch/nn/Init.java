package dev.jtorch.nn;

import dev.jtorch.Python;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

/**
 * {@code torch.nn.init}: in-place initializers that fill a tensor under no_grad, drawing from the default generator
 * exactly as PyTorch does (same bounds, same order), and return it.
 */
public final class Init {
    private Init() {}

    /** Fan-in and fan-out of a weight, as {@code torch.nn.init._calculate_fan_in_and_fan_out} computes them. */
    public record Fans(long fanIn, long fanOut) {}

    /** Like {@code torch.nn.init._calculate_fan_in_and_fan_out(tensor)}: dims 1 and 0 times the receptive field (dims 2+). */
    public static Fans calculateFanInAndFanOut(Tensor tensor) {
        if (tensor.dim() < 2)
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        long receptiveField = 1;
        for (int i = 2; i < tensor.dim(); i++) receptiveField *= tensor.size(i);
        return new Fans(tensor.size(1) * receptiveField, tensor.size(0) * receptiveField);
    }

    /** The recommended gain for a nonlinearity, like {@code calculate_gain(nonlinearity)} (leaky_relu's slope 0.01). */
    public static double calculateGain(String nonlinearity) { return gain(nonlinearity, null); }

    /** Like {@code calculate_gain(nonlinearity, param)}: {@code param} is leaky_relu's negative slope. */
    public static double calculateGain(String nonlinearity, double param) { return gain(nonlinearity, param); }

    private static double gain(String nonlinearity, Double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        };
    }

    /** Fills with U(0, 1), like {@code uniform_(tensor)}. */
    public static Tensor uniform_(Tensor tensor) { return uniform_(tensor, 0, 1); }

    /** Fills with U(a, b), like {@code uniform_(tensor, a, b)}. */
    public static Tensor uniform_(Tensor tensor, double a, double b) {
        try (var g = Torch.noGrad()) {
            return tensor.uniform_(a, b);
        }
    }

    /** Fills with N(0, 1), like {@code normal_(tensor)}. */
    public static Tensor normal_(Tensor tensor) { return normal_(tensor, 0, 1); }

    /** Fills with N(mean, std²), like {@code normal_(tensor, mean, std)}. */
    public static Tensor normal_(Tensor tensor, double mean, double std) {
        try (var g = Torch.noGrad()) {
            return tensor.normal_(mean, std);
        }
    }

    /** Fills with {@code val}, like {@code constant_(tensor, val)}. */
    public static Tensor constant_(Tensor tensor, double val) {
        try (var g = Torch.noGrad()) {
            return tensor.fill_(val);
        }
    }

    /** Fills with ones, like {@code ones_(tensor)}. */
    public static Tensor ones_(Tensor tensor) {
        try (var g = Torch.noGrad()) {
            return tensor.fill_(1L);
        }
    }

    /** Fills with zeros, like {@code zeros_(tensor)}. */
    public static Tensor zeros_(Tensor tensor) {
        try (var g = Torch.noGrad()) {
            return tensor.zero_();
        }
    }

    /** Glorot uniform, like {@code xavier_uniform_(tensor)}: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor tensor) { return xavierUniform_(tensor, 1.0); }

    /** Like {@code xavier_uniform_(tensor, gain)}. */
    public static Tensor xavierUniform_(Tensor tensor, double gain) {
        Fans f = calculateFanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
        double a = Math.sqrt(3.0) * std;
        return uniform_(tensor, -a, a);
    }

    /** Glorot normal, like {@code xavier_normal_(tensor)}: N(0, 2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal_(Tensor tensor) { return xavierNormal_(tensor, 1.0); }

    /** Like {@code xavier_normal_(tensor, gain)}. */
    public static Tensor xavierNormal_(Tensor tensor, double gain) {
        Fans f = calculateFanInAndFanOut(tensor);
        double std = gain * Math.sqrt(2.0 / (double) (f.fanIn() + f.fanOut()));
        return normal_(tensor, 0, std);
    }

    /** He uniform, like {@code kaiming_uniform_(tensor)} (a=0, mode="fan_in", nonlinearity="leaky_relu"). */
    public static Tensor kaimingUniform_(Tensor tensor) { return kaimingUniform_(tensor, 0, "fan_in", "leaky_relu"); }

    /** Like {@code kaiming_uniform_(tensor, a)}: {@code a} is the negative slope of the rectifier that follows. */
    public static Tensor kaimingUniform_(Tensor tensor, double a) { return kaimingUniform_(tensor, a, "fan_in", "leaky_relu"); }

    /** Like {@code kaiming_uniform_(tensor, a, mode, nonlinearity)}: U(-b, b) with b = gain * sqrt(3 / fan). */
    public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity) {
        if (hasZeroDim(tensor)) return tensor;
        double std = gain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(tensor, -bound, bound);
    }

    /** He normal, like {@code kaiming_normal_(tensor)}. */
    public static Tensor kaimingNormal_(Tensor tensor) { return kaimingNormal_(tensor, 0, "fan_in", "leaky_relu"); }

    /** Like {@code kaiming_normal_(tensor, a)}. */
    public static Tensor kaimingNormal_(Tensor tensor, double a) { return kaimingNormal_(tensor, a, "fan_in", "leaky_relu"); }

    /** Like {@code kaiming_normal_(tensor, a, mode, nonlinearity)}: N(0, std²) with std = gain / sqrt(fan). */
    public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity) {
        if (hasZeroDim(tensor)) return tensor;
        double std = gain(nonlinearity, a) / Math.sqrt(correctFan(tensor, mode));
        return normal_(tensor, 0, std);
    }

    private static boolean hasZeroDim(Tensor tensor) {
        if (tensor.numel() != 0) return false;
        Python.warn("Initializing zero-element tensors is a no-op");
        return true;
    }

    private static long correctFan(Tensor tensor, String mode) {
        String m = mode.toLowerCase(java.util.Locale.ROOT);
        if (!m.equals("fan_in") && !m.equals("fan_out"))
            throw new IllegalArgumentException("Mode " + m + " not supported, please use one of ['fan_in', 'fan_out']");
        Fans f = calculateFanInAndFanOut(tensor);
        return m.equals("fan_in") ? f.fanIn() : f.fanOut();
    }
}
