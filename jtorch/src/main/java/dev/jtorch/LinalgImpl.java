package dev.jtorch;

/** Dense linear algebra on the host in float64. */
final class LinalgImpl {
    private LinalgImpl() {}

    static Tensor inv(Tensor a) { throw new UnsupportedOperationException("linalg.inv is not implemented yet"); }

    static ReturnTypes.LinalgSvd svd(Tensor a) { throw new UnsupportedOperationException("linalg.svd is not implemented yet"); }

    static Tensor det(Tensor a) { throw new UnsupportedOperationException("linalg.det is not implemented yet"); }
}
