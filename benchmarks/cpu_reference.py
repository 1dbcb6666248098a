#!/usr/bin/env python3
"""numpy and PyTorch reference figures for dev.jtorch.bench.CpuBench, measured the same way.

Prints one line per library and figure: "<library> <figure> <value>" (units as in CpuBench's table:
GFLOP/s for the GEMMs, GB/s for add (12 bytes/element) and sum (4 bytes/element), Gelem/s for exp, log, sin,
cos, tanh and sigmoid (float32; *_f64: float64),
microseconds per op for the 1024-element add, milliseconds per MLP training step). A library that is not installed is skipped.

Usage: cpu_reference.py [--quick] [figure ...]      measure the figures (all by default)
       cpu_reference.py --serve [--quick]           read figure names from stdin, one per line, and answer
                                                    each with its lines and then "end" (CpuBench interleaves
                                                    these with its own measurements)
"""
import sys
import time

QUICK = "--quick" in sys.argv
N = 16 * 1024 * 1024
EW16M = ["exp16M", "log16M", "sin16M", "cos16M", "tanh16M", "sigmoid16M"]
FIGURES = ["sgemm1024", "sgemm2048", "dgemm1024", "dgemm2048", "add16M"] + EW16M + ["sum16M", "tinyadd", "mlp_step"]


def measure(fn, min_time=0.25 if not QUICK else 0.1, repeats=9 if not QUICK else 3):
    """Seconds per call: the best of `repeats` timed runs, each at least `min_time` long (as timeit: the
    least disturbed run, since other processes on the machine only ever slow a run down)."""
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
    return min(runs)


class Numpy:
    name = "numpy"

    def __init__(self):
        import numpy as np
        self.np = np
        self.rng = np.random.default_rng(0)
        self.cache = {}
        print(f"# numpy {np.__version__}", flush=True)

    def mat(self, n, dt):
        key = (n, dt)
        if key not in self.cache:
            np = self.np
            a = self.rng.standard_normal((n, n)).astype(dt)
            b = self.rng.standard_normal((n, n)).astype(dt)
            self.cache[key] = (a, b, np.empty((n, n), dt))
        return self.cache[key]

    def vec(self, n):
        key = ("v", n)
        if key not in self.cache:
            np = self.np
            self.cache[key] = tuple(self.rng.standard_normal(n).astype(np.float32) for _ in range(3))
        return self.cache[key]

    def ew(self, fig):
        """Input and output of an elementwise figure: float32 (float64 for *_f64), |x| for log."""
        key = ("ew", fig.endswith("_f64"), fig.startswith("log"))
        if key not in self.cache:
            np = self.np
            x = self.rng.standard_normal(N).astype(np.float64 if key[1] else np.float32)
            self.cache[key] = (np.abs(x) if key[2] else x, np.empty_like(x))
        return self.cache[key]

    def run(self, fig):
        np = self.np
        if fig.startswith(("sgemm", "dgemm")):
            n = int(fig[5:])
            a, b, c = self.mat(n, np.float32 if fig[0] == "s" else np.float64)
            return 2.0 * n ** 3 / measure(lambda: np.matmul(a, b, out=c)) / 1e9
        if fig == "tinyadd":
            a, b, _ = self.vec(1024)
            return measure(lambda: a + b) * 1e6
        if fig.split("16M")[0] in ("exp", "log", "sin", "cos", "tanh") and "16M" in fig:
            x, o = self.ew(fig)
            f = getattr(np, fig.split("16M")[0])
            return N / measure(lambda: f(x, out=o)) / 1e9
        x, y, o = self.vec(N)
        if fig == "add16M":
            return 12.0 * N / measure(lambda: np.add(x, y, out=o)) / 1e9
        if fig == "sum16M":
            return 4.0 * N / measure(lambda: x.sum()) / 1e9
        return None


class Torch:
    name = "torch"

    def __init__(self):
        import torch
        self.torch = torch
        torch.manual_seed(0)
        self.cache = {}
        print(f"# torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s)", flush=True)

    def mat(self, n, dt):
        key = (n, dt)
        if key not in self.cache:
            t = self.torch
            self.cache[key] = (t.randn(n, n, dtype=dt), t.randn(n, n, dtype=dt), t.empty(n, n, dtype=dt))
        return self.cache[key]

    def vec(self, n):
        key = ("v", n)
        if key not in self.cache:
            self.cache[key] = tuple(self.torch.randn(n) for _ in range(3))
        return self.cache[key]

    def ew(self, fig):
        """Input and output of an elementwise figure: float32 (float64 for *_f64), |x| for log."""
        key = ("ew", fig.endswith("_f64"), fig.startswith("log"))
        if key not in self.cache:
            t = self.torch
            x = t.randn(N, dtype=t.float64 if key[1] else t.float32)
            self.cache[key] = (x.abs() if key[2] else x, t.empty_like(x))
        return self.cache[key]

    def run(self, fig):
        t = self.torch
        if fig.startswith(("sgemm", "dgemm")):
            n = int(fig[5:])
            a, b, c = self.mat(n, t.float32 if fig[0] == "s" else t.float64)
            return 2.0 * n ** 3 / measure(lambda: t.matmul(a, b, out=c)) / 1e9
        if fig == "tinyadd":
            a, b, _ = self.vec(1024)
            return measure(lambda: a.add(b)) * 1e6
        if fig == "mlp_step":
            return measure(self.mlp_step()) * 1e3
        if "16M" in fig and fig.split("16M")[0] in ("exp", "log", "sin", "cos", "tanh", "sigmoid"):
            x, o = self.ew(fig)
            f = getattr(t, fig.split("16M")[0])
            return N / measure(lambda: f(x, out=o)) / 1e9
        x, y, o = self.vec(N)
        if fig == "add16M":
            return 12.0 * N / measure(lambda: t.add(x, y, out=o)) / 1e9
        if fig == "sum16M":
            return 4.0 * N / measure(lambda: x.sum()) / 1e9
        return None


    def mlp_step(self):
        """One training step of a 784-1024-1024-10 MLP, batch 512, SGD with momentum (CpuBench's MlpStep)."""
        if "mlp" not in self.cache:
            t = self.torch
            nn, F = t.nn, t.nn.functional
            t.manual_seed(0)
            model = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
            opt = t.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
            x, y = t.randn(512, 784), t.randint(0, 10, (512,))

            def step():
                opt.zero_grad(set_to_none=True)
                F.cross_entropy(model(x), y).backward()
                opt.step()
            self.cache["mlp"] = step
        return self.cache["mlp"]


def libraries():
    libs = []
    for cls in (Numpy, Torch):
        try:
            libs.append(cls())
        except ImportError as e:
            print(f"# skipped: {e}", flush=True)
    return libs


def answer(libs, fig):
    for lib in libs:
        v = lib.run(fig)
        if v is not None:
            print(f"{lib.name} {fig} {v:.4f}", flush=True)


if __name__ == "__main__":
    libs = libraries()
    if "--serve" in sys.argv:
        print("ready", flush=True)
        for line in sys.stdin:
            fig = line.strip()
            if not fig:
                continue
            answer(libs, fig)
            print("end", flush=True)
    else:
        figs = [a for a in sys.argv[1:] if not a.startswith("--")] or FIGURES
        for fig in figs:
            answer(libs, fig)
