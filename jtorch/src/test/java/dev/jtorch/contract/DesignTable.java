package dev.jtorch.contract;

import static dev.jtorch.Torch.*;

import dev.jtorch.*;
import dev.jtorch.nn.F;
import java.util.List;

/**
 * DESIGN.md's PyTorch → jtorch table as code. It must compile against the public API
 * (check.sh beside this file does that); running it prints each row's result.
 * Rows that need CUDA are compiled but only run where a GPU exists.
 */
public class DesignTable {
    public static void main(String[] args) {
        Tensor t = tensor(new long[][]{{1, 2}, {3, 4}});
        Tensor ti = tensor(new double[]{1, 2, 3}, int32);
        float[] backing = {1, 2, 3, 4, 5, 6};
        Tensor shared = fromArray(backing, 2, 3);
        Object same = shared.array();
        float[] copy = shared.toFloatArray();
        double[] dcopy = shared.toDoubleArray();
        long[] lcopy = t.toLongArray();
        long[] shape = {2, 3};
        Tensor a = ones(2, 3), b = zeros(shape), c = rand(2, 3);
        Tensor d = ones(new long[]{2, 3}, float64);
        Tensor o = onesLike(t), r = randLike(t, float32);
        Tensor n1 = t.newOnes(new long[]{2, 4}, float64);
        Tensor ri = randint(0, 8, 2, 3), ri2 = randint(5, new long[]{10, 5});
        Tensor ar = arange(10), ar2 = arange(1, 2.5, 0.5), ls = linspace(3, 10, 5);
        manualSeed(0);
        DType[] dtypes = {float32, float64, float16, bfloat16, uint8, int8, int16, int32, int64, bool};
        Size s = c.shape(); Size s2 = c.size(); long s0 = c.size(0); int nd = c.dim(); long ne = c.numel();
        DType dt = c.dtype(); Device dev = c.device(); String ty = c.type();
        Tensor g1 = c.get(0), g2 = c.get(1, 0), g3 = c.get(":, 0"), g4 = c.get("..., -1"), g5 = c.get(":2, :3");
        Tensor g6 = c.get(c.gt(0.5));
        Tensor g7 = c.get(slice(0, 2), ellipsis(), newAxis());
        c.set(":, 1", 0);
        c.set(c.gt(0.5), zerosLike(c).get(c.gt(0.5)));
        Tensor e1 = a.add(b), e2 = a.mul(5), e3 = a.matmul(a.T()), e4 = a.div(c.add(1));
        a.add_(5); a.copy_(b); Tensor sq = ones(3, 3); sq.t_();
        Tensor out = empty(2, 3); add(a, b, out);
        var mx = a.max(0); Tensor v = mx.values(), idx = mx.indices();
        var sv = svd(rand(3, 3)); Tensor U = sv.U(), S = sv.S(), V = sv.V();
        List<Tensor> ch = chunk(arange(18.0).view(3, 6), 3, 1), sp = split(arange(18.0).view(3, 6), 2, 1);
        Tensor ct = cat(List.of(a, b), 0), st = stack(a, b), st1 = stack(List.of(a, b), 1);
        double it = a.sum().item(); long il = t.sum().itemLong(); List<?> tl = t.toList();
        Tensor tt = a.T(), t2 = a.t(), vw = a.view(-1, 2), rs = a.reshape(3, 2);
        Tensor w = tensor(2.0).requiresGrad_();
        Tensor z = w.pow(2).mul(2).add(5);
        z.backward();
        Tensor grad = w.grad();
        boolean leaf = w.isLeaf();
        String fn = z.gradFn().name();
        Tensor y = ones(3).requiresGrad_().mul(2);
        y.backward(ones(3));
        try (var noGrad = noGrad()) { boolean tracked = w.pow(2).requiresGrad(); }
        Tensor det = w.detach();
        boolean gpu = cuda.isAvailable();
        Tensor f64 = a.to(float64);
        if (gpu) { Tensor g = a.to(device("cuda")); Tensor g8 = a.cuda().cpu(); cuda.synchronize(); }
        backends.cuda.matmul.allowTf32(true);
        setFloat32MatmulPrecision("high");
        Tensor inv = linalg.inv(rand(3, 3).add(eye(3).mul(3)));
        Tensor sm = F.softmax(tensor(new double[]{0.5, 0.7, 0.1}), 0);
        Tensor oh = F.oneHot(tensor(new long[]{0, 3, 1}));
        System.out.println(t + "\n" + shared + "\n" + s + " " + dt + " " + dev + " " + ty + "\n" + mx + "\n" + grad + " " + fn + " " + leaf);
    }
}
