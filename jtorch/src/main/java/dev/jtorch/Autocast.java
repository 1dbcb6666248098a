package dev.jtorch;

import dev.jtorch.ops.Op;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Automatic mixed precision, like {@code torch.autocast}: inside the guard, ops that are safe and fast in
 * lower precision run in it and ops that need range or accuracy run in float32, per device type, with
 * PyTorch's op lists ({@code aten/src/ATen/autocast_mode.h/.cpp}). Open it with
 * {@link Torch#autocast(String, DType)} as try-with-resources; it is per thread, nests, and restores the
 * previous state when closed.
 *
 * <pre>{@code
 * try (var ac = Torch.autocast("cuda", DType.float16)) {
 *     Tensor y = x.matmul(w);          // float16
 *     Tensor loss = F.mseLoss(y, t);   // float32
 * }
 * loss.backward();                     // gradients reach float32 leaves in float32
 * }</pre>
 *
 * <h2>Policies</h2>
 * Only floating tensors on the autocast device type other than float64 are cast ("eligible"); an op
 * with a CUDA tensor among its arguments follows the CUDA settings, otherwise the CPU's.
 * <ul>
 * <li><b>lower precision</b> (CUDA: mm, mv, bmm, matmul, addmm, addmv, addr, addbmm, baddbmm, linear,
 *     einsum, conv*, prelu, lstm/gru/rnn cells, scaled_dot_product_attention, chain_matmul,
 *     linalg_multi_dot, linalg_vecdot; CPU: conv*, bmm, mm, linalg_vecdot, baddbmm, addmm, addbmm,
 *     linear, matmul, prelu, scaled_dot_product_attention): inputs cast to the autocast dtype
 *     (float16 by default on CUDA, bfloat16 on the CPU).</li>
 * <li><b>float32</b> (CUDA: acos, asin, cosh, erfinv, exp, expm1, log, log10, log2, log1p, reciprocal,
 *     rsqrt, sinh, tan, pow, softplus, layer_norm, group_norm, the norms, cosine_similarity, the losses
 *     (mse_loss, l1_loss, nll_loss, kl_div, ...), dist, cdist, renorm, logsumexp, upsampling; also
 *     softmax, log_softmax, sum, prod, cumsum, cumprod, linalg_vector_norm which get {@code dtype=float32}
 *     and norm which computes in float32; CPU: prod, the losses, the decompositions, fft, pooling
 *     variants, ...): inputs cast to float32.</li>
 * <li><b>promote</b> (CUDA: addcdiv, addcmul, atan2, bilinear, cross, dot, vdot, grid_sampler,
 *     index_put, tensordot, scatter_add; CPU: stack, cat, index_copy): inputs cast to the widest floating
 *     type among them (float32 if any is float32, float64 tensors left alone).</li>
 * </ul>
 * Ops on no list run in their inputs' dtypes with ordinary type promotion (so {@code where} or {@code add}
 * of float16 and float32 give float32). As in PyTorch, the lower-precision copies of float32 leaves that
 * require grad (the weights) are cached until the outermost autocast closes, and casts are recorded for
 * autograd ({@code ToCopyBackward0}), so gradients come back in each leaf's own dtype. jtorch's composite
 * ops that PyTorch lists run with autocast suspended inside, as PyTorch runs them.
 *
 * <p>{@link #TABLE} is the one place that says what autocast does to an op: the dispatcher looks primitive
 * ops up in it by {@link Op} (elementwise ops, reductions and scans, cat), composite ops by their ATen name
 * through {@link #call}; no op decides its own policy.
 */
public final class Autocast implements AutoCloseable {
    /** How a listed op's eligible arguments are cast: autocast_mode.h's CastPolicy. */
    enum Policy { LOWER, FP32, FP32_SET_OPT_DTYPE, FP32_APPEND_DTYPE, PROMOTE }

    /**
     * One op's row of the table: its policy under CUDA autocast and under CPU autocast (null where that device
     * does not list it), and whether, where it is not listed, its pieces meet autocast one by one (PyTorch runs the
     * CompositeImplicitAutograd decomposition of cross_entropy_loss on CUDA, so log_softmax and nll_loss are cast
     * there) rather than running with autocast suspended as a kernel does.
     */
    record Row(Policy cuda, Policy cpu, boolean decomposes) {
        Policy on(boolean cudaDevice) { return cudaDevice ? cuda : cpu; }
    }

    // PyTorch's lists, device by device and policy by policy, in autocast_mode.cpp's order.
    private static final List<List<String>> CUDA_LISTS = List.of(
            List.of("_convolution", "conv1d", "conv2d", "conv3d", "conv_tbc", "conv_transpose1d", "conv_transpose2d",
                    "conv_transpose3d", "convolution", "prelu", "addmm", "addmv", "addr", "matmul", "einsum", "mm", "mv",
                    "linalg_vecdot", "linear", "addbmm", "baddbmm", "bmm", "chain_matmul", "linalg_multi_dot",
                    "_thnn_fused_lstm_cell", "_thnn_fused_gru_cell", "lstm_cell", "gru_cell", "rnn_tanh_cell", "rnn_relu_cell",
                    "_scaled_dot_product_flash_attention", "scaled_dot_product_attention", "cudnn_convolution",
                    "cudnn_convolution_transpose"),
            List.of("acos", "asin", "cosh", "erfinv", "exp", "expm1", "log", "log10", "log2", "log1p", "reciprocal", "rsqrt",
                    "sinh", "tan", "pow", "softplus", "layer_norm", "native_layer_norm", "group_norm", "frobenius_norm",
                    "nuclear_norm", "cosine_similarity", "poisson_nll_loss", "cosine_embedding_loss", "nll_loss", "nll_loss2d",
                    "hinge_embedding_loss", "kl_div", "l1_loss", "smooth_l1_loss", "huber_loss", "mse_loss",
                    "margin_ranking_loss", "multilabel_margin_loss", "soft_margin_loss", "triplet_margin_loss",
                    "multi_margin_loss", "binary_cross_entropy_with_logits", "dist", "pdist", "cdist", "renorm", "logsumexp",
                    "upsample_nearest1d", "_upsample_nearest_exact1d", "upsample_nearest2d", "_upsample_nearest_exact2d",
                    "upsample_nearest3d", "_upsample_nearest_exact3d", "upsample_linear1d", "upsample_bilinear2d",
                    "_upsample_bilinear2d_aa", "upsample_trilinear3d", "upsample_bicubic2d", "_upsample_bicubic2d_aa"),
            List.of("prod", "softmax", "log_softmax", "cumprod", "cumsum", "linalg_vector_norm", "linalg_matrix_norm", "sum"),
            List.of("norm"),
            List.of("addcdiv", "addcmul", "atan2", "bilinear", "cross", "dot", "vdot", "grid_sampler", "index_put", "tensordot",
                    "scatter_add"));

    private static final List<List<String>> CPU_LISTS = List.of(
            List.of("conv1d", "conv2d", "conv3d", "bmm", "mm", "linalg_vecdot", "baddbmm", "addmm", "_addmm_activation", "addbmm",
                    "linear", "_convolution", "matmul", "conv_tbc", "mkldnn_rnn_layer", "conv_transpose1d", "conv_transpose2d",
                    "conv_transpose3d", "prelu", "scaled_dot_product_attention", "_native_multi_head_attention"),
            List.of("avg_pool3d", "binary_cross_entropy", "grid_sampler", "polar", "prod", "quantile", "nanquantile", "stft",
                    "cdist", "grid_sampler_2d", "_grid_sampler_2d_cpu_fallback", "grid_sampler_3d", "trace", "view_as_complex",
                    "cholesky", "cholesky_inverse", "cholesky_solve", "inverse", "lu_solve", "orgqr", "ormqr", "pinverse",
                    "max_pool3d", "max_unpool2d", "max_unpool3d", "adaptive_avg_pool3d", "reflection_pad1d", "reflection_pad2d",
                    "replication_pad1d", "replication_pad2d", "replication_pad3d", "mse_loss", "cosine_embedding_loss",
                    "nll_loss", "nll_loss2d", "hinge_embedding_loss", "poisson_nll_loss", "smooth_l1_loss", "cross_entropy_loss",
                    "l1_loss", "huber_loss", "margin_ranking_loss", "soft_margin_loss", "triplet_margin_loss", "multi_margin_loss",
                    "ctc_loss", "kl_div", "multilabel_margin_loss", "binary_cross_entropy_with_logits", "fft_fft", "fft_ifft",
                    "fft_fft2", "fft_ifft2", "fft_fftn", "fft_ifftn", "fft_rfft", "fft_irfft", "fft_rfft2", "fft_irfft2",
                    "fft_rfftn", "fft_irfftn", "fft_hfft", "fft_ihfft", "linalg_cond", "linalg_matrix_rank", "linalg_solve",
                    "linalg_cholesky", "linalg_svdvals", "linalg_eigvals", "linalg_eigvalsh", "linalg_inv",
                    "linalg_householder_product", "linalg_tensorinv", "linalg_tensorsolve", "fake_quantize_per_tensor_affine",
                    "geqrf", "_lu_with_info", "qr", "svd", "triangular_solve", "fractional_max_pool2d", "fractional_max_pool3d",
                    "adaptive_max_pool3d", "multilabel_margin_loss_forward", "linalg_qr", "linalg_cholesky_ex", "linalg_svd",
                    "linalg_eig", "linalg_eigh", "linalg_lstsq", "linalg_inv_ex"),
            List.of(),
            List.of(),
            List.of("stack", "cat", "index_copy"));

    /** Ops whose pieces meet autocast where the device does not list them (see {@link Row}). */
    private static final List<String> DECOMPOSES = List.of("cross_entropy_loss");

    /** Op name (ATen's) to its row: every op autocast changes on some device. */
    static final Map<String, Row> TABLE = table();

    /** The rows of the primitive ops, by {@link Op#torchName()}; the dispatcher's look-up. */
    private static final Map<Op, Row> PRIMITIVES = new HashMap<>();

    static {
        for (Op op : Op.values()) {
            Row r = TABLE.get(op.torchName());
            if (r != null) PRIMITIVES.put(op, r);
        }
    }

    private static Map<String, Row> table() {
        Map<String, Policy> cuda = new HashMap<>(), cpu = new HashMap<>();
        Policy[] policies = Policy.values(); // the lists are in the order of the Policy constants
        for (int i = 0; i < policies.length; i++) {
            for (String op : CUDA_LISTS.get(i)) cuda.put(op, policies[i]);
            for (String op : CPU_LISTS.get(i)) cpu.put(op, policies[i]);
        }
        Map<String, Row> rows = new HashMap<>();
        for (String op : cuda.keySet()) rows.put(op, new Row(cuda.get(op), cpu.get(op), DECOMPOSES.contains(op)));
        for (String op : cpu.keySet()) rows.putIfAbsent(op, new Row(null, cpu.get(op), DECOMPOSES.contains(op)));
        return Map.copyOf(rows);
    }

    // ---------------------------------------------------------------- per-thread state

    private static final class State {
        boolean cpuOn, cudaOn;
        DType cpuDtype = DType.bfloat16, cudaDtype = DType.float16;
        boolean cacheEnabled = true;
        int nesting, suspended;
        final Map<Tensor, Tensor> cache = new IdentityHashMap<>();

        boolean on(boolean cuda) { return cuda ? cudaOn : cpuOn; }

        DType lower(boolean cuda) { return cuda ? cudaDtype : cpuDtype; }

        void set(boolean cuda, boolean on, DType lower) {
            if (cuda) {
                cudaOn = on;
                cudaDtype = lower;
            } else {
                cpuOn = on;
                cpuDtype = lower;
            }
        }
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);
    /** Open guards that enable autocast, on all threads: the dispatcher skips the thread-local while there are none. */
    private static final AtomicInteger ENABLED = new AtomicInteger();

    // ---------------------------------------------------------------- the guard

    private final boolean cuda, enabled, prevOn, prevCache;
    private final DType dtype, prevDtype;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    Autocast(String deviceType, DType dtype, boolean enabled, Boolean cacheEnabled) {
        String type = deviceType.contains(":") ? deviceType.substring(0, deviceType.indexOf(':')) : deviceType;
        if (!type.equals("cuda") && !type.equals("cpu"))
            throw new IllegalArgumentException("User specified an unsupported autocast device_type '" + deviceType + "'");
        this.cuda = type.equals("cuda");
        State s = STATE.get();
        DType d = dtype != null ? dtype : s.lower(cuda);
        if (enabled && cuda && !Torch.cuda.isAvailable()) {
            Python.warn("User provided device_type of 'cuda', but CUDA is not available. Disabling");
            enabled = false;
        }
        if (enabled && !cuda && d != DType.bfloat16 && d != DType.float16) {
            Python.warn("In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                    + "CPU Autocast only supports dtype of torch.bfloat16, torch.float16 currently.");
            enabled = false;
        }
        if (enabled && cuda && d == DType.bfloat16 && Torch.cuda.getDeviceCapability()[0] < 8)
            throw new IllegalStateException("Current CUDA Device does not support bfloat16. Please switch dtype to float16.");
        this.dtype = d;
        this.enabled = enabled;
        this.prevOn = s.on(cuda);
        this.prevDtype = s.lower(cuda);
        this.prevCache = s.cacheEnabled;
        s.set(cuda, enabled, d);
        if (cacheEnabled != null) s.cacheEnabled = cacheEnabled;
        s.nesting++;
        if (enabled) ENABLED.incrementAndGet();
    }

    /** The device type this guard casts for: "cuda" or "cpu". */
    public String deviceType() { return cuda ? "cuda" : "cpu"; }

    /** The lower-precision dtype of this guard. */
    public DType dtype() { return dtype; }

    /** Whether this guard turned autocast on (false when asked off, or when PyTorch would have disabled it). */
    public boolean enabled() { return enabled; }

    /** Restores the previous state; the outermost guard also drops the cast cache. */
    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("an autocast guard must be closed on the thread that opened it");
        closed = true;
        State s = STATE.get();
        s.set(cuda, prevOn, prevDtype);
        s.cacheEnabled = prevCache;
        if (--s.nesting == 0) s.cache.clear();
        if (enabled) ENABLED.decrementAndGet();
    }

    /** Like {@code torch.is_autocast_enabled(device_type)} on the calling thread. */
    public static boolean isEnabled(String deviceType) { return STATE.get().on(deviceType.startsWith("cuda")); }

    /** Like {@code torch.get_autocast_dtype(device_type)} on the calling thread. */
    public static DType dtype(String deviceType) { return STATE.get().lower(deviceType.startsWith("cuda")); }

    @Override public String toString() { return "autocast(device_type='" + deviceType() + "', dtype=" + dtype + ", enabled=" + enabled + ")"; }

    // ---------------------------------------------------------------- the dispatcher's side

    /**
     * True when autocast may change an op on this thread now: a guard is on and no listed op is running
     * (cheap when no guard is open anywhere). Composite ops check it before {@link #call}.
     */
    public static boolean active() {
        if (ENABLED.get() == 0) return false;
        State s = STATE.get();
        return s.suspended == 0 && (s.cpuOn || s.cudaOn);
    }

    private static boolean anyCuda(Tensor[] args) {
        for (Tensor t : args) if (t != null && t.isCuda()) return true;
        return false;
    }

    private static boolean eligible(Tensor t, boolean cuda) {
        return t != null && t.dtype.isFloatingPoint() && t.dtype != DType.float64 && t.isCuda() == cuda;
    }

    /** The policy of a row on this device, or null when autocast leaves the op alone there. */
    private static Policy policy(State s, Row row, boolean cuda) {
        if (row == null || !s.on(cuda)) return null;
        return row.on(cuda);
    }

    /** A composite op's row; an op that PyTorch does not list is a programming error, not an op autocast skips. */
    private static Row composite(String op) {
        Row row = TABLE.get(op);
        if (row == null) throw new IllegalArgumentException("autocast: " + op + " is not in Autocast.TABLE");
        return row;
    }

    /**
     * The arguments of primitive {@code op} cast as the active autocast policy says (the same array, unchanged,
     * when it says nothing); composites use {@link #call}.
     */
    static Tensor[] cast(Op op, Tensor... args) { return cast(PRIMITIVES.get(op), args); }

    private static Tensor[] cast(Row row, Tensor[] args) {
        State s = STATE.get();
        boolean cuda = anyCuda(args);
        Policy p = policy(s, row, cuda);
        if (p == null) return args;
        DType to = switch (p) {
            case LOWER -> s.lower(cuda);
            case FP32, FP32_SET_OPT_DTYPE, FP32_APPEND_DTYPE -> DType.float32;
            case PROMOTE -> promoteType(s, cuda, args);
        };
        Tensor[] out = args.clone();
        for (int i = 0; i < out.length; i++) out[i] = cachedCast(s, to, out[i], cuda);
        return out;
    }

    /** {@link #cast(Op, Tensor...)} for a list argument (cat). */
    static List<Tensor> cast(Op op, List<Tensor> args) {
        Tensor[] a = args.toArray(new Tensor[0]);
        Tensor[] c = cast(op, a);
        return c == a ? args : List.of(c);
    }

    /**
     * The reduction dtype for ops PyTorch runs with {@code dtype=float32} under autocast (sum, prod, cumsum,
     * cumprod; prod's float32 cast on the CPU): float32 when {@code dtype} is not given and {@code x} is eligible.
     */
    static DType optDtype(Op op, Tensor x, DType dtype) {
        if (dtype != null) return dtype;
        State s = STATE.get();
        boolean cuda = x.isCuda();
        Policy p = policy(s, PRIMITIVES.get(op), cuda);
        if (p == null || p == Policy.LOWER || p == Policy.PROMOTE || !eligible(x, cuda)) return null;
        return DType.float32;
    }

    /**
     * Runs composite {@code op} (ATen's name, a row of {@link #TABLE}) under autocast as PyTorch runs a listed
     * op: its tensor arguments cast by the op's policy, then {@code body} with autocast suspended (the op's own
     * pieces are not cast again), except that the pieces of an op that decomposes meet autocast where the device
     * does not list it. For composite ops outside the dispatcher (e.g. {@code nn.F}); jtorch internals otherwise.
     */
    public static <R> R call(String op, Function<Tensor[], R> body, Tensor... args) {
        if (!active()) return body.apply(args);
        Row row = composite(op);
        State s = STATE.get();
        if (row.decomposes() && policy(s, row, anyCuda(args)) == null) return body.apply(args);
        Tensor[] cast = cast(row, args);
        s.suspended++;
        try {
            return body.apply(cast);
        } finally {
            s.suspended--;
        }
    }

    /** PyTorch's {@code promote_type}: float32 if any eligible argument is float32, else the lower dtype. */
    private static DType promoteType(State s, boolean cuda, Tensor[] args) {
        DType lower = s.lower(cuda), current = lower;
        for (Tensor t : args) {
            if (!eligible(t, cuda)) continue; // float64 tensors are ignored, as PyTorch's prioritize ignores them
            DType next = t.dtype;
            if (current == DType.float32 || next == DType.float32) current = DType.float32;
            else if (current == lower && next == lower) current = lower;
            else throw new IllegalArgumentException("Unexpected floating ScalarType in at::autocast::prioritize");
        }
        return current;
    }

    /** {@code t.to(to)} for an eligible tensor of another dtype, caching the lower-precision copies of float32 weights. */
    private static Tensor cachedCast(State s, DType to, Tensor t, boolean cuda) {
        if (!eligible(t, cuda) || t.dtype == to) return t;
        boolean cacheable = to == s.lower(cuda) && t.dtype == DType.float32 && t.requiresGrad() && t.isLeaf() && !t.isView()
                && s.cacheEnabled;
        if (!cacheable) return t.to(to);
        Tensor c = s.cache.get(t);
        if (c != null && !c.storage.isReleased()) return c;
        c = t.to(to);
        s.cache.put(t, c);
        return c;
    }
}
