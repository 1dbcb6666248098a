"""Goldens for add/sub with alpha (torch.add(a, b, alpha=...)), written to alpha_golden.txt.

Run with any PyTorch (made with 1.13): /usr/bin/python3 gen_alpha.py  (writes alpha_golden.txt beside it)

PyTorch's CPU add is a ufunc (native_functions.yaml: add.out, ufunc_inner_loop Generic: add): torchgen converts
alpha with alpha.to<scalar_t>() and runs cpu_kernel_vec with ufunc::add, whose vectorized form is
vec::fmadd(other, alpha, self) (aten/src/ATen/native/ufunc/add.h); sub.out calls the same stub with -alpha.
For Vectorized<float>/<double> fmadd is one fused multiply-add; for Vectorized<Half>/<BFloat16> (PyTorch 2.x,
vec256_half.h / vec256_bfloat16.h) it widens to float, runs _mm256_fmadd_ps and rounds once back. alpha in the
dtype times an element of the dtype is exact in float, so that is round(float(a) + float(alpha_dt) * float(b)).

float32, float64 and bfloat16 rows are torch.add itself on contiguous tensors whose length is a multiple of 64,
so every element takes the vectorized loop (AVX2 and AVX-512 alike); the script checks that bfloat16 equals the
formula above. PyTorch 1.13 has no vectorized Half, so its float16 add rounds alpha*b to half first; float16 rows
are therefore the formula, i.e. what PyTorch 2.x's vectorized loop computes.

Format: "case <dtype> <n>", then lines "a ...", "b ..." (n values each), then for each (op, alpha) a line
"<op> <alpha> v1 ... vn". Values are Python float reprs (exact for every dtype here).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import goldenlib  # noqa: E402  (golden/goldenlib.py: the shared header)

goldenlib.stdout_to(__file__, "alpha_golden.txt")
torch.manual_seed(0)
N = 256
ALPHAS = [0.1, -0.3, 3.7, 1e-3, 0.5, 2.0, 1.0 / 3.0, -7.25, 1e-5]
DTYPES = {'float16': torch.float16, 'bfloat16': torch.bfloat16, 'float32': torch.float32, 'float64': torch.float64}


def fmt(t):
    return ' '.join(repr(float(x)) for x in t.double().tolist())


def formula(a, b, alpha, op):
    al = torch.tensor(alpha, dtype=a.dtype).float()
    if op == 'sub':
        al = -al
    return (a.float() + al * b.float()).to(a.dtype)


for name, dt in DTYPES.items():
    scale = torch.cat([torch.full((N // 4,), s) for s in (1.0, 8.0, 300.0, 1e-3)])
    a = (torch.randn(N) * scale).to(dt)
    b = (torch.randn(N) * scale)[torch.randperm(N)].to(dt)
    print('case', name, N)
    print('a', fmt(a))
    print('b', fmt(b))
    for op in ('add', 'sub'):
        for alpha in ALPHAS:
            r = (torch.add if op == 'add' else torch.sub)(a, b, alpha=alpha)
            if dt == torch.bfloat16:
                assert torch.equal(r, formula(a, b, alpha, op)), (name, op, alpha)
            if dt == torch.float16:
                r = formula(a, b, alpha, op)
            print(op, repr(alpha), fmt(r))
