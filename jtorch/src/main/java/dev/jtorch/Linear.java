package dev.jtorch;

import dev.jtorch.dispatch.Shapes;
import dev.jtorch.dispatch.Dispatch;
/** The matmul family, reduced to batched 3-D products with PyTorch's shape rules and messages. */
final class Linear {
    private Linear() {}

    private static String dims(Tensor t) { return t.shape[0] + "x" + (t.dim() > 1 ? t.shape[1] : 1); }

    static Tensor mm(Tensor a, Tensor b) {
        if (Autocast.active()) return Autocast.call("mm", xs -> mm(xs[0], xs[1]), a, b);
        if (a.dim() != 2) throw new IllegalArgumentException("self must be a matrix");
        if (b.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix");
        if (a.shape[1] != b.shape[0])
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + dims(a) + " and " + dims(b) + ")");
        return dev.jtorch.autograd.Graph.composite("MmBackward0",
                xs -> Dispatch.bmm(xs[0].unsqueeze(0), xs[1].unsqueeze(0)).squeeze(0), a, b);
    }

    /**
     * {@code beta * input + alpha * (mat1 @ mat2)} recorded as PyTorch's {@code AddmmBackward0}, with ADDMM_META's
     * checks in its order (dtypes first, then ranks, then shapes) and {@code input} broadcast to the product's shape.
     */
    static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha) {
        if (Autocast.active()) return Autocast.call("addmm", xs -> addmm(xs[0], xs[1], xs[2], beta, alpha), input, mat1, mat2);
        if (input.dtype != mat2.dtype)
            throw new IllegalArgumentException("self and mat2 must have the same dtype, but got " + input.dtype.scalarTypeName() + " and " + mat2.dtype.scalarTypeName());
        if (mat1.dtype != mat2.dtype)
            throw new IllegalArgumentException("mat1 and mat2 must have the same dtype, but got " + mat1.dtype.scalarTypeName() + " and " + mat2.dtype.scalarTypeName());
        if (mat1.dim() != 2) throw new IllegalArgumentException("mat1 must be a matrix, got " + mat1.dim() + "-D tensor");
        if (mat2.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix, got " + mat2.dim() + "-D tensor");
        if (mat1.shape[1] != mat2.shape[0])
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + dims(mat1) + " and " + dims(mat2) + ")");
        input.expand(mat1.shape[0], mat2.shape[1]); // PyTorch's expand_size check and message
        return dev.jtorch.autograd.Graph.composite("AddmmBackward0", xs -> {
            Tensor product = mm(xs[1], xs[2]);
            if (alpha != 1) product = product.mul(alpha);
            if (beta == 0) {
                // BLAS ignores input when beta = 0 (its NaNs do not reach the result), yet its gradient is zeros, not None.
                Tensor never = Torch.zeros(new long[]{1}, DType.bool, xs[0].device());
                return product.add(Torch.where(never, xs[0], 0.0));
            }
            return (beta == 1 ? xs[0] : xs[0].mul(beta)).add(product);
        }, input, mat1, mat2);
    }

    static Tensor bmm(Tensor a, Tensor b) {
        if (Autocast.active()) return Autocast.call("bmm", xs -> bmm(xs[0], xs[1]), a, b);
        if (a.dim() != 3) throw new IllegalArgumentException("batch1 must be a 3D tensor");
        if (b.dim() != 3) throw new IllegalArgumentException("batch2 must be a 3D tensor");
        if (a.shape[0] != b.shape[0])
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + a.shape[0] + ", " + a.shape[2]
                    + "] but got: [" + b.shape[0] + ", " + b.shape[1] + "].");
        if (a.shape[2] != b.shape[1])
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + a.shape[0] + ", " + a.shape[2]
                    + "] but got: [" + b.shape[0] + ", " + b.shape[1] + "].");
        return Dispatch.bmm(a, b);
    }

    static Tensor mv(Tensor a, Tensor v) {
        if (Autocast.active()) return Autocast.call("mv", xs -> mv(xs[0], xs[1]), a, v);
        // ATen's mv: a result of self.size(0) in vec's dtype, then addmv's meta checks and addmv_out_cpu (LinearAlgebra.cpp)
        if (a.dim() == 0) Shapes.wrapDimNoScalar(0, 0);
        if (a.dim() != 2 || v.dim() != 1)
            throw new IllegalArgumentException("vector + matrix @ vector expected, got 1, " + a.dim() + ", " + v.dim());
        if (a.shape[1] != v.shape[0])
            throw new IllegalArgumentException("size mismatch, got input (" + a.shape[0] + "), mat (" + a.shape[0] + "x" + a.shape[1] + "), vec (" + v.shape[0] + ")");
        if (a.numel() == 0 && (a.dtype != v.dtype || a.dtype == DType.bool)) // addmv's empty-matrix shortcut: zeros, no kernel
            return Torch.zeros(new long[]{a.shape[0]}, v.dtype, v.device());
        if (a.dtype == DType.bool) throw new UnsupportedOperationException("\"addmv_impl_cpu\" not implemented for 'Bool'");
        return dev.jtorch.autograd.Graph.composite("MvBackward0",
                xs -> Dispatch.bmm(xs[0].unsqueeze(0), xs[1].unsqueeze(1).unsqueeze(0)).squeeze(0).squeeze(1), a, v);
    }

    static Tensor dot(Tensor a, Tensor b) {
        if (Autocast.active()) return Autocast.call("dot", xs -> dot(xs[0], xs[1]), a, b);
        if (a.dim() != 1 || b.dim() != 1)
            throw new IllegalArgumentException("1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        if (a.shape[0] != b.shape[0])
            throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.shape[0] + "] and src [" + b.shape[0]
                    + "] to have the same number of elements, but got " + a.shape[0] + " and " + b.shape[0] + " elements respectively");
        if (a.dtype != b.dtype)
            throw new IllegalArgumentException("dot : expected both vectors to have same dtype, but found " + a.dtype.scalarTypeName() + " and " + b.dtype.scalarTypeName());
        return dev.jtorch.autograd.Graph.composite("DotBackward0",
                xs -> Dispatch.bmm(xs[0].view(1, 1, -1), xs[1].view(1, -1, 1)).view(), a, b);
    }

    static Tensor outer(Tensor a, Tensor b) {
        // ATen's check_1d (Linear.cpp)
        if (a.dim() != 1) throw new IllegalArgumentException("outer: Expected 1-D argument self, but got " + a.dim() + "-D");
        if (b.dim() != 1) throw new IllegalArgumentException("outer: Expected 1-D argument vec2, but got " + b.dim() + "-D");
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    /** torch.matmul: 1-D operands get a dim added and removed, batch dims broadcast. */
    static Tensor matmul(Tensor a, Tensor b) {
        if (Autocast.active()) return Autocast.call("matmul", xs -> matmul(xs[0], xs[1]), a, b);
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0)
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + da + "D and " + db + "D");
        if (da == 1 && db == 1) return dot(a, b);
        if (da == 2 && db == 1) return mv(a, b);
        if (da == 1 && db == 2) {
            if (a.shape[0] != b.shape[0])
                throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (1x" + a.shape[0] + " and " + dims(b) + ")");
            return dev.jtorch.autograd.Graph.recordAs(mm(a.unsqueeze(0), b).squeeze(0), dev.jtorch.autograd.Variant.SQUEEZE_DIM_INPLACE);
        }
        if (da == 2 && db == 2) return mm(a, b);
        checkMatmulFolded(a, b);
        Tensor x = da == 1 ? a.unsqueeze(0) : a;
        Tensor y = db == 1 ? b.unsqueeze(1) : b;
        long n = x.shape[x.dim() - 2], k = x.shape[x.dim() - 1], m = y.shape[y.dim() - 1];
        long[] bx = java.util.Arrays.copyOf(x.shape, x.dim() - 2), by = java.util.Arrays.copyOf(y.shape, y.dim() - 2);
        long[] batchShape = Shapes.broadcast(bx, by);
        long batches = Shapes.numel(batchShape);
        Tensor xe = x.expand(concat(batchShape, n, k)).reshape(batches, n, k);
        Tensor ye = y.expand(concat(batchShape, k, m)).reshape(batches, k, m);
        Tensor r = Dispatch.bmm(xe, ye);
        long[] finalShape = java.util.Arrays.copyOf(batchShape, batchShape.length + (da == 1 ? 0 : 1) + (db == 1 ? 0 : 1));
        int at = batchShape.length;
        if (da != 1) finalShape[at++] = n;
        if (db != 1) finalShape[at] = m;
        return dev.jtorch.autograd.Graph.recordAs(r.view(finalShape), dev.jtorch.autograd.Variant.UNSAFE_VIEW);
    }

    /**
     * The checks of ATen's _matmul_impl for operands beyond 2-D (LinearAlgebra.cpp), in the path it takes:
     * should_fold folds the larger operand into a matrix for mm or mv when its leading dims are contiguous (or it
     * is empty, or the other operand requires grad), each path with its own shape message, dtype check and kernel
     * name; otherwise the batch dims broadcast and bmm checks. jtorch computes every path with one batched product.
     */
    private static void checkMatmulFolded(Tensor a, Tensor b) {
        int da = a.dim(), db = b.dim();
        boolean t1Larger = da >= db;
        Tensor t1 = t1Larger ? a : b.transpose(-2, -1);
        int dimT2 = t1Larger ? db : da;
        boolean fold = t1.dim() >= 3 && dimT2 <= 2;
        if (fold && !(t1Larger ? b : a).requiresGrad()) {
            if (da == 2) fold = false;
            else if (t1.numel() != 0)
                for (int i = 0; i < t1.dim() - 2; i++) if (t1.stride[i] != t1.stride[i + 1] * t1.shape[i + 1]) fold = false;
        }
        if (fold) {
            Tensor t2 = t1Larger ? b : da == 2 ? a.t() : a;
            long rows = Shapes.numel(java.util.Arrays.copyOf(t1.shape, t1.dim() - 1)), k = t1.shape[t1.dim() - 1];
            if (t2.dim() == 2) { // mm
                if (k != t2.shape[0])
                    throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + k + " and " + dims(t2) + ")");
                checkProductDtypes(t1, t2, "addmm_impl_cpu_");
            } else { // mv
                if (k != t2.shape[0])
                    throw new IllegalArgumentException("size mismatch, got input (" + rows + "), mat (" + rows + "x" + k + "), vec (" + t2.shape[0] + ")");
                if (rows * k != 0) checkProductDtypes(t1, t2, "addmv_impl_cpu");
            }
            return;
        }
        long m1 = a.shape[da - 1], m2 = db > 1 ? b.shape[db - 2] : b.shape[0];
        long bs = Shapes.numel(Shapes.broadcast(java.util.Arrays.copyOf(a.shape, Math.max(da - 2, 0)),
                java.util.Arrays.copyOf(b.shape, Math.max(db - 2, 0))));
        if (m1 != m2)
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + bs + ", " + m1 + "] but got: [" + bs + ", " + m2 + "].");
    }

    /**
     * The kernels' checks: addmm_impl_cpu_ compares the dtypes before it dispatches; addmv dispatches on the
     * matrix's dtype (none for bool), then reads the vector as that type.
     */
    private static void checkProductDtypes(Tensor m1, Tensor m2, String kernel) {
        boolean mv = kernel.equals("addmv_impl_cpu");
        if (mv && m1.dtype == DType.bool) throw new UnsupportedOperationException("\"" + kernel + "\" not implemented for 'Bool'");
        if (m1.dtype != m2.dtype)
            throw new IllegalArgumentException("expected m1 and m2 to have the same dtype, but got: " + m1.dtype.typeMetaName() + " != " + m2.dtype.typeMetaName());
        if (m1.dtype == DType.bool) throw new UnsupportedOperationException("\"" + kernel + "\" not implemented for 'Bool'");
    }

    private static long[] concat(long[] head, long p, long q) {
        long[] r = java.util.Arrays.copyOf(head, head.length + 2);
        r[head.length] = p;
        r[head.length + 1] = q;
        return r;
    }
}
