/**
 * Fused vs generic statevector adjoint, forward + full gradient (record +
 * backward) at batch 128, samples per second, on:
 *  - HQNN-13 (the main experiment's bottleneck), HQNN-4 (the original size),
 *  - the QMTL MUStARD circuit (13 qubits, gate level).
 * Executors run interleaved, round after round, so that load from other
 * processes hits all of them alike; the speed-up is the median over rounds of
 * the ratio within a round. A second part times single passes at n = 13, the
 * numbers behind the choices in docs/decisions.md (fused section), for the
 * TypeScript passes and for the WebAssembly SIMD passes (assembly/fused.ts).
 * Also precision "float32" against float64 (speed and errors).
 * Run: npx tsx bench/fused-adjoint.ts [rounds=5] [all|wasm|float32|generic|passes]
 */
import { Rng } from "../src/core/rng.ts";
import type { Circuit } from "../src/circuits/ir.ts";
import { hqnnCircuit } from "../src/circuits/hqnn.ts";
import { qmtlCircuit, resolveQmtl } from "../src/circuits/qmtl.ts";
import { PRESETS } from "../src/circuits/presets.ts";
import type { DifferentiableExecutor } from "../src/sim/executor.ts";
import { adjointExecutor } from "../src/diff/adjoint.ts";
import { fusedAdjointExecutor, compileSchedule } from "../src/sim/fused/index.ts";
import { applyMat2, offDiagonalCross } from "../src/sim/fused/block-kernels.ts";
import { layerCross } from "../src/sim/fused/layer-cross.ts";
import { gather, cnotInPlace } from "../src/sim/fused/perm-kernels.ts";
import { initProduct, productEnvironments, productScratch } from "../src/sim/fused/product-layer.ts";
import { compileReadout, measure, readoutScratch } from "../src/sim/fused/readout.ts";
import { buildLambda } from "../src/sim/fused/lambda.ts";
import { WasmArena } from "../src/sim/fused/wasm-arena.ts";
import { WasmPlan } from "../src/sim/fused/wasm-plan.ts";
import { apply1q } from "../src/sim/kernels.ts";
import { expvalPauli, pauliMasks } from "../src/sim/pauli-ops.ts";
import { imInnerPauli1 } from "../src/sim/pauli-inner.ts";

const rounds = Number(process.argv[2] ?? 5);
const B = 128;

function randomArray(rng: Rng, n: number, lo = -Math.PI, hi = Math.PI): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(lo, hi));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Seconds (wall, and CPU time of this process) per batch of record + backward, repeated for at least minMs. */
function timeBatch(
  ex: DifferentiableExecutor,
  x: Float64Array,
  w: Float64Array,
  cot: Float64Array,
  minMs: number,
): { wall: number; cpu: number } {
  let reps = 0;
  const t0 = performance.now(),
    c0 = cpuSeconds();
  do {
    ex.record(x, w, B).backward(cot);
    reps++;
  } while (performance.now() - t0 < minMs);
  return { wall: (performance.now() - t0) / 1000 / reps, cpu: (cpuSeconds() - c0) / reps };
}

type Maker = [label: string, make: (c: Circuit) => DifferentiableExecutor, baseline: number];

/**
 * Every maker on every circuit, interleaved round after round; a row's
 * speed-up is the median over rounds of (its baseline's time / its time)
 * within the round (baseline: the index of another maker in the list).
 */
