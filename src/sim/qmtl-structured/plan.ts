import type { QmtlLayout } from "../../circuits/qmtl.ts";

/**
 * Where every per-sample quantity of the structured engine lives in a flat
 * Float64Array "frame" (offsets in doubles; complex numbers interleaved). The
 * cotangent frame of the backward pass uses the same offsets; quantities that
 * never carry a cotangent (the half products T, V, V2) come last so that only
 * [0, cotSize) is cleared per sample. Hermitian grids are stored full size
 * but only their upper blocks (row <= column) are computed, unless noted.
 * Built once per layout; see chains.ts and blocks.ts for the pieces.
 */
export interface BlockPlan {
  readonly task: number;
  /** first site and size of the sub-register */
  readonly o: number;
  readonly S: number;
  /** 2^S */
  readonly dim: number;
  /** close with N = W^dag G2 W (large blocks) instead of F = W Z W^dag */
  readonly useN: boolean;
  /** z[k]: grid Z_k (2^k x 2^k blocks), k = 1..max(1, S-1) (index 0 unused) */
  readonly z: readonly number[];
  /** t[k], f[k]: T_k = W Z_k and F_k = T_k W^dag at site o+k */
  readonly t: readonly number[];
  readonly f: readonly number[];
  /** 16 blocks each (S >= 2; N and V2 only with useN): G2, V2 = G2 W, N = W^dag V2 */
  readonly g2: number;
  readonly v2: number;
  readonly n: number;
  /** reduced density matrix, dim x dim */
  readonly rho: number;
}

export interface Plan {
  readonly Q: number;
  readonly L: number;
  /** bond dimension of the lower (non-physical) parity bits: 2^(L-1) */
  readonly m: number;
  /** doubles in an m x m complex block */
  readonly bs: number;
  /** offset of the last task's sub-register: the left chain runs over sites 0..oLast */
  readonly oLast: number;
  /** end of the first task's sub-register: the right chain runs over sites e0..Q-1 */
  readonly e0: number;
  /** per site i, per block l = 1..L-1: the 2x2 encoder gate (8 doubles) at gate(i, l) */
  readonly gates: number;
  /** per site i: the block-1 vector b_i (2 complex; forward only) at b + 4 i */
  readonly b: number;
  readonly w: number;
  readonly d: number;
  readonly dc: number;
  /** left environments EL[i] (2 blocks), T and F of the left step, i = 0..oLast */
  readonly el: number;
  readonly tl: number;
  readonly fl: number;
  /** right environments R[i] (4 blocks), i = e0..Q; G and V of the right step, i = e0..Q-1 */
  readonly r: number;
  readonly g: number;
  readonly v: number;
  /** needOff[i]: R[i] is read off its (y, y) diagonal (a sub-register ends at i) */
  readonly needOff: readonly boolean[];
  readonly blocks: readonly BlockPlan[];
  /** doubles per frame; cotangents live in [0, cotSize), forward-only products after */
  readonly size: number;
  readonly cotSize: number;
}

export function gateOffset(p: Plan, i: number, l: number): number {
  return p.gates + (i * (p.L - 1) + (l - 1)) * 8;
}
export const wOffset = (p: Plan, i: number): number => p.w + i * p.bs;
/** D_i(c): two complex values (the top factor depends on one bond bit; see flat-cmat quadrant) */
export const dOffset = (p: Plan, i: number, c: number): number => p.d + (2 * i + c) * 4;
export const dcOffset = (p: Plan, i: number, c: number): number => p.dc + (2 * i + c) * 4;
export const elOffset = (p: Plan, i: number, y: number): number => p.el + (2 * i + y) * p.bs;
export const tlOffset = (p: Plan, i: number, y: number): number => p.tl + (2 * i + y) * p.bs;
export const flOffset = (p: Plan, i: number, y: number): number => p.fl + (2 * i + y) * p.bs;
/** block (y, y') of R[i] */
export const rOffset = (p: Plan, i: number, y: number, yb: number): number =>
  p.r + ((i - p.e0) * 4 + y * 2 + yb) * p.bs;
export const gOffset = (p: Plan, i: number, y: number, yb: number): number =>
  p.g + ((i - p.e0) * 4 + y * 2 + yb) * p.bs;
export const vOffset = (p: Plan, i: number, y: number, yb: number): number =>
  p.v + ((i - p.e0) * 4 + y * 2 + yb) * p.bs;

export function makePlan(layout: QmtlLayout): Plan {
  const { Q, L } = layout;
  const m = 1 << (L - 1);
  const bs = 2 * m * m;
  const tasks = layout.tasks;
  const oLast = tasks[tasks.length - 1]!.offset;
  const e0 = tasks[0]!.offset + tasks[0]!.size;
  let at = 0;
  const take = (n: number): number => {
    const o = at;
    at += n;
    return o;
  };
  const gates = take(Q * Math.max(0, L - 1) * 8);
  const w = take(Q * bs);
  const d = take(Q * 8);
  const dc = take(Q * 8);
  const el = take((oLast + 1) * 2 * bs);
  const fl = take((oLast + 1) * 2 * bs);
  const r = take((Q - e0 + 1) * 4 * bs);
  const g = take((Q - e0) * 4 * bs);
  const pre = tasks.map((t) => {
    const S = t.size;
    const useN = S >= 4;
    const z: number[] = [0],
      ff: number[] = [0];
    for (let j = 1; j <= Math.max(1, S - 1); j++) z.push(take(4 ** j * bs));
    const lastF = useN ? S - 2 : S - 1;
    for (let j = 1; j <= lastF; j++) ff.push(take(4 ** j * bs));
    const g2 = S >= 2 ? take(16 * bs) : -1;
    const n = useN ? take(16 * bs) : -1;
    const rho = take(2 * (1 << S) * (1 << S));
    return { S, useN, z, ff, g2, n, rho, lastF };
  });
  const cotSize = at;
  const tl = take((oLast + 1) * 2 * bs);
  const b = take(Q * 4);
  const v = take((Q - e0) * 4 * bs);
  const blocks: BlockPlan[] = tasks.map((t, k) => {
    const b = pre[k]!;
    const tt: number[] = [0];
    for (let j = 1; j <= b.lastF; j++) tt.push(take(4 ** j * bs));
    const v2 = b.useN ? take(16 * bs) : -1;
    return {
      task: k,
      o: t.offset,
      S: b.S,
      dim: 1 << b.S,
      useN: b.useN,
      z: b.z,
      t: tt,
      f: b.ff,
      g2: b.g2,
      v2,
      n: b.n,
      rho: b.rho,
    };
  });
  const needOff: boolean[] = new Array<boolean>(Q + 1).fill(false);
  for (const t of tasks) needOff[t.offset + t.size] = true;
  return {
    Q,
    L,
    m,
    bs,
    oLast,
    e0,
    gates,
    b,
    w,
    d,
    dc,
    el,
    tl,
    fl,
    r,
    g,
    v,
    needOff,
    blocks,
    size: at,
    cotSize,
  };
}
