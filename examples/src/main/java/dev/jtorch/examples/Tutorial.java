package dev.jtorch.examples;

import static dev.jtorch.Torch.*;

import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import java.util.List;

/**
 * A walk through the PyTorch tutorials jtorch's users learn from, line by line in Java:
 * tensors, dtypes, indexing, views, joins, math, autograd and a gradient-descent loop by hand.
 * It prints what PyTorch prints; {@code tutorial.py} beside its test is the same program in Python.
 */
public final class Tutorial {
    private Tutorial() {}

    public static void main(String[] args) {
        tensors();
        creationAndAttributes();
        operations();
        manipulation();
        autogradBasics();
        gradientDescent();
    }

    static void section(String title) { System.out.println("\n== " + title + " =="); }

    /** NumPy's str() of a 1-D float array, e.g. {@code [2. 2. 2. 2. 2.]}. */
    static String np(float[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : " ").append(a[i] == Math.rint(a[i]) ? (long) a[i] + "." : Float.toString(a[i]));
        return sb.append("]").toString();
    }

    static String np(double[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : " ").append(a[i] == Math.rint(a[i]) ? (long) a[i] + "." : Double.toString(a[i]));
        return sb.append("]").toString();
    }

    static void tensors() {
        section("tensors");
        manualSeed(0);
        long[][] data = {{1, 2}, {3, 4}};
        Tensor xData = tensor(data);
        Tensor xNp = fromArray(new long[]{1, 2, 3, 4}, 2, 2);
        System.out.println(xData);
        System.out.println(xNp);

        Tensor xOnes = onesLike(xData);
        System.out.println("Ones Tensor: \n " + xOnes + " \n");
        Tensor xRand = randLike(xData, float32);
        System.out.println("Random Tensor: \n " + xRand + " \n");

        long[] shape = {2, 3};
        Tensor randTensor = rand(shape), onesTensor = ones(shape), zerosTensor = zeros(shape);
        System.out.println("Random Tensor:\n " + randTensor + "\n");
        System.out.println("Ones Tensor:\n " + onesTensor + "\n");
        System.out.println("Zeros Tensor:\n " + zerosTensor);

        Tensor tensor = rand(3, 4);
        System.out.println("Shape of tensor: " + tensor.shape());
        System.out.println("Datatype of tensor: " + tensor.dtype());
        System.out.println("Device tensor is stored on: " + tensor.device());
        if (cuda.isAvailable()) tensor = tensor.to(device("cuda"));

        tensor = ones(4, 4);
        System.out.println("First row: " + tensor.get(0));
        System.out.println("First column: " + tensor.get(":, 0"));
        System.out.println("Last column: " + tensor.get("..., -1"));
        tensor.set(":, 1", 0);
        System.out.println(tensor);

        Tensor y1 = tensor.matmul(tensor.T());
        Tensor y2 = tensor.matmul(tensor.T());
        Tensor y3 = randLike(y1);
        matmul(tensor, tensor.T(), y3);
        System.out.println(y1.equal(y2) + " " + y1.equal(y3));
        Tensor z1 = tensor.mul(tensor);
        Tensor z3 = randLike(tensor);
        mul(tensor, tensor, z3);
        System.out.println(z3);

        Tensor agg = tensor.sum();
        double aggItem = agg.item();
        System.out.println(aggItem + " <class 'float'>");

        System.out.println(tensor + " \n");
        tensor.add_(5);
        System.out.println(tensor);

        Tensor t = ones(5);
        System.out.println("t: " + t);
        float[] n = (float[]) t.array();
        System.out.println("n: " + np(n));
        t.add_(1);
        System.out.println("t: " + t);
        System.out.println("n: " + np(n));

        double[] n2 = {1, 1, 1, 1, 1};
        Tensor t2 = fromArray(n2);
        for (int i = 0; i < n2.length; i++) n2[i] += 1;
        System.out.println("t: " + t2);
        System.out.println("n: " + np(n2));
    }

    static void creationAndAttributes() {
        section("creation and attributes");
        manualSeed(1);
        Tensor x = tensor(new double[]{3, 2.3});
        System.out.println(x);
        x = x.newOnes(new long[]{2, 4}, float64);
        System.out.println(x);
        x = randnLike(x, float32);
        System.out.println(x);
        System.out.println(randn(5));
        System.out.println(x.size());
        System.out.println(tensor(new long[][]{{1, 2}, {3, 4}}).size());
        Tensor t = rand(3, 4);
        System.out.println(t.shape() + " " + t.dtype() + " " + t.device());
    }

