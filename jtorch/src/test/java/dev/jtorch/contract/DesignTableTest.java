package dev.jtorch.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** DESIGN.md's API table (the project's copy of the table, kept in this package) compiles against the API and runs. */
class DesignTableTest {
    @Test
    void tableRunsAndPrints() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            DesignTable.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertTrue(out.startsWith("tensor([[1, 2],\n        [3, 4]])\ntensor([[1., 2., 3.],\n        [4., 5., 6.]])\n"), out);
        assertTrue(out.contains("torch.Size([2, 3]) torch.float32 cpu torch.FloatTensor"), out);
        assertTrue(out.contains("tensor(8.) AddBackward0 true"), out);
    }
}
