#!/usr/bin/env python3
"""PyTorch's own CUDA random numbers, for jtorch's CudaRandomTest.pytorchParity (run on the GPU machine).

Writes one line per case:  kind seed dtype n calls a b : v0 v1 ...
the values of the last of `calls` draws after torch.manual_seed(seed), floats as their stored bits in hex
(integers as 64-bit two's complement hex). Usage: python3 scripts/torch_cuda_rng.py OUT_FILE
"""
import sys

import torch

CASES = [
    # kind, seed, dtype, n, calls, a, b
    ("rand", 0, "float32", 1000, 1, 0, 1),
    ("rand", 0, "float32", 1000, 3, 0, 1),
    ("rand", 1234, "float32", (1 << 20) + 3, 1, 0, 1),
    ("rand", 1234, "float32", 300_000, 2, 0, 1),
    ("rand", 7, "float64", 100_003, 1, 0, 1),
    ("rand", 5, "float16", 4099, 1, 0, 1),
    ("rand", 5, "bfloat16", 4099, 2, 0, 1),
    ("uniform", 3, "float32", 5000, 1, -2.5, 3.0),
    ("randn", 0, "float32", 1000, 1, 0, 1),
    ("randn", 42, "float32", 300_001, 2, 0, 1),
    ("randn", 42, "float64", 30_001, 1, 0, 1),
    ("randn", 9, "float16", 4099, 1, 0, 1),
    ("normal", 8, "float32", 7777, 1, 2.0, 0.5),
    ("randint", 9, "int64", 100_003, 1, -5, 17),
    ("randint", 10, "int64", 10_007, 1, 3, 1 << 40),
    ("randint", 11, "int32", 10_007, 2, 0, 10),
    ("bernoulli", 12, "float32", 10_007, 1, 0.3, 0),
    ("bernoulli", 12, "float64", 10_007, 1, 0.3, 0),
]


def draw(kind, dtype, n, a, b):
    dt = getattr(torch, dtype)
    if kind == "rand":
        return torch.rand(n, dtype=dt, device="cuda")
    if kind == "randn":
        return torch.randn(n, dtype=dt, device="cuda")
    if kind == "uniform":
        return torch.empty(n, dtype=dt, device="cuda").uniform_(a, b)
    if kind == "normal":
        return torch.empty(n, dtype=dt, device="cuda").normal_(a, b)
    if kind == "randint":
        return torch.randint(int(a), int(b), (n,), dtype=dt, device="cuda")
    if kind == "bernoulli":
        return torch.empty(n, dtype=dt, device="cuda").bernoulli_(a)
    raise ValueError(kind)


def words(x):
    if x.dtype == torch.float32:
        v = x.view(torch.int32).cpu().long() & 0xFFFFFFFF
    elif x.dtype in (torch.float16, torch.bfloat16):
        v = x.view(torch.int16).cpu().long() & 0xFFFF
    elif x.dtype == torch.float64:
        v = x.view(torch.int64).cpu()
    else:
        v = x.cpu().long()
    return " ".join(format(int(w) & 0xFFFFFFFFFFFFFFFF, "x") for w in v.tolist())


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/torch_cuda_rng.txt"
    with open(out, "w") as f:
        f.write(f"# torch {torch.__version__} on {torch.cuda.get_device_name(0)}\n")
        for kind, seed, dtype, n, calls, a, b in CASES:
            torch.manual_seed(seed)
            for _ in range(calls):
                x = draw(kind, dtype, n, a, b)
            f.write(f"{kind} {seed} {dtype} {n} {calls} {a} {b} : {words(x)}\n")
    print(f"wrote {len(CASES)} PyTorch CUDA RNG cases to {out}")


if __name__ == "__main__":
    main()
