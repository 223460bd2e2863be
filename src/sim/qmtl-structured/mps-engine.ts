import type { QmtlLayout } from "../../circuits/qmtl.ts";
import { matmul, dagger, cmat, type CMatrix } from "../../gates/matrix.ts";
import type { DifferentiableExecutor, Gradients, Tape } from "../executor.ts";
import { checkBatchArgs, checkCotangent } from "../executor.ts";
import {
  t3,
  cmIdentity1,
  applyPhys,
  mergeSites,
  envLeft,
  envRight,
  closeLeft,
  closeRight,
  closeBoth,
  addInto,
  type T3,
  type CM,
} from "./tensor3.ts";
import { splitBlockGradient } from "./mps-split.ts";
import { encoderGate, firstBlockVector, headUnitary, pauliMatrix, type EncoderGate } from "./local-ops.ts";
import {
  leftDim,
  firstBlockSite,
  ladderSite,
  ladderSiteAdjoint,
  crossMatrix,
  firstBlockAdjoint,
} from "./mps-sites.ts";

/**
 * The first structured QMTL engine (dense bond-2^L site tensors): exact,
 * float64, differentiable. Kept as the engine of the non-entangling ablation
 * and as an independent cross-check of the parity-bond engine.
 *
 * The shared encoder is a staircase of nearest-neighbour CNOT ladders between
 * layers of single-qubit rotations. A ladder maps x to its prefix parities, a
 * matrix-product operator of bond dimension 2, so after L blocks the state is
 * *exactly* a matrix-product state of bond dimension at most 2^L (8 for the
 * paper's L = 3), whatever Q is. Further structure used:
 * - block 1 acts on |+>^Q, where RX(z) is a global phase: the state after it
 *   is the same for every sample (computed once per batch, and its gradient
 *   is accumulated over the batch); d/dz of the first Q inputs is exactly 0;
 * - every layer acts site by site on the MPS, so gradients flow back to each
 *   site's rotations locally;
 * - task blocks act on disjoint sub-registers, so each task's outputs are
 *   Tr(rho_t U_t^dag O U_t) with rho_t the reduced density matrix of its
 *   sub-register (a 2^S x 2^S matrix), and the backward pass folds a task's
 *   cotangents into one operator U_t^dag (sum_k c_k O_k) U_t.
 * Cost per sample is O(Q * 8^L * 2^S) instead of O(2^Q * gates): linear in Q.
 */
export function qmtlMpsEngine(layout: QmtlLayout): DifferentiableExecutor {
  const nOut = layout.nOutputs;
  const ex: DifferentiableExecutor = {
    name: "qmtl-mps",
    nInputs: layout.nInputs,
    nWeights: layout.nWeights,
    nOutputs: nOut,
    forward(inputs, weights, batch) {
      return ex.record(inputs, weights, batch).outputs;
    },
    record(inputs, weights, batch): Tape {
      checkBatchArgs(ex, inputs, weights, batch);
      const shared = prepareShared(layout, weights);
      const outputs = new Float64Array(batch * nOut);
      const tapes: SampleTape[] = [];
      for (let b = 0; b < batch; b++) tapes.push(forwardSample(layout, shared, inputs, b, weights, outputs));
      return {
        outputs,
        backward(cot): Gradients {
          checkCotangent(nOut, batch, cot);
          return backwardBatch(layout, shared, tapes, weights, cot, batch);
        },
      };
    },
  };
  return ex;
}

interface Shared {
  /** site tensors after block 1 (sample independent) */
  readonly t0: T3[];
  readonly b0: Array<{ b: CMatrix; db: CMatrix; dbz: CMatrix }>;
  readonly heads: Array<{ u: CMatrix; ud: CMatrix; du: CMatrix[]; obs: CMatrix[] }>;
}

interface SampleTape {
  /** pre[l][i]: site tensor entering block l's rotations (l >= 1) */
  readonly pre: T3[][];
  readonly gates: EncoderGate[][];
  readonly blocks: T3[];
  readonly el: CM[];
  readonly er: CM[];
  readonly rho: CM[];
  /** per block, the site tensors it was merged from */
  readonly sites: T3[];
  /** block 1's vectors of this sample (firstRotation "ry" only) */
  readonly first: Array<{ b: CMatrix; db: CMatrix; dbz: CMatrix }> | null;
}

function prepareShared(layout: QmtlLayout, w: Float64Array): Shared {
  const { Q } = layout;
  const b0 = Array.from({ length: Q }, (_, i) => firstBlockVector(w[i]!, layout.encoderOrder));
  const t0 = b0.map((v, i) => firstBlockSite(i, Q, v.b, layout.entangle));
  const heads = layout.tasks.map((t) => {
    const { u, du } = headUnitary(t.size, layout.Lh, w, t.weightOffset);
    return { u, ud: dagger(u), du, obs: t.local.map((o) => pauliMatrix(o, t.size)) };
  });
  return { t0, b0, heads };
}

