package dev.jtorch.data;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PyTorch's {@code default_collate}, over Java's counterparts of Python's containers. */
final class Collate {
    private Collate() {}

    static Object collate(List<?> batch) {
        Object elem = batch.get(0);
        if (elem instanceof Tensor) {
            List<Tensor> tensors = new ArrayList<>(batch.size());
            for (Object o : batch) {
                tensors.add((Tensor) o);
            }
            return Torch.stack(tensors, 0);
        }
        if (elem instanceof Double || elem instanceof Float) {
            double[] v = new double[batch.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Number) batch.get(i)).doubleValue();
            }
            return Torch.fromArray(v); // Python floats become float64, not the default dtype
        }
        if (elem instanceof Long || elem instanceof Integer || elem instanceof Short || elem instanceof Byte) {
            long[] v = new long[batch.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Number) batch.get(i)).longValue();
            }
            return Torch.fromArray(v);
        }
        if (elem instanceof Boolean) {
            boolean[] v = new boolean[batch.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (Boolean) batch.get(i);
            }
            return Torch.fromArray(v);
        }
        if (elem instanceof CharSequence) {
            return List.copyOf(batch);
        }
        if (elem instanceof Map<?, ?> first) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object key : first.keySet()) {
                List<Object> column = new ArrayList<>(batch.size());
                for (Object o : batch) {
                    column.add(((Map<?, ?>) o).get(key));
                }
                out.put(key, collate(column));
            }
            return out;
        }
        if (elem instanceof Tensor[] || elem instanceof Object[] || elem instanceof List<?>) {
            List<List<?>> rows = new ArrayList<>(batch.size());
            for (Object o : batch) {
                rows.add(o instanceof Object[] a ? List.of(a) : (List<?>) o);
            }
            int width = rows.get(0).size();
            for (List<?> row : rows) {
                if (row.size() != width) {
                    throw new IllegalArgumentException("each element in list of batch should be of equal size");
                }
            }
            List<Object> columns = new ArrayList<>(width);
            for (int k = 0; k < width; k++) {
                List<Object> column = new ArrayList<>(batch.size());
                for (List<?> row : rows) {
                    column.add(row.get(k));
                }
                columns.add(collate(column));
            }
            if (elem instanceof Tensor[]) {
                return columns.toArray(new Tensor[0]);
            }
            return elem instanceof Object[] ? columns.toArray() : columns;
        }
        throw new IllegalArgumentException("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found "
                + (elem == null ? "null" : elem.getClass().getName()));
    }
}
