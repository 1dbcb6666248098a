# The Python twin of dev.jtorch.examples.MnistMlp: the same steps in the same order of random draws,
# so both start from the same weights and see the same batches.
# mnist_mlp.out is what it printed under PyTorch 1.13.0 (python3 mnist_mlp.py > mnist_mlp.out).
import gzip
import struct
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

DATA = Path(__file__).resolve().parents[3] / "main" / "resources" / "data"


def read_idx(name):
    """An IDX file (MNIST's format) as a uint8 tensor: a magic number whose last byte is the rank, the sizes, the bytes."""
    with gzip.open(DATA / name) as f:
        magic = struct.unpack(">i", f.read(4))[0]
        shape = struct.unpack(">" + "i" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(shape)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(28 * 28, 128)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(self.flatten(x))))


torch.manual_seed(0)
images = read_idx("images-idx3-ubyte.gz")
labels = read_idx("labels-idx1-ubyte.gz")
x = (images.float() / 255 - 0.1307) / 0.3081  # MNIST's mean and std, as in PyTorch's examples/mnist
y = labels.long()

# The file is sorted by digit: shuffle before splitting.
perm = torch.randperm(len(x))
x_train, y_train = x[perm[:8000]], y[perm[:8000]]
x_test, y_test = x[perm[8000:]], y[perm[8000:]]

model = Net()
print(model)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)

for epoch in range(3):
    model.train()
    total_loss = 0.0
    for xb, yb in train_loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(xb)

    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(f"epoch {epoch}: loss {total_loss / len(x_train):.4f}, test accuracy {accuracy:.2%}")
