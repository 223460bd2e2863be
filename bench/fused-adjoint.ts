/**
 * Fused vs generic statevector adjoint, forward + full gradient (record +
 * backward) at batch 128, samples per second, on:
 *  - HQNN-13 (the main experiment's bottleneck), HQNN-4 (the original size),
 *  - the QMTL MUStARD circuit (13 qubits, gate level).
 * Executors run interleaved, round after round, so that load from other
 * processes hits all of them alike; the speed-up is the median over rounds of
 * the ratio within a round. A second part times single passes at n = 13, the
 * numbers behind the choices in docs/decisions-fused.md.
 * Run: npx tsx bench/fused-adjoint.ts [rounds=5]
 */
import { Rng } from "../src/core/rng.ts";
import type { Circuit } from "../src/circuits/ir.ts";
import { hqnnCircuit } from "../src/circuits/hqnn.ts";
import { qmtlCircuit, resolveQmtl } from "../src/circuits/qmtl.ts";
import { PRESETS } from "../src/circuits/presets.ts";
import type { DifferentiableExecutor } from "../src/sim/executor.ts";
import { adjointExecutor } from "../src/diff/adjoint.ts";
import { fusedAdjointExecutor, compileSchedule } from "../src/diff/fused/index.ts";
import { applyMat2, offDiagonalCross } from "../src/diff/fused/block-kernels.ts";
import { layerCross } from "../src/diff/fused/layer-cross.ts";
import { gather, cnotInPlace } from "../src/diff/fused/perm-kernels.ts";
import { initProduct, productEnvironments, productScratch } from "../src/diff/fused/product-layer.ts";
import { compileReadout, measure, readoutScratch } from "../src/diff/fused/readout.ts";
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

const cpuSeconds = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Seconds (wall, and CPU time of this process) per batch of record + backward, repeated for at least minMs. */
function timeBatch(ex: DifferentiableExecutor, x: Float64Array, w: Float64Array, cot: Float64Array, minMs: number): { wall: number; cpu: number } {
  let reps = 0;
  const t0 = performance.now(), c0 = cpuSeconds();
  do { ex.record(x, w, B).backward(cot); reps++; } while (performance.now() - t0 < minMs);
  return { wall: (performance.now() - t0) / 1000 / reps, cpu: (cpuSeconds() - c0) / reps };
}

function benchCircuits(): void {
  const cases: Array<[string, Circuit]> = [
    ["HQNN-13", hqnnCircuit({ qubits: 13 })],
    ["HQNN-4", hqnnCircuit({ qubits: 4 })],
    ["QMTL MUStARD (13 qubits)", qmtlCircuit(resolveQmtl(PRESETS.mustard))],
  ];
  const layers = (c: Circuit): number => compileSchedule(c).items.filter((it) => it.kind === "layer").length;
  const makers: Array<[string, (c: Circuit) => DifferentiableExecutor]> = [
    ["generic adjoint", (c) => adjointExecutor(c)],
    ["fused (default: states on the tape)", (c) => fusedAdjointExecutor(c)],
    ["fused, re-run forward in backward", (c) => fusedAdjointExecutor(c, { checkpointBytes: (layers(c) + 1) * 16 * 2 ** c.nQubits })],
    ["fused, re-run forward + un-apply psi", (c) => fusedAdjointExecutor(c, { checkpointBytes: 0 })],
  ];
  console.log(`## forward + gradient (record + backward), batch ${B}, ${rounds} interleaved rounds\n`);
  console.log("Medians over rounds; speed-up = median over rounds of (generic time / this time) within the round.\n");
  console.log("| circuit | executor | samples/s (wall) | samples/s (CPU time) | speed-up (wall) | speed-up (CPU) |");
  console.log("|---|---|---|---|---|---|");
  for (const [label, c] of cases) {
    const rng = new Rng(1);
    const x = randomArray(rng, B * c.nInputs), w = randomArray(rng, c.nWeights), cot = randomArray(rng, B * c.observables.length, -1, 1);
    const exs = makers.map(([, m]) => m(c));
    for (const ex of exs) ex.record(x, w, B).backward(cot); // warm-up (JIT, tape memory)
    const t: Array<Array<{ wall: number; cpu: number }>> = exs.map(() => []);
    for (let r = 0; r < rounds; r++) exs.forEach((ex, k) => t[k]!.push(timeBatch(ex, x, w, cot, 400)));
    exs.forEach((_, k) => {
      const wall = B / median(t[k]!.map((e) => e.wall)), cpu = B / median(t[k]!.map((e) => e.cpu));
      const ratio = (f: "wall" | "cpu"): string => `${median(t[0]!.map((e0, r) => e0[f] / t[k]![r]![f])).toFixed(2)}x`;
      console.log(`| ${label} | ${makers[k]![0]} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${k === 0 ? "1" : ratio("wall")} | ${k === 0 ? "1" : ratio("cpu")} |`);
    });
  }
}

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
function fusedCrossUnapply(pr: Float64Array, pi: Float64Array, lr: Float64Array, li: Float64Array, stride: number, ud: Float64Array, k: Float64Array): void {
  const ar = ud[0]!, ai = ud[1]!, br = ud[2]!, bi = ud[3]!, cr = ud[4]!, ci = ud[5]!, dr = ud[6]!, di = ud[7]!;
  let k00r = 0, k00i = 0, k01r = 0, k01i = 0, k10r = 0, k10i = 0, k11r = 0, k11i = 0;
  const dim = pr.length;
  for (let base = 0; base < dim; base += 2 * stride) {
    for (let i0 = base; i0 < base + stride; i0++) {
      const i1 = i0 + stride;
      const p0r = pr[i0]!, p0i = pi[i0]!, p1r = pr[i1]!, p1i = pi[i1]!;
      const l0r = lr[i0]!, l0i = li[i0]!, l1r = lr[i1]!, l1i = li[i1]!;
      k00r += p0r * l0r + p0i * l0i; k00i += p0i * l0r - p0r * l0i;
      k01r += p0r * l1r + p0i * l1i; k01i += p0i * l1r - p0r * l1i;
      k10r += p1r * l0r + p1i * l0i; k10i += p1i * l0r - p1r * l0i;
      k11r += p1r * l1r + p1i * l1i; k11i += p1i * l1r - p1r * l1i;
      pr[i0] = ar * p0r - ai * p0i + br * p1r - bi * p1i; pi[i0] = ar * p0i + ai * p0r + br * p1i + bi * p1r;
      pr[i1] = cr * p0r - ci * p0i + dr * p1r - di * p1i; pi[i1] = cr * p0i + ci * p0r + dr * p1i + di * p1r;
      lr[i0] = ar * l0r - ai * l0i + br * l1r - bi * l1i; li[i0] = ar * l0i + ai * l0r + br * l1i + bi * l1r;
      lr[i1] = cr * l0r - ci * l0i + dr * l1r - di * l1i; li[i1] = cr * l0i + ci * l0r + dr * l1i + di * l1r;
    }
  }
  k[0] = k00r; k[1] = k00i; k[2] = k01r; k[3] = k01i; k[4] = k10r; k[5] = k10i; k[6] = k11r; k[7] = k11i;
}

