package dev.jtorch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main example prints, line for line, what its Python twin printed under PyTorch 2.11 (tutorial.out). */
class TutorialTest {
    @Test
    void printsWhatPyTorchPrints() throws IOException {
        String expected;
        try (InputStream in = TutorialTest.class.getResourceAsStream("/tutorial/tutorial.out")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Tutorial.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String[] want = expected.strip().split("\n"), got = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        for (int i = 0; i < Math.min(want.length, got.length); i++) assertEquals(want[i], got[i], "line " + (i + 1));
        assertEquals(want.length, got.length, "number of lines");
    }
}
