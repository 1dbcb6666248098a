#!/usr/bin/env bash
# Verifies jtorch's CUDA backend on the GPU machine, in one go, and prints a short table last.
#
# On the build machine:                           scripts/gpu-pack.sh   (packs .gpu/)
# On the GPU machine, from the project root:    scripts/gpu-verify.sh [--no-bench] [--quick]
#
#   1. PyTorch's own CUDA random numbers for CudaRandomTest.pytorchParity (scripts/torch_cuda_rng.py;
#      needs python3 with a CUDA build of torch, else that test is skipped)
#   2. every JUnit test tagged "cuda" (.gpu/run.sh test --include-tag cuda), summarized per class
#   3. GpuBench: jtorch beside PyTorch (.gpu/run.sh main dev.jtorch.bench.GpuBench)
#
# Takes about 5 minutes. Most of the test time is NVRTC compiling each kernel on its first use (the
# backend parity suite alone compiles ~2,200 kernels, ~170 s): the on-disk kernel cache
# (~/.cache/jtorch/cuda) does not survive from one GPU machine to the next. Logs and JUnit XML go to
# $JTORCH_VERIFY_DIR (default /tmp/jtorch-gpu-verify). Exit status: 0 when every test passed.
# The CudaRandomTest parity check reads PyTorch's numbers from $JTORCH_TORCH_CUDA_RNG, set here.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .gpu/run.sh ]; then
  echo "gpu-verify: .gpu/run.sh is missing: run scripts/gpu-pack.sh on the build machine and bring .gpu/ along" >&2
  exit 2
fi
out=${JTORCH_VERIFY_DIR:-/tmp/jtorch-gpu-verify}
mkdir -p "$out"
bench=1
bench_args=()
for a in "$@"; do
  case "$a" in
    --no-bench) bench=0 ;;
    --quick) bench_args+=(--quick) ;;
    *) echo "gpu-verify: unknown option $a (--no-bench, --quick)" >&2; exit 2 ;;
  esac
done
now() { date +%s; }
t0=$(now)

# ---- 1. PyTorch's CUDA random numbers
rng="skipped (no python3 with a CUDA build of torch)"
unset JTORCH_TORCH_CUDA_RNG
if python3 -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)" >/dev/null 2>&1; then
  echo "[1/3] PyTorch CUDA random numbers -> $out/torch_cuda_rng.txt"
  if python3 scripts/torch_cuda_rng.py "$out/torch_cuda_rng.txt" >"$out/torch_rng.log" 2>&1; then
    export JTORCH_TORCH_CUDA_RNG="$out/torch_cuda_rng.txt"
    rng="reference written"
  else
    rng="reference failed (see $out/torch_rng.log)"
  fi
else
  echo "[1/3] $rng"
fi

# ---- 2. the CUDA tests
echo "[2/3] .gpu/run.sh test --include-tag cuda  (log: $out/tests.log)"
t1=$(now)
timeout 450 .gpu/run.sh test --include-tag cuda --disable-ansi-colors >"$out/tests.log" 2>&1
tests_rc=$?
t2=$(now)
[ $tests_rc = 124 ] && echo "      timed out after 450 s"

# ---- 3. the benchmark
bench_rc=-
if [ $bench = 1 ]; then
  echo "[3/3] .gpu/run.sh main dev.jtorch.bench.GpuBench ${bench_args[*]:-}  (log: $out/bench.log)"
  timeout 300 .gpu/run.sh main dev.jtorch.bench.GpuBench "${bench_args[@]}" >"$out/bench.log" 2>&1
  bench_rc=$?
else
  echo "[3/3] benchmark skipped (--no-bench)"
fi
t3=$(now)

# ---- summary
summarize_tests() {
  # the JUnit console's tree (the trimmed JRE has no java.xml, so no XML reports): classes at depth 1
  python3 - "$out/tests.log" <<'PY'
import re, sys
from collections import OrderedDict
lines = [re.sub(r"\x1b\[[0-9;]*m", "", l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8", errors="replace")]
nodes = []
for l in lines:
    m = re.match(r"^((?:[│ ] {2})*)[├└]─ (.*)$", l)
    if m:
        nodes.append([len(m.group(1)) // 3, m.group(2)])
rows, fails, cls = OrderedDict(), [], None
for i, (depth, text) in enumerate(nodes):
    if depth == 1:
        cls = re.sub(r" [✔✘■↷].*$", "", text)
        continue
    if depth < 2 or cls is None:
        continue
    leaf = i + 1 == len(nodes) or nodes[i + 1][0] <= depth
    if not leaf:
        continue
    r = rows.setdefault(cls, [0, 0, 0])
    r[0] += 1
    m = re.search(r" ([✔✘■↷])(?: (.*))?$", text)
    mark, msg = (m.group(1), m.group(2) or "") if m else ("?", "")
    name = text[: m.start()] if m else text
    if mark == "✘":
        r[1] += 1
        fails.append(f"{cls}.{name}: {msg[:160]}")
    elif mark in "■↷":
        r[2] += 1
tot = [sum(r[i] for r in rows.values()) for i in range(3)]
if fails:
    print("failures:")
    for x in fails[:40]:
        print("  " + x)
    if len(fails) > 40:
        print(f"  ... and {len(fails) - 40} more")
print(f"CUDA tests: {tot[0] - tot[1] - tot[2]} passed, {tot[1]} failed, {tot[2]} skipped or aborted")
print(f"  {'class':<28}{'tests':>6}{'failed':>8}{'skipped':>9}")
for c, r in rows.items():
    print(f"  {c:<28}{r[0]:>6}{r[1]:>8}{r[2]:>9}")
PY
}

echo
echo "=================================== jtorch GPU verification ==================================="
grep -m1 -E "^CUDA: " "$out/tests.log" | sed 's/^CUDA: /device: /'
if command -v python3 >/dev/null; then
  summarize_tests
else
  echo "CUDA tests (the console's summary):"
  grep -E "tests (successful|failed|skipped|aborted)" "$out/tests.log" | sed 's/^/  /'
fi
if ! grep -q "^Test run finished" "$out/tests.log"; then
  echo "  the test run did not finish; its last lines:"
  tail -15 "$out/tests.log" | sed 's/^/    /'
fi
echo "  exit status $tests_rc after $((t2 - t1)) s; $(grep -m1 -oE 'compiled [0-9]+ kernels with NVRTC [0-9.]+' "$out/tests.log" || echo 'random kernels not compile-checked')"
echo "random numbers: PyTorch reference $rng"
grep -E "^PyTorch CUDA RNG parity|^randn float32 vs host reference" "$out/tests.log" | sed 's/^/  /'
grep -A30 -E "^PyTorch CUDA RNG parity" "$out/tests.log" | grep -E "^  [a-z]+ [0-9]+ " | grep -v " exact$" | sed 's/^/  not exact: /' | head -20
if [ $bench = 1 ]; then
  echo "GpuBench (exit status $bench_rc, $((t3 - t2)) s):"
  if grep -q "^figure " "$out/bench.log"; then
    sed -n '/^figure /,$p' "$out/bench.log" | sed 's/^/  /'
  else
    tail -15 "$out/bench.log" | sed 's/^/  /'
  fi
fi
echo "total $((t3 - t0)) s; logs in $out"
[ $tests_rc = 0 ]
