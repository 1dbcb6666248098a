package dev.jtorch.autograd;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.autograd.gradcheck} and {@code gradgradcheck}: compares the gradients autograd computes
 * with central finite differences, for every input that requires grad and every output element.
 * Use float64 inputs; PyTorch's defaults: eps = 1e-6, atol = 1e-5, rtol = 1e-3. A mismatch throws
 * {@link GradcheckError} with both Jacobians, as PyTorch does.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** PyTorch's {@code GradcheckError}. */
    public static final class GradcheckError extends AssertionError {
        public GradcheckError(String message) { super(message); }
    }

    /** Checks {@code f}'s gradients with respect to the inputs that require grad; true when they match, else throws. */
    public static boolean gradcheck(java.util.function.Function<Tensor[], Tensor> f, Tensor... inputs) {
        return gradcheck(f, EPS, ATOL, RTOL, inputs);
    }

    public static boolean gradcheck(java.util.function.Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        return check(in -> new Tensor[]{f.apply(in)}, inputs, eps, atol, rtol);
    }

    /** Like {@link #gradcheck} for a function with several outputs. */
    public static boolean gradcheckMulti(java.util.function.Function<Tensor[], Tensor[]> f, Tensor... inputs) {
        return check(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Checks second-order gradients, like {@code gradgradcheck}: the gradients of {@code f}'s output
     * (for random output gradients, themselves differentiated) are gradchecked as a function of the inputs
     * and those output gradients.
     */
    public static boolean gradgradcheck(java.util.function.Function<Tensor[], Tensor> f, Tensor... inputs) {
        return gradgradcheck(f, EPS, ATOL, RTOL, inputs);
    }

    public static boolean gradgradcheck(java.util.function.Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        Tensor probe = f.apply(inputs);
        Tensor gradOut = Torch.randnLike(probe.detach(), probe.dtype()).requiresGrad_();
        int n = inputs.length;
        List<Integer> diff = differentiable(inputs);
        java.util.function.Function<Tensor[], Tensor[]> ff = all -> {
            Tensor[] in = Arrays.copyOf(all, n);
            Tensor out = f.apply(in);
            if (!out.requiresGrad()) {
                Tensor[] zero = new Tensor[diff.size()];
                for (int k = 0; k < zero.length; k++) zero[k] = Torch.zerosLike(in[diff.get(k)]);
                return zero;
            }
            List<Tensor> wrt = new ArrayList<>();
            for (int i : diff) wrt.add(in[i]);
            Tensor[] g = Engine.grad(List.of(out), wrt, List.of(all[n]), true, true, true);
            for (int k = 0; k < g.length; k++) if (g[k] == null) g[k] = Torch.zerosLike(wrt.get(k));
            return g;
        };
        Tensor[] all = Arrays.copyOf(inputs, n + 1);
        all[n] = gradOut;
        return check(ff, all, eps, atol, rtol);
    }

    private static List<Integer> differentiable(Tensor[] inputs) {
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) if (inputs[i] != null && inputs[i].requiresGrad()) diff.add(i);
        return diff;
    }

    private static boolean check(java.util.function.Function<Tensor[], Tensor[]> f, Tensor[] inputs, double eps, double atol, double rtol) {
        List<Integer> diff = differentiable(inputs);
        if (diff.isEmpty())
            throw new IllegalArgumentException("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
        Tensor[] outputs = f.apply(inputs);
        // analytical: one vector-Jacobian product per output element
        List<double[][]> analytical = new ArrayList<>();   // [output][input k] -> row-major [outNumel][inNumel]
        for (int o = 0; o < outputs.length; o++) {
            Tensor out = outputs[o];
            int on = (int) out.numel();
            double[][] jac = new double[diff.size()][];
            for (int k = 0; k < diff.size(); k++) jac[k] = new double[on * (int) inputs[diff.get(k)].numel()];
            if (out.requiresGrad() && on > 0) {
                List<Tensor> wrt = new ArrayList<>();
                for (int i : diff) wrt.add(inputs[i]);
                for (int j = 0; j < on; j++) {
                    double[] onehot = new double[on];
                    onehot[j] = 1;
                    Tensor go = Torch.tensor(onehot, out.dtype()).reshape(out.shape().toArray());
                    Tensor[] g = Engine.grad(List.of(out), wrt, List.of(go), true, false, true);
                    for (int k = 0; k < g.length; k++) {
                        if (g[k] == null) continue;
                        Tensor in = inputs[diff.get(k)];
                        if (!Arrays.equals(g[k].shape().toArray(), in.shape().toArray()))
                            throw new GradcheckError("Gradient has incorrect size: got " + g[k].shape() + " for input " + diff.get(k)
                                    + " of size " + in.shape());
                        if (g[k].dtype() != in.dtype())
                            throw new GradcheckError("Gradient has dtype mismatch: got " + g[k].dtype() + " for input " + diff.get(k)
                                    + " of dtype " + in.dtype());
                        double[] row = g[k].toDoubleArray();
                        System.arraycopy(row, 0, jac[k], j * row.length, row.length);
                    }
                }
            }
            analytical.add(jac);
        }
        // numerical: central differences, one input element at a time
        List<double[][]> numerical = new ArrayList<>();
        for (int o = 0; o < outputs.length; o++) {
            double[][] jac = new double[diff.size()][];
            for (int k = 0; k < diff.size(); k++) jac[k] = new double[(int) outputs[o].numel() * (int) inputs[diff.get(k)].numel()];
            numerical.add(jac);
        }
        for (int k = 0; k < diff.size(); k++) {
            Tensor in = inputs[diff.get(k)];
            int inN = (int) in.numel();
            for (int e = 0; e < inN; e++) {
                Tensor element = element(in, e);
                double orig = element.item();
                set(element, orig + eps);
                double[][] plus = values(f.apply(inputs));   // read at once: an output may be a view of the input
                set(element, orig - eps);
                double[][] minus = values(f.apply(inputs));
                set(element, orig);
                for (int o = 0; o < outputs.length; o++) {
                    double[] p = plus[o], m = minus[o];
                    if (p.length != outputs[o].numel() || m.length != outputs[o].numel())
                        throw new GradcheckError("output " + o + " changed its number of elements when element " + e + " of input "
                                + diff.get(k) + " was perturbed by " + eps + ": the function is not differentiable there");
                    double[] jac = numerical.get(o)[k];
                    for (int j = 0; j < p.length; j++) jac[j * inN + e] = (p[j] - m[j]) / (2 * eps);
                }
            }
        }
        for (int o = 0; o < outputs.length; o++) {
            for (int k = 0; k < diff.size(); k++) {
                double[] a = analytical.get(o)[k], nu = numerical.get(o)[k];
                for (int j = 0; j < a.length; j++) {
                    boolean ok = Math.abs(a[j] - nu[j]) <= atol + rtol * Math.abs(nu[j]) || a[j] == nu[j];
                    if (!ok) {
                        int inN = (int) inputs[diff.get(k)].numel();
                        int on = (int) outputs[o].numel();
                        throw new GradcheckError("Jacobian mismatch for output " + o + " with respect to input " + diff.get(k) + ",\n"
                                + "numerical:" + matrix(nu, inN, on) + "\nanalytical:" + matrix(a, inN, on) + "\n");
                    }
                }
            }
        }
        return true;
    }

    /** The Jacobian as PyTorch prints it: one row per input element, one column per output element. */
    private static Tensor matrix(double[] rowsByOutput, int inN, int outN) {
        double[] t = new double[rowsByOutput.length];
        for (int j = 0; j < outN; j++) for (int e = 0; e < inN; e++) t[e * outN + j] = rowsByOutput[j * inN + e];
        return Torch.tensor(t, DType.float64).reshape(inN, outN);
    }

    private static double[][] values(Tensor[] ts) {
        double[][] v = new double[ts.length][];
        for (int i = 0; i < ts.length; i++) v[i] = ts[i].toDoubleArray();
        return v;
    }

    private static void set(Tensor element, double v) {
        try (var g = GradMode.set(false)) {
            element.fill_(v);
        }
    }

    /** A 0-dim view of the e-th element (row-major) of {@code t}, whatever its strides. */
    private static Tensor element(Tensor t, int e) {
        long[] shape = t.shape().toArray();
        Tensor v = t.detach();
        long rest = e;
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        for (long i : idx) v = v.select(0, i);
        return v;
    }
}
