package dev.jtorch.examples;

import static dev.jtorch.Torch.*;

import dev.jtorch.Tensor;
import dev.jtorch.data.DataLoader;
import dev.jtorch.data.TensorDataset;
import dev.jtorch.nn.CrossEntropyLoss;
import dev.jtorch.nn.Flatten;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ReLU;
import dev.jtorch.optim.SGD;
import java.io.IOException;
import java.util.Locale;

/**
 * A first neural network: a two-layer perceptron that learns to read handwritten digits (10,000 MNIST digits
 * shipped in the resources), written as a PyTorch tutorial writes it. {@code mnist_mlp.py} beside its test is
 * the same program in Python and prints the same model and, to float rounding, the same numbers.
 */
public final class MnistMlp {
    private MnistMlp() {}

    static final class Net extends Module {
        final Flatten flatten = register("flatten", new Flatten());
        final Linear fc1 = register("fc1", new Linear(28 * 28, 128));
        final ReLU relu = register("relu", new ReLU());
        final Linear fc2 = register("fc2", new Linear(128, 10));

        @Override public Tensor forward(Tensor x) {
            return fc2.forward(relu.forward(fc1.forward(flatten.forward(x))));
        }
    }

    public static void main(String[] args) throws IOException {
        manualSeed(0);
        Tensor images = Idx.read("/data/images-idx3-ubyte.gz");
        Tensor labels = Idx.read("/data/labels-idx1-ubyte.gz");
        Tensor x = images.float32().div(255).sub(0.1307).div(0.3081); // MNIST's mean and std, as in PyTorch's examples/mnist
        Tensor y = labels.int64();

        // The file is sorted by digit: shuffle before splitting.
        Tensor perm = randperm(x.size(0));
        Tensor xTrain = x.get(perm.get(":8000")), yTrain = y.get(perm.get(":8000"));
        Tensor xTest = x.get(perm.get("8000:")), yTest = y.get(perm.get("8000:"));

        Net model = new Net();
        System.out.println(model);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        SGD optimizer = new SGD(model.parameters(), 0.01, 0.9);
        DataLoader<Tensor[]> trainLoader = new DataLoader<>(new TensorDataset(xTrain, yTrain), 64, true);

        for (int epoch = 0; epoch < 3; epoch++) {
            model.train();
            double totalLoss = 0;
            for (Tensor[] batch : trainLoader) {
                Tensor xb = batch[0], yb = batch[1];
                Tensor loss = lossFn.forward(model.forward(xb), yb);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                totalLoss += loss.item() * xb.size(0);
            }

            model.eval();
            double accuracy;
            try (var g = noGrad()) {
                accuracy = model.forward(xTest).argmax(1).eq(yTest).float32().mean().item();
            }
            // Locale.ROOT: a decimal point whatever the user's locale, as Python prints
            System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, test accuracy %.2f%%%n", epoch, totalLoss / xTrain.size(0), accuracy * 100);
        }
    }
}