    static void operations() {
        section("operations");
        manualSeed(2);
        Tensor a = randn(1, 2).mul(2).sub(1);
        System.out.println(a);
        System.out.println(abs(a));
        System.out.println(ceil(a));
        System.out.println(floor(a));
        System.out.println(min(a));
        System.out.println(max(a));
        System.out.println(mean(a));
        System.out.println(std(a));
        System.out.println(prod(a));
        System.out.println(unique(tensor(new long[]{1, 2, 3, 1, 2, 1})));
        System.out.println(clamp(a, -0.5, 0.5));
        Tensor b = randn(2, 3).mul(2).sub(1);
        System.out.println(b);
        System.out.println(clamp(b, -0.2, 0.2));

        Tensor x = rand(2, 2);
        System.out.println(x);
        System.out.println(x.max(0));
        System.out.println(x.max(1));

        x = rand(2, 2);
        Tensor y = rand(2, 2);
        Tensor result = empty(2, 2);
        add(x, y, result);
        System.out.println(result);
        System.out.println(x.add(y));
        System.out.println(x.sub(y));
        y.add_(x);
        System.out.println(y);
        System.out.println(x.mul(y));
        System.out.println(x.div(y));

        x = randn(1, 2);
        y = randn(2, 3);
        System.out.println(matmul(x, y));
        System.out.println(mm(x, y));
        Tensor z = mm(x, y);
        System.out.println(svd(z).S());
    }

    static void manipulation() {
        section("manipulation");
        Tensor x = Tensor(new long[][]{{1, 2}, {3, 4}});
        System.out.println(x);
        System.out.println(x.get(0, 0) + " " + x.get(0, 1) + " " + x.get(1, 0) + " " + x.get(1, 1));
        System.out.println(x.get(":, 0") + " " + x.get(":, 1") + " " + x.get("0, :") + " " + x.get("1, :"));

        Tensor tArray = FloatTensor(new long[][]{{0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}});
        System.out.println(tArray);
        System.out.println(tArray.shape() + " " + tArray.ndim() + " " + tArray.size());
        System.out.println(tArray.get(":2, :3"));
        Tensor t1 = FloatTensor(new long[][]{{0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}});
        Tensor t2 = FloatTensor(new long[][]{{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}});
        System.out.println(t1.matmul(t2));
        Tensor m = FloatTensor(new long[][]{{0, 1}, {2, 3}});
        System.out.println(m.mul(m) + " " + m.mul(5));
        Tensor r = FloatTensor(arange(10).toLongArray());
        System.out.println(r.mean());
        Tensor r52 = r.view(5, 2);
        System.out.println(r52.mean(0) + " " + r52.mean(1));
        System.out.println(r.view(-1, 2));
        System.out.println(r.view(-1, 10).squeeze());
        System.out.println(r.view(-1, 10).squeeze().unsqueeze(0));

        manualSeed(3);
        Tensor y = randint(5, new long[]{10, 5});
        Tensor yLabel = y.argmax(1);
        System.out.println(y);
        System.out.println(yLabel);
        System.out.println(F.oneHot(yLabel));
        System.out.println(F.softmax(FloatTensor(new double[]{0.5, 0.7, 0.1}), 0));

        manualSeed(510);
        Tensor xi = randint(0, 10, 2, 3, 4);
        System.out.println(xi);
        System.out.println(xi.get(0).get(0) + " " + xi.get(0, 0) + " " + xi.get(0, 0, 0));
        Tensor tmp = onesLike(xi);
        tmp.set("0, 2, 3", 0);
        tmp.set("0, :2, 3", 0);
        tmp.set("0, 2, 3", 1);
        System.out.println(tmp);
        System.out.println(xi.shape() + " " + xi.dtype() + " " + xi.ndim());
        System.out.println(xi.view(2, 2, 6));
        System.out.println(xi.view(-1, 1, 12).shape());
        Tensor tr = xi.transpose(0, 1);
        System.out.println(tr + " " + tr.shape());

        Tensor s = rand(2, 1, 3, 4, 1);
        System.out.println(s.squeeze().size() + " " + s.squeeze(1).size() + " " + s.squeeze(2).size() + " " + s.squeeze(4).size());
        System.out.println(s.unsqueeze(3).size());

        Tensor c1 = rand(2, 3), c2 = rand(3, 3);
        System.out.println(cat(List.of(c1, c2), 0).size());
        Tensor c3 = rand(2, 2), c4 = rand(2, 4);
        System.out.println(cat(List.of(c3, c4), 1));
        System.out.println(stack(List.of(rand(3, 5), rand(3, 5)), 0).size());
        Tensor sx = FloatTensor(new long[]{1, 4}), sy = FloatTensor(new long[]{2, 5}), sz = FloatTensor(new long[]{3, 6});
        System.out.println(stack(sx, sy, sz));
        System.out.println(stack(List.of(sx, sy, sz), 1));

        Tensor t = rand(3, 6);
        System.out.println(t);
        for (Tensor part : chunk(t, 3, 1)) System.out.println(part);
        for (Tensor part : split(t, 4, 1)) System.out.println(part);

        Tensor a = Tensor(new long[]{1, 2, 3}), b = Tensor(new long[]{4, 1, 3});
        System.out.println(a.add(b) + " " + a.sub(b) + " " + a.mul(b) + " " + a.div(b) + " " + a.dot(b) + " " + a.add(1));
        Tensor p = Tensor(new long[][]{{1, 3}, {2, 4}, {5, 7}}), q = Tensor(new long[][]{{7, 9}, {10, 2}});
        System.out.println(p.mm(q));
        Tensor zz = Tensor(new long[]{1, 2, 3, 4, 5, 6, 7, 8}).view(2, 2, 2);
        System.out.println(sum(zz, 0));
        System.out.println(sum(zz, 1));
        System.out.println(mean(zz, 0));
        System.out.println(max(zz) + " " + min(zz) + " " + argmax(zz) + " " + argmin(zz));
        System.out.println(max(zz, 0));
        Tensor cmp = Tensor(new long[]{-4, 3, 0});
        System.out.println(cmp.eq(0));
        System.out.println(cmp.ge(0));
        System.out.println(cmp.le(0));
        System.out.println(cmp.gt(0));
        System.out.println(cmp.lt(0));
    }