function benchCircuits(title: string, makers: Maker[]): void {
  const cases: Array<[string, Circuit]> = [
    ["HQNN-13", hqnnCircuit({ qubits: 13 })],
    ["HQNN-4", hqnnCircuit({ qubits: 4 })],
    ["QMTL MUStARD (13 qubits)", qmtlCircuit(resolveQmtl(PRESETS.mustard))],
  ];
  console.log(
    `## ${title}: forward + gradient (record + backward), batch ${B}, ${rounds} interleaved rounds\n`,
  );
  console.log(
    "Medians over rounds; speed-up = median over rounds of (baseline time / this time) within the round.\n",
  );
  console.log(
    "| circuit | executor | samples/s (wall) | samples/s (CPU time) | baseline | speed-up (wall) | speed-up (CPU) |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const [label, c] of cases) {
    const rng = new Rng(1);
    const x = randomArray(rng, B * c.nInputs),
      w = randomArray(rng, c.nWeights),
      cot = randomArray(rng, B * c.observables.length, -1, 1);
    const exs = makers.map(([, m]) => m(c));
    for (const ex of exs) ex.record(x, w, B).backward(cot); // warm-up (JIT, tape memory)
    const t: Array<Array<{ wall: number; cpu: number }>> = exs.map(() => []);
    for (let r = 0; r < rounds; r++) exs.forEach((ex, k) => t[k]!.push(timeBatch(ex, x, w, cot, 400)));
    exs.forEach((_, k) => {
      const base = makers[k]![2];
      const wall = B / median(t[k]!.map((e) => e.wall)),
        cpu = B / median(t[k]!.map((e) => e.cpu));
      const ratio = (f: "wall" | "cpu"): string =>
        `${median(t[base]!.map((e0, r) => e0[f] / t[k]![r]![f])).toFixed(2)}x`;
      const self = base === k;
      console.log(
        `| ${label} | ${makers[k]![0]} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${makers[base]![0]} | ${self ? "1" : ratio("wall")} | ${self ? "1" : ratio("cpu")} |`,
      );
    });
  }
  console.log("");
}

const layers = (c: Circuit): number => compileSchedule(c).items.filter((it) => it.kind === "layer").length;
const rerun = (c: Circuit): number => (layers(c) + 1) * 16 * 2 ** c.nQubits;

/** The fused executor against the generic adjoint, on the TypeScript passes (the numbers of the first version). */
const GENERIC_VS_FUSED: Maker[] = [
  ["generic adjoint", (c) => adjointExecutor(c), 0],
  ["fused, ts (states on the tape)", (c) => fusedAdjointExecutor(c, { kernels: "ts" }), 0],
  [
    "fused, ts, re-run forward in backward",
    (c) => fusedAdjointExecutor(c, { kernels: "ts", checkpointBytes: rerun(c) }),
    0,
  ],
  [
    "fused, ts, re-run forward + un-apply psi",
    (c) => fusedAdjointExecutor(c, { kernels: "ts", checkpointBytes: 0 }),
    0,
  ],
  ["fused, wasm (default)", (c) => fusedAdjointExecutor(c, { kernels: "wasm" }), 0],
];

/** The fused executor's WebAssembly SIMD passes against its TypeScript passes, mode by mode. */
const TS_VS_WASM: Maker[] = [
  ["fused, ts (states on the tape)", (c) => fusedAdjointExecutor(c, { kernels: "ts" }), 0],
  ["fused, wasm (states on the tape, the default)", (c) => fusedAdjointExecutor(c, { kernels: "wasm" }), 0],
  [
    "fused, ts, re-run forward",
    (c) => fusedAdjointExecutor(c, { kernels: "ts", checkpointBytes: rerun(c) }),
    2,
  ],
  [
    "fused, wasm, re-run forward",
    (c) => fusedAdjointExecutor(c, { kernels: "wasm", checkpointBytes: rerun(c) }),
    2,
  ],
  [
    "fused, ts, re-run + un-apply psi",
    (c) => fusedAdjointExecutor(c, { kernels: "ts", checkpointBytes: 0 }),
    4,
  ],
  [
    "fused, wasm, re-run + un-apply psi",
    (c) => fusedAdjointExecutor(c, { kernels: "wasm", checkpointBytes: 0 }),
    4,
  ],
];

/** Best-of-rounds microseconds per call. */
function micro(fns: Record<string, () => void>): Record<string, number> {
  const best: Record<string, number> = {};
  for (let r = 0; r < 10; r++) {
    for (const [name, f] of Object.entries(fns)) {
      for (let i = 0; i < 10; i++) f();
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) f();
      best[name] = Math.min(best[name] ?? Infinity, ((performance.now() - t0) / 50) * 1000);
    }
  }
  return best;
}

/**
 * The rejected alternative, kept here to be measured: one pass per block that
 * accumulates its full 2x2 K and un-applies U^dagger from psi and lambda.
 */
