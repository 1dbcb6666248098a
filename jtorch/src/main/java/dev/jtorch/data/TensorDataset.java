package dev.jtorch.data;

import dev.jtorch.Tensor;
import java.util.List;

/**
 * A dataset whose item {@code i} holds row {@code i} of each tensor ({@code torch.utils.data.TensorDataset}); the
 * rows are views, as in PyTorch.
 */
public final class TensorDataset implements Dataset<Tensor[]> {
    private final Tensor[] tensors;

    /** Wraps tensors that share their first dimension ({@code TensorDataset(x, y)}). */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        }
        for (Tensor t : tensors) {
            if (t.dim() == 0 || t.size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException("Size mismatch between tensors");
            }
        }
        this.tensors = tensors.clone();
    }

    /** The wrapped tensors ({@code dataset.tensors}). */
    public List<Tensor> tensors() {
        return List.of(tensors);
    }

    @Override
    public Tensor[] get(int index) {
        Tensor[] item = new Tensor[tensors.length];
        for (int k = 0; k < tensors.length; k++) {
            item[k] = tensors[k].get((long) index);
        }
        return item;
    }

    @Override
    public int size() {
        return Math.toIntExact(tensors[0].size(0));
    }
}
