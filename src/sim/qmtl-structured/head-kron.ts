import type { PauliWord } from "../../circuits/pauli.ts";
import type { HeadFactor } from "./head-factors.ts";

/**
 * Task blocks of one StronglyEntanglingLayers layer (L_h = 1, the paper's
 * heads): U = C R with R = (x)_w Rot_w and C a ring of CNOTs. A Pauli word
 * stays a Pauli word under CNOT conjugation, so
 *   O'_k = U^dag O_k U = R^dag (c_k P_k) R = c_k (x)_w A_kw,  A_kw = Rot_w^dag sigma_kw Rot_w,
 * a Kronecker product of 2 x 2 matrices: O'_k costs O(4^S) instead of a dense
 * O(8^S) product, and the head-weight gradient sum_k Re Tr(RC_k dO'_k) needs,
 * per wire w, only the 2 x 2 contraction G_kw of RC_k with the other wires'
 * A (O(S 4^S) per observable) instead of dense products with RC_k.
 * Matrices are interleaved re/im, row-major, wire 0 the most significant bit.
 */
export interface KronHead {
  /** per observable: the phase c_k (complex) */
  readonly c: Float64Array;
  /** per observable and wire: A_kw (8 doubles), at (k S + w) 8 */
  readonly a: Float64Array;
  /** per observable and wire: sigma_kw as a 2 x 2 matrix (8 doubles) */
  readonly sig: Float64Array;
  /** per wire: the Rot factor (its matrix and three derivatives: 32 doubles) and its first weight index */
  readonly rots: ReadonlyArray<HeadFactor & { kind: "rot" }>;
}

/** The factors are one layer: S Rot factors (wires 0..S-1 in order), then only CNOTs. */
export function isOneLayer(S: number, factors: readonly HeadFactor[]): boolean {
  return (
    factors.length >= S &&
    factors.every((f, j) => (j < S ? f.kind === "rot" && f.wire === j : f.kind === "cnot"))
  );
}

const PAULI2: Record<string, number[]> = {
  I: [1, 0, 0, 0, 0, 0, 1, 0],
  X: [0, 0, 1, 0, 1, 0, 0, 0],
  Y: [0, 0, 0, -1, 0, 1, 0, 0],
  Z: [1, 0, 0, 0, 0, 0, -1, 0],
};

/** y = conj(r)^T s r for 2 x 2 complex (8 doubles each) */
function conjugate2(
  r: Float64Array,
  ro: number,
  s: ArrayLike<number>,
  so: number,
  y: Float64Array,
  yo: number,
): void {
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      let acr = 0,
        aci = 0;
      for (let p = 0; p < 2; p++)
        for (let q = 0; q < 2; q++) {
          // conj(r[p, i]) s[p, q] r[q, j]
          const ar = r[ro + 2 * (p * 2 + i)]!,
            ai = -r[ro + 2 * (p * 2 + i) + 1]!;
          const sr = s[so + 2 * (p * 2 + q)]!,
            si = s[so + 2 * (p * 2 + q) + 1]!;
          const br = r[ro + 2 * (q * 2 + j)]!,
            bi = r[ro + 2 * (q * 2 + j) + 1]!;
          const tr = ar * sr - ai * si,
            ti = ar * si + ai * sr;
          acr += tr * br - ti * bi;
          aci += tr * bi + ti * br;
        }
      y[yo + 2 * (i * 2 + j)] = acr;
      y[yo + 2 * (i * 2 + j) + 1] = aci;
    }
}

/**
 * Builds the Kronecker form for a one-layer block and writes O'_k (dense) into obs.
 * Q = C^dag O_k C has Q[x, y] = O_k[pi(x), pi(y)] with pi the CNOT ring on basis indices
 * (a linear map over GF(2)), so its entries are read off O_k's sign rule without dense matrices.
 */
