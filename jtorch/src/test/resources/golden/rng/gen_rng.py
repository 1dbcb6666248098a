#!/usr/bin/env python3
"""Generate jtorch's RNG goldens from the installed PyTorch (CPU generator, mt19937).

Usage:  python3 gen_rng.py [OUT_DIR] [--stress]      (OUT_DIR: this script's directory by default)

Writes OUT_DIR/rng_torch<version>_<capability>.txt, one case per line, which
GeneratorTest replays with dev.jtorch.Generator and compares bit for bit.
The same script runs unchanged on old (1.13) and new (2.x) PyTorch; run it again
under ATEN_CPU_CAPABILITY=avx2 / default to get goldens for the other float32
randn kernels (the file name records the capability that was in use). Run with no OUT_DIR, it writes
both: the machine's capability, then ATEN_CPU_CAPABILITY=default.

File format (plain text, trivially parseable, no JSON):
  # key=value                           header: torch version, cpu capability, probes
  GEN|OP ARGS...|DTYPE|V1,V2,...        one op on generator GEN, replayed in file order
Ops:
  manual_seed S     GEN := torch.Generator().manual_seed(S)  (GEN 'default': torch.manual_seed(S));
                    values = initial_seed()
  new               GEN := torch.Generator() (default seed); values = initial_seed()
  rand N / randn N / uniform N A B / normal N MEAN STD / randint N LOW HIGH / randperm N
  bernoulli N       torch.bernoulli(p) where p is the previous op's output on GEN
  bernoulli_scalar N P   torch.empty(N, dtype).bernoulli_(P)
  get_state         values = the state bytes as one hex string (torch.Generator.get_state())
  set_state_from G  GEN.set_state(last get_state of G)
Floats are written with float.hex (exact), integers in decimal, bools as 0/1.
A line whose values start with '!' records an op this PyTorch refused.

Committed goldens: PyTorch 1.13 (Debian 12, glibc 2.36, AMD EPYC) with its AVX2 and
default kernels, and PyTorch 2.11 (PyPI cu130 wheel, glibc 2.39, Intel Xeon) with AVX2 and
default kernels. 2.11's AVX512 run gave exactly the AVX2 numbers, so it is not kept. The
--stress files (20000-element randn per dtype, 200 successive 15-element randn) were checked
the same way but are too big to commit.
"""
import os
import re
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

FLOATS = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
SEEDS = [0, 42, 12345, 2 ** 40 + 7]
SIZES = [1, 5, 15, 16, 17, 100, 1000]


def dname(dt):
    return str(dt).replace("torch.", "")


def hexf(v):
    """float.hex without the mantissa's trailing zeros (still exact; Java parses it)."""
    s = float(v).hex()
    if "p" in s and "." in s:
        mant, exp = s.split("p")
        mant = mant.rstrip("0")
        if mant.endswith("."):
            mant += "0"
        s = mant + "p" + exp
    return s


def fmt_values(t):
    t = t.detach().reshape(-1)
    if t.dtype == torch.bool:
        return ",".join("1" if v else "0" for v in t.tolist())
    if t.dtype.is_floating_point:
        return ",".join(hexf(v) for v in t.tolist())
    return ",".join(str(int(v)) for v in t.tolist())


class Writer:
    def __init__(self):
        self.lines = []
        self.gens = {}
        self.prev = {}
        self.states = {}

    def gen(self, name):
        return self.gens[name]

    def emit(self, gname, op, dtype, values):
        self.lines.append("%s|%s|%s|%s" % (gname, op, dtype, values))

    def manual_seed(self, gname, seed):
        if gname == "default":
            torch.manual_seed(seed)
            g = None
            init = torch.initial_seed()
        else:
            g = torch.Generator()
            g.manual_seed(seed)
            init = g.initial_seed()
        self.gens[gname] = g
        self.emit(gname, "manual_seed %d" % seed, "-", str(init))

    def new(self, gname):
        g = torch.Generator()
        self.gens[gname] = g
        self.emit(gname, "new", "-", str(g.initial_seed()))

    def run(self, gname, op, dtype, fn):
        g = self.gens[gname]
        kw = {} if g is None else {"generator": g}
        try:
            out = fn(kw)
        except Exception as e:  # an op this version refuses: record it, keep going
            msg = str(e).splitlines()[0].replace("|", "/").replace(",", ";")
            self.emit(gname, op, dname(dtype), "!" + msg[:120])
            self.prev[gname] = None
            return None
        self.emit(gname, op, dname(dtype), fmt_values(out))
        self.prev[gname] = out
        return out

    # --- ops ---------------------------------------------------------------
    def rand(self, g, n, dt):
        return self.run(g, "rand %d" % n, dt, lambda kw: torch.rand(n, dtype=dt, **kw))

    def randn(self, g, n, dt):
        return self.run(g, "randn %d" % n, dt, lambda kw: torch.randn(n, dtype=dt, **kw))

    def uniform(self, g, n, a, b, dt):
        return self.run(g, "uniform %d %r %r" % (n, a, b), dt,
                        lambda kw: torch.empty(n, dtype=dt).uniform_(a, b, **kw))

    def normal(self, g, n, mean, std, dt):
        return self.run(g, "normal %d %r %r" % (n, mean, std), dt,
                        lambda kw: torch.empty(n, dtype=dt).normal_(mean, std, **kw))

    def randint(self, g, n, low, high, dt):
        return self.run(g, "randint %d %d %d" % (n, low, high), dt,
                        lambda kw: torch.randint(low, high, (n,), dtype=dt, **kw))

    def randperm(self, g, n, dt):
        return self.run(g, "randperm %d" % n, dt, lambda kw: torch.randperm(n, dtype=dt, **kw))

    def bernoulli(self, g, n, dt):
        p = self.prev.get(g)
        if p is None or p.numel() != n:
            raise ValueError("bernoulli needs the previous op to be an n-element p")
        return self.run(g, "bernoulli %d" % n, dt, lambda kw: torch.bernoulli(p, **kw))

    def bernoulli_scalar(self, g, n, prob, dt):
        return self.run(g, "bernoulli_scalar %d %r" % (n, prob), dt,
                        lambda kw: torch.empty(n, dtype=dt).bernoulli_(prob, **kw))

    def get_state(self, g):
        st = self.gens[g].get_state()
        self.states[g] = st
        self.emit(g, "get_state", "uint8", bytes(st.tolist()).hex())

    def set_state_from(self, g, src):
        self.gens[g].set_state(self.states[src])
        self.emit(g, "set_state_from " + src, "-", "")


