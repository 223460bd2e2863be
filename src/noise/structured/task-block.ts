import type { TaskPlan } from "./plan.ts";
import { foldedBlock } from "./plan.ts";
import { ptmMul, rotationPtm } from "../ptm.ts";

/**
 * A task's noisy head block on its S-qubit reduced Pauli vector (4^S reals),
 * Schroedinger picture: Rot gates (RZ(phi) RY(theta) RZ(omega), then the
 * gate's noise) and noisy CNOTs as 16x16 PTMs. Outputs are dot products with
 * the readout-modified words. Reverse mode keeps every intermediate vector.
 */

function apply1(
  x: Float64Array,
  S: number,
  site: number,
  m: Float64Array,
  transposed: boolean,
): Float64Array {
  const y = new Float64Array(x.length);
  const st = 4 ** (S - 1 - site);
  for (let base = 0; base < x.length; base++) {
    if (Math.floor(base / st) % 4 !== 0) continue;
    const x0 = x[base]!,
      x1 = x[base + st]!,
      x2 = x[base + 2 * st]!,
      x3 = x[base + 3 * st]!;
    for (let p = 0; p < 4; p++) {
      const e0 = transposed ? p : p * 4,
        d = transposed ? 4 : 1;
      y[base + p * st] = m[e0]! * x0 + m[e0 + d]! * x1 + m[e0 + 2 * d]! * x2 + m[e0 + 3 * d]! * x3;
    }
  }
  return y;
}

function apply2(
  x: Float64Array,
  S: number,
  a: number,
  b: number,
  g: Float64Array,
  transposed: boolean,
): Float64Array {
  const y = new Float64Array(x.length);
  const sa = 4 ** (S - 1 - a),
    sb = 4 ** (S - 1 - b);
  const v = new Float64Array(16);
  for (let base = 0; base < x.length; base++) {
    if (Math.floor(base / sa) % 4 !== 0 || Math.floor(base / sb) % 4 !== 0) continue;
    for (let pa = 0; pa < 4; pa++)
      for (let pb = 0; pb < 4; pb++) v[pa * 4 + pb] = x[base + pa * sa + pb * sb]!;
    for (let pa = 0; pa < 4; pa++)
      for (let pb = 0; pb < 4; pb++) {
        const r = pa * 4 + pb;
        let acc = 0;
        for (let c = 0; c < 16; c++) acc += (transposed ? g[c * 16 + r]! : g[r * 16 + c]!) * v[c]!;
        y[base + pa * sa + pb * sb] = acc;
      }
  }
  return y;
}

interface RotParts {
  f: [Float64Array, Float64Array, Float64Array];
  df: [Float64Array, Float64Array, Float64Array];
}

function rotParts(w: ArrayLike<number>, idx: readonly [number, number, number]): RotParts {
  const mk = (ax: "Y" | "Z", a: number): [Float64Array, Float64Array] => {
    const r = new Float64Array(16),
      d = new Float64Array(16);
    rotationPtm(ax, a, r, d);
    return [r, d];
  };
  const [r0, d0] = mk("Z", w[idx[0]]!),
    [r1, d1] = mk("Y", w[idx[1]]!),
    [r2, d2] = mk("Z", w[idx[2]]!);
  return { f: [r0, r1, r2], df: [d0, d1, d2] };
}

/** N RZ(omega) RY(theta) RZ(phi), folded when reps > 0. */
function rotBlock(noise: Float64Array, p: RotParts, reps: number): Float64Array {
  const r = ptmMul(p.f[2], ptmMul(p.f[1], p.f[0], 4), 4);
  return foldedBlock(noise, r, 4, reps);
}

export interface TaskRun {
  readonly outputs: Float64Array;
  /** states before each step, and the final one */
  readonly xs: Float64Array[];
}

export function taskForward(
  task: TaskPlan,
  rdm: Float64Array,
  weights: ArrayLike<number>,
  reps: number,
): TaskRun {
  const xs: Float64Array[] = [rdm];
  let x = rdm;
  for (const st of task.steps) {
    x =
      st.kind === "rot"
        ? apply1(x, task.size, st.site, rotBlock(st.noise, rotParts(weights, st.w), reps), false)
        : apply2(x, task.size, st.a, st.b, st.g, false);
    xs.push(x);
  }
  const outputs = Float64Array.from(task.words, (w) => {
    let s = 0;
    for (let k = 0; k < w.length; k++) s += w[k]! * x[k]!;
    return s;
  });
  return { outputs, xs };
}

/** Reverse mode (fold 1 only): returns d/d rdm; adds weight gradients into gWeights. */
export function taskBackward(
  task: TaskPlan,
  run: TaskRun,
  weights: ArrayLike<number>,
  cot: ArrayLike<number>,
  cotOff: number,
  gWeights: Float64Array,
): Float64Array {
  const S = task.size;
  let lam: Float64Array = new Float64Array(4 ** S);
  task.words.forEach((w, k) => {
    const g = cot[cotOff + k]!;
    if (g !== 0) for (let e = 0; e < w.length; e++) lam[e]! += g * w[e]!;
  });
  for (let s = task.steps.length - 1; s >= 0; s--) {
    const st = task.steps[s]!,
      x = run.xs[s]!;
    if (st.kind === "two") {
      lam = apply2(lam, S, st.a, st.b, st.g, true);
      continue;
    }
    const parts = rotParts(weights, st.w);
    const m = rotBlock(st.noise, parts, 0);
    // dM[p][q] = sum over the other sites lam[.., p, ..] x[.., q, ..]
    const dM = new Float64Array(16);
    const stp = 4 ** (S - 1 - st.site);
    for (let base = 0; base < x.length; base++) {
      if (Math.floor(base / stp) % 4 !== 0) continue;
      for (let p = 0; p < 4; p++)
        for (let q = 0; q < 4; q++) dM[p * 4 + q]! += lam[base + p * stp]! * x[base + q * stp]!;
    }
    for (let j = 0; j < 3; j++) {
      let prod: Float64Array | null = null;
      for (let k = 0; k < 3; k++) {
        const f = k === j ? parts.df[k] : parts.f[k];
        prod = prod === null ? f : ptmMul(f, prod, 4);
      }
      prod = ptmMul(st.noise, prod!, 4);
      let g = 0;
      for (let e = 0; e < 16; e++) g += dM[e]! * prod[e]!;
      gWeights[st.w[j]!]! += g;
    }
    lam = apply1(lam, S, st.site, m, true);
  }
  return lam;
}
