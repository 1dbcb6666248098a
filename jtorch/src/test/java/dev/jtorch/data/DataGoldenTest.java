package dev.jtorch.data;

import static dev.jtorch.Torch.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** dev.jtorch.data against what PyTorch printed (golden/data/data_cases.txt, written by gen_data.py beside it). */
class DataGoldenTest {
    private static final Map<String, String> GOLDEN = load();

    private static Map<String, String> load() {
        try (InputStream in = DataGoldenTest.class.getResourceAsStream("/golden/data/data_cases.txt")) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf(" = ");
                if (!line.startsWith("#") && eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 3));
                }
            }
            return m;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String golden(String key) {
        String v = GOLDEN.get(key);
        if (v == null) throw new IllegalStateException("no golden " + key);
        return v;
    }

    /** Batches as PyTorch's script prints them: indices separated by spaces, batches by '|'. */
    private static String batches(Iterable<Tensor[]> loader) {
        List<String> out = new ArrayList<>();
        for (Tensor[] b : loader) {
            out.add(Arrays.stream(b[0].toLongArray()).mapToObj(Long::toString).reduce((a, c) -> a + " " + c).orElse(""));
        }
        return String.join("|", out);
    }

    private static String indexBatches(Iterable<List<Integer>> batches) {
        List<String> out = new ArrayList<>();
        for (List<Integer> b : batches) {
            out.add(String.join(" ", b.stream().map(String::valueOf).toList()));
        }
        return String.join("|", out);
    }

    private static String join(Iterable<Integer> indices) {
        List<String> out = new ArrayList<>();
        for (int i : indices) out.add(Integer.toString(i));
        return String.join(" ", out);
    }

    private static String ints(long[] v) {
        return String.join(" ", Arrays.stream(v).mapToObj(Long::toString).toList());
    }

    private static String subsets(List<? extends Subset<?>> parts) {
        List<String> out = new ArrayList<>();
        for (Subset<?> s : parts) out.add(ints(Arrays.stream(s.indices()).asLongStream().toArray()));
        return String.join("|", out);
    }

    @Test
    void int64RandomDrawIsPyTorchs() {
        manualSeed(0);
        long[] v = new long[3];
        for (int i = 0; i < 3; i++) v[i] = Seeds.randomInt64(Generator.defaultGenerator());
        assertEquals(golden("random_int64.seed0"), ints(v));
    }

    @ParameterizedTest
    @CsvSource({"10, 3, false", "10, 4, true", "64, 8, false", "5, 5, false", "1, 2, false"})
    void shuffledEpochsFollowPyTorch(int n, int bs, boolean drop) {
        manualSeed(7);
        DataLoader<Tensor[]> loader = new DataLoader<>(new TensorDataset(arange(n)), bs, true, drop);
        String key = "shuffle.n" + n + ".bs" + bs + "." + (drop ? "drop" : "keep");
        assertEquals(Integer.parseInt(golden(key + ".len")), loader.size());
        for (int epoch = 0; epoch < 3; epoch++) {
            assertEquals(golden(key + ".epoch" + epoch), batches(loader), "epoch " + epoch);
        }
        // the default generator advanced exactly as PyTorch's
        assertEquals(golden(key + ".after"), ints(randperm(8).toLongArray()));
    }

    @Test
    void sequentialLoaderStillDrawsTheBaseSeed() {
        manualSeed(3);
        assertEquals(golden("sequential.n7.bs3.epoch0"), batches(new DataLoader<>(new TensorDataset(arange(7)), 3)));
        assertEquals(golden("sequential.n7.bs3.after"), ints(randperm(8).toLongArray()));
    }

    @Test
    void explicitGeneratorDrivesShuffleAndLeavesDefaultAlone() {
        manualSeed(11);
        Generator g = new Generator().manualSeed(42);
        DataLoader<Tensor[]> loader = DataLoader.<Tensor[]>builder(new TensorDataset(arange(10)))
                .batchSize(4).shuffle(true).generator(g).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            assertEquals(golden("generator.n10.bs4.epoch" + epoch), batches(loader), "epoch " + epoch);
        }
        assertEquals(golden("generator.n10.bs4.after"), ints(g.randperm(8, DType.int64)));
        assertEquals(golden("generator.n10.bs4.default_after"), ints(randperm(8).toLongArray()));
    }

    @Test
    void samplers() {
        manualSeed(1);
        RandomSampler s = new RandomSampler(new TensorDataset(zeros(7)));
        List<String> passes = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            List<String> one = new ArrayList<>();
            for (int i : s) one.add(Integer.toString(i));
            passes.add(String.join(" ", one));
        }
        assertEquals(golden("random_sampler.n7"), String.join("|", passes));
        Generator g = new Generator().manualSeed(5);
        assertEquals(golden("random_sampler.n10.num23.generator5"),
                join(new RandomSampler(new TensorDataset(zeros(10)), false, 23, g)));
        // two full permutations, then a third cut to 3: the generator advanced by all three
        assertEquals(golden("random_sampler.n10.num23.generator5.after"), ints(g.randperm(8, DType.int64)));
        manualSeed(2);
        assertEquals(golden("random_sampler.n10.replacement.num70"),
                join(new RandomSampler(new TensorDataset(zeros(10)), true, 70, null)));
        SequentialSampler seq = new SequentialSampler(new TensorDataset(zeros(10)));
        assertEquals(golden("batch_sampler.n10.bs3.keep"), indexBatches(new BatchSampler(seq, 3, false)));
        assertEquals(golden("batch_sampler.n10.bs3.drop"), indexBatches(new BatchSampler(seq, 3, true)));
    }

    @Test
    void randomSplit() {
        Dataset<Tensor[]> ds = new TensorDataset(arange(10));
        manualSeed(0);
        assertEquals(golden("random_split.default.3_7"), subsets(Dataset.randomSplit(ds, 3, 7)));
        assertEquals(golden("random_split.generator42.2_5_3"),
                subsets(Dataset.randomSplit(ds, new int[]{2, 5, 3}, new Generator().manualSeed(42))));
        assertEquals(golden("random_split.generator42.fractions_0.33_0.33_0.34"),
                subsets(Dataset.randomSplit(ds, new double[]{0.33, 0.33, 0.34}, new Generator().manualSeed(42))));
        assertEquals(golden("random_split.generator42.fractions_0.5_0.5_n7"),
                subsets(Dataset.randomSplit(new TensorDataset(arange(7)), new double[]{0.5, 0.5}, new Generator().manualSeed(42))));
        // a Subset reads through to the dataset's items
        List<Subset<Tensor[]>> parts = Dataset.randomSplit(ds, new int[]{2, 8}, new Generator().manualSeed(42));
        assertEquals(parts.get(0).indices()[1], parts.get(0).get(1)[0].itemLong());
    }

    @ParameterizedTest
    @CsvSource({"10, 3, false", "10, 3, true", "9, 3, false", "9, 3, true", "2, 5, false", "2, 5, true", "0, 4, false"})
    void lengths(int n, int bs, boolean drop) {
        DataLoader<Tensor[]> loader = new DataLoader<>(new TensorDataset(zeros(n)), bs, false, drop);
        int want = Integer.parseInt(golden("len.n" + n + ".bs" + bs + "." + (drop ? "drop" : "keep")));
        assertEquals(want, loader.size());
        int count = 0;
        for (Tensor[] ignored : loader) count++;
        assertEquals(want, count, "batches iterated");
    }

    @Test
    void collatesTensorsLikePyTorch() {
        Tensor x = arange(0, 24, 1.0, DType.float32).reshape(4, 2, 3);
        Tensor y = tensor(new long[]{3, 1, 4, 1});
        Tensor[] b = new DataLoader<>(new TensorDataset(x, y), 3).iterator().next();
        String got = Arrays.toString(b[0].shape().toArray()) + " " + b[0].dtype() + " " + Arrays.toString(b[1].shape().toArray()) + " " + b[1].dtype()
                + " " + Arrays.toString(b[0].flatten().toDoubleArray()) + " " + Arrays.toString(b[1].toLongArray());
        assertEquals(golden("collate.tensors"), got);
    }

    @Test
    void collatesNumbersLikePyTorch() {
        Dataset<List<Object>> rows = new Dataset<>() {
            private final List<List<Object>> items = List.of(List.of(1, 2.5, true), List.of(2, -0.5, false));

            @Override public List<Object> get(int index) { return items.get(index); }

            @Override public int size() { return items.size(); }
        };
        @SuppressWarnings("unchecked")
        List<Tensor> b = (List<Tensor>) (List<?>) new DataLoader<Object>(rows, 2).iterator().next();
        String got = String.join(" ; ", b.stream().map(t -> t.dtype() + " " + pyList(t)).toList());
        assertEquals(golden("collate.numbers"), got);
    }

    private static String pyList(Tensor t) {
        List<String> v = new ArrayList<>();
        for (Object o : t.toList()) v.add(o instanceof Boolean bo ? (bo ? "True" : "False") : o.toString());
        return "[" + String.join(", ", v) + "]";
    }

    private static void assertError(String key, Class<? extends Throwable> type, Runnable r) {
        String want = golden(key);
        Throwable e = assertThrows(type, r::run);
        assertEquals(want.substring(want.indexOf(": ") + 2), e.getMessage());
    }

    @Test
    void errorMessages() {
        assertError("error.tensor_dataset", IllegalArgumentException.class, () -> new TensorDataset(zeros(3), zeros(4)));
        assertError("error.random_split_sum", IllegalArgumentException.class,
                () -> Dataset.randomSplit(new TensorDataset(zeros(10)), 3, 6));
        assertError("error.batch_size", IllegalArgumentException.class,
                () -> new BatchSampler(new SequentialSampler(new TensorDataset(zeros(3))), 0, false));
        assertError("error.shuffle_sampler", IllegalArgumentException.class, () -> DataLoader.builder(new TensorDataset(zeros(3)))
                .sampler(new SequentialSampler(new TensorDataset(zeros(3)))).shuffle(true).build());
        assertError("error.random_split_fraction", IllegalArgumentException.class,
                () -> Dataset.randomSplit(new TensorDataset(zeros(10)), 1.5, -0.5));
        Dataset<Tensor> ragged = new Dataset<>() {
            @Override public Tensor get(int index) { return zeros(2 + index); }

            @Override public int size() { return 2; }
        };
        assertError("error.collate_sizes", IllegalArgumentException.class, () -> new DataLoader<>(ragged, 2).iterator().next());
        assertError("error.batch_sampler_exclusive", IllegalArgumentException.class, () -> DataLoader.builder(new TensorDataset(zeros(3)))
                .batchSize(2).batchSampler(new BatchSampler(new SequentialSampler(new TensorDataset(zeros(3))), 2, false)).build());
        assertError("error.num_samples", IllegalArgumentException.class, () -> new RandomSampler(new TensorDataset(zeros(0))));
    }

    @Test
    void batchSamplerOptionGivesTheBatches() {
        Dataset<Tensor[]> ds = new TensorDataset(arange(7));
        DataLoader<Tensor[]> loader = DataLoader.<Tensor[]>builder(ds).batchSize(1)
                .batchSampler(new BatchSampler(new SequentialSampler(ds), 3, false)).build();
        assertEquals(3, loader.size());
        assertEquals("0 1 2|3 4 5|6", batches(loader));
    }

    @Test
    void concatDatasetReadsThrough() {
        ConcatDataset<Tensor[]> cat = new ConcatDataset<>(List.of(new TensorDataset(arange(3)), new TensorDataset(arange(0)),
                new TensorDataset(arange(10, 12))));
        assertEquals(5, cat.size());
        assertArrayEquals(new int[]{3, 3, 5}, cat.cumulativeSizes());
        long[] got = new long[6];
        for (int i = 0; i < 5; i++) got[i] = cat.get(i)[0].itemLong();
        got[5] = cat.get(-1)[0].itemLong();
        assertArrayEquals(new long[]{0, 1, 2, 10, 11, 11}, got);
    }

    @Test
    void workersAndPinnedMemoryAreRefusedByName() {
        var ds = new TensorDataset(zeros(4));
        var e = assertThrows(UnsupportedOperationException.class, () -> DataLoader.builder(ds).numWorkers(2).build());
        assertEquals("num_workers=2: jtorch's DataLoader loads in the calling thread only (num_workers=0)", e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> DataLoader.builder(ds).pinMemory(true).build());
        assertEquals("pin_memory=True is not supported by jtorch's DataLoader", e.getMessage());
    }
}