export function kronHead(
  S: number,
  words: readonly PauliWord[],
  factors: readonly HeadFactor[],
  obs: Float64Array,
): KronHead {
  const dim = 1 << S,
    n2 = 2 * dim * dim,
    K = words.length;
  const rots = factors.slice(0, S) as Array<HeadFactor & { kind: "rot" }>;
  const pi = new Int32Array(dim),
    inv = new Int32Array(dim);
  for (let y = 0; y < dim; y++) {
    let v = y;
    for (let j = S; j < factors.length; j++) {
      const f = factors[j]!;
      if (f.kind === "cnot" && (v & (1 << (S - 1 - f.control))) !== 0) v ^= 1 << (S - 1 - f.target);
    }
    pi[y] = v;
    inv[v] = y;
  }
  const c = new Float64Array(2 * K),
    a = new Float64Array(8 * K * S),
    sig = new Float64Array(8 * K * S);
  const q = new Float64Array(2);
  for (let k = 0; k < K; k++) {
    const word = words[k]!;
    let flip = 0,
      zy = 0,
      nY = 0;
    for (const f of word.factors) {
      const bit = 1 << (S - 1 - f.wire);
      if (f.pauli !== "Z") flip |= bit;
      if (f.pauli !== "X") zy |= bit;
      if (f.pauli === "Y") nY++;
    }
    // row x of Q: column inv[pi[x] ^ flip], value O[a, a ^ flip] = i^nY (-1)^popcount((a ^ flip) & zy), a = pi[x]
    const entry = (x: number): number => {
      let par = (pi[x]! ^ flip) & zy,
        sgn = 1;
      while (par !== 0) {
        sgn = -sgn;
        par &= par - 1;
      }
      let pr = sgn,
        pim = 0;
      for (let t = 0; t < nY % 4; t++) {
        const u = pr;
        pr = -pim;
        pim = u;
      }
      q[0] = pr;
      q[1] = pim;
      return inv[pi[x]! ^ flip]!;
    };
    const f = entry(0);
    const q0r = q[0]!,
      q0i = q[1]!;
    let cr = q0r,
      ci = q0i;
    for (let w = 0; w < S; w++) {
      const bit = 1 << (S - 1 - w),
        fw = (f & bit) !== 0;
      entry(bit);
      // ratio Q[e_w, e_w ^ f] / Q[0, f] is +1 (I, X) or -1 (Z, Y)
      const z = q[0]! * q0r + q[1]! * q0i < 0;
      const name = fw ? (z ? "Y" : "X") : z ? "Z" : "I";
      const p = PAULI2[name]!;
      for (let t = 0; t < 8; t++) sig[(k * S + w) * 8 + t] = p[t]!;
      // c = Q[0, f] / prod_w sigma_w[0, f_w]; sigma[0, 1] of Y is -i
      if (name === "Y") {
        const t = cr;
        cr = -ci;
        ci = t;
      }
    }
    c[2 * k] = cr;
    c[2 * k + 1] = ci;
    for (let w = 0; w < S; w++) conjugate2(rots[w]!.m, 0, sig, (k * S + w) * 8, a, (k * S + w) * 8);
    kronInto(S, c, k, a, k * S * 8, obs, k * n2);
  }
  return { c, a, sig, rots };
}

/** out = c_k (x)_w A_w (dense dim x dim) */
function kronInto(
  S: number,
  c: Float64Array,
  k: number,
  a: Float64Array,
  ao: number,
  out: Float64Array,
  oo: number,
): void {
  const dim = 1 << S;
  for (let x = 0; x < dim; x++)
    for (let y = 0; y < dim; y++) {
      let pr = c[2 * k]!,
        pi = c[2 * k + 1]!;
      for (let w = 0; w < S; w++) {
        const sh = S - 1 - w,
          i = (x >> sh) & 1,
          j = (y >> sh) & 1,
          e = ao + w * 8 + 2 * (i * 2 + j);
        const t = pr * a[e]! - pi * a[e + 1]!;
        pi = pr * a[e + 1]! + pi * a[e]!;
        pr = t;
      }
      out[oo + 2 * (x * dim + y)] = pr;
      out[oo + 2 * (x * dim + y) + 1] = pi;
    }
}

/**
 * gradWeights[Rot_w weights] += sum_k Re Tr(RC_k dO'_k) = sum_k 2 Re Tr(G_kw Rot_w^dag sigma_kw dRot_w),
 * G_kw = c_k times RC_k contracted with A_kv on every wire v != w (RC_k Hermitian, full).
 */
