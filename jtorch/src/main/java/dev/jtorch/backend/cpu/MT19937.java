package dev.jtorch.backend.cpu;

import java.util.Arrays;

/**
 * The 32-bit Mersenne Twister behind PyTorch's CPU generator ({@code at::mt19937}).
 *
 * <p>Seeding uses only the low 32 bits of the seed (Knuth's initialisation, multiplier 1812433253)
 * but remembers the whole 64-bit seed, like PyTorch. The twist is deferred: a freshly seeded
 * engine has {@code left == 1}, so the first draw regenerates the whole block of 624 words; the
 * {@code left}/{@code next} bookkeeping is kept exactly as PyTorch keeps it so that
 * {@link CpuGenerator#getState()} can reproduce {@code torch.Generator.get_state()} byte for byte.
 *
 * <p>Not thread-safe; {@link CpuGenerator} guards it.
 */
final class MT19937 {
    static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    final int[] state = new int[N];
    long seed;
    int left;
    int next;
    boolean seeded;

    MT19937(long seed) {
        reseed(seed);
    }

    private MT19937() {
    }

    void reseed(long seed) {
        this.seed = seed;
        this.seeded = true;
        int prev = (int) seed;
        state[0] = prev;
        for (int j = 1; j < N; j++) {
            prev = 1812433253 * (prev ^ (prev >>> 30)) + j;
            state[j] = prev;
        }
        left = 1;
        next = 0;
    }

    /** The next 32 random bits (an unsigned value held in an int). */
    int nextInt() {
        if (--left == 0) {
            regenerate();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void regenerate() {
        left = N;
        next = 0;
        int[] s = state;
        for (int i = 0; i < N; i++) {
            int mixed = (s[i] & UPPER) | (s[i + 1 < N ? i + 1 : 0] & LOWER);
            int twisted = (mixed >>> 1) ^ ((s[i + 1 < N ? i + 1 : 0] & 1) != 0 ? MATRIX_A : 0);
            s[i] = s[i + M < N ? i + M : i + M - N] ^ twisted;
        }
    }

    /** Whether the bookkeeping is one PyTorch would accept from {@code set_state}. */
    boolean isValid() {
        return seeded && left > 0 && left <= N && next >= 0 && next <= N;
    }

    MT19937 copy() {
        MT19937 c = new MT19937();
        System.arraycopy(state, 0, c.state, 0, N);
        c.seed = seed;
        c.left = left;
        c.next = next;
        c.seeded = seeded;
        return c;
    }

    @Override
    public String toString() {
        return "MT19937[seed=" + Long.toUnsignedString(seed) + ", left=" + left + ", next=" + next
                + ", state[0..4]=" + Arrays.toString(Arrays.copyOf(state, 4)) + "]";
    }
}
