package dev.jtorch.autograd;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jtorch.GoldenText;
import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.nn.F;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Small autograd programs run in PyTorch ({@code golden/autograd/gen_autograd.py}) and here, written
 * line for line alike: gradients (exact hex floats, compared to 1e-12 relative in float64), grad_fn
 * names, flags and printed reprs must agree.
 */
class AutogradGoldenTest {
    private static final String FILE = "/golden/autograd/autograd_cases.txt";

    // ---------------------------------------------------------------- the same helpers as the script

    static Tensor vals(long[] shape, int k, int m, int off, double scale, double shift, DType dtype, boolean grad) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (Math.floorMod(i * k, m) - off) * scale + shift;
        Tensor t = tensor(v, dtype).reshape(shape);
        return grad ? t.requiresGrad_() : t;
    }

    static Tensor vals(long... shape) { return vals(shape, 7, 11, 5, 0.25, 0.0, float64, true); }

    static Tensor vals(long[] shape, int k, int m, int off) { return vals(shape, k, m, off, 0.25, 0.0, float64, true); }

    static Tensor vals(long[] shape, int k, int m, int off, double scale) { return vals(shape, k, m, off, scale, 0.0, float64, true); }

    static long[] s(long... shape) { return shape; }

    static Tensor weights(long[] shape, DType dtype) { return vals(shape, 3, 7, 3, 0.5, 0.25, dtype, false); }

    static Tensor weights(long... shape) { return weights(shape, float64); }

    static Tensor lossOf(Tensor out) { return out.mul(weights(out.shape().toArray(), out.dtype())).sum(); }

    static Tensor sum(Tensor... ts) {
        Tensor r = ts[0];
        for (int i = 1; i < ts.length; i++) r = r.add(ts[i]);
        return r;
    }

    /** Records what a program produced, in the script's format. */
    static final class Recorder {
        final List<String[]> records = new ArrayList<>();

        void grad(String label, Tensor t) { tensor(label, t.isLeaf() || t.retainsGrad() ? t.grad() : t); }

        void tensor(String label, Tensor g) {
            if (g == null) { records.add(new String[]{"grad", label, "None", "", ""}); return; }
            StringBuilder shape = new StringBuilder();
            for (int i = 0; i < g.dim(); i++) shape.append(i == 0 ? "" : ",").append(g.size(i));
            StringBuilder hex = new StringBuilder();
            for (double v : g.detach().toDoubleArray()) hex.append(hex.isEmpty() ? "" : ",").append(Double.toHexString(v));
            records.add(new String[]{"grad", label, g.dtype().toString().replace("torch.", ""), shape.toString(), hex.toString()});
        }

        void fn(String label, Tensor t) { records.add(new String[]{"fn", label, t.gradFn() == null ? "None" : t.gradFn().name()}); }

        void flag(String label, boolean v) { records.add(new String[]{"flag", label, v ? "True" : "False"}); }

        void repr(String label, Tensor t) { records.add(new String[]{"repr", label, t.toString()}); }
    }

    // ---------------------------------------------------------------- the programs

    static final Map<String, Consumer<Recorder>> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("seed_scalar", r -> {
            Tensor w = tensor(2.0).requiresGrad_();
            Tensor y = w.pow(2);
            Tensor z = y.mul(2).add(5);
            z.backward();
            r.repr("w", w); r.repr("y", y); r.repr("z", z); r.repr("w.grad", w.grad());
            r.fn("y", y); r.fn("z", z);
        });
        PROGRAMS.put("seed_mean", r -> {
            Tensor x = ones(2, 2).requiresGrad_();
            Tensor y = x.add(2);
            Tensor z = y.mul(y).mul(3);
            Tensor out = z.mean();
            r.repr("x", x); r.repr("y", y); r.repr("z", z); r.repr("out", out);
            r.flag("x.grad is None", x.grad() == null);
            out.backward();
            r.repr("x.grad", x.grad());
            r.flag("x.requires_grad", x.requiresGrad());
            r.flag("(x**2).requires_grad", x.pow(2).requiresGrad());
            try (var g = noGrad()) {
                r.flag("no_grad (x**2).requires_grad", x.pow(2).requiresGrad());
            }
        });
        PROGRAMS.put("seed_rand_mul", r -> {
            Tensor a = ones(3, 3).mul(3);
            r.flag("a.requires_grad", a.requiresGrad());
            a.requiresGrad_(true);
            r.flag("a.requires_grad after", a.requiresGrad());
            r.flag("a.is_leaf", a.isLeaf());
            Tensor b = a.mul(a).sum();
            r.repr("b", b);
            b.backward();
            r.repr("a.grad", a.grad());
        });
        PROGRAMS.put("broadcast_arith", r -> {
            Tensor a = vals(3, 4), b = vals(s(4), 5, 7, 2), c = vals(s(3, 1), 3, 5, -3);
            Tensor out = a.add(b).mul(c).sub(a.div(c)).add(2).sub(b.mul(3));
            lossOf(out).backward();
            r.grad("a", a); r.grad("b", b); r.grad("c", c);
            r.fn("out", out);
        });
        PROGRAMS.put("scalar_variants", r -> {
            Tensor a = vals(s(2, 3), 7, 11, 5, 0.25, 0.1, float64, true);
            Tensor[] outs = {a.rsub(2), a.mul(2), a.div(2), a.rdiv(2), a.pow(2), a.sub(2), a.add(2)};
            for (int i = 0; i < outs.length; i++) r.fn("out" + i, outs[i]);
            lossOf(sum(outs)).backward();
            r.grad("a", a);
        });
        PROGRAMS.put("pow_variants", r -> {
            Tensor a = vals(s(2, 3), 3, 5, -1), e = vals(s(3), 2, 5, 2);
            Tensor out = a.pow(e).add(e.rpow(2.0).mul(a.pow(2.5))).add(a.pow(3));
            lossOf(out).backward();
            r.grad("a", a); r.grad("e", e);
            r.fn("a**e", a.pow(e));
        });
        PROGRAMS.put("unary_chain", r -> {
            Tensor a = vals(s(3, 4), 7, 11, 5, 0.2);
            Tensor out = a.exp().sin().add(a.tanh().sigmoid().mul(a.cos())).add(a.mul(a).add(1).log().sqrt()).add(a.atan())
                    .sub(a.mul(0.5).erf());
            lossOf(out).backward();
            r.grad("a", a);
        });
        PROGRAMS.put("unary_more", r -> {
            Tensor a = vals(s(3, 4), 3, 7, -1, 0.125);
            Tensor out = sum(a.rsqrt(), a.reciprocal(), a.log2(), a.log10(), a.log1p(), a.expm1(), a.exp2(), a.lgamma(),
                    a.digamma(), a.mul(0.5).erfinv(), a.asinh(), a.add(1).acosh(), a.mul(0.3).atanh(), a.mul(0.3).asin(),
                    a.mul(0.3).acos(), a.sinh(), a.cosh(), a.mul(0.5).tan(), a.erfc());
            lossOf(out).backward();
            r.grad("a", a);
        });
        PROGRAMS.put("binary_more", r -> {
            Tensor a = vals(s(3, 4), 7, 11, 5, 0.3, 0.05, float64, true), b = vals(s(4), 5, 7, 2, 0.4, 0.05, float64, true);
            Tensor out = sum(a.atan2(b), a.hypot(b), a.copysign(b), a.maximum(b), a.minimum(b.mul(2)), a.remainder(0.7),
                    a.fmod(0.7), a.remainder(b), a.fmod(b));
            lossOf(out).backward();
            r.grad("a", a); r.grad("b", b);
        });
        PROGRAMS.put("ties_and_kinks", r -> {
            Tensor x = tensor(new double[]{-1, 0, 0.5, 1, 2}, float64).requiresGrad_();
            Tensor y = tensor(new double[]{0, 0, 1, 1, -1}, float64).requiresGrad_();
            Tensor out = sum(x.relu(), x.abs(), x.clamp(0.0, 1.0), x.clampMin(0.5), x.clampMax(0.5), x.maximum(y),
                    x.minimum(y), x.sign(), x.sgn());
            lossOf(out).backward();
            r.grad("x", x); r.grad("y", y);
            r.fn("relu", x.relu()); r.fn("clamp", x.clamp(0.0, 1.0)); r.fn("clamp_min", x.clampMin(0.5));
            r.fn("clamp_max", x.clampMax(0.5)); r.fn("maximum", x.maximum(y));
        });
        PROGRAMS.put("reductions", r -> {
            Tensor a = vals(s(2, 3, 4), 7, 11, 5, 0.3);
            Tensor out = sum(a.sum().mul(0.5), a.sum(1).sum(), a.sum(new int[]{0, 2}, true).mul(weights(1, 3, 1)).sum(), a.mean(),
                    a.mean(-1).mul(weights(2, 3)).sum(), a.mean(new int[]{0, 1}, true).pow(2).sum());
            out.backward();
            r.grad("a", a);
            r.fn("sum", a.sum()); r.fn("sum1", a.sum(1)); r.fn("mean", a.mean()); r.fn("mean1", a.mean(1));
        });
        PROGRAMS.put("prod_cumprod", r -> {
            Tensor a = vals(s(3, 4), 3, 7, 3, 0.5), b = vals(s(3, 4), 3, 7, -1, 0.5);
            Tensor out = sum(a.prod(), a.prod(1).mul(weights(3)).sum(), b.prod(), b.prod(0, true).mul(weights(1, 4)).sum(),
                    lossOf(a.cumprod(1)), lossOf(b.cumprod(0)));
            out.backward();
            r.grad("a", a); r.grad("b", b);
            r.fn("prod", a.prod()); r.fn("prod1", a.prod(1)); r.fn("cumprod", a.cumprod(1));
        });
        PROGRAMS.put("max_min", r -> {
            Tensor a = tensor(new double[][]{{1, 3, 3, -1}, {2, 2, 0, 2}, {-4, 5, 1, 5}}, float64).requiresGrad_();
            Tensor out = sum(a.max(), a.min(), lossOf(a.amax(1)), lossOf(a.amin(0)), lossOf(a.max(1).values()),
                    lossOf(a.min(0, true).values()));
            out.backward();
            r.grad("a", a);
            r.fn("max", a.max()); r.fn("max1", a.max(1).values()); r.fn("amax", a.amax(1)); r.fn("min", a.min());
        });
        PROGRAMS.put("cumsum_flip", r -> {
            Tensor a = vals(3, 4);
            Tensor out = a.cumsum(1).mul(2).add(a.flip(0)).sub(a.cumsum(0).flip(1));
            lossOf(out).backward();
            r.grad("a", a);
            r.fn("cumsum", a.cumsum(1));
        });
        PROGRAMS.put("matmuls", r -> {
            Tensor a = vals(3, 4), b = vals(s(4, 2), 5, 9, 4), v = vals(s(4), 3, 5, 2);
            Tensor c = vals(s(2, 1, 3, 4), 5, 13, 6, 0.125), d = vals(s(3, 4, 2), 3, 11, 5, 0.125);
            Map<String, Tensor> outs = new LinkedHashMap<>();
            outs.put("mm", a.matmul(b)); outs.put("mv", a.matmul(v)); outs.put("vm", v.matmul(b)); outs.put("dot", v.matmul(v));
            outs.put("bmm", c.matmul(d)); outs.put("b2", c.matmul(b)); outs.put("bv", c.matmul(v));
            sum(outs.values().stream().map(AutogradGoldenTest::lossOf).toArray(Tensor[]::new)).backward();
            r.grad("a", a); r.grad("b", b); r.grad("v", v); r.grad("c", c); r.grad("d", d);
            for (String k : List.of("mm", "mv", "dot", "bmm", "b2", "bv")) r.fn(k, outs.get(k));
        });
        PROGRAMS.put("views", r -> {
            Tensor a = vals(2, 3, 4);
            Tensor[] outs = {a.transpose(0, 2), a.permute(2, 0, 1), a.get(":, :1").expand(2, 5, 4), a.narrow(2, 1, 2), a.select(1, -1),
                a.unsqueeze(1), a.flatten(), a.view(6, 4), a.transpose(1, 2).reshape(2, 12), a.get(0).t(), a.unflatten(2, 2, 2),
                a.unsqueeze(0).squeeze(0)};
            sum(Stream.of(outs).map(AutogradGoldenTest::lossOf).toArray(Tensor[]::new)).backward();
            r.grad("a", a);
            String[] names = {"transpose", "permute", "expand", "narrow", "select", "unsqueeze", "flatten", "view", "reshape_copy", "t",
                "unflatten", "squeeze"};
            for (int i = 0; i < names.length; i++) if (!names[i].equals("flatten")) r.fn(names[i], outs[i]);
        });
        PROGRAMS.put("get_indexing", r -> {
            Tensor a = vals(3, 4);
            Tensor idx = tensor(new long[]{0, 2, 0});
            Tensor mask = tensor(new boolean[][]{{true, false, true, false}, {false, false, true, true}, {true, true, false, false}});
            Map<String, Tensor> outs = new LinkedHashMap<>();
            outs.put("int", a.get(1)); outs.put("slice", a.get(":, 1:")); outs.put("step", a.get("::2, ::3")); outs.put("idx", a.get(idx));
            outs.put("mask", a.get(mask)); outs.put("pair", a.get("[0, 2], [1, 3]")); outs.put("ellipsis", a.get("..., -1"));
            outs.put("none", a.get("None, 1:, 2"));
            sum(outs.values().stream().map(AutogradGoldenTest::lossOf).toArray(Tensor[]::new)).backward();
            r.grad("a", a);
            for (var e : outs.entrySet()) if (!e.getKey().equals("none")) r.fn(e.getKey(), e.getValue());
        });
        PROGRAMS.put("set_indexing", r -> {
            Tensor a = vals(3, 4), v = vals(s(3), 5, 7, 3), sc = vals(s(), 1, 3, -2);
            Tensor y = a.clone();
            y.set(":, 1", v);
            y.set("0, 0", sc);
            y.set(y.detach().gt(1), 0.0);
            lossOf(y).backward();
            r.grad("a", a); r.grad("v", v); r.grad("s", sc);
        });
        PROGRAMS.put("index_put_accumulate", r -> {
            Tensor a = vals(4, 3), v = vals(s(2, 3), 5, 7, 3);
            Tensor y = a.indexPut(new Tensor[]{tensor(new long[]{1, 1})}, v, true);
            Tensor z = a.gather(1, tensor(new long[][]{{0, 0}, {2, 1}, {1, 1}, {0, 2}}))
                    .add(a.indexSelect(0, tensor(new long[]{3, 0, 3, 1})).get(":, :2"));
            lossOf(y).add(lossOf(z)).backward();
            r.grad("a", a); r.grad("v", v);
            r.fn("index_put", y); r.fn("gather", a.gather(1, tensor(new long[][]{{0}, {1}, {2}, {0}})));
        });
        PROGRAMS.put("dtype_changes", r -> {
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.25, 0.0, float32, true), y = vals(s(2, 3), 5, 7, 2);
            Tensor out = x.to(float64).mul(y).add(y.to(float32).mul(x).float64()).add(x.float64().pow(2));
            lossOf(out).backward();
            r.grad("x", x); r.grad("y", y);
            r.fn("to", x.to(float64)); r.fn("double", x.float64());
            r.repr("x.grad", x.grad());
        });
        PROGRAMS.put("softmax_family", r -> {
            Tensor a = vals(s(3, 4), 7, 11, 5, 0.5);
            Tensor out = F.softmax(a, 1).mul(2).add(F.logSoftmax(a, 0)).add(a.logsumexp(1, true)).add(a.logsumexp(0));
            lossOf(out).backward();
            r.grad("a", a);
            r.fn("logsumexp", a.logsumexp(1)); r.fn("softmax", F.softmax(a, 1)); r.fn("log_softmax", F.logSoftmax(a, 0));
        });
        PROGRAMS.put("statistics", r -> {
            Tensor a = vals(s(3, 4), 7, 11, 5, 0.5, 0.1, float64, true);
            Tensor out = sum(a.var(), lossOf(a.var(1)), a.std(), lossOf(a.std(0)), a.norm(), lossOf(a.var(1, false, true)));
            out.backward();
            r.grad("a", a);
            r.fn("var", a.var()); r.fn("std", a.std(0));
        });
        PROGRAMS.put("where_cat_stack", r -> {
            Tensor a = vals(3, 4), b = vals(s(3, 2), 5, 7, 3);
            Tensor out = cat(List.of(a, b), 1);
            Tensor st = stack(List.of(a, a.mul(2)), 1);
            Tensor w = where(a.gt(0), a, a.mul(3));
            List<Tensor> parts = a.split(3, 1);
            List<Tensor> ch = a.chunk(2, 0);
            sum(lossOf(out), lossOf(st), lossOf(w), lossOf(parts.get(1)), lossOf(ch.get(1)), lossOf(a.unbind(1).get(2))).backward();
            r.grad("a", a); r.grad("b", b);
            r.fn("cat", out); r.fn("stack", st); r.fn("where", w);
        });
        PROGRAMS.put("composites", r -> {
            Tensor a = vals(s(3, 4), 7, 11, 5, 0.2), b = vals(s(4), 5, 7, 3, 0.2), c = vals(s(3, 1), 3, 5, -3, 0.5);
            Tensor out = sum(a.lerp(b, 0.3), a.addcmul(b, c, 0.5), a.addcdiv(b, c, 2.0), a.square(),
                    outer(b.get(":3"), b).t().get(":, :3").t().get(":3").mean());
            lossOf(out).backward();
            r.grad("a", a); r.grad("b", b); r.grad("c", c);
            r.fn("square", a.square());
        });
        PROGRAMS.put("sort_topk", r -> {
            Tensor a = tensor(new double[][]{{3, 1, 4, 1.5}, {5, 9, 2, 6}, {-5, 3.5, 5.5, 0.5}}, float64).requiresGrad_();
            sum(lossOf(a.sort(1, false).values()), lossOf(a.sort(0, true).values()), lossOf(a.topk(2).values())).backward();
            r.grad("a", a);
        });
        PROGRAMS.put("accumulate_and_reset", r -> {
            Tensor x = vals(3);
            x.mul(x).sum().backward();
            r.grad("after one", x);
            x.mul(3).sum().backward();
            r.grad("after two", x);
            x.setGrad(null);
            x.pow(3).sum().backward();
            r.grad("after reset", x);
        });
        PROGRAMS.put("retain_grad_and_hooks", r -> {
            Tensor x = vals(3);
            Tensor y = x.mul(2);
            y.retainGrad();
            Tensor z = y.exp();
            z.registerHook(g -> g.mul(10));
            lossOf(z).backward();
            r.grad("x", x); r.grad("y", y);
            r.flag("y.is_leaf", y.isLeaf()); r.flag("y.retains_grad", y.retainsGrad());
        });
        PROGRAMS.put("backward_with_gradient", r -> {
            Tensor x = vals(2, 3);
            Tensor y = x.mul(x).mul(2);
            y.backward(weights(2, 3), true);
            y.backward(weights(2, 3));
            r.grad("x", x);
        });
        PROGRAMS.put("second_order", r -> {
            Tensor x = vals(s(4), 7, 11, 5, 0.25, 0.1, float64, true);
            Tensor y = x.pow(3).sum();
            Tensor dx = autograd.grad(y, List.of(x), true).get(0);
            r.tensor("dx", dx);
            r.fn("dx", dx);
            Tensor d2 = autograd.grad(dx.sum(), List.of(x)).get(0);
            r.tensor("d2", d2);
            Tensor z = x.sin().mul(x.exp()).sum();
            Tensor g1 = autograd.grad(z, List.of(x), true).get(0);
            Tensor g2 = autograd.grad(g1.mul(weights(4)).sum(), List.of(x)).get(0);
            r.tensor("g2", g2);
        });
        PROGRAMS.put("autograd_grad_multi", r -> {
            Tensor x = vals(2, 2), y = vals(s(2, 2), 3, 5, 2);
            Tensor z = x.mul(y).add(x.exp()).sum();
            List<Tensor> g = autograd.grad(List.of(z), List.of(x, y), null);
            r.tensor("gx", g.get(0)); r.tensor("gy", g.get(1));
            r.flag("x.grad is None", x.grad() == null);
        });
        PROGRAMS.put("inplace_ops", r -> {
            Tensor x = vals(s(2, 3), 7, 11, 5, 0.2);
            Tensor y = x.mul(2);
            y.mul_(3);
            y.add_(x);
            y.exp_();
            r.fn("y", y);
            lossOf(y).backward();
            r.grad("x", x);
        });
        PROGRAMS.put("custom_function", r -> {
            Tensor x = vals(s(3), 7, 11, 5, 0.5);
            Tensor y = new AutogradTest.Exp().apply(x);
            r.fn("y", y);
            lossOf(y.mul(2)).backward();
            r.grad("x", x);
        });
        PROGRAMS.put("no_grad_and_detach", r -> {
            Tensor w = tensor(new double[]{1, 2, 3}).requiresGrad_();
            Tensor a;
            try (var g = noGrad()) {
                a = w.mul(2);
            }
            r.repr("no_grad", a);
            Tensor d = w.detach();
            r.repr("detach", d);
            r.flag("detach.requires_grad", d.requiresGrad());
            Tensor b;
            try (var g = enableGrad()) {
                b = w.mul(2);
            }
            r.repr("enable_grad", b);
            Tensor c;
            try (var g = setGradEnabled(false)) {
                c = w.mul(2);
            }
            r.flag("set_grad_enabled(False)", c.requiresGrad());
            r.repr("w", w);
        });
        PROGRAMS.put("reprs_with_dtype", r -> {
            Tensor x = tensor(new double[]{1.5, -2.0}, float64).requiresGrad_();
            Tensor y = x.mul(3);
            r.repr("x", x); r.repr("y", y); r.repr("sum", y.sum());
            y.sum().backward();
            r.repr("x.grad", x.grad());
            Tensor z = zeros(2, 3).requiresGrad_();
            r.repr("zeros", z); r.repr("z.t()", z.t()); r.repr("z[0]", z.get(0));
        });
        PROGRAMS.put("linear_model_step", r -> {
            Tensor x = vals(s(4, 3), 7, 11, 5, 0.5, 0.0, float64, false);
            Tensor w = vals(s(3, 2), 5, 7, 3, 0.25), b = vals(s(2), 1, 3, 1, 0.5);
            Tensor t = vals(s(4, 2), 3, 5, 2, 0.5, 0.0, float64, false);
            Tensor h = x.matmul(w).add(b).relu();
            Tensor loss = h.sub(t).pow(2).mean();
            loss.backward();
            r.grad("w", w); r.grad("b", b);
            r.fn("h", h); r.fn("loss", loss);
        });
        PROGRAMS.put("special_grads", r -> {
            Tensor a = vals(s(2, 3), 3, 7, -1, 0.25);
            Tensor out = a.lgamma().mul(a.digamma()).add(a.sub(3).digamma());
            lossOf(out).backward();
            r.grad("a", a);
        });
        PROGRAMS.put("classification_loss", r -> {
            Tensor logits = vals(s(4, 3), 7, 11, 5, 0.5);
            Tensor target = tensor(new long[]{2, 0, 1, 2});
            Tensor logp = F.logSoftmax(logits, 1);
            Tensor nll = logp.gather(1, target.unsqueeze(1)).mean().neg();
            nll.backward();
            r.grad("logits", logits);
            r.fn("nll", nll);
        });
        PROGRAMS.put("norm_variants", r -> {
            Tensor a = vals(s(3, 4), 7, 11, 5, 0.5, 0.1, float64, true);
            Tensor out = sum(a.norm(1), a.norm(3), a.norm(Double.POSITIVE_INFINITY), lossOf(a.norm(2, 1, false)),
                    lossOf(a.norm(1, 0, true)));
            out.backward();
            r.grad("a", a);
        });
        PROGRAMS.put("clamp_tensor_bounds", r -> {
            Tensor x = vals(s(3, 4), 7, 11, 5, 0.5), lo = vals(s(4), 3, 5, 4, 0.25), hi = vals(s(3, 1), 1, 3, -1, 0.5);
            Tensor out = x.clamp(lo, hi);
            lossOf(out).backward();
            r.grad("x", x); r.grad("lo", lo); r.grad("hi", hi);
            r.fn("clamp", out);
        });
        PROGRAMS.put("multi_root_backward", r -> {
            Tensor x = vals(2, 3);
            Tensor a = x.exp();
            Tensor b = x.mul(3).sum(0);
            autograd.backward(List.of(a, b), List.of(weights(2, 3), weights(3)));
            r.grad("x", x);
        });
        PROGRAMS.put("leaf_hook_remove", r -> {
            Tensor x = vals(3);
            RemovableHandle h = x.registerHook(g -> g.mul(2));
            x.mul(x).sum().backward();
            r.grad("with hook", x);
            h.remove();
            x.setGrad(null);
            x.mul(x).sum().backward();
            r.grad("removed", x);
        });
    }

    // ---------------------------------------------------------------- the comparison

    private static Map<String, List<String[]>> expected() throws IOException { return expected(FILE); }

    /** The records of a golden file in the script's format, by program (shared with the other golden tests here). */
    static Map<String, List<String[]>> expected(String file) throws IOException {
        Map<String, List<String[]>> out = new LinkedHashMap<>();
        try (InputStream in = AutogradGoldenTest.class.getResourceAsStream(file)) {
            assertNotNull(in, file + " is missing; run the script beside it");
            String current = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\\|", -1);
                if (f[0].equals("program")) {
                    current = f[1];
                    out.put(current, new ArrayList<>());
                    continue;
                }
                String[] rec = new String[f.length - 1];
                rec[0] = f[0];
                System.arraycopy(f, 2, rec, 1, f.length - 2);
                if (rec[0].equals("repr")) {
                    int third = line.indexOf('|', line.indexOf('|', line.indexOf('|') + 1) + 1);
                    rec = new String[]{"repr", f[2], GoldenText.unescape(line.substring(third + 1))};
                }
                out.get(current).add(rec);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> programs() throws IOException {
        Map<String, List<String[]>> expected = expected();
        return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Consumer<Recorder> program = PROGRAMS.get(e.getKey());
            assertNotNull(program, "no Java twin for program " + e.getKey());
            Recorder r = new Recorder();
            program.accept(r);
            compare(e.getKey(), e.getValue(), r.records);
        }));
    }

    @Test
    void everyJavaProgramHasGoldens() throws IOException {
        Map<String, List<String[]>> expected = expected();
        for (String name : PROGRAMS.keySet()) assertTrue(expected.containsKey(name), "no goldens for " + name + "; rerun gen_autograd.py");
    }

    static void compare(String program, List<String[]> want, List<String[]> got) {
        assertEquals(want.size(), got.size(), program + ": number of records");
        for (int i = 0; i < want.size(); i++) {
            String[] w = want.get(i), g = got.get(i);
            String where = program + " " + w[0] + " " + w[1];
            assertEquals(w[0], g[0], where + ": record kind");
            assertEquals(w[1], g[1], where + ": label");
            if (!w[0].equals("grad")) {
                assertEquals(w[2], g[2], where);
                continue;
            }
            assertEquals(w[2], g[2], where + ": dtype");
            assertEquals(w[3], g[3], where + ": shape");
            if (w[2].equals("None")) continue;
            String[] wv = w[4].isEmpty() ? new String[0] : w[4].split(","), gv = g[4].isEmpty() ? new String[0] : g[4].split(",");
            assertEquals(wv.length, gv.length, where + ": numel");
            double tol = w[2].equals("float64") ? 1e-12 : 1e-6;
            for (int k = 0; k < wv.length; k++) {
                double a = GoldenText.number(wv[k]), b = GoldenText.number(gv[k]);
                if (Double.isNaN(a) && Double.isNaN(b) || a == b) continue;
                assertTrue(Math.abs(a - b) <= tol * Math.max(1, Math.abs(a)), where + "[" + k + "]: expected " + a + " got " + b);
            }
        }
    }
}
