package dev.jtorch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * MnistMlp trains as its Python twin trained under PyTorch 1.13 (mnist/mnist_mlp.out): the same seed gives the same
 * initial weights, split and batch orders, so the same model must print and the per-epoch numbers must agree.
 */
class MnistMlpTest {
    private static final Pattern EPOCH = Pattern.compile("epoch (\\d+): loss (\\d+\\.\\d{4}), test accuracy (\\d+\\.\\d{2})%");

    // Printed to 4 decimals, equal losses can differ by 1e-4 after rounding; the rest is for float32 drift over 375
    // SGD steps (different summation orders in GEMM and reductions). Measured with the DataLoader's batches (the same
    // 375 index batches as PyTorch's): the losses agree to 3e-6 and one test prediction of 2,000 differs in the last
    // epoch; in PyTorch itself, 1e-6 relative noise on the initial weights or training in float64 moved the losses by
    // up to 8e-6. A wrong gradient, update or batch order moves them in the 2nd or 3rd decimal.
    private static final double LOSS_TOL = 2e-4;
    // In percent. One test digit is 0.05: the noise above flipped at most one prediction; allow two.
    private static final double ACCURACY_TOL = 0.10;

    @Test
    void trainsAsPyTorchDoes() throws IOException {
        String[] want = expected().strip().split("\n"), got = run().strip().split("\n");
        assertEquals(want.length, got.length, "number of lines:\n" + String.join("\n", got));
        int epochs = 0;
        double lastAccuracy = 0;
        for (int i = 0; i < want.length; i++) {
            Matcher w = EPOCH.matcher(want[i]), g = EPOCH.matcher(got[i]);
            if (!w.matches()) {
                assertEquals(want[i], got[i], "line " + (i + 1)); // the model's repr
                continue;
            }
            assertTrue(g.matches(), "line " + (i + 1) + ": want like \"" + want[i] + "\", got \"" + got[i] + "\"");
            assertEquals(w.group(1), g.group(1), "epoch number, line " + (i + 1));
            assertEquals(Double.parseDouble(w.group(2)), Double.parseDouble(g.group(2)), LOSS_TOL, "loss, line " + (i + 1));
            assertEquals(Double.parseDouble(w.group(3)), Double.parseDouble(g.group(3)), ACCURACY_TOL, "accuracy, line " + (i + 1));
            lastAccuracy = Double.parseDouble(g.group(3));
            epochs++;
        }
        assertEquals(3, epochs, "epoch lines");
        // Whatever PyTorch printed, the example is there to show a network that learns to read digits.
        assertTrue(lastAccuracy >= 90, "final test accuracy " + lastAccuracy + "%");
    }

    private static String expected() throws IOException {
        try (InputStream in = MnistMlpTest.class.getResourceAsStream("/mnist/mnist_mlp.out")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String run() throws IOException {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            MnistMlp.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
