#!/usr/bin/env bash
# jtorch's CPU figures beside numpy's and PyTorch's, measured in the same run, as one table.
# Usage: benchmarks/run-cpu-bench.sh [--quick] [--no-reference]   (extra JVM properties: JTORCH_BENCH_OPTS,
# e.g. JTORCH_BENCH_OPTS="-Djtorch.gemm=java" or "-Djtorch.blas=/path/libopenblas.so")
# numpy/PyTorch come from benchmarks/cpu_reference.py under /usr/bin/python3 (else python3 on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl benchmarks -am compile exec:exec -Dbench -Dexec.mainClass=dev.jtorch.bench.CpuBench \
  -Djtorch.jvmFlags="--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector ${JTORCH_BENCH_OPTS:-}" \
  -Dexec.appArgs="$*"
