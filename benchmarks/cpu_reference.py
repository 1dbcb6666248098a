#!/usr/bin/env python3
"""numpy and PyTorch reference figures for dev.jtorch.bench.CpuBench, measured the same way.

Prints one line per figure: "<library> <figure> <value>" (units in CpuBench's table).
A library that is not installed is skipped. Usage: cpu_reference.py [--quick]
"""
import sys
import time

QUICK = "--quick" in sys.argv
N = 16 * 1024 * 1024


def measure(fn, min_time=0.4 if not QUICK else 0.1, repeats=5 if not QUICK else 3):
    """Seconds per call: the median over `repeats` runs, each at least `min_time` long."""
    fn()
    fn()
    loops = 1
    while True:
        t = time.perf_counter()
        for _ in range(loops):
            fn()
        dt = time.perf_counter() - t
        if dt >= min_time / 4:
            break
        loops *= 2
    loops = max(1, int(loops * (min_time / max(dt, 1e-9))))
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(loops):
            fn()
        runs.append((time.perf_counter() - t) / loops)
    runs.sort()
    return runs[len(runs) // 2]


def emit(lib, name, value):
    print(f"{lib} {name} {value:.4f}", flush=True)


def run_numpy():
    import numpy as np
    print(f"# numpy {np.__version__}", flush=True)
    rng = np.random.default_rng(0)
    for n, dt, name in ((1024, np.float32, "sgemm1024"), (2048, np.float32, "sgemm2048"), (1024, np.float64, "dgemm1024")):
        a = rng.standard_normal((n, n)).astype(dt)
        b = rng.standard_normal((n, n)).astype(dt)
        c = np.empty((n, n), dt)
        s = measure(lambda: np.matmul(a, b, out=c))
        emit("numpy", name, 2.0 * n ** 3 / s / 1e9)
    x = rng.standard_normal(N).astype(np.float32)
    y = rng.standard_normal(N).astype(np.float32)
    o = np.empty(N, np.float32)
    emit("numpy", "add16M", 12.0 * N / measure(lambda: np.add(x, y, out=o)) / 1e9)
    emit("numpy", "exp16M", N / measure(lambda: np.exp(x, out=o)) / 1e9)
    emit("numpy", "sum16M", 4.0 * N / measure(lambda: x.sum()) / 1e9)
    a = rng.standard_normal(1024).astype(np.float32)
    b = rng.standard_normal(1024).astype(np.float32)
    emit("numpy", "tinyadd", measure(lambda: a + b) * 1e6)


def run_torch():
    import torch
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s)", flush=True)
    torch.manual_seed(0)
    for n, dt, name in ((1024, torch.float32, "sgemm1024"), (2048, torch.float32, "sgemm2048"), (1024, torch.float64, "dgemm1024")):
        a = torch.randn(n, n, dtype=dt)
        b = torch.randn(n, n, dtype=dt)
        c = torch.empty(n, n, dtype=dt)
        s = measure(lambda: torch.matmul(a, b, out=c))
        emit("torch", name, 2.0 * n ** 3 / s / 1e9)
    x = torch.randn(N)
    y = torch.randn(N)
    o = torch.empty(N)
    emit("torch", "add16M", 12.0 * N / measure(lambda: torch.add(x, y, out=o)) / 1e9)
    emit("torch", "exp16M", N / measure(lambda: torch.exp(x, out=o)) / 1e9)
    emit("torch", "sum16M", 4.0 * N / measure(lambda: x.sum()) / 1e9)
    a = torch.randn(1024)
    b = torch.randn(1024)
    emit("torch", "tinyadd", measure(lambda: a.add(b)) * 1e6)


if __name__ == "__main__":
    for fn in (run_numpy, run_torch):
        try:
            fn()
        except ImportError as e:
            print(f"# skipped: {e}", file=sys.stderr)
