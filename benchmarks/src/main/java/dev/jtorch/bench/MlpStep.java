package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.F;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import dev.jtorch.optim.SGD;

/**
 * One training step of a 784-1024-1024-10 MLP on a batch of 512, SGD with momentum, fp32: zero the gradients,
 * forward, cross-entropy, backward, update. {@code gpu_reference.py} and {@code cpu_reference.py} time the same
 * step in PyTorch.
 */
final class MlpStep implements Runnable {
    final Sequential model;
    final SGD optimizer;
    final Tensor x, y;
    volatile double lastLoss;

    MlpStep(Device device) {
        Torch.manualSeed(0);
        model = new Sequential(new Linear(784, 1024), new ReLU(), new Linear(1024, 1024), new ReLU(), new Linear(1024, 10));
        model.to(device);
        optimizer = new SGD(model.parameters(), 0.01, 0.9); // after the move: it holds the moved parameters
        x = Torch.randn(new long[]{512, 784}, DType.float32, device);
        y = Torch.randint(0, 10, new long[]{512}, DType.int64, device);
    }

    @Override public void run() {
        optimizer.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(x), y);
        loss.backward();
        optimizer.step();
    }

    /** The loss of one more step, read back to the host (a check that training happens). */
    double loss() {
        optimizer.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