function forwardSample(
  layout: QmtlLayout,
  sh: Shared,
  z: Float64Array,
  b: number,
  w: Float64Array,
  out: Float64Array,
): SampleTape {
  const { Q, L } = layout;
  const off = b * layout.nInputs;
  // firstRotation "ry": block 1 depends on the sample (its vectors kept for the backward pass)
  const first =
    layout.firstRotation === "ry"
      ? Array.from({ length: Q }, (_, i) => firstBlockVector(w[i]!, layout.encoderOrder, "ry", z[off + i]!))
      : null;
  let cur = first === null ? sh.t0 : first.map((v, i) => firstBlockSite(i, Q, v.b, layout.entangle));
  const pre: T3[][] = [[]];
  const gates: EncoderGate[][] = [[]];
  for (let l = 1; l < L; l++) {
    pre.push(cur);
    const gl: EncoderGate[] = [];
    const next: T3[] = [];
    for (let i = 0; i < Q; i++) {
      const g = encoderGate(z[off + Q * l + i]!, w[Q * l + i]!, layout.encoderOrder);
      gl.push(g);
      const p = applyPhys(cur[i]!, g.u.re, g.u.im);
      next.push(layout.entangle ? ladderSite(p, i, Q) : p);
    }
    gates.push(gl);
    cur = next;
  }
  // merge each task's sites into one block tensor
  const blocks: T3[] = layout.tasks.map((t) => {
    let blk = cur[t.offset]!;
    for (let k = 1; k < t.size; k++) blk = mergeSites(blk, cur[t.offset + k]!);
    return blk;
  });
  const T = blocks.length;
  const el: CM[] = [cmIdentity1()];
  for (let t = 0; t < T; t++) el.push(closeLeft(envLeft(el[t]!, blocks[t]!), blocks[t]!));
  const er: CM[] = new Array<CM>(T + 1);
  er[T] = cmIdentity1();
  for (let t = T - 1; t >= 0; t--) er[t] = closeRight(envRight(blocks[t]!, er[t + 1]!), blocks[t]!);
  const rho: CM[] = [];
  layout.tasks.forEach((task, t) => {
    const blk = blocks[t]!;
    const r = closeBoth(envRight(envLeft(el[t]!, blk), er[t + 1]!), blk);
    rho.push(r);
    // rho' = U rho U^dag ; output_k = Tr(rho' O_k)
    const h = sh.heads[t]!;
    const rp = matmul(matmul(h.u, asCMatrix(r)), h.ud);
    for (let k = 0; k < task.nOutputs; k++)
      out[b * layout.nOutputs + task.outputOffset + k] = traceProductRe(rp, h.obs[k]!);
  });
  return { pre, gates, blocks, el, er, rho, sites: cur, first };
}

function asCMatrix(m: CM): CMatrix {
  return { dim: m.n, re: m.re, im: m.im };
}

/** Re Tr(A B) */
function traceProductRe(a: CMatrix, b: CMatrix): number {
  const n = a.dim;
  let acc = 0;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++)
      acc += a.re[i * n + k]! * b.re[k * n + i]! - a.im[i * n + k]! * b.im[k * n + i]!;
  return acc;
}

/** 2 Re sum_{a,b} D[a,b] R[b,a] = 2 Re Tr(D R) */
function twoReTrace(d: CMatrix, r: CMatrix): number {
  return 2 * traceProductRe(d, r);
}