def probe_bernoulli_scalar():
    """True when bernoulli_(p) draws from the mt19937 generator it is given.

    MKL builds on some CPUs / versions take the numbers from a separate MKL stream
    instead, which no mt19937 re-implementation can follow."""
    outs = []
    for _ in range(2):
        g = torch.Generator().manual_seed(5)
        a = torch.empty(64).bernoulli_(0.5, generator=g)
        b = torch.rand(4, generator=g)
        outs.append((a, b))
    same = torch.equal(outs[0][0], outs[1][0])
    g = torch.Generator().manual_seed(5)
    torch.rand(64, dtype=torch.float64, generator=g)  # 64 random64 draws, like bernoulli<double>
    advanced = torch.equal(outs[0][1], torch.rand(4, generator=g))
    return same and advanced


def build(w):
    # --- rand / randn: every size, every float dtype, several seeds ----------
    for s in SEEDS:
        for dt in FLOATS:
            for n in (SIZES if s in (0, 42) else SIZES[:-1]):
                g = "r%d_%s_%d" % (s, dname(dt), n)
                w.manual_seed(g, s)
                w.rand(g, n, dt)
                g = "n%d_%s_%d" % (s, dname(dt), n)
                w.manual_seed(g, s)
                w.randn(g, n, dt)
    # --- uniform_ / normal_ with non-trivial parameters ---------------------
    for s in SEEDS[:2]:
        for dt in FLOATS:
            for n in [5, 100]:
                g = "u%d_%s_%d" % (s, dname(dt), n)
                w.manual_seed(g, s)
                w.uniform(g, n, -2.0, 3.0, dt)
                w.uniform(g, n, 0.1, 0.7, dt)
            for n in [5, 16, 100]:
                g = "no%d_%s_%d" % (s, dname(dt), n)
                w.manual_seed(g, s)
                w.normal(g, n, 1.0, 2.0, dt)
                w.normal(g, n, 0.3, 1.7, dt)
    # --- randint: small, medium (2^28..2^32), large (>= 2^32) ranges ----------
    ri = [
        (0, 10, torch.int64), (-5, 5, torch.int64), (-100, 100, torch.int32),
        (-128, 128, torch.int8), (0, 256, torch.uint8), (-1000, 1000, torch.int16),
        (0, 2, torch.bool), (0, 100, torch.float32), (0, 100, torch.float64),
        (0, 100, torch.float16), (0, 100, torch.bfloat16),
        (0, 2 ** 28 - 1, torch.int64), (0, 2 ** 29, torch.int64), (-2 ** 30, 2 ** 30, torch.int32),
        (0, 3000000000, torch.int64), (0, 2 ** 32, torch.int64), (0, 2 ** 33, torch.int64),
        (-2 ** 40, 2 ** 40, torch.int64), (-2 ** 62, 2 ** 62, torch.int64),
        (0, 2 ** 33, torch.float64), (0, 2 ** 29, torch.float32), (0, 2 ** 33, torch.float32),
    ]
    for s in SEEDS[:2]:
        for i, (lo, hi, dt) in enumerate(ri):
            g = "i%d_%d" % (s, i)
            w.manual_seed(g, s)
            w.randint(g, 20, lo, hi, dt)
            w.rand(g, 2, torch.float32)  # shows how many words randint consumed
    # --- randperm -------------------------------------------------------------
    for s in SEEDS[:2]:
        for n in [1, 2, 10, 100]:
            g = "p%d_%d" % (s, n)
            w.manual_seed(g, s)
            w.randperm(g, n, torch.int64)
            w.rand(g, 2, torch.float32)
        g = "pd%d" % s
        w.manual_seed(g, s)
        w.randperm(g, 10, torch.int32)
        w.randperm(g, 50, torch.float32)
        w.randperm(g, 20, torch.float16)
    g = "pbig"
    w.manual_seed(g, 7)
    w.randperm(g, 30000, torch.int64)
    w.rand(g, 2, torch.float32)
    # --- bernoulli ---------------------------------------------------------------
    for s in SEEDS[:2]:
        for dt in FLOATS:
            g = "b%d_%s" % (s, dname(dt))
            w.manual_seed(g, s)
            w.rand(g, 50, dt)
            w.bernoulli(g, 50, dt)
            w.rand(g, 3, torch.float32)
            g = "bs%d_%s" % (s, dname(dt))
            w.manual_seed(g, s)
            w.bernoulli_scalar(g, 50, 0.3, dt)
            w.rand(g, 3, torch.float32)
    # --- sequences on one generator (normal cache, mixed ops) -----------------------
    for s in SEEDS:
        g = "seq%d" % s
        w.manual_seed(g, s)
        w.rand(g, 3, torch.float32)
        w.randn(g, 20, torch.float32)
        w.randint(g, 7, 0, 100, torch.int64)
        w.randn(g, 3, torch.float32)       # scalar path: leaves a cached normal
        w.randn(g, 1, torch.float64)       # consumes the cached normal
        w.randn(g, 1, torch.float32)
        w.rand(g, 2, torch.float64)
        w.randn(g, 5, torch.float16)
        w.randn(g, 17, torch.float64)      # normal_fill: ignores the cache
        w.randn(g, 1, torch.bfloat16)
        w.randperm(g, 5, torch.int64)
        w.normal(g, 3, -1.0, 0.5, torch.float64)
        w.uniform(g, 4, -2.0, 3.0, torch.float16)
        w.randn(g, 2, torch.float32)
    # --- the process-wide default generator, and torch.Generator() defaults ------------
    w.manual_seed("default", 3)
    w.rand("default", 4, torch.float32)
    w.randn("default", 3, torch.float64)
    w.randint("default", 5, -3, 3, torch.int64)
    w.new("fresh")
    w.rand("fresh", 5, torch.float32)
    w.randn("fresh", 5, torch.float64)
    w.manual_seed("neg", -1)
    w.rand("neg", 3, torch.float32)
    w.manual_seed("big", 2 ** 64 - 2)
    w.rand("big", 3, torch.float64)
    # --- get_state / set_state ------------------------------------------------------
    w.manual_seed("st", 7)
    w.get_state("st")
    w.rand("st", 3, torch.float32)
    w.randn("st", 5, torch.float64)        # leaves a cached double normal
    w.get_state("st")
    w.randn("st", 3, torch.float64)
    w.manual_seed("st2", 1)
    w.set_state_from("st2", "st")
    w.randn("st2", 3, torch.float64)
    w.rand("st2", 700, torch.float32)      # crosses a twist boundary
    w.get_state("st2")


