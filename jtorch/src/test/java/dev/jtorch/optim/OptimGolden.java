package dev.jtorch.optim;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The cases of {@code golden/optim/optim_cases.txt} (written by gen_optim.py beside it), parsed. */
final class OptimGolden {
    static final String FILE = "/golden/optim/optim_cases.txt";

    record Group(int[] params, Map<String, String> kwargs) {}

    record Sched(String name, Map<String, String> kwargs) {}

    static final class Case {
        final String name, optimizer;
        final DType dtype;
        final Map<String, String> kwargs;
        final List<Group> groups = new ArrayList<>();
        Sched sched;
        final List<long[]> shapes = new ArrayList<>();
        final List<double[]> init = new ArrayList<>();
        /** grads.get(step).get(i): null where PyTorch had None. */
        final List<List<double[]>> grads = new ArrayList<>();
        final List<List<double[]>> after = new ArrayList<>();
        /** state.get(i): the final state tensors of parameter i, in PyTorch's key order. */
        final Map<Integer, Map<String, double[]>> state = new LinkedHashMap<>();
        List<String> groupKeys;

        Case(String name, String optimizer, DType dtype, Map<String, String> kwargs) {
            this.name = name;
            this.optimizer = optimizer;
            this.dtype = dtype;
            this.kwargs = kwargs;
        }

        @Override
        public String toString() { return name; }
    }

    record Lrs(String name, String scheduler, Map<String, String> kwargs, List<double[]> perEpoch) {}

    final List<Case> cases = new ArrayList<>();
    final List<Lrs> lrs = new ArrayList<>();
    String header;

    static OptimGolden load() {
        try (InputStream in = OptimGolden.class.getResourceAsStream(FILE)) {
            if (in == null) throw new IllegalStateException("missing " + FILE);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OptimGolden parse(String text) {
        OptimGolden g = new OptimGolden();
        Map<String, Case> byName = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) { g.header = line; continue; }
            String[] f = line.split("\\|", -1);
            Case c = f[0].equals("lrs") || f[0].equals("case") ? null : byName.get(f[1]);
            switch (f[0]) {
                case "case" -> {
                    Case nc = new Case(f[1], f[2], dtype(f[3]), kwargs(f[4]));
                    byName.put(nc.name, nc);
                    g.cases.add(nc);
                }
                case "group" -> c.groups.add(new Group(ints(f[2]), kwargs(f[3])));
                case "sched" -> c.sched = new Sched(f[2], kwargs(f[3]));
                case "init" -> {
                    c.shapes.add(shape(f[3]));
                    c.init.add(hex(f[4]));
                }
                case "grad" -> at(c.grads, Integer.parseInt(f[2])).add(f[4].equals("None") ? null : hex(f[4]));
                case "after" -> at(c.after, Integer.parseInt(f[2])).add(hex(f[4]));
                case "state" -> c.state.computeIfAbsent(Integer.parseInt(f[2]), k -> new LinkedHashMap<>()).put(f[3], hex(f[4]));
                case "groupkeys" -> c.groupKeys = List.of(f[2].split(","));
                case "end" -> { }
                case "lrs" -> {
                    List<double[]> epochs = new ArrayList<>();
                    for (String e : f[4].split(";")) epochs.add(hex(e));
                    g.lrs.add(new Lrs(f[1], f[2], kwargs(f[3]), epochs));
                }
                default -> throw new IllegalStateException("unknown record: " + line);
            }
        }
        return g;
    }

    static DType dtype(String name) {
        return switch (name) {
            case "float32" -> DType.float32;
            case "float64" -> DType.float64;
            case "bfloat16" -> DType.bfloat16;
            case "float16" -> DType.float16;
            default -> throw new IllegalStateException("dtype " + name);
        };
    }

    private static List<double[]> at(List<List<double[]>> steps, int k) {
        while (steps.size() <= k) steps.add(new ArrayList<>());
        return steps.get(k);
    }

    static Map<String, String> kwargs(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s.isEmpty()) return m;
        for (String kv : s.split(";")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    static int[] ints(String s) {
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
        return out;
    }

    static double[] doubles(String s) {
        String[] parts = s.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i].trim());
        return out;
    }

    static double[] hex(String s) {
        if (s.isEmpty()) return new double[0];
        String[] parts = s.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i]);
        return out;
    }

    private static long[] shape(String s) {
        if (s.equals("-")) return new long[0];
        String[] parts = s.split("x");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Long.parseLong(parts[i]);
        return out;
    }

    /** A Python literal from the kwargs: True/False, a number, or a comma-separated list of numbers. */
    static Object value(String v) {
        if (v.equals("True")) return true;
        if (v.equals("False")) return false;
        if (v.contains(",")) {
            List<Double> l = new ArrayList<>();
            for (double d : doubles(v)) l.add(d);
            return l;
        }
        return Double.parseDouble(v);
    }

    static Tensor tensor(double[] values, long[] shape, DType dtype) {
        return Torch.fromArray(values.clone(), shape).to(dtype);
    }
}
