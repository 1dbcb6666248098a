package dev.jtorch.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The CPU random kernels' building blocks; GeneratorTest replays PyTorch's own numbers through them. */
class CpuRandomTest {

    @Test
    void mt19937ReferenceOutput() {
        // Matsumoto & Nishimura's init_genrand(5489): the 10000th output is 4123659995 (C++11 std::mt19937).
        MT19937 mt = new MT19937(5489);
        int v = 0;
        for (int i = 0; i < 10000; i++) {
            v = mt.nextInt();
        }
        assertEquals(4123659995L, Integer.toUnsignedLong(v));
    }

    @Test
    void libmRoundsLikeGlibcNotCorrectly() {
        // Arguments where glibc's result (what PyTorch gets) is an ulp away from the correctly
        // rounded one; Box-Muller in PyTorch sees these, so the Glibc* evaluations must too.
        // {argument, glibc result, correctly rounded result}
        double[][] d = {
            {0x1.c4b4d87439c89p-1, -0x1.f8238b1cad7dep-4, -0x1.f8238b1cad7ddp-4},
            {0x1.4a636400b2bd4p-1, -0x1.c091cb7979970p-2, -0x1.c091cb797996fp-2},
        };
        for (double[] c : d) {
            assertEquals(c[1], GlibcDouble.log(c[0]), "log " + Double.toHexString(c[0]));
            assertNotEquals(c[2], c[1]);
        }
        assertEquals(-0x1.bd334beda4766p-1, GlibcDouble.log1p(-0x1.29657a02f34a6p-1, true));
        assertEquals(-0x1.986ab76688ccep-1, GlibcDouble.log1p(-0x1.19694d6225675p-1, true));
        assertEquals(-0x1.67dfcb8c5af3ap-3, GlibcDouble.sin(0x1.86d1b0518e0a0p+2));
        assertEquals(0x1.46d552b526ff8p-2, GlibcDouble.sin(0x1.688acc64b892fp+1));
        assertEquals(-0x1.e08fac7a0930ap-2, GlibcDouble.cos(0x1.0e5444705fdecp+2));
        assertEquals(-0x1.785058p-4f, GlibcFloat.logf(0x1.d30e92p-1f));
        assertEquals(-0x1.7c74ap-6f, GlibcFloat.logf(0x1.f43f6cp-1f));
        assertEquals(0x1.387ec4p-2f, GlibcFloat.sinf(0x1.3d8f96p-2f));
        assertEquals(-0x1.d5cc26p-2f, GlibcFloat.sinf(0x1.cf21e4p+1f));
        assertEquals(-0x1.b6f35cp-3f, GlibcFloat.cosf(0x1.1fc4b8p+2f));
        assertEquals(-0x1.4b6044p-2f, GlibcFloat.cosf(0x1.188092p+2f));
    }
}
