/**
 * jtorch: PyTorch's API natively in Java. Exports the packages a PyTorch program ported to Java uses: the facade
 * ({@code Tensor}, {@code Torch}, the namespaces and value types), autograd's user API, nn, optim, data, io and amp.
 * The op vocabulary and the backends are internal. On the class path (how the examples, the benchmarks and the GPU
 * pack run it) the module boundary does not apply.
 */
module dev.jtorch {
    requires jdk.incubator.vector;
    requires java.management;
    requires jdk.management;

    exports dev.jtorch;
    exports dev.jtorch.autograd;
    exports dev.jtorch.nn;
    exports dev.jtorch.optim;
    exports dev.jtorch.data;
    exports dev.jtorch.io;
    exports dev.jtorch.amp;
}