function fusedCrossUnapply(
  pr: Float64Array,
  pi: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  stride: number,
  ud: Float64Array,
  k: Float64Array,
): void {
  const ar = ud[0]!,
    ai = ud[1]!,
    br = ud[2]!,
    bi = ud[3]!,
    cr = ud[4]!,
    ci = ud[5]!,
    dr = ud[6]!,
    di = ud[7]!;
  let k00r = 0,
    k00i = 0,
    k01r = 0,
    k01i = 0,
    k10r = 0,
    k10i = 0,
    k11r = 0,
    k11i = 0;
  const dim = pr.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    for (let i0 = base; i0 < base + stride; i0++) {
      const i1 = i0 + stride;
      const p0r = pr[i0]!,
        p0i = pi[i0]!,
        p1r = pr[i1]!,
        p1i = pi[i1]!;
      const l0r = lr[i0]!,
        l0i = li[i0]!,
        l1r = lr[i1]!,
        l1i = li[i1]!;
      k00r += p0r * l0r + p0i * l0i;
      k00i += p0i * l0r - p0r * l0i;
      k01r += p0r * l1r + p0i * l1i;
      k01i += p0i * l1r - p0r * l1i;
      k10r += p1r * l0r + p1i * l0i;
      k10i += p1i * l0r - p1r * l0i;
      k11r += p1r * l1r + p1i * l1i;
      k11i += p1i * l1r - p1r * l1i;
      pr[i0] = ar * p0r - ai * p0i + br * p1r - bi * p1i;
      pi[i0] = ar * p0i + ai * p0r + br * p1i + bi * p1r;
      pr[i1] = cr * p0r - ci * p0i + dr * p1r - di * p1i;
      pi[i1] = cr * p0i + ci * p0r + dr * p1i + di * p1r;
      lr[i0] = ar * l0r - ai * l0i + br * l1r - bi * l1i;
      li[i0] = ar * l0i + ai * l0r + br * l1i + bi * l1r;
      lr[i1] = cr * l0r - ci * l0i + dr * l1r - di * l1i;
      li[i1] = cr * l0i + ci * l0r + dr * l1i + di * l1r;
    }
  }
  k[0] = k00r;
  k[1] = k00i;
  k[2] = k01r;
  k[3] = k01i;
  k[4] = k10r;
  k[5] = k10i;
  k[6] = k11r;
  k[7] = k11i;
}

function benchPasses(): void {
  const n = 13,
    dim = 1 << n;
  const rng = new Rng(2);
  // normalised states and a unitary, so repeated passes stay in range (no denormals)
  const state = (): [Float64Array, Float64Array] => [
    randomArray(rng, dim, -1, 1).map((v) => v / 90),
    randomArray(rng, dim, -1, 1).map((v) => v / 90),
  ];
  const [pr, pi] = state(),
    [lr, li] = state(),
    [tr, ti] = state(),
    [zr, zi] = state();
  const c = Math.cos(0.3),
    s = Math.sin(0.3);
  const u = Float64Array.from([c, 0, 0, -s, 0, -s, c, 0]);
  const k = new Float64Array(8),
    ks = new Float64Array(8 * n),
    diag = new Float64Array(4 * n);
  const sch = compileSchedule(hqnnCircuit({ qubits: n }));
  const layer = sch.items.find((it) => it.kind === "layer");
  const ring = sch.items.find((it) => it.kind === "perm");
  if (layer?.kind !== "layer" || ring?.kind !== "perm") throw new Error("unexpected HQNN schedule");
  const v = Float64Array.from({ length: 4 * n }, (_, i) => (i % 4 === 0 ? c : i % 4 === 2 ? s : 0));
  const g = new Float64Array(4 * n),
    ps = productScratch(n);
  const strides = Array.from({ length: n }, (_, q) => 1 << (n - 1 - q));
  const st = { n, re: pr, im: pi },
    lm = { n, re: lr, im: li };
  const mustard = qmtlCircuit(resolveQmtl(PRESETS.mustard));
  const ro = compileReadout(mustard.observables, n),
    rs = readoutScratch(n),
    outs = new Float64Array(mustard.observables.length);
  const masks = mustard.observables.map((o) => pauliMasks(o, n));
  const t = micro({
    "generic: apply1q (one gate, one wire)": () => apply1q(st, 6, c, 0, 0, -s, 0, -s, c, 0),
    "generic: imInnerPauli1 (one derivative)": () => {
      imInnerPauli1(lm, st, 6, "Y");
    },
    "fused: applyMat2 (one block, one wire)": () => applyMat2(pr, pi, strides[6]!, u),
    "first layer, passes: 13 x applyMat2": () => {
      for (const sd of strides) applyMat2(tr, ti, sd, u);
    },
    "first layer, direct: initProduct": () => initProduct(tr, ti, n, v),
    "K of 13 wires: 13 x full-K + un-apply psi, lambda (one fused pass each)": () => {
      for (const sd of strides) fusedCrossUnapply(pr, pi, lr, li, sd, u, k);
    },
    "K of 13 wires: layerCross (z fold + 13 x offDiagonalCross)": () =>
      layerCross(pr, pi, lr, li, n, layer.blocks, ks, zr, zi, diag),
    "un-apply 13 blocks from one state: 13 x applyMat2": () => {
      for (const sd of strides) applyMat2(lr, li, sd, u);
    },
    "one offDiagonalCross": () => offDiagonalCross(pr, pi, lr, li, strides[6]!, k, 0),
    "first layer gradients: productEnvironments": () => productEnvironments(lr, li, n, v, g, ps),
    "CNOT ring: 13 x cnotInPlace": () => {
      for (let q = 0; q < n; q++) cnotInPlace(pr, pi, strides[q]!, strides[(q + 1) % n]!);
    },
    "CNOT ring: one gather": () => gather(pr, pi, tr, ti, ring.forward),
    "MUStARD's 25 observables: expvalPauli each (generic)": () => {
      for (let o = 0; o < masks.length; o++) outs[o] = expvalPauli(st, masks[o]!);
    },
    "MUStARD's 25 observables: measure (fused readout)": () => measure(ro, pr, pi, outs, 0, rs),
  });
  console.log(`\n## single passes at n = ${n} (best of 10 rounds, microseconds per call)\n`);
  console.log("| pass | us |");
  console.log("|---|---|");
  for (const [name, us] of Object.entries(t)) console.log(`| ${name} | ${us.toFixed(1)} |`);
}