def build_stress(w):
    for s in range(3):
        for dt in FLOATS:
            g = "x%d_%s" % (s, dname(dt))
            w.manual_seed(g, 1000 + s)
            w.randn(g, 20000, dt)
            g = "xs%d_%s" % (s, dname(dt))
            w.manual_seed(g, 1000 + s)
            for _ in range(200):
                w.randn(g, 15, dt)


def main():
    args = [a for a in sys.argv[1:] if a != "--stress"]
    out_dir = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    stress = "--stress" in sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    try:
        cap = torch.backends.cpu.get_cpu_capability()
    except Exception:
        m = re.search(r"CPU capability usage: ([^\n]+)", torch.__config__.show())
        cap = m.group(1).strip() if m else os.environ.get("ATEN_CPU_CAPABILITY", "unknown")
    cap = re.sub(r"[^A-Za-z0-9]+", "_", cap)
    version = torch.__version__.split("+")[0]
    w = Writer()
    (build_stress if stress else build)(w)
    name = "rng_torch%s_%s%s.txt" % (version, cap.lower(), "_stress" if stress else "")
    path = os.path.join(out_dir, name)
    with open(path, "w") as f:
        f.write(goldenlib.header(__file__) + "\n")
        f.write("# torch_version=%s\n" % torch.__version__)
        f.write("# cpu_capability=%s\n" % cap)
        f.write("# bernoulli_scalar_uses_generator=%d\n" % (1 if probe_bernoulli_scalar() else 0))
        for line in w.lines:
            f.write(line + "\n")
    print("wrote", path, len(w.lines), "cases")
    if "ATEN_CPU_CAPABILITY" not in os.environ and not args:
        # the goldens for the other float32 randn kernel: PyTorch's capability is fixed when it loads
        subprocess.run([sys.executable] + sys.argv, env=dict(os.environ, ATEN_CPU_CAPABILITY="default"), check=True)


if __name__ == "__main__":
    main()
