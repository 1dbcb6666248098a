package dev.jtorch;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtorch.autograd.Function;
import dev.jtorch.autograd.FunctionCtx;
import dev.jtorch.nn.F;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 17's findings on sizes, argument-bounded loops, gradient dtypes and edge cases, each checked against PyTorch:
 * {@code golden/reliability/reliability_cases.txt} (written by {@code gen_reliability.py} beside it) holds PyTorch's
 * result text or its exception type and message for every case; this class maps each case name to the same jtorch
 * call. PyTorch's IndexError is an {@link IndexOutOfBoundsException}, its NotImplementedError an
 * {@link UnsupportedOperationException}, its RuntimeError any other {@link RuntimeException}; no case may end in an
 * internal exception, an {@link OutOfMemoryError} or a hang.
 */
class ReliabilityTest {

    private static final long G = 1L << 32;

    private static final Map<String, Supplier<Object>> CASES = new LinkedHashMap<>();

    private static void c(String name, Supplier<Object> call) {
        if (CASES.put(name, call) != null) throw new IllegalStateException("duplicate case " + name);
    }

    private static Tensor longs(long... v) { return tensor(v); }

    private static Tensor doubles(DType dtype, double... v) { return tensor(v, dtype); }

    private static Tensor rootGrad(Tensor grad) {
        Tensor x = ones(3).requiresGrad_();
        x.mul(2.0).backward(grad);
        return x.grad();
    }

    private static Tensor rootGradF64Leaf(Tensor grad) {
        Tensor x = ones(new long[]{3}, float64).requiresGrad_();
        x.mul(2.0).backward(grad);
        return x.grad();
    }

    private static List<Tensor> autogradGrad(Tensor grad) {
        Tensor x = ones(3).requiresGrad_();
        return autograd.grad(List.of(x.mul(2.0)), List.of(x), List.of(grad));
    }

    /** A custom Function doubling its input whose backward returns a fixed gradient; its node is {@code <name>Backward}. */
    private abstract static class Returns extends Function {
        private final Tensor result;

        Returns(Tensor result) { this.result = result; }

        @Override public Tensor forward(FunctionCtx ctx, Tensor... inputs) { return inputs[0].mul(2); }

