#!/usr/bin/env sh
# Rebuilds the committed WebAssembly SIMD kernels from assembly/ (AssemblyScript).
# Users never need this: src/sim/wasm/statevector.wasm is committed. Run from anywhere:
#   sh bench/build-wasm.sh
set -eu
cd "$(dirname "$0")/.."
npx asc assembly/statevector.ts \
  --outFile src/sim/wasm/statevector.wasm \
  --enable simd --enable bulk-memory \
  -O3 --noAssert --runtime stub --initialMemory 2
echo "built src/sim/wasm/statevector.wasm ($(wc -c < src/sim/wasm/statevector.wasm) bytes)"
npx asc assembly/fused.ts \
  --outFile src/sim/fused/fused.wasm \
  --enable simd --enable bulk-memory \
  -O3 --noAssert --runtime stub --initialMemory 1
echo "built src/sim/fused/fused.wasm ($(wc -c < src/sim/fused/fused.wasm) bytes)"
npx asc assembly/structured.ts \
  --outFile src/sim/qmtl-structured/kernels.wasm \
  --enable simd --enable bulk-memory \
  -O3 --noAssert --runtime stub --initialMemory 1
echo "built src/sim/qmtl-structured/kernels.wasm ($(wc -c < src/sim/qmtl-structured/kernels.wasm) bytes)"
npx asc assembly/gemm.ts \
  --outFile src/nn/gemm.wasm \
  --enable simd --enable bulk-memory \
  -O3 --noAssert --runtime stub --initialMemory 1
echo "built src/nn/gemm.wasm ($(wc -c < src/nn/gemm.wasm) bytes)"