function backwardBatch(
  layout: QmtlLayout,
  sh: Shared,
  tapes: SampleTape[],
  w: Float64Array,
  cot: Float64Array,
  batch: number,
): Gradients {
  const { Q, L } = layout;
  const nOut = layout.nOutputs;
  const gradWeights = new Float64Array(layout.nWeights);
  const gradInputs = new Float64Array(batch * layout.nInputs);
  const T = layout.tasks.length;
  const headAcc = layout.tasks.map((t) => cmat(1 << t.size));
  const g0: T3[] = sh.t0.map((t) => t3(t.dl, t.d, t.dr));
  for (let b = 0; b < batch; b++) {
    const tp = tapes[b]!;
    // per task: M = sum_k c_k O_k ; A = U^dag M U ; head accumulator += rho U^dag M
    const ops: CMatrix[] = layout.tasks.map((task, t) => {
      const h = sh.heads[t]!;
      const dim = 1 << task.size;
      const m = cmat(dim);
      for (let k = 0; k < task.nOutputs; k++) {
        const c = cot[b * nOut + task.outputOffset + k]!;
        if (c === 0) continue;
        const o = h.obs[k]!;
        for (let e = 0; e < dim * dim; e++) {
          m.re[e]! += c * o.re[e]!;
          m.im[e]! += c * o.im[e]!;
        }
      }
      const udm = matmul(h.ud, m);
      const acc = matmul(asCMatrix(tp.rho[t]!), udm);
      addInto(headAcc[t]!, acc);
      return matmul(udm, h.u);
    });
    // environments with the operators inserted
    const hl: CM[] = [zeroLike(tp.el[0]!)];
    for (let t = 0; t < T; t++) {
      const blk = tp.blocks[t]!;
      const a = applyPhys(blk, ops[t]!.re, ops[t]!.im);
      const next = closeLeft(envLeft(hl[t]!, blk), blk);
      addInto(next, closeLeft(envLeft(tp.el[t]!, a), blk));
      hl.push(next);
    }
    const hr: CM[] = new Array<CM>(T + 1);
    hr[T] = zeroLike(tp.er[T]!);
    for (let t = T - 1; t >= 0; t--) {
      const blk = tp.blocks[t]!;
      const a = applyPhys(blk, ops[t]!.re, ops[t]!.im);
      const next = closeRight(envRight(blk, hr[t + 1]!), blk);
      addInto(next, closeRight(envRight(a, tp.er[t + 1]!), blk));
      hr[t] = next;
    }
    // d f / d conj(site) for every site of the final state
    const gSites: T3[] = new Array<T3>(Q);
    layout.tasks.forEach((task, t) => {
      const blk = tp.blocks[t]!;
      const a = applyPhys(blk, ops[t]!.re, ops[t]!.im);
      const gB = envRight(envLeft(tp.el[t]!, a), tp.er[t + 1]!);
      addInto(gB, envRight(envLeft(hl[t]!, blk), tp.er[t + 1]!));
      addInto(gB, envRight(envLeft(tp.el[t]!, blk), hr[t + 1]!));
      const sites = tp.sites.slice(task.offset, task.offset + task.size);
      splitBlockGradient(gB, sites).forEach((g, k) => {
        gSites[task.offset + k] = g;
      });
    });
    // site-local backward through blocks L-1 .. 1
    const off = b * layout.nInputs;
    let g = gSites;
    for (let l = L - 1; l >= 1; l--) {
      const prev: T3[] = new Array<T3>(Q);
      for (let i = 0; i < Q; i++) {
        const p = tp.pre[l]![i]!;
        const gP = layout.entangle ? ladderSiteAdjoint(g[i]!, i, Q, p.dl, p.dr) : g[i]!;
        const gate = tp.gates[l]![i]!;
        const k = crossMatrix(p, gP);
        gradInputs[off + Q * l + i] = twoReTrace(gate.dz, k);
        gradWeights[Q * l + i]! += twoReTrace(gate.dTheta, k);
        const ud = dagger(gate.u);
        prev[i] = applyPhys(gP, ud.re, ud.im);
      }
      g = prev;
    }
    if (tp.first === null) {
      for (let i = 0; i < Q; i++) addInto(g0[i]!, g[i]!);
      continue;
    }
    for (let i = 0; i < Q; i++) {
      const gb = firstBlockAdjoint(g[i]!, i, Q, layout.entangle);
      const { db, dbz } = tp.first[i]!;
      let aw = 0,
        az = 0;
      for (let x = 0; x < 2; x++) {
        aw += gb.re[x]! * db.re[x * 2]! + gb.im[x]! * db.im[x * 2]!;
        az += gb.re[x]! * dbz.re[x * 2]! + gb.im[x]! * dbz.im[x * 2]!;
      }
      gradWeights[i]! += 2 * aw;
      gradInputs[off + i] = 2 * az;
    }
  }
  // block 1 ("rx"): shared site tensors built from b_i; first-block inputs have zero gradient
  for (let i = 0; i < Q && layout.firstRotation !== "ry"; i++) {
    const gb = firstBlockAdjoint(g0[i]!, i, Q, layout.entangle);
    const db = sh.b0[i]!.db;
    let acc = 0;
    for (let x = 0; x < 2; x++) acc += gb.re[x]! * db.re[x * 2]! + gb.im[x]! * db.im[x * 2]!;
    gradWeights[i]! += 2 * acc;
  }
  // head weights: 2 Re Tr(dU R) with R = sum_b rho U^dag M
  layout.tasks.forEach((task, t) => {
    const du = sh.heads[t]!.du;
    for (let k = 0; k < du.length; k++)
      gradWeights[task.weightOffset + k]! += twoReTrace(du[k]!, headAcc[t]!);
  });
  return { gradWeights, gradInputs };
}

function zeroLike(m: CM): CM {
  return { n: m.n, re: new Float64Array(m.re.length), im: new Float64Array(m.im.length) };
}
