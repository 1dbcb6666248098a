package dev.jtorch.dispatch;

import dev.jtorch.Autocast;
import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.internal.TensorAccess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tensor's composite shape ops built on indexing and views (repeat, take_along_dim, sum_to_size, ...); {@code Tensor}'s methods are one line into these. */
public final class Composites {
    private static final TensorAccess T = TensorAccess.get();

    private Composites() {}

    public static Tensor indexPut(Tensor self, Tensor[] indices, Tensor values, boolean accumulate) {
        if (Autocast.active()) return Autocast.call("index_put", xs -> xs[0].clone().indexPut_(indices, xs[1], accumulate), self, values);
        return self.clone().indexPut_(indices, values, accumulate);
    }

    /** Like {@code torch.take_along_dim(x, indices, dim)}: gathers along dim after broadcasting the other dims. */
    public static Tensor takeAlongDim(Tensor self, Tensor indices, int dim) {
        // ATen's _take_along_dim_helper (TensorAdvancedIndexing.cpp), its checks in its order
        if (self.dim() != indices.dim())
            throw new IllegalArgumentException("torch.take_along_dim(): input and indices should have the same number of dimensions, but got "
                    + self.dim() + " dimensions for input, and " + indices.dim() + " dimensions for indices");
        if (T.dtype(indices) != DType.int64)
            throw new IllegalArgumentException("torch.take_along_dim(): dtype of indices should be Long but got " + T.dtype(indices).scalarTypeName());
        int d = Shapes.wrapDim(dim, self.dim());
        long[] selfSizes = T.shape(self).clone();
        selfSizes[d] = T.shape(indices)[Shapes.wrapDimNoScalar(d, indices.dim())]; // indices.size(dim): a 0-dim input has none
        Tensor idx = indices.broadcastTo(Shapes.broadcast(selfSizes, T.shape(indices)));
        long[] indicesSizes = T.shape(indices).clone();
        indicesSizes[d] = T.shape(self)[d];
        Tensor expanded = self.broadcastTo(Shapes.broadcast(indicesSizes, T.shape(self)));
        return expanded.gather(d, idx);
    }

    /** Like {@code torch.sum_to_size}: sums broadcast dims away to reach {@code size}. */
    public static Tensor sumToSize(Tensor self, long... size) {
        if (Arrays.equals(T.shape(self), size)) return self;
        int lead = self.dim() - size.length;
        boolean expandable = lead >= 0;
        for (int i = 0; expandable && i < size.length; i++) expandable = size[i] == T.shape(self)[i + lead] || size[i] == 1;
        if (!expandable) throw new IllegalArgumentException("size {" + Shapes.str(size) + "} is not expandable to size {" + Shapes.str(T.shape(self)) + "}.");
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < self.dim(); i++) if (i < lead || (size[i - lead] == 1 && T.shape(self)[i] != 1)) dims.add(i);
        Tensor r = dims.isEmpty() ? self : self.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return lead > 0 || !Arrays.equals(T.shape(r), size) ? r.view(size) : r;
    }

    public static Tensor repeatImpl(Tensor self, long... repeats) {
        if (repeats.length < self.dim())
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        int lead = repeats.length - self.dim();
        long[] padded = new long[repeats.length], result = new long[repeats.length];
        for (int i = 0; i < repeats.length; i++) {
            padded[i] = i < lead ? 1 : T.shape(self)[i - lead];
            result[i] = padded[i] * repeats[i]; // wraps as in ATen's repeat, whose at::empty(target_size) then refuses it
        }
        Shapes.checkNewTensor(result, T.dtype(self).itemSize());
        Tensor x = self.reshape(padded);
        long[] expanded = new long[2 * repeats.length], target = new long[repeats.length], unsq = new long[2 * repeats.length];
        for (int i = 0; i < repeats.length; i++) {
            unsq[2 * i] = 1;
            unsq[2 * i + 1] = padded[i];
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = padded[i];
            target[i] = repeats[i] * padded[i];
        }
        return x.reshape(unsq).expand(expanded).contiguous().reshape(target);
    }
}
