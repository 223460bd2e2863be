// The environment chains of the structured engine (src/sim/qmtl-structured/chains.ts), m = 4, whole
// chains per call, forward and backward, on byte addresses of one sample's frame (fr), cotangent frame
// (cf) and scratch (tmp). Frame offsets (doubles, as in plan.ts) come from a descriptor of i32s
// (wasm-blocks.ts chainDescriptor): 0 Q, 1 oLast, 2 e0, 3 w, 4 d, 5 dc, 6 el, 7 tl, 8 fl, 9 r, 10 g,
// 11 v, then needOff[i] for i = 0..Q at 12 + i. Same steps in the same order as chains.ts.
import { product } from "./products";
import { daggerTo, daggerAcc, hermTo } from "./elementwise";
import { leftFused, leftFusedBack, rightFused, rightFusedBack } from "./chain-steps";

const BS: i32 = 32; // doubles per 4 x 4 complex block

@inline function dsc(desc: usize, i: i32): i32 {
  return load<i32>(desc + (<usize>i << 2));
}
@inline function at(base: usize, o: i32): usize {
  return base + (<usize>o << 3);
}

/** chains.ts chainBoundaries, the left chain (sandwich + step per site) and the right chain. */
export function chainsForward(desc: usize, fr: usize): void {
  const Q = dsc(desc, 0), oLast = dsc(desc, 1), e0 = dsc(desc, 2), W = dsc(desc, 3), D = dsc(desc, 4);
  const EL = dsc(desc, 6), TL = dsc(desc, 7), FL = dsc(desc, 8), R = dsc(desc, 9), G = dsc(desc, 10), V = dsc(desc, 11);
  // EL[0] = |0><0| in block y' = 0; R[Q] = all ones
  memory.fill(at(fr, EL), 0, 16 * BS);
  store<f64>(at(fr, EL), 1.0);
  const rq = at(fr, R + (Q - e0) * 4 * BS);
  const one = f64x2(1.0, 0.0);
  for (let k: usize = 0; k < 64; k++) v128.store(rq + 16 * k, one);
  for (let i = 0; i <= oLast; i++) {
    const w = at(fr, W + i * BS);
    for (let y = 0; y < (i == 0 ? 1 : 2); y++) {
      const tl = at(fr, TL + (2 * i + y) * BS);
      product(tl, w, at(fr, EL + (2 * i + y) * BS), 0, 1.0);
      product(at(fr, FL + (2 * i + y) * BS), tl, w, 4, 1.0);
    }
    if (i < oLast)
      leftFused(at(fr, EL + (2 * i + 2) * BS), at(fr, EL + (2 * i + 3) * BS), at(fr, FL + 2 * i * BS),
        at(fr, FL + (2 * i + 1) * BS), at(fr, D + 2 * i * 4), at(fr, D + (2 * i + 1) * 4), i == 0);
  }
  for (let i = Q - 1; i >= e0; i--) {
    const w = at(fr, W + i * BS), off = dsc(desc, 12 + i) != 0;
    const gi = G + (i - e0) * 4 * BS, ri = R + (i - e0) * 4 * BS, vi = V + (i - e0) * 4 * BS, rn = ri + 4 * BS;
    rightFused(at(fr, gi), at(fr, gi + 3 * BS), at(fr, gi + BS), at(fr, rn), at(fr, rn + 3 * BS),
      at(fr, D + 2 * i * 4), at(fr, D + (2 * i + 1) * 4), off);
    for (let y = 0; y < 2; y++)
      for (let yb = y; yb < 2; yb++) {
        if (yb != y && !off) continue;
        const k = (y * 2 + yb) * BS;
        product(at(fr, vi + k), at(fr, gi + k), w, 0, 1.0);
        product(at(fr, ri + k), w, at(fr, vi + k), 2, 1.0);
      }
    if (off) daggerTo(at(fr, ri + 2 * BS), at(fr, ri + BS));
  }
}

/** chains.ts leftStepBack / leftSandwichBack for i = oLast..0, then rightStepBack for i = e0..Q-1. */
export function chainsBackward(desc: usize, fr: usize, cf: usize, tmp: usize): void {
  const Q = dsc(desc, 0), oLast = dsc(desc, 1), e0 = dsc(desc, 2), W = dsc(desc, 3), D = dsc(desc, 4), DC = dsc(desc, 5);
  const EL = dsc(desc, 6), TL = dsc(desc, 7), FL = dsc(desc, 8), R = dsc(desc, 9), G = dsc(desc, 10), V = dsc(desc, 11);
  const t1 = tmp + 8 * BS;
  for (let i = oLast; i >= 0; i--) {
    if (i < oLast)
      leftFusedBack(fr, cf, at(0, EL + (2 * i + 2) * BS), at(0, EL + (2 * i + 3) * BS), at(0, FL + 2 * i * BS),
        at(0, FL + (2 * i + 1) * BS), at(0, D + 2 * i * 4), at(0, D + (2 * i + 1) * 4), i == 0);
    const w = W + i * BS;
    for (let y = 0; y < (i == 0 ? 1 : 2); y++) {
      const fb = FL + (2 * i + y) * BS, t = TL + (2 * i + y) * BS;
      if (i > 0) {
        product(tmp, at(fr, w), at(cf, fb), 2, 1.0);
        product(at(cf, EL + (2 * i + y) * BS), tmp, at(fr, w), 1, 1.0);
      }
      hermTo(t1, at(cf, fb));
      product(at(cf, w), t1, at(fr, t), 1, 1.0);
    }
  }
  for (let i = e0; i < Q; i++) {
    const w = W + i * BS, off = dsc(desc, 12 + i) != 0;
    const gi = G + (i - e0) * 4 * BS, ri = R + (i - e0) * 4 * BS, vi = V + (i - e0) * 4 * BS, rn = ri + 4 * BS;
    if (off) daggerAcc(at(cf, ri + BS), at(cf, ri + 2 * BS));
    for (let y = 0; y < 2; y++)
      for (let yb = y; yb < 2; yb++) {
        if (yb != y && !off) continue;
        const k = (y * 2 + yb) * BS;
        const rb = ri + k, gb = gi + k, v = vi + k;
        // Gbar = W Rbar W^dag
        product(tmp, at(fr, w), at(cf, rb), 0, 1.0);
        product(at(cf, gb), tmp, at(fr, w), 4, 1.0);
        // Wbar += V Rbar^dag + (G^dag W) Rbar, with G^dag W = V on the diagonal
        if (y == yb) {
          hermTo(t1, at(cf, rb));
          product(at(cf, w), at(fr, v), t1, 1, 1.0);
        } else {
          product(at(cf, w), at(fr, v), at(cf, rb), 5, 1.0);
          product(t1, at(fr, gb), at(fr, w), 2, 1.0);
          product(at(cf, w), t1, at(cf, rb), 1, 1.0);
        }
      }
    rightFusedBack(fr, cf, at(0, gi), at(0, gi + 3 * BS), at(0, gi + BS), at(0, rn), at(0, rn + 3 * BS),
      at(0, D + 2 * i * 4), at(0, D + (2 * i + 1) * 4), at(0, DC + 2 * i * 4), at(0, DC + (2 * i + 1) * 4), off);
  }
}