    static void autogradBasics() {
        section("autograd");
        Tensor x = ones(2, 2).requiresGrad_();
        Tensor y = x.add(2);
        Tensor z = y.mul(y).mul(3);
        Tensor out = z.mean();
        System.out.println(y + " " + z + " " + out);
        System.out.println(x.grad());
        out.backward();
        System.out.println(x.grad());
        System.out.println(x.requiresGrad());
        System.out.println(x.pow(2).requiresGrad());
        try (var g = noGrad()) {
            System.out.println(x.pow(2).requiresGrad());
        }

        Tensor w = tensor(2.0).requiresGrad_();
        Tensor w2 = w.pow(2);
        Tensor zw = w2.mul(2).add(5);
        zw.backward();
        System.out.println(w.grad());
        System.out.println(zw.gradFn().name() + " " + w2.gradFn().name());

        Tensor v = ones(3).requiresGrad_();
        Tensor doubled = v.mul(2);
        doubled.backward(tensor(new double[]{0.1, 1.0, 0.0001}));
        System.out.println(v.grad());
        System.out.println(doubled.detach().requiresGrad());
    }

    /** Fits y = 3x - 2 by gradient descent with autograd, updating the parameters by hand. */
    static void gradientDescent() {
        section("gradient descent");
        manualSeed(42);
        Tensor x = rand(100, 1).mul(4).sub(2);
        Tensor y = x.mul(3).sub(2).add(randn(100, 1).mul(0.1));
        Tensor w = zeros(1).requiresGrad_();
        Tensor b = zeros(1).requiresGrad_();
        double lr = 0.1;
        for (int epoch = 0; epoch <= 100; epoch++) {
            Tensor pred = x.mul(w).add(b);
            Tensor loss = pred.sub(y).pow(2).mean();
            loss.backward();
            try (var g = noGrad()) {
                w.sub_(w.grad().mul(lr));
                b.sub_(b.grad().mul(lr));
                w.grad().zero_();
                b.grad().zero_();
            }
            if (epoch % 20 == 0) System.out.printf("epoch %3d  loss %.4f  w %.4f  b %.4f%n", epoch, loss.item(), w.item(), b.item());
        }
    }
}
