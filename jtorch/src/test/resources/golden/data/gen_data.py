# Writes data_cases.txt beside it: batch orders, splits and lengths of torch.utils.data, read by
# dev.jtorch.data's tests. Run: python3 gen_data.py (PyTorch 1.13 wrote the stored file;
# the code paths used here, RandomSampler, BatchSampler, random_split and the loader's per-iterator
# base seed, are the same in 2.x).
import os
import sys

import torch
from torch.utils.data import (BatchSampler, DataLoader, RandomSampler, SequentialSampler, TensorDataset,
                              random_split)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)


def batches(it):
    return "|".join(" ".join(str(int(i)) for i in (b.tolist() if torch.is_tensor(b) else b)) for b in it)


def out(key, value):
    print(f"{key} = {value}")


goldenlib.stdout_to(__file__, "data_cases.txt")

# int64 random_() on the default generator: RandomSampler's seed draw
torch.manual_seed(0)
out("random_int64.seed0", " ".join(str(torch.empty((), dtype=torch.int64).random_().item()) for _ in range(3)))

# shuffle=True with no generator: every epoch draws the loader's base seed, then the sampler's seed
for n, bs, drop in [(10, 3, False), (10, 4, True), (64, 8, False), (5, 5, False), (1, 2, False)]:
    torch.manual_seed(7)
    loader = DataLoader(TensorDataset(torch.arange(n)), batch_size=bs, shuffle=True, drop_last=drop)
    key = f"shuffle.n{n}.bs{bs}.{'drop' if drop else 'keep'}"
    out(key + ".len", len(loader))
    for epoch in range(3):
        out(f"{key}.epoch{epoch}", batches(b[0] for b in loader))
    out(key + ".after", " ".join(map(str, torch.randperm(8).tolist())))

# shuffle=False still draws the base seed from the default generator
torch.manual_seed(3)
loader = DataLoader(TensorDataset(torch.arange(7)), batch_size=3)
out("sequential.n7.bs3.epoch0", batches(b[0] for b in loader))
out("sequential.n7.bs3.after", " ".join(map(str, torch.randperm(8).tolist())))

# an explicit generator: base seed and permutations come from it (and the default one is untouched)
torch.manual_seed(11)
g = torch.Generator().manual_seed(42)
loader = DataLoader(TensorDataset(torch.arange(10)), batch_size=4, shuffle=True, generator=g)
for epoch in range(2):
    out(f"generator.n10.bs4.epoch{epoch}", batches(b[0] for b in loader))
out("generator.n10.bs4.after", " ".join(map(str, torch.randperm(8, generator=g).tolist())))
out("generator.n10.bs4.default_after", " ".join(map(str, torch.randperm(8).tolist())))

# samplers alone
torch.manual_seed(1)
s = RandomSampler(range(7))
out("random_sampler.n7", "|".join(" ".join(map(str, list(s))) for _ in range(2)))
g = torch.Generator().manual_seed(5)
out("random_sampler.n10.num23.generator5", " ".join(map(str, RandomSampler(range(10), num_samples=23, generator=g))))
out("random_sampler.n10.num23.generator5.after", " ".join(map(str, torch.randperm(8, generator=g).tolist())))
torch.manual_seed(2)
out("random_sampler.n10.replacement.num70", " ".join(map(str, RandomSampler(range(10), replacement=True, num_samples=70))))
out("batch_sampler.n10.bs3.keep", batches(BatchSampler(SequentialSampler(range(10)), 3, False)))
out("batch_sampler.n10.bs3.drop", batches(BatchSampler(SequentialSampler(range(10)), 3, True)))

# random_split
torch.manual_seed(0)
out("random_split.default.3_7", batches(list(s.indices) for s in random_split(range(10), [3, 7])))
out("random_split.generator42.2_5_3",
    batches(list(s.indices) for s in random_split(range(10), [2, 5, 3], generator=torch.Generator().manual_seed(42))))
out("random_split.generator42.fractions_0.33_0.33_0.34",
    batches(list(s.indices) for s in random_split(range(10), [0.33, 0.33, 0.34], generator=torch.Generator().manual_seed(42))))
out("random_split.generator42.fractions_0.5_0.5_n7",
    batches(list(s.indices) for s in random_split(range(7), [0.5, 0.5], generator=torch.Generator().manual_seed(42))))

# lengths
for n, bs, drop in [(10, 3, False), (10, 3, True), (9, 3, False), (9, 3, True), (2, 5, False), (2, 5, True), (0, 4, False)]:
    out(f"len.n{n}.bs{bs}.{'drop' if drop else 'keep'}", len(DataLoader(TensorDataset(torch.zeros(n)), batch_size=bs, drop_last=drop)))

# default_collate: tensors stack, Python ints/floats/bools become tensors
x = torch.arange(24, dtype=torch.float32).reshape(4, 2, 3)
y = torch.tensor([3, 1, 4, 1])
xb, yb = next(iter(DataLoader(TensorDataset(x, y), batch_size=3)))
out("collate.tensors", f"{list(xb.shape)} {xb.dtype} {list(yb.shape)} {yb.dtype} {xb.flatten().tolist()} {yb.tolist()}")
nums = next(iter(DataLoader([(1, 2.5, True), (2, -0.5, False)], batch_size=2)))
out("collate.numbers", " ; ".join(f"{t.dtype} {t.tolist()}" for t in nums))

# error messages
def error(key, f):
    try:
        f()
        out(key, "no error")
    except Exception as e:
        out(key, f"{type(e).__name__}: {e}")


error("error.tensor_dataset", lambda: TensorDataset(torch.zeros(3), torch.zeros(4)))
error("error.random_split_sum", lambda: random_split(range(10), [3, 6]))
error("error.batch_size", lambda: BatchSampler(SequentialSampler(range(3)), 0, False))
error("error.shuffle_sampler", lambda: DataLoader(TensorDataset(torch.zeros(3)), sampler=SequentialSampler(range(3)), shuffle=True))
error("error.random_split_fraction", lambda: random_split(range(10), [1.5, -0.5]))
error("error.collate_sizes", lambda: next(iter(DataLoader([torch.zeros(2), torch.zeros(3)], batch_size=2))))
error("error.batch_sampler_exclusive", lambda: DataLoader(TensorDataset(torch.zeros(3)), batch_size=2,
                                                         batch_sampler=BatchSampler(SequentialSampler(range(3)), 2, False)))
error("error.num_samples", lambda: RandomSampler(range(0)))
