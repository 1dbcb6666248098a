#!/usr/bin/env python3
"""PyTorch's CUDA figures for dev.jtorch.bench.GpuBench, measured the same way (CUDA events, median of runs).

Prints one line per figure: "torch <figure> <value>" (units in GpuBench's table); lines starting with '#'
are information. Usage: gpu_reference.py [--quick]
"""
import sys
import time

QUICK = "--quick" in sys.argv
N = 64 * 1024 * 1024
MM = 8192


def emit(name, value):
    print(f"torch {name} {value:.4f}", flush=True)


def gpu_time(fn, iters, runs=7, warmup=3):
    """Seconds per call: the median over `runs` of CUDA-event-timed batches of `iters` calls."""
    import torch
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs if not QUICK else 3):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iters):
            fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3 / iters)
    times.sort()
    return times[len(times) // 2]


def host_time(fn, iters, runs=7):
    """Wall-clock seconds per call, the best of `runs` batches each ending in a synchronize."""
    import torch
    for _ in range(iters):
        fn()
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(runs if not QUICK else 3):
        t = time.perf_counter()
        for _ in range(iters):
            fn()
        torch.cuda.synchronize()
        best = min(best, (time.perf_counter() - t) / iters)
    return best


def main():
    try:
        import torch
    except ImportError:
        print("# no torch", flush=True)
        return
    if not torch.cuda.is_available():
        print("# torch sees no GPU", flush=True)
        return
    print(f"# torch {torch.__version__} on {torch.cuda.get_device_name(0)}", flush=True)
    g = torch.Generator(device="cuda").manual_seed(0)
    a = torch.randn(N, device="cuda", generator=g)
    b = torch.randn(N, device="cuda", generator=g)
    c = torch.empty_like(a)
    emit("add64M", 12.0 * N / gpu_time(lambda: torch.add(a, b, out=c), 20) / 1e9)
    del c
    emit("add64M_alloc", 12.0 * N / gpu_time(lambda: a + b, 20) / 1e9)
    emit("sum64M", 4.0 * N / gpu_time(lambda: a.sum(), 20) / 1e9)
    del a, b
    x = torch.randn(MM, MM, device="cuda", generator=g)
    y = torch.randn(MM, MM, device="cuda", generator=g)
    flop = 2.0 * MM ** 3
    torch.backends.cuda.matmul.allow_tf32 = False
    emit("mm_fp32", flop / gpu_time(lambda: x @ y, 5) / 1e12)
    torch.backends.cuda.matmul.allow_tf32 = True
    emit("mm_tf32", flop / gpu_time(lambda: x @ y, 10) / 1e12)
    torch.backends.cuda.matmul.allow_tf32 = False
    xb, yb = x.bfloat16(), y.bfloat16()
    emit("mm_bf16", flop / gpu_time(lambda: xb @ yb, 20) / 1e12)
    del x, y, xb, yb
    s = torch.randn(1024, device="cuda", generator=g)
    t = torch.randn(1024, device="cuda", generator=g)
    emit("tinyadd", host_time(lambda: s + t, 10000) * 1e6)
    emit("mlp_step", mlp_step_time() * 1e3)
    torch.cuda.empty_cache()


def mlp_step_time():
    """Seconds per training step of a 784-1024-1024-10 MLP on a batch of 512, SGD with momentum, fp32."""
    import torch
    from torch import nn
    import torch.nn.functional as F
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10)).cuda()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(512, 784, device="cuda")
    y = torch.randint(0, 10, (512,), device="cuda")

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return host_time(step, 200)


if __name__ == "__main__":
    main()