function benchPasses(): void {
  const n = 13, dim = 1 << n;
  const rng = new Rng(2);
  // normalised states and a unitary, so repeated passes stay in range (no denormals)
  const state = (): [Float64Array, Float64Array] => [randomArray(rng, dim, -1, 1).map((v) => v / 90), randomArray(rng, dim, -1, 1).map((v) => v / 90)];
  const [pr, pi] = state(), [lr, li] = state(), [tr, ti] = state(), [zr, zi] = state();
  const c = Math.cos(0.3), s = Math.sin(0.3);
  const u = Float64Array.from([c, 0, 0, -s, 0, -s, c, 0]);
  const k = new Float64Array(8), ks = new Float64Array(8 * n), diag = new Float64Array(4 * n);
  const sch = compileSchedule(hqnnCircuit({ qubits: n }));
  const layer = sch.items.find((it) => it.kind === "layer");
  const ring = sch.items.find((it) => it.kind === "perm");
  if (layer?.kind !== "layer" || ring?.kind !== "perm") throw new Error("unexpected HQNN schedule");
  const v = Float64Array.from({ length: 4 * n }, (_, i) => (i % 4 === 0 ? c : i % 4 === 2 ? s : 0));
  const g = new Float64Array(4 * n), ps = productScratch(n);
  const strides = Array.from({ length: n }, (_, q) => 1 << (n - 1 - q));
  const st = { n, re: pr, im: pi }, lm = { n, re: lr, im: li };
  const mustard = qmtlCircuit(resolveQmtl(PRESETS.mustard));
  const ro = compileReadout(mustard.observables, n), rs = readoutScratch(n), outs = new Float64Array(mustard.observables.length);
  const masks = mustard.observables.map((o) => pauliMasks(o, n));
  const t = micro({
    "generic: apply1q (one gate, one wire)": () => apply1q(st, 6, c, 0, 0, -s, 0, -s, c, 0),
    "generic: imInnerPauli1 (one derivative)": () => { imInnerPauli1(lm, st, 6, "Y"); },
    "fused: applyMat2 (one block, one wire)": () => applyMat2(pr, pi, strides[6]!, u),
    "first layer, passes: 13 x applyMat2": () => { for (const sd of strides) applyMat2(tr, ti, sd, u); },
    "first layer, direct: initProduct": () => initProduct(tr, ti, n, v),
    "K of 13 wires: 13 x full-K + un-apply psi, lambda (one fused pass each)": () => { for (const sd of strides) fusedCrossUnapply(pr, pi, lr, li, sd, u, k); },
    "K of 13 wires: layerCross (z fold + 13 x offDiagonalCross)": () => layerCross(pr, pi, lr, li, n, layer.blocks, ks, zr, zi, diag),
    "un-apply 13 blocks from one state: 13 x applyMat2": () => { for (const sd of strides) applyMat2(lr, li, sd, u); },
    "one offDiagonalCross": () => offDiagonalCross(pr, pi, lr, li, strides[6]!, k, 0),
    "first layer gradients: productEnvironments": () => productEnvironments(lr, li, n, v, g, ps),
    "CNOT ring: 13 x cnotInPlace": () => { for (let q = 0; q < n; q++) cnotInPlace(pr, pi, strides[q]!, strides[(q + 1) % n]!); },
    "CNOT ring: one gather": () => gather(pr, pi, tr, ti, ring.forward),
    "MUStARD's 25 observables: expvalPauli each (generic)": () => { for (let o = 0; o < masks.length; o++) outs[o] = expvalPauli(st, masks[o]!); },
    "MUStARD's 25 observables: measure (fused readout)": () => measure(ro, pr, pi, outs, 0, rs),
  });
  console.log(`\n## single passes at n = ${n} (best of 10 rounds, microseconds per call)\n`);
  console.log("| pass | us |");
  console.log("|---|---|");
  for (const [name, us] of Object.entries(t)) console.log(`| ${name} | ${us.toFixed(1)} |`);
}

console.log(`node ${process.version}, ${new Date().toISOString()}\n`);
benchCircuits();
benchPasses();
