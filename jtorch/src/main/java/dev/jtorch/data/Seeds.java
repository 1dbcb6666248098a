package dev.jtorch.data;

import dev.jtorch.DType;
import dev.jtorch.Generator;

/** The seed draws of torch.utils.data. */
final class Seeds {
    private Seeds() {}

    /**
     * {@code torch.empty((), dtype=torch.int64).random_(generator=g).item()}: PyTorch takes 64 random bits and keeps
     * them modulo 2^63. {@code randomFromTo} over [-2^63, 0) draws the same 64 bits and reduces them modulo that
     * range's width, 2^63, so shifting the result back by 2^63 gives PyTorch's value.
     */
    static long randomInt64(Generator g) {
        long[] out = new long[1];
        g.randomFromTo(out, DType.int64, Long.MIN_VALUE, 0);
        return out[0] - Long.MIN_VALUE;
    }
}
