package dev.jtorch;

/** The named tuples PyTorch returns, printed like {@code torch.return_types.max(values=..., indices=...)}. */
public final class ReturnTypes {
    private ReturnTypes() {}

    static String show(String name, String[] fields, Tensor... values) {
        StringBuilder sb = new StringBuilder("torch.return_types.").append(name).append("(\n");
        for (int i = 0; i < fields.length; i++) {
            sb.append(fields[i]).append('=').append(values[i]).append(i + 1 < fields.length ? ",\n" : ")");
        }
        return sb.toString();
    }

    /** Like {@code torch.return_types.max}. */
    public record Max(Tensor values, Tensor indices) {
        @Override public String toString() { return show("max", new String[]{"values", "indices"}, values, indices); }
    }

    /** Like {@code torch.return_types.min}. */
    public record Min(Tensor values, Tensor indices) {
        @Override public String toString() { return show("min", new String[]{"values", "indices"}, values, indices); }
    }

    /** Like {@code torch.return_types.sort}. */
    public record Sort(Tensor values, Tensor indices) {
        @Override public String toString() { return show("sort", new String[]{"values", "indices"}, values, indices); }
    }

    /** Like {@code torch.return_types.topk}. */
    public record Topk(Tensor values, Tensor indices) {
        @Override public String toString() { return show("topk", new String[]{"values", "indices"}, values, indices); }
    }

    /** Like {@code torch.return_types.svd}: {@code a = U diag(S) V^T}. */
    public record Svd(Tensor U, Tensor S, Tensor V) {
        @Override public String toString() { return show("svd", new String[]{"U", "S", "V"}, U, S, V); }
    }

    /** Like {@code torch.return_types.linalg_svd}: {@code a = U diag(S) Vh}. */
    public record LinalgSvd(Tensor U, Tensor S, Tensor Vh) {
        @Override public String toString() { return show("linalg_svd", new String[]{"U", "S", "Vh"}, U, S, Vh); }
    }

    /** Like {@code torch.return_types.var_mean}. */
    public record VarMean(Tensor var, Tensor mean) {}

    /** Like {@code torch.unique(..., return_inverse=True, return_counts=True)}. */
    public record Unique(Tensor values, Tensor inverse, Tensor counts) {}
}