        @Override public Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) { return new Tensor[]{result}; }
    }

    private static final class WrongShape extends Returns { WrongShape() { super(ones(2)); } }

    private static final class OneElement extends Returns { OneElement() { super(ones(1)); } }

    private static final class BroadcastShape extends Returns { BroadcastShape() { super(ones(1, 3)); } }

    private static final class LongGradient extends Returns { LongGradient() { super(longs(1, 2, 3)); } }

    private static final class DoubleGradient extends Returns { DoubleGradient() { super(doubles(float64, 1, 2, 3)); } }

    private static Tensor customGrad(Function fn) {
        Tensor x = ones(3).requiresGrad_();
        fn.apply(x).sum().backward();
        return x.grad();
    }

    private static Tensor mseBackward(DType inputDtype, DType targetDtype, boolean wrtInput) {
        Tensor x = ones(new long[]{3}, inputDtype), y = full(new long[]{3}, 2L, targetDtype);
        if (wrtInput) x.requiresGrad_(); else y.requiresGrad_();
        F.mseLoss(x, y).backward();
        return (wrtInput ? x : y).grad();
    }

    static {
        // ---------------------------------------------------------------- 1. sizes that overflow
        c("zeros_2p32_squared", () -> zeros(G, G));
        c("zeros_3037000500_squared", () -> zeros(3037000500L, 3037000500L));
        c("ones_2p32_squared", () -> ones(G, G));
        c("empty_2p32_squared", () -> empty(G, G));
        c("full_2p32_squared", () -> full(new long[]{G, G}, 1.0));
        c("rand_2p32_squared", () -> rand(G, G));
        c("randn_2p32_squared", () -> randn(G, G));
        c("randint_2p32_squared", () -> randint(0, 5, G, G));
        c("normal_2p32_squared", () -> normal(0.0, 1.0, G, G));
        c("new_ones_2p32_squared", () -> ones(3).newOnes(G, G));
        c("zeros_2p62_by_4", () -> zeros(1L << 62, 4));
        c("zeros_2p61_float32_bytes", () -> zeros(1L << 61));
        c("zeros_max_long", () -> zeros(Long.MAX_VALUE));
        c("zeros_2p31_2p31_4", () -> zeros(1L << 31, 1L << 31, 4));
        c("zeros_empty_huge_dims", () -> zeros(0, 1L << 62, 1L << 62));
        c("zeros_empty_huge_dims_stride", () -> zeros(0, 1L << 62, 1L << 62).stride());
        c("zeros_negative", () -> empty(-1, 2));
        c("full_negative", () -> full(new long[]{-1}, 1.0));
        c("randn_negative", () -> randn(-1));
        c("randint_negative", () -> randint(0, 5, -1));
        c("randperm_negative", () -> randperm(-1));
        c("randperm_2p62", () -> randperm(1L << 62));
        c("eye_negative_n", () -> eye(-1));
        c("eye_negative_m", () -> eye(2, -1));
        c("eye_2p32_squared", () -> eye(G, G));
        c("view_2p32_squared", () -> ones(6).view(G, G));
        c("view_empty_wraps_to_zero", () -> ones(0).view(G, G, 0));
        c("view_empty_infer_ambiguous", () -> ones(0).view(-1, 0));
        c("reshape_empty_infer_ambiguous", () -> ones(0, 4).reshape(0, -1, 2));
        c("view_empty_infer", () -> ones(0, 4).view(-1, 2));
        c("view_negative_size", () -> ones(3).view(-2));
        c("reshape_2p32_squared", () -> ones(6).reshape(G, G));
        c("expand_2p32_squared", () -> ones(1).expand(G, G));
        c("expand_negative", () -> ones(2, 3).expand(2, -2));
        c("repeat_2p32_squared", () -> ones(1).repeat(G, G));
        c("repeat_negative", () -> ones(3).repeat(-1));
        c("repeat_zero", () -> ones(3).repeat(0));
        c("resize_negative", () -> ones(3).resize_(-1));
        c("resize_2p32_squared", () -> ones(3).resize_(G, G));
        c("unflatten_2p32_squared", () -> ones(3).unflatten(0, G, G));
        c("unflatten_empty_wraps_to_zero", () -> ones(0).unflatten(0, G, G, 0));
        c("unflatten_mismatch", () -> ones(6).unflatten(0, 4, 2));
        c("unflatten_no_sizes", () -> ones(6).unflatten(0));
        c("unflatten_two_inferred", () -> ones(6).unflatten(0, -1, -1));
        c("unflatten_0dim", () -> tensor(5.0).unflatten(0, 1));
        c("matmul_empty_inner_mismatch", () -> ones(2, 3, 0).matmul(ones(3, 5)));
        c("arange_2p62", () -> arange(0L, 1L << 62));
        c("arange_float_2p62", () -> arange(0.0, 0x1p62, 1.0));
        c("arange_span_overflows", () -> arange(Long.MIN_VALUE, Long.MAX_VALUE));
        c("arange_top_of_long", () -> arange(Long.MAX_VALUE - 9, Long.MAX_VALUE, 3));
        c("arange_huge_step", () -> arange(0, 10, Long.MAX_VALUE));
        c("arange_count_overflows", () -> arange(0.0, 1e30, 1e-30));
        c("linspace_2p62", () -> linspace(0, 1, 1L << 62));
        c("logspace_2p62", () -> logspace(0, 1, 1L << 62));
        c("slice_huge_step", () -> arange(10.0).get(slice(2L, null, Long.MAX_VALUE)));
        c("slice_step_2p62", () -> arange(10.0).get(slice(0L, 10L, 1L << 62)));

        // ---------------------------------------------------------------- 2. loops bounded by arguments
        c("split_zero", () -> arange(6L).split(0));
        c("split_zero_of_empty", () -> arange(0L).split(0));
        c("split_negative", () -> arange(6L).split(-1));
        c("split_bigger_than_dim", () -> arange(6L).split(10));
        c("split_bad_dim_before_zero", () -> ones(3).split(0, 5));
        c("split_negative_before_bad_dim", () -> ones(3).split(-1, 5));
        c("split_sizes_negative", () -> ones(8).split(new long[]{-1, 9}, 0));
        c("split_sizes_sum_wraps", () -> ones(8).split(new long[]{1L << 62, 1L << 62, 1L << 62, 1L << 62, 8}, 0));
        c("split_sizes_mismatch", () -> ones(8).split(new long[]{3, 4}, 0));
        c("chunk_zero", () -> arange(6L).chunk(0));
        c("chunk_negative", () -> arange(6L).chunk(-1));
        c("chunk_of_empty", () -> ones(0).chunk(3));
        c("chunk_of_empty_dim", () -> ones(2, 0).chunk(3, 1));
        c("chunk_more_than_size", () -> arange(5L).chunk(3));
        c("arange_step_zero", () -> arange(0, 10, 0));
        c("arange_step_wrong_sign", () -> arange(0, 10, -1));
        c("arange_float_step_wrong_sign", () -> arange(0.0, 10.0, -1.0));
        c("arange_nan_end", () -> arange(0.0, Double.NaN, 1.0));
        c("arange_inf_end", () -> arange(0.0, Double.POSITIVE_INFINITY, 1.0));
        c("arange_nan_start", () -> arange(Double.NaN, 1.0, 1.0));
        c("arange_nan_step", () -> arange(0.0, 10.0, Double.NaN));
        c("arange_inf_step", () -> arange(0.0, 10.0, Double.POSITIVE_INFINITY));
        c("linspace_negative", () -> linspace(0, 1, -1));
        c("logspace_negative", () -> logspace(0, 1, -1));
        c("narrow_length_overflows", () -> ones(3).narrow(0, 1, Long.MAX_VALUE));
        c("narrow_start_out_of_range", () -> ones(3).narrow(0, 4, 0));
        c("narrow_negative_length", () -> ones(3).narrow(0, 0, -1));
        c("narrow_past_end", () -> ones(3).narrow(0, 2, 2));
        c("narrow_bad_dim", () -> ones(3).narrow(1, 0, 1));
        c("topk_too_many", () -> ones(3).topk(4));
        c("topk_negative", () -> ones(3).topk(-1));
        c("topk_zero", () -> arange(3.0).topk(0));
        c("topk_zero_of_empty", () -> ones(0).topk(0));
        c("topk_one_of_empty", () -> ones(0).topk(1));

        // ---------------------------------------------------------------- 4. gradient dtypes and shapes
        c("backward_long_gradient", () -> {
            Tensor x = ones(3).requiresGrad_();
            x.add(1.0).backward(longs(1, 2, 3));
            return List.of(x.grad(), x.grad().dtype());
        });
        c("backward_bool_gradient", () -> rootGrad(tensor(new boolean[]{true, false, true})));
        c("backward_double_gradient", () -> rootGrad(doubles(float64, 1, 2, 3)));
        c("backward_float_gradient_on_double", () -> rootGradF64Leaf(doubles(float32, 1, 2, 3)));
        c("backward_gradient_shape", () -> rootGrad(ones(2)));
        c("backward_gradient_broadcastable_shape", () -> rootGrad(ones(1, 3)));
        c("backward_gradient_0dim", () -> rootGrad(tensor(2.0)));
        c("autograd_grad_long_gradient", () -> autogradGrad(longs(1, 2, 3)));
        c("autograd_grad_gradient_shape", () -> autogradGrad(ones(2)));
        c("function_wrong_shape", () -> customGrad(new WrongShape()));
        c("function_one_element", () -> customGrad(new OneElement()));
        c("function_broadcast_shape", () -> customGrad(new BroadcastShape()));
        c("function_long_gradient", () -> customGrad(new LongGradient()));
        c("function_double_gradient", () -> customGrad(new DoubleGradient()));
        c("requires_grad_long", () -> ones(new long[]{3}, int64).requiresGrad_());

        // ---------------------------------------------------------------- 7. 0-dim tensors, empty dims, argument checks
        c("flip_0dim", () -> tensor(5.0).flip(0));
        c("flip_0dim_minus1", () -> tensor(5.0).flip(-1));
        c("flip_0dim_no_dims", () -> tensor(5.0).flip());
        c("flip_0dim_bad_dim", () -> tensor(5.0).flip(1));
        c("flip_repeated_dim", () -> ones(3).flip(0, -1));
        c("flip_empty", () -> ones(0, 3).flip(0));
        c("chunk_0dim", () -> tensor(5.0).chunk(1));
        c("chunk_0dim_zero", () -> tensor(5.0).chunk(0));
        c("split_0dim", () -> tensor(5.0).split(1));
        c("split_0dim_bad_dim", () -> tensor(5.0).split(1, 5));
        c("split_sizes_0dim", () -> tensor(5.0).split(new long[]{1}, 0));
        c("unbind_0dim", () -> tensor(5.0).unbind(0));
        c("unbind_0dim_minus1", () -> tensor(5.0).unbind(-1));
        c("unbind_0dim_bad_dim", () -> tensor(5.0).unbind(1));
        c("narrow_0dim", () -> tensor(5.0).narrow(0, 0, 1));
        c("narrow_0dim_bad_dim", () -> tensor(5.0).narrow(5, 0, 1));
        c("topk_0dim", () -> tensor(5.0).topk(1));
        c("topk_0dim_zero", () -> tensor(5.0).topk(0));
        c("topk_0dim_two", () -> tensor(5.0).topk(2));
        c("topk_0dim_bad_dim", () -> tensor(5.0).topk(1, 1, true));
        c("sort_0dim", () -> tensor(5.0).sort(0, false));
        c("sort_0dim_bad_dim", () -> tensor(5.0).sort(1, false));
        c("argsort_0dim", () -> tensor(5.0).argsort(0, false));
        c("argmax_0dim_dim", () -> tensor(5.0).argmax(0));
        c("argmax_0dim_bad_dim", () -> tensor(5.0).argmax(1));
        c("argmin_0dim_bad_dim", () -> tensor(5.0).argmin(1));
        c("max_0dim_dim", () -> tensor(5.0).max(0));
        c("min_0dim_keepdim", () -> tensor(5.0).min(0, true));
        c("max_0dim_bad_dim", () -> tensor(5.0).max(1));
        c("size_0dim", () -> tensor(5.0).size(0));
        c("size_0dim_minus1", () -> tensor(5.0).size(-1));
        c("stride_0dim", () -> tensor(5.0).stride(0));
        c("select_0dim", () -> tensor(5.0).select(0, 0));
        c("squeeze_0dim", () -> tensor(5.0).squeeze(0));
        c("squeeze_0dim_bad_dim", () -> tensor(5.0).squeeze(1));
        c("unsqueeze_0dim_minus1", () -> tensor(5.0).unsqueeze(-1));
        c("unsqueeze_0dim_bad_dim", () -> tensor(5.0).unsqueeze(-2));
        c("transpose_0dim", () -> tensor(5.0).transpose(0, -1));
        c("transpose_0dim_bad_dim", () -> tensor(5.0).transpose(0, 1));
        c("flatten_0dim", () -> tensor(5.0).flatten(0, -1));
        c("flatten_0dim_bad_dim", () -> tensor(5.0).flatten(0, 1));
        c("sum_0dim_dim", () -> tensor(5.0).sum(0));
        c("sum_0dim_repeated_dim", () -> tensor(5.0).sum(new int[]{0, -1}, false));
        c("mean_0dim_dim", () -> tensor(5.0).mean(0));
        c("prod_0dim_dim", () -> tensor(5.0).prod(0));
        c("var_0dim_dim", () -> tensor(5.0).var(0));
        c("amax_0dim_dim", () -> tensor(5.0).amax(0));
        c("all_0dim_dim", () -> tensor(true).all(0));
        c("norm_0dim_dim", () -> tensor(5.0).norm(2, 0, false));
        c("cumsum_0dim", () -> tensor(5.0).cumsum(0));
        c("cumsum_0dim_bad_dim", () -> tensor(5.0).cumsum(1));
        c("logsumexp_0dim", () -> tensor(5.0).logsumexp(0));
        c("softmax_0dim", () -> F.softmax(tensor(5.0), 0));
        c("softmax_0dim_bad_dim", () -> F.softmax(tensor(5.0), 1));
        c("gather_0dim", () -> tensor(5.0).gather(0, tensor(0L)));
        c("index_select_0dim", () -> tensor(5.0).indexSelect(0, longs(0)));
        c("take_along_dim_0dim", () -> tensor(5.0).takeAlongDim(tensor(0L), 0));
        c("take_along_dim_0dim_bad_dim", () -> tensor(5.0).takeAlongDim(tensor(0L), 1));
        c("stack_0dim", () -> stack(List.of(tensor(1.0), tensor(2.0)), -1));
        c("stack_0dim_bad_dim", () -> stack(List.of(tensor(1.0), tensor(2.0)), 2));
        c("repeat_0dim", () -> tensor(5.0).repeat(2));
        c("outer_2d_self", () -> outer(ones(2, 2), ones(2)));
        c("outer_2d_vec2", () -> outer(ones(2), ones(2, 2)));
        c("outer_0dim", () -> outer(tensor(1.0), ones(2)));
        c("outer_empty", () -> outer(ones(0), ones(2)));
        c("softmax_empty_dim", () -> F.softmax(ones(2, 0), 1));
        c("softmax_empty_other_dim", () -> F.softmax(ones(2, 0), 0));
        c("softmax_empty_bad_dim", () -> F.softmax(ones(2, 0), 2));
        c("log_softmax_empty_dim", () -> F.logSoftmax(ones(2, 0), 1));
        c("logsumexp_empty_dim", () -> ones(2, 0).logsumexp(1));
        c("logsumexp_empty", () -> ones(0).logsumexp(0));
        c("logsumexp_empty_all_dims", () -> ones(2, 0).logsumexp(new int[]{0, 1}, false));
        c("max_empty_dim", () -> ones(2, 0).max(1));
        c("min_empty_dim", () -> ones(2, 0).min(1));
        c("max_other_dim_of_empty", () -> ones(2, 0).max(0));
        c("amax_empty_dim", () -> ones(2, 0).amax(1));
        c("amax_no_dims", () -> ones(2, 3).amax(new int[0], false));
        c("hstack_0dim", () -> hstack(List.of(tensor(1.0), tensor(2.0))));
        c("hstack_none", () -> hstack(List.of()));
        c("vstack_0dim", () -> vstack(List.of(tensor(1.0), tensor(2.0))));
        c("vstack_none", () -> vstack(List.of()));
        c("one_hot_empty_infers_nothing", () -> F.oneHot(zeros(new long[]{0}, int64)));
        c("sum_to_size_not_expandable", () -> ones(2, 3).sumToSize(4));
        c("index_0dim_with_slice", () -> tensor(5.0).get(":"));
        c("mse_long_target_forward", () -> F.mseLoss(ones(3).requiresGrad_(), full(new long[]{3}, 3L, int64)));
        c("mse_long_target_backward", () -> mseBackward(float32, int64, true));
        c("mse_double_target_backward", () -> mseBackward(float32, float64, true));
        c("mse_float_target_double_input_backward", () -> mseBackward(float64, float32, true));
        c("mse_bool_target_backward", () -> mseBackward(float32, bool, true));
        c("mse_grad_of_target", () -> mseBackward(float32, float64, false));
        c("mse_same_dtype_backward", () -> mseBackward(float64, float64, true));
    }

    /** One case of the golden file: PyTorch's result text, or the type and message of what it raised. */
    private record Golden(String name, String expr, String result, String errType, String errMessage) {}

    private static List<Golden> goldens() throws IOException {
        List<Golden> out = new ArrayList<>();
        try (InputStream in = ReliabilityTest.class.getResourceAsStream("/golden/reliability/reliability_cases.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = null, expr = null, result = null, errType = null, errMessage = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                if (line.startsWith("case ")) { name = line.substring(5); expr = result = errType = errMessage = null; }
                else if (line.startsWith("expr ")) expr = line.substring(5);
                else if (line.startsWith("note ")) expr += "; jtorch " + line.substring(5);
                else if (line.startsWith("ok ")) result = GoldenText.unescape(line.substring(3));
                else if (line.startsWith("err ")) {
                    int sp = line.indexOf(' ', 4);
                    errType = line.substring(4, sp);
                    errMessage = GoldenText.unescape(line.substring(sp + 1));
                } else if (line.equals("end")) out.add(new Golden(name, expr, result, errType, errMessage));
                else throw new IllegalStateException("bad golden line: " + line);
            }
        }
        return out;
    }

    /** A result as the generator writes it: repr of tensors, sizes and return types, lists as [a, b], None for null. */
    private static String show(Object r) {
        if (r == null) return "None";
        if (r instanceof long[] a) return show(java.util.Arrays.stream(a).boxed().toList());
        if (r instanceof DType d) return "torch." + d.name();
        if (r instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) sb.append(i == 0 ? "" : ", ").append(show(l.get(i)));
            return sb.append(']').toString();
        }
        return r.toString();
    }

    private static Class<? extends Throwable> javaType(String pythonType) {
        return switch (pythonType) {
            case "IndexError" -> IndexOutOfBoundsException.class;
            case "NotImplementedError" -> UnsupportedOperationException.class;
            case "RuntimeError", "ValueError", "TypeError" -> RuntimeException.class;
            default -> throw new IllegalStateException("no Java type for " + pythonType);
        };
    }

    /** Exceptions that only a bug inside jtorch throws: never PyTorch's answer to an input. */
    private static boolean internal(Throwable e) {
        return e instanceof ArrayIndexOutOfBoundsException || e instanceof NegativeArraySizeException || e instanceof ClassCastException
                || e instanceof NullPointerException || e instanceof ArithmeticException || e instanceof StringIndexOutOfBoundsException
                || e instanceof Error;
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws IOException {
        List<Golden> goldens = goldens();
        Map<String, Golden> byName = new HashMap<>();
        for (Golden g : goldens) byName.put(g.name(), g);
        for (String name : CASES.keySet()) assertTrue(byName.containsKey(name), "no golden for case " + name + ": rerun gen_reliability.py");
        return goldens.stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            Supplier<Object> call = CASES.get(g.name());
            if (call == null) fail("no jtorch call for golden case " + g.name());
            String what = g.name() + "  (PyTorch: " + g.expr() + ")";
            Object result;
            try {
                result = assertTimeoutPreemptively(Duration.ofSeconds(30), call::get, what + " hangs");
            } catch (Throwable e) {
                if (internal(e)) throw new AssertionError(what + ": internal exception " + e, e);
                if (g.errType() == null) throw new AssertionError(what + ": PyTorch returns " + g.result() + " but jtorch threw " + e, e);
                assertEquals(g.errMessage(), e.getMessage(), what);
                Class<? extends Throwable> want = javaType(g.errType());
                assertTrue(want.isInstance(e) && (want != RuntimeException.class || !(e instanceof IndexOutOfBoundsException
                        || e instanceof UnsupportedOperationException)), what + ": PyTorch raised " + g.errType() + ", jtorch threw " + e);
                return;
            }
            if (g.errType() != null) fail(what + ": PyTorch raised " + g.errType() + ": " + g.errMessage() + " but jtorch returned " + show(result));
            assertEquals(g.result(), show(result), what);
        }));
    }

    /** Issue 17's hang: split(0) looped, allocating, until the heap was gone; now refused before any loop. */
    @Test
    void splitByZeroReturnsAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 1000; i++) {
                try {
                    arange(6L).split(0);
                    fail("split(0) of a non-empty dim must be refused");
                } catch (IllegalArgumentException expected) {
                    // refused before the loop
                }
            }
        });
    }

    /** Sizes computed from overflowing numbers never reach a tensor: numel and sum of the issue's example are refused. */
    @Test
    void overflowingSizesNeverMakeATensor() {
        for (Supplier<Tensor> make : List.<Supplier<Tensor>>of(() -> zeros(G, G), () -> ones(G, G), () -> randn(G, G),
                () -> zeros(3037000500L, 3037000500L), () -> ones(1).expand(G, G), () -> ones(0).view(G, G, 0))) {
            try {
                Tensor t = make.get();
                fail("made a tensor of shape " + t.shape() + " with numel " + t.numel());
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("Storage size calculation overflowed")
                        || expected.getMessage().equals("numel: integer multiplication overflow"), expected.getMessage());
            }
        }
    }

    /** The gradient stored on a float32 leaf is float32 whatever dtype the root gradient had (issue 17 item 4). */
    @Test
    void rootGradientTakesTheOutputsDtype() {
        for (Tensor grad : List.of(longs(1, 2, 3), doubles(float64, 1, 2, 3), tensor(new int[]{1, 2, 3}, int32),
                tensor(new boolean[]{true, false, true}))) {
            Tensor x = ones(3).requiresGrad_();
            x.add(1.0).backward(grad);
            assertEquals(float32, x.grad().dtype(), "gradient given as " + grad.dtype());
            assertTrue(x.grad().equal(grad.to(float32)), "gradient given as " + grad.dtype());
        }
    }

    /** Reading .grad of a non-leaf warns once with PyTorch's text, and still gives None. */
    @Test
    void gradOfNonLeafWarns() {
        String message = "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
                + "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use "
                + ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf "
                + "Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.";
        Tensor x = ones(3).requiresGrad_();
        Tensor y = x.mul(2);
        assertNull(y.grad());
        assertTrue(Python.hasWarned(message), "no UserWarning for .grad of a non-leaf");
        Tensor z = x.mul(3).retainGrad();
        z.sum().backward();
        assertEquals(3, z.grad().numel());
        assertFalse(x.isLeaf() && x.grad() == null, "a leaf's gradient reads without a warning and is filled");
    }
}
