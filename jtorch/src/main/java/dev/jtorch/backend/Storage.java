package dev.jtorch.backend;

import dev.jtorch.DType;
import dev.jtorch.Device;

/** A flat buffer of elements of one dtype on one device; tensors are strided views over it. */
public interface Storage {
    Device device();

    DType dtype();

    /** How many elements the buffer holds. */
    long numel();
}