export function kronGradients(
  h: KronHead,
  S: number,
  rc: Float64Array,
  gradWeights: Float64Array,
  work: Float64Array,
): void {
  const dim = 1 << S,
    n2 = 2 * dim * dim,
    K = h.c.length / 2;
  const g = new Float64Array(8),
    t = new Float64Array(8);
  for (let k = 0; k < K; k++)
    for (let w = 0; w < S; w++) {
      // contract every other wire, from the last: X (2^n x 2^n over the remaining wires) -> smaller
      work.set(rc.subarray(k * n2, (k + 1) * n2), 0);
      let n = S;
      for (let v = S - 1; v >= 0; v--) {
        if (v === w) continue;
        // wires after v are contracted except w: v sits at bit 1 if w > v, else at bit 0
        contractWire(work, n, w > v ? 1 : 0, h.a, (k * S + v) * 8);
        n--;
      }
      // now work is 2 x 2: G[a, b] = sum RC[(..a..), (..b..)] prod A[b_v, a_v]; Tr(G M) for M = c Rot^dag sigma dRot
      const cr = h.c[2 * k]!,
        ci = h.c[2 * k + 1]!;
      for (let e = 0; e < 4; e++) {
        g[2 * e] = work[2 * e]! * cr - work[2 * e + 1]! * ci;
        g[2 * e + 1] = work[2 * e]! * ci + work[2 * e + 1]! * cr;
      }
      const rot = h.rots[w]!;
      for (let p = 0; p < 3; p++) {
        // t = Rot^dag sigma dRot_p
        mul2H(rot.m, 0, h.sig, (k * S + w) * 8, t);
        const d = 8 * (p + 1);
        let acc = 0;
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 2; j++) {
            // (t dRot)[i, j] times G[j, i]
            let mr = 0,
              mi = 0;
            for (let q = 0; q < 2; q++) {
              const ar = t[2 * (i * 2 + q)]!,
                ai = t[2 * (i * 2 + q) + 1]!,
                br = rot.m[d + 2 * (q * 2 + j)]!,
                bi = rot.m[d + 2 * (q * 2 + j) + 1]!;
              mr += ar * br - ai * bi;
              mi += ar * bi + ai * br;
            }
            acc += mr * g[2 * (j * 2 + i)]! - mi * g[2 * (j * 2 + i) + 1]!;
          }
        gradWeights[rot.weight + p]! += 2 * acc;
      }
    }
}

/** t = conj(r)^T s (2 x 2) */
function mul2H(r: Float64Array, ro: number, s: Float64Array, so: number, t: Float64Array): void {
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      let tr = 0,
        ti = 0;
      for (let p = 0; p < 2; p++) {
        const ar = r[ro + 2 * (p * 2 + i)]!,
          ai = -r[ro + 2 * (p * 2 + i) + 1]!,
          sr = s[so + 2 * (p * 2 + j)]!,
          si = s[so + 2 * (p * 2 + j) + 1]!;
        tr += ar * sr - ai * si;
        ti += ar * si + ai * sr;
      }
      t[2 * (i * 2 + j)] = tr;
      t[2 * (i * 2 + j) + 1] = ti;
    }
}

/**
 * In place: X (2^n x 2^n) -> Y (2^(n-1) x 2^(n-1)), Y[x', y'] = sum_{a,b} X[(x' with a at bit s), (y' with b at s)] A[b, a],
 * s the bit position (from the least significant) of the contracted wire.
 */
function contractWire(x: Float64Array, n: number, s: number, a: Float64Array, ao: number): void {
  const dim = 1 << n,
    half = dim >> 1,
    lo = (1 << s) - 1,
    one = 1 << s;
  // (no closure here: tsx's keepNames wraps every closure creation in a call, per contractWire call)
  const a00r = a[ao]!,
    a00i = a[ao + 1]!,
    a01r = a[ao + 2]!,
    a01i = a[ao + 3]!,
    a10r = a[ao + 4]!,
    a10i = a[ao + 5]!,
    a11r = a[ao + 6]!,
    a11i = a[ao + 7]!;
  // Y is written row by row into the front of x; its rows only read rows of x at or after their own index
  for (let xr = 0; xr < half; xr++) {
    const r0 = ((xr & ~lo) << 1) | (xr & lo),
      r1 = r0 | one;
    for (let yc = 0; yc < half; yc++) {
      const c0 = ((yc & ~lo) << 1) | (yc & lo),
        c1 = c0 | one;
      const e00 = 2 * (r0 * dim + c0),
        e01 = 2 * (r0 * dim + c1),
        e10 = 2 * (r1 * dim + c0),
        e11 = 2 * (r1 * dim + c1);
      // sum_{a,b} X[a, b] A[b, a]
      const re =
        x[e00]! * a00r -
        x[e00 + 1]! * a00i +
        x[e01]! * a10r -
        x[e01 + 1]! * a10i +
        x[e10]! * a01r -
        x[e10 + 1]! * a01i +
        x[e11]! * a11r -
        x[e11 + 1]! * a11i;
      const im =
        x[e00]! * a00i +
        x[e00 + 1]! * a00r +
        x[e01]! * a10i +
        x[e01 + 1]! * a10r +
        x[e10]! * a01i +
        x[e10 + 1]! * a01r +
        x[e11]! * a11i +
        x[e11 + 1]! * a11r;
      x[2 * (xr * half + yc)] = re;
      x[2 * (xr * half + yc) + 1] = im;
    }
  }
}
