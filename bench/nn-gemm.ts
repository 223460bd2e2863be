/**
 * The dense products of src/nn at the shapes qmtl's suites train, the
 * TypeScript kernels (gemm*Ts, the baseline) against what gemm.ts picks
 * (the WebAssembly SIMD kernel above WASM_MIN_MACS), measured in the same run,
 * interleaved round by round; wall and CPU time (process.cpuUsage) per call,
 * since the machine is shared. Also checks that both give the same bits.
 *  - glue: projection Linear(2048, 18) at batch 128, then Linear(18, 18);
 *  - mustard: Linear(1024, 39) at batch 16, then Linear(39, 39);
 *  - chexpert: Linear(1280, 128) at batch 32, then Linear(128, 30).
 * "update" = one Linear forward + weight gradient (+ bias), as the first
 * layer on frozen features runs it (no input gradient).
 * Run: npx tsx bench/nn-gemm.ts [seconds per case, default 0.25] -> bench/results-nn-gemm.json
 */
import { writeFileSync } from "node:fs";
import { Rng } from "../src/core/rng.ts";
import { gemmAB, gemmABTs, gemmABt, gemmABtTs, gemmAtB, gemmAtBTs, WASM_MIN_MACS } from "../src/nn/gemm.ts";
import { gemmWasmAvailable } from "../src/nn/gemm-wasm.ts";

type Kernel = (A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number) => void;
const seconds = Number(process.argv[2] ?? 0.25);
const ROUNDS = 5;

function rand(n: number, rng: Rng): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.range(-1, 1);
  return v;
}

/** per-call wall and CPU microseconds of fn, best of ROUNDS (each about seconds / ROUNDS) */
function measure(fn: () => void, reps: number): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e3 / reps, cpu: (c.user + c.system) / reps };
}

function compare(base: () => void, fast: () => void, macs: number): Record<string, number> {
  // calibrate the repetitions on the baseline
  let reps = 1;
  for (;;) {
    const t = measure(base, reps);
    if (t.wall * reps > 20_000) break;
    reps *= 2;
  }
  const perRound = Math.max(
    1,
    Math.round((reps * (seconds * 1e6)) / ROUNDS / Math.max(1, measure(base, reps).wall * reps)),
  );
  let bw = Infinity,
    bc = Infinity,
    fw = Infinity,
    fc = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const b = measure(base, perRound);
    const f = measure(fast, perRound);
    bw = Math.min(bw, b.wall);
    bc = Math.min(bc, b.cpu);
    fw = Math.min(fw, f.wall);
    fc = Math.min(fc, f.cpu);
  }
  return {
    baseWallUs: bw,
    baseCpuUs: bc,
    fastWallUs: fw,
    fastCpuUs: fc,
    speedupWall: bw / fw,
    speedupCpu: bc / fc,
    fastGmacPerS: macs / fw / 1e3,
  };
}

const rng = new Rng(7);
const results: Record<string, Record<string, number>> = {};
let mismatches = 0;

function kernelCase(
  name: string,
  ts: Kernel,
  fast: Kernel,
  m: number,
  n: number,
  k: number,
  aLen: number,
  bLen: number,
): void {
  const A = rand(aLen, rng),
    B = rand(bLen, rng),
    C0 = rand(m * n, rng);
  const c1 = Float64Array.from(C0),
    c2 = Float64Array.from(C0);
  ts(A, B, c1, m, n, k);
  fast(A, B, c2, m, n, k);
  for (let i = 0; i < c1.length; i++) if (!Object.is(c1[i], c2[i])) mismatches++;
  const C = Float64Array.from(C0);
  const r = compare(
    () => ts(A, B, C, m, n, k),
    () => fast(A, B, C, m, n, k),
    m * n * k,
  );
  results[name] = { m, n, k, ...r };
  console.log(
    `${name.padEnd(40)} ts ${r.baseWallUs.toFixed(1).padStart(8)} us  new ${r.fastWallUs.toFixed(1).padStart(8)} us  x${r.speedupWall.toFixed(2)} wall x${r.speedupCpu.toFixed(2)} cpu`,
  );
}

/** one update of Linear(nIn, nOut) at `batch` on frozen features: y = x W^T + b, dW += g^T x, db += sum g */
function updateCase(name: string, batch: number, nIn: number, nOut: number): void {
  const x = rand(batch * nIn, rng),
    W = rand(nOut * nIn, rng),
    b = rand(nOut, rng),
    g = rand(batch * nOut, rng);
  const dW = new Float64Array(nOut * nIn),
    db = new Float64Array(nOut);
  const step = (fwd: Kernel, wg: Kernel) => (): void => {
    const y = new Float64Array(batch * nOut);
    for (let s = 0; s < batch; s++) y.set(b, s * nOut);
    fwd(x, W, y, batch, nOut, nIn);
    wg(g, x, dW, nOut, nIn, batch);
    for (let s = 0; s < batch; s++) for (let o = 0; o < nOut; o++) db[o] += g[s * nOut + o];
  };
  const r = compare(step(gemmABtTs, gemmAtBTs), step(gemmABt, gemmAtB), 2 * batch * nIn * nOut);
  results[name] = { batch, nIn, nOut, ...r };
  console.log(
    `${name.padEnd(40)} ts ${r.baseWallUs.toFixed(1).padStart(8)} us  new ${r.fastWallUs.toFixed(1).padStart(8)} us  x${r.speedupWall.toFixed(2)} wall x${r.speedupCpu.toFixed(2)} cpu`,
  );
}

/** Linear(nIn, nOut) at batch: forward x W^T, weight gradient g^T x and input gradient g W */
function layerKernels(tag: string, batch: number, nIn: number, nOut: number, inputGrad: boolean): void {
  kernelCase(
    `${tag} forward ${batch}x${nIn}->${nOut}`,
    gemmABtTs,
    gemmABt,
    batch,
    nOut,
    nIn,
    batch * nIn,
    nOut * nIn,
  );
  kernelCase(
    `${tag} weight grad ${nOut}x${nIn} (k=${batch})`,
    gemmAtBTs,
    gemmAtB,
    nOut,
    nIn,
    batch,
    batch * nOut,
    batch * nIn,
  );
  if (inputGrad)
    kernelCase(
      `${tag} input grad ${batch}x${nIn} (k=${nOut})`,
      gemmABTs,
      gemmAB,
      batch,
      nIn,
      nOut,
      batch * nOut,
      nOut * nIn,
    );
}

console.log(`wasm available: ${gemmWasmAvailable()}, WASM_MIN_MACS ${WASM_MIN_MACS}`);
updateCase("glue projection update 128x2048->18", 128, 2048, 18);
layerKernels("glue L1", 128, 2048, 18, false);
layerKernels("glue L2", 128, 18, 18, true);
updateCase("mustard projection update 16x1024->39", 16, 1024, 39);
layerKernels("mustard L1", 16, 1024, 39, false);
layerKernels("mustard L2", 16, 39, 39, true);
updateCase("chexpert projection update 32x1280->128", 32, 1280, 128);
layerKernels("chexpert L1", 32, 1280, 128, false);
layerKernels("chexpert L2", 32, 128, 30, true);
layerKernels("task head", 32, 30, 3, true);
console.log(`bitwise mismatches between the TypeScript and the picked kernel: ${mismatches}`);
const out = {
  node: process.version,
  wasm: gemmWasmAvailable(),
  wasmMinMacs: WASM_MIN_MACS,
  mismatches,
  cases: results,
};
writeFileSync(new URL("./results-nn-gemm.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