console.log(`node ${process.version}, ${new Date().toISOString()}\n`);
/**
 * The same passes at n = 13 on the WebAssembly SIMD kernels (assembly/fused.ts),
 * next to their TypeScript versions measured in the same loop: one layer of
 * 13 blocks (applyLayer: one call), the K of a layer, a CNOT-ring gather,
 * the first layer written and differentiated, MUStARD's readout and lambda,
 * and a state copy into the tape.
 */
function benchWasmPasses(): void {
  const n = 13,
    dim = 1 << n,
    rng = new Rng(2);
  const rnd = (): Float64Array => randomArray(rng, dim, -1, 1).map((v) => v / 90);
  const hq = compileSchedule(hqnnCircuit({ qubits: n }));
  const mustard = qmtlCircuit(resolveQmtl(PRESETS.mustard));
  const ms = compileSchedule(mustard),
    ro = compileReadout(mustard.observables, n);
  const li = hq.items.findIndex((it) => it.kind === "layer");
  const layer = hq.items[li],
    ring = hq.items.find((it) => it.kind === "perm");
  if (layer?.kind !== "layer" || ring?.kind !== "perm") throw new Error("unexpected HQNN schedule");
  const arena = new WasmArena(),
    ex = arena.ex,
    plan = new WasmPlan(arena, hq, ro);
  new WasmPlan(arena, ms, ro); // (tables only)
  const st = (): number => arena.alloc(16 * dim),
    d = (k: number): number => arena.alloc(8 * k);
  const P = st(),
    L = st(),
    T = st(),
    Z = st(),
    R = st(),
    H = st();
  const diag = d(4 * n),
    ks = d(8 * n),
    mats = d(8 * hq.nBlocks),
    v = d(4 * n),
    g = d(4 * n),
    p = d(dim),
    marg = d(n),
    out = d(64),
    cot = d(64);
  const c = Math.cos(0.3),
    s = Math.sin(0.3);
  const heap = arena.heap();
  for (const a of [P, L, T, Z]) {
    heap.set(rnd(), a >> 3);
    heap.set(rnd(), (a >> 3) + dim);
  }
  for (let b = 0; b < hq.nBlocks; b++) heap.set([c, 0, 0, -s, 0, -s, c, 0], (mats >> 3) + 8 * b);
  for (let q = 0; q < n; q++) heap.set([c, 0, s, 0], (v >> 3) + 4 * q);
  for (let o = 0; o < 64; o++) heap[(cot >> 3) + o] = rng.range(-1, 1);
  const [pr, pi, lr, li2, tr, ti, zr, zi] = [rnd(), rnd(), rnd(), rnd(), rnd(), rnd(), rnd(), rnd()];
  const u = Float64Array.from([c, 0, 0, -s, 0, -s, c, 0]);
  const vt = Float64Array.from({ length: 4 * n }, (_, i) => (i % 4 === 0 ? c : i % 4 === 2 ? s : 0));
  const kst = new Float64Array(8 * n),
    dg = new Float64Array(4 * n),
    gt = new Float64Array(4 * n),
    ps = productScratch(n);
  const rs = readoutScratch(n),
    outs = new Float64Array(64),
    cots = Float64Array.from({ length: 64 }, () => rng.range(-1, 1));
  const strides = Array.from({ length: n }, (_, q) => 1 << (n - 1 - q));
  const tl = plan.layers[li]!,
    tg = plan.gather(ring.forward),
    im = 8 * dim;
  const mplan = new WasmPlan(arena, ms, ro);
  const pairs: Array<[string, () => void, () => void]> = [
    [
      "one layer, 13 blocks (ts: 13 x applyMat2; wasm: one applyLayer)",
      () => {
        for (const sd of strides) applyMat2(lr, li2, sd, u);
      },
      () => ex.applyLayer(L, L + im, n, tl.at, tl.count, mats, 0, 0),
    ],
    [
      "K of 13 wires (layerCross)",
      () => layerCross(pr, pi, lr, li2, n, layer.blocks, kst, zr, zi, dg),
      () => ex.layerCross(P, P + im, L, L + im, n, Z, Z + im, diag, tl.at, tl.count, ks, 0),
    ],
    [
      "CNOT ring: one gather",
      () => gather(pr, pi, tr, ti, ring.forward),
      () => ex.gather(P, P + im, T, T + im, tg.idx, tg.sign, dim, 0),
    ],
    ["first layer: initProduct", () => initProduct(tr, ti, n, vt), () => ex.initProduct(T, T + im, n, v)],
    [
      "first layer gradients: productEnvironments",
      () => productEnvironments(lr, li2, n, vt, gt, ps),
      () => ex.productEnvironments(L, L + im, n, v, g, R, R + im, H, H + im / 2),
    ],
    [
      "MUStARD's 25 observables: measure",
      () => measure(ro, pr, pi, outs, 0, rs),
      () => ex.measure(n, P, P + im, mplan.words, mplan.nWords, p, marg, out),
    ],
    [
      "MUStARD's lambda: buildLambda",
      () => buildLambda(ro, pr, pi, tr, ti, cots, 0, rs.p, new Float64Array(n)),
      () => ex.buildLambda(n, P, P + im, T, T + im, mplan.words, mplan.nWords, cot, p),
    ],
    [
      "copy of one state (tape)",
      () => {
        tr.set(pr);
        ti.set(pi);
      },
      () => ex.copyF64(T, P, 2 * dim),
    ],
  ];
  const fns: Record<string, () => void> = {};
  for (const [name, f, w] of pairs) {
    fns[`ts: ${name}`] = f;
    fns[`wasm: ${name}`] = w;
  }
  // float32 states (same values rounded) for the f32x4 passes
  const P4 = arena.alloc(8 * dim),
    L4 = arena.alloc(8 * dim),
    T4 = arena.alloc(8 * dim),
    i4 = 4 * dim;
  ex.toF32(P4, P, 2 * dim);
  ex.toF32(L4, L, 2 * dim);
  ex.toF32(T4, T, 2 * dim);
  const pairs32: Array<[string, () => void, () => void]> = [
    [
      "one layer, 13 blocks: applyLayer",
      () => ex.applyLayer(L, L + im, n, tl.at, tl.count, mats, 0, 0),
      () => ex.applyLayer(L4, L4 + i4, n, tl.at, tl.count, mats, 0, 1),
    ],
    [
      "K of 13 wires: layerCross",
      () => ex.layerCross(P, P + im, L, L + im, n, Z, Z + im, diag, tl.at, tl.count, ks, 0),
      () => ex.layerCross(P4, P4 + i4, L4, L4 + i4, n, Z, Z + im, diag, tl.at, tl.count, ks, 1),
    ],
    [
      "CNOT ring: one gather",
      () => ex.gather(P, P + im, T, T + im, tg.idx, tg.sign, dim, 0),
      () => ex.gather(P4, P4 + i4, T4, T4 + i4, tg.idx, tg.sign, dim, 1),
    ],
    [
      "state to float64 and back (toF64 + toF32)",
      () => ex.copyF64(T, P, 2 * dim),
      () => {
        ex.toF64(R, P4, 2 * dim);
        ex.toF32(T4, R, 2 * dim);
      },
    ],
  ];
  for (const [name, a, b] of pairs32) {
    fns[`f64: ${name}`] = a;
    fns[`f32: ${name}`] = b;
  }
  const t = micro(fns);
  console.log(
    `\n## TypeScript vs WebAssembly SIMD passes at n = ${n} (best of 10 rounds, microseconds per call)\n`,
  );
  console.log("| pass | ts us | wasm us | ts / wasm |");
  console.log("|---|---|---|---|");
  for (const [name] of pairs) {
    const a = t[`ts: ${name}`]!,
      b = t[`wasm: ${name}`]!;
    console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(1)}x |`);
  }
  console.log(
    `\n## float64 vs float32 WebAssembly passes at n = ${n} (same run; the f64 row of the last line is a plain copy)\n`,
  );
  console.log("| pass | f64 us | f32 us | f64 / f32 |");
  console.log("|---|---|---|---|");
  for (const [name] of pairs32) {
    const a = t[`f64: ${name}`]!,
      b = t[`f32: ${name}`]!;
    console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(1)}x |`);
  }
}

/** precision "float32" (f32x4 passes) against the float64 wasm passes. */
const F64_VS_F32: Maker[] = [
  ["fused, wasm, float64 (tape)", (c) => fusedAdjointExecutor(c, { kernels: "wasm" }), 0],
  [
    "fused, wasm, float32 (tape)",
    (c) => fusedAdjointExecutor(c, { kernels: "wasm", precision: "float32" }),
    0,
  ],
  [
    "fused, wasm, float64, un-apply psi",
    (c) => fusedAdjointExecutor(c, { kernels: "wasm", checkpointBytes: 0 }),
    2,
  ],
  [
    "fused, wasm, float32, un-apply psi",
    (c) => fusedAdjointExecutor(c, { kernels: "wasm", precision: "float32", checkpointBytes: 0 }),
    2,
  ],
];

/** Errors of precision "float32" against float64 on the bench batch (inputs, weights in [-pi, pi], cotangents in [-1, 1]). */
function benchPrecisionErrors(): void {
  const cases: Array<[string, Circuit]> = [
    ["HQNN-13", hqnnCircuit({ qubits: 13 })],
    ["HQNN-4", hqnnCircuit({ qubits: 4 })],
    ["QMTL MUStARD (13 qubits)", qmtlCircuit(resolveQmtl(PRESETS.mustard))],
  ];
  const maxAbsDiff = (a: Float64Array, b: Float64Array): number =>
    a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
  const maxAbsVal = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  console.log(`## float32 vs float64 errors, batch ${B}\n`);
  console.log(
    "| circuit | max abs error, outputs | max abs error, grad weights (max abs value; relative) | max abs error, grad inputs (max abs value; relative) |",
  );
  console.log("|---|---|---|---|");
  for (const [label, c] of cases) {
    const rng = new Rng(1);
    const x = randomArray(rng, B * c.nInputs),
      w = randomArray(rng, c.nWeights),
      cot = randomArray(rng, B * c.observables.length, -1, 1);
    const t64 = fusedAdjointExecutor(c, { kernels: "wasm" }).record(x, w, B),
      t32 = fusedAdjointExecutor(c, { kernels: "wasm", precision: "float32" }).record(x, w, B);
    const g64 = t64.backward(cot),
      g32 = t32.backward(cot);
    const cell = (a: Float64Array, b: Float64Array): string => {
      const e = maxAbsDiff(a, b),
        m = maxAbsVal(a);
      return `${e.toExponential(1)} (${m.toFixed(2)}; ${(e / m).toExponential(1)})`;
    };
    console.log(
      `| ${label} | ${maxAbsDiff(t64.outputs, t32.outputs).toExponential(1)} | ${cell(g64.gradWeights, g32.gradWeights)} | ${cell(g64.gradInputs, g32.gradInputs)} |`,
    );
  }
  console.log("");
}

const only = process.argv[3] ?? "all";
if (only === "all" || only === "wasm")
  benchCircuits("TypeScript vs WebAssembly SIMD passes of the fused executor", TS_VS_WASM);
if (only === "all" || only === "float32") {
  benchCircuits("float64 vs float32 WebAssembly passes", F64_VS_F32);
  benchPrecisionErrors();
}
if (only === "all" || only === "generic") benchCircuits("generic adjoint vs fused", GENERIC_VS_FUSED);
if (only === "all" || only === "passes") {
  benchPasses();
  benchWasmPasses();
}
