// Whole task blocks of the structured engine (reduced density matrices, src/sim/qmtl-structured/blocks.ts),
// m = 4, forward and backward, on byte addresses of the frame (fr), cotangent frame (cf) and
// scratch (tmp) of one sample. Offsets into the frames (in doubles, as in plan.ts) come from a
// descriptor of i32s written once per engine (wasm-kernels.ts blockDescriptor):
//   0 o, 1 S, 2 useN, 3 sharesDiag, 4 dim, 5 w, 6 d, 7 dc, 8 el, 9 fl, 10 r, 11 e0, 12 g2, 13 v2, 14 n,
//   15 rho, then z[0..S'-1], t[0..S'-1], f[0..S'-1] (index 0 unused), S' = max(S, 2).
// The steps and their order are those of blocks.ts, so the values equal the JavaScript engine's.
import { product } from "./products";
import { dsand, dsandGrad4, cdot4, cdot4Back, cdot1, caxpy, daggerTo, daggerAcc, hermTo, addTo } from "./elementwise";

const BS: i32 = 32; // doubles per 4 x 4 complex block

@inline function dsc(desc: usize, i: i32): i32 {
  return load<i32>(desc + (<usize>i << 2));
}
// byte address of double offset o in the frame at byte address base
@inline function at(base: usize, o: i32): usize {
  return base + (<usize>o << 3);
}
@inline function yIndex(a: i32, b: i32): i32 {
  return a * 4 + b;
}

// T = W Z, F = T W^dag on the upper blocks of a d x d grid (offsets in doubles)
function sandwichUpper(fr: usize, d: i32, z: i32, t: i32, f: i32, w: i32): void {
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const k = (a * d + b) * BS;
      product(at(fr, t + k), at(fr, w), at(fr, z + k), 0, 1.0);
      product(at(fr, f + k), at(fr, t + k), at(fr, w), 4, 1.0);
    }
}

// adjoint of sandwichUpper: Zbar += W^dag Fbar W; Wbar += Fbar (W Z^dag) + Fbar^dag T
function sandwichUpperBack(fr: usize, cf: usize, tmp: usize, d: i32, z: i32, t: i32, f: i32, w: i32): void {
  const t1 = tmp + 8 * BS;
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const k = (a * d + b) * BS;
      product(tmp, at(fr, w), at(cf, f + k), 2, 1.0);
      product(at(cf, z + k), tmp, at(fr, w), 1, 1.0);
      if (a == b) {
        hermTo(t1, at(cf, f + k));
        product(at(cf, w), t1, at(fr, t + k), 1, 1.0);
      } else {
        product(at(cf, w), at(cf, f + k), at(fr, t + k), 3, 1.0);
        product(t1, at(fr, w), at(fr, z + k), 4, 1.0);
        product(at(cf, w), at(cf, f + k), t1, 1, 1.0);
      }
    }
}

function mirrorLower(fr: usize, g: i32): void {
  for (let al = 1; al < 4; al++)
    for (let be = 0; be < al; be++) daggerTo(at(fr, g + yIndex(al, be) * BS), at(fr, g + yIndex(be, al) * BS));
}

function foldLower(cf: usize, g: i32): void {
  for (let al = 1; al < 4; al++)
    for (let be = 0; be < al; be++) daggerAcc(at(cf, g + yIndex(be, al) * BS), at(cf, g + yIndex(al, be) * BS));
}

/** blocks.ts blockForward for one block (descriptor at desc, frame at fr). */
export function blockForward(desc: usize, fr: usize): void {
  const o = dsc(desc, 0), S = dsc(desc, 1), useN = dsc(desc, 2) != 0, share = dsc(desc, 3) != 0, dim = dsc(desc, 4);
  const W = dsc(desc, 5), D = dsc(desc, 6), DC = dsc(desc, 7), EL = dsc(desc, 8), FL = dsc(desc, 9);
  const R = dsc(desc, 10), e0 = dsc(desc, 11), g2 = dsc(desc, 12), v2 = dsc(desc, 13), n = dsc(desc, 14);
  const rho = dsc(desc, 15);
  const z1 = dsc(desc, 17);
  for (let s = 0; s < 2; s++)
    for (let sb = s; sb < 2; sb++) {
      const zb = z1 + (s * 2 + sb) * BS;
      if (s == sb && share) {
        memory.copy(at(fr, zb), at(fr, EL + (2 * (o + 1) + s) * BS), 8 * BS);
        continue;
      }
      dsand(at(fr, zb), at(fr, FL + 2 * o * BS), at(fr, D + (2 * o + s) * 4), at(fr, D + (2 * o + sb) * 4), false);
      if (o > 0)
        dsand(at(fr, zb), at(fr, FL + (2 * o + 1) * BS), at(fr, D + (2 * o + (s ^ 1)) * 4), at(fr, D + (2 * o + (sb ^ 1)) * 4), true);
    }
  if (S == 1) {
    // rho[s, s'] = <Z_1[s,s'], R(s,s')>
    for (let s = 0; s < 2; s++)
      for (let sb = s; sb < 2; sb++)
        cdot1(at(fr, z1 + (s * 2 + sb) * BS), at(fr, R + ((o + 1 - e0) * 4 + s * 2 + sb) * BS), at(fr, rho + 2 * (s * 2 + sb)));
    return;
  }
  for (let k = 1; k <= S - 2; k++) {
    const j = o + k, d = 1 << k, dn = 2 * d, zn = dsc(desc, 16 + k + 1), fk = dsc(desc, 16 + 2 * S + k);
    sandwichUpper(fr, d, dsc(desc, 16 + k), dsc(desc, 16 + S + k), fk, W + j * BS);
    for (let a = 0; a < d; a++)
      for (let b = a; b < d; b++)
        for (let s = 0; s < 2; s++)
          for (let sb = 0; sb < 2; sb++) {
            const P = 2 * a + s, Pb = 2 * b + sb;
            if (P > Pb) continue;
            dsand(at(fr, zn + (P * dn + Pb) * BS), at(fr, fk + (a * d + b) * BS),
              at(fr, D + (2 * j + (s ^ (a & 1))) * 4), at(fr, D + (2 * j + (sb ^ (b & 1))) * 4), false);
          }
  }
  // close at site j = o + S - 1 against R[o + S]
  const j = o + S - 1, w = W + j * BS, end = o + S;
  for (let al = 0; al < 4; al++)
    for (let be = al; be < 4; be++)
      dsand(at(fr, g2 + yIndex(al, be) * BS), at(fr, R + ((end - e0) * 4 + (al & 1) * 2 + (be & 1)) * BS),
        at(fr, DC + (2 * j + ((al & 1) ^ (al >> 1))) * 4), at(fr, DC + (2 * j + ((be & 1) ^ (be >> 1))) * 4), false);
  let yOff = g2;
  if (useN) {
    for (let al = 0; al < 4; al++)
      for (let be = al; be < 4; be++) {
        const k = yIndex(al, be) * BS;
        product(at(fr, v2 + k), at(fr, g2 + k), at(fr, w), 0, 1.0);
        product(at(fr, n + k), at(fr, w), at(fr, v2 + k), 2, 1.0);
      }
    mirrorLower(fr, n);
    yOff = n;
  } else {
    sandwichUpper(fr, 1 << (S - 1), dsc(desc, 16 + S - 1), dsc(desc, 16 + S + S - 1), dsc(desc, 16 + 2 * S + S - 1), w);
    if (S > 2) mirrorLower(fr, g2);
  }
  const x = useN ? dsc(desc, 16 + S - 1) : dsc(desc, 16 + 2 * S + S - 1), d = 1 << (S - 1);
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const ya = 2 * (a & 1), yb = 2 * (b & 1), ro = rho + 2 * (2 * a * dim + 2 * b);
      cdot4(at(fr, x + (a * d + b) * BS), at(fr, yOff + yIndex(ya, yb) * BS), at(fr, yOff + yIndex(ya, yb + 1) * BS),
        at(fr, yOff + yIndex(ya + 1, yb + 1) * BS), a < b ? <isize>at(fr, yOff + yIndex(ya + 1, yb) * BS) : -1,
        at(fr, ro), at(fr, ro + 2), at(fr, ro + 2 * dim + 2), at(fr, ro + 2 * dim));
    }
}

/** blocks.ts blockBackward for one block, from rhobar (upper entries) in cf's rho slot. */
export function blockBackward(desc: usize, fr: usize, cf: usize, tmp: usize): void {
  const o = dsc(desc, 0), S = dsc(desc, 1), share = dsc(desc, 3) != 0;
  const D = dsc(desc, 6), DC = dsc(desc, 7), EL = dsc(desc, 8), FL = dsc(desc, 9);
  const R = dsc(desc, 10), e0 = dsc(desc, 11), rho = dsc(desc, 15);
  if (S == 1) {
    // rho[s, s'] = <Z_1[s,s'], R(s,s')>: Z1bar += rhobar R, Rbar += conj(rhobar) Z_1
    const z1 = dsc(desc, 17);
    for (let s = 0; s < 2; s++)
      for (let sb = s; sb < 2; sb++) {
        const ri = at(cf, rho + 2 * (s * 2 + sb)), zb = z1 + (s * 2 + sb) * BS, rk = R + ((o + 1 - e0) * 4 + s * 2 + sb) * BS;
        caxpy(at(cf, zb), load<f64>(ri), load<f64>(ri, 8), at(fr, rk));
        caxpy(at(cf, rk), load<f64>(ri), -load<f64>(ri, 8), at(fr, zb));
      }
  } else closeBackward(desc, fr, cf, tmp);
  z1Backward(o, dsc(desc, 17), share, D, DC, EL, FL, fr, cf);
}

// the close and the Z steps of a block with S >= 2, down to Z1bar
function closeBackward(desc: usize, fr: usize, cf: usize, tmp: usize): void {
  const o = dsc(desc, 0), S = dsc(desc, 1), useN = dsc(desc, 2) != 0, dim = dsc(desc, 4);
  const W = dsc(desc, 5), D = dsc(desc, 6), DC = dsc(desc, 7);
  const R = dsc(desc, 10), e0 = dsc(desc, 11), g2 = dsc(desc, 12), v2 = dsc(desc, 13), n = dsc(desc, 14);
  const rho = dsc(desc, 15);
  const j = o + S - 1, w = W + j * BS, end = o + S;
  const yOff = useN ? n : g2;
  const x = useN ? dsc(desc, 16 + S - 1) : dsc(desc, 16 + 2 * S + S - 1), d = 1 << (S - 1);
  // rho = <X, Y>: Xbar += rhobar Y, Ybar += conj(rhobar) X (offsets in bytes from fr / cf)
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const ya = 2 * (a & 1), yb = 2 * (b & 1), ro = rho + 2 * (2 * a * dim + 2 * b);
      cdot4Back(fr, cf, at(0, x + (a * d + b) * BS), at(0, yOff + yIndex(ya, yb) * BS), at(0, yOff + yIndex(ya, yb + 1) * BS),
        at(0, yOff + yIndex(ya + 1, yb + 1) * BS), a < b ? <isize>at(0, yOff + yIndex(ya + 1, yb) * BS) : -1,
        at(cf, ro), at(cf, ro + 2), at(cf, ro + 2 * dim + 2), at(cf, ro + 2 * dim));
    }
  const t1 = tmp + 8 * BS;
  if (useN) {
    foldLower(cf, n);
    for (let al = 0; al < 4; al++)
      for (let be = al; be < 4; be++) {
        const k = yIndex(al, be) * BS;
        // G2bar = W Nbar W^dag; Wbar += V2 Nbar^dag + (G2^dag W) Nbar
        product(tmp, at(fr, w), at(cf, n + k), 0, 1.0);
        product(at(cf, g2 + k), tmp, at(fr, w), 4, 1.0);
        if (al == be) {
          hermTo(t1, at(cf, n + k));
          product(at(cf, w), at(fr, v2 + k), t1, 1, 1.0);
        } else {
          product(at(cf, w), at(fr, v2 + k), at(cf, n + k), 5, 1.0);
          product(t1, at(fr, g2 + k), at(fr, w), 2, 1.0);
          product(at(cf, w), t1, at(cf, n + k), 1, 1.0);
        }
      }
  } else {
    if (S > 2) foldLower(cf, g2);
    sandwichUpperBack(fr, cf, tmp, 1 << (S - 1), dsc(desc, 16 + S - 1), dsc(desc, 16 + S + S - 1), dsc(desc, 16 + 2 * S + S - 1), w);
  }
  for (let al = 0; al < 4; al++)
    for (let be = al; be < 4; be++) {
      const gk = g2 + yIndex(al, be) * BS, rk = R + ((end - e0) * 4 + (al & 1) * 2 + (be & 1)) * BS;
      const c1 = (al & 1) ^ (al >> 1), c2 = (be & 1) ^ (be >> 1);
      const d1 = DC + (2 * j + c1) * 4, d2 = DC + (2 * j + c2) * 4;
      dsand(at(cf, rk), at(cf, gk), at(fr, D + (2 * j + c1) * 4), at(fr, D + (2 * j + c2) * 4), true);
      dsandGrad4(at(cf, gk), at(fr, rk), at(fr, d1), at(fr, d2), at(cf, d1), at(cf, d2));
    }
  for (let k = S - 2; k >= 1; k--) {
    const jj = o + k, dd = 1 << k, dn = 2 * dd, zn = dsc(desc, 16 + k + 1), fk0 = dsc(desc, 16 + 2 * S + k);
    for (let a = 0; a < dd; a++)
      for (let b = a; b < dd; b++)
        for (let s = 0; s < 2; s++)
          for (let sb = 0; sb < 2; sb++) {
            const P = 2 * a + s, Pb = 2 * b + sb;
            if (P > Pb) continue;
            const zb = zn + (P * dn + Pb) * BS, fk = fk0 + (a * dd + b) * BS;
            const c1 = s ^ (a & 1), c2 = sb ^ (b & 1);
            dsand(at(cf, fk), at(cf, zb), at(fr, DC + (2 * jj + c1) * 4), at(fr, DC + (2 * jj + c2) * 4), true);
            const e1 = D + (2 * jj + c1) * 4, e2 = D + (2 * jj + c2) * 4;
            dsandGrad4(at(cf, zb), at(fr, fk), at(fr, e1), at(fr, e2), at(cf, e1), at(cf, e2));
          }
    sandwichUpperBack(fr, cf, tmp, dd, dsc(desc, 16 + k), dsc(desc, 16 + S + k), fk0, W + jj * BS);
  }
}

// Z_1 (from the left environment at site o) backward: Fbar, Dbar, conj(D)bar from Z1bar
function z1Backward(o: i32, z1: i32, share: bool, D: i32, DC: i32, EL: i32, FL: i32, fr: usize, cf: usize): void {
  for (let s = 0; s < 2; s++)
    for (let sb = s; sb < 2; sb++) {
      const zb = z1 + (s * 2 + sb) * BS;
      if (s == sb && share) {
        addTo(at(cf, EL + (2 * (o + 1) + s) * BS), at(cf, zb));
        continue;
      }
      const ny = o == 0 ? 1 : 2;
      for (let y = 0; y < ny; y++) {
        const fy = FL + (2 * o + y) * BS, c1 = s ^ y, c2 = sb ^ y;
        dsand(at(cf, fy), at(cf, zb), at(fr, DC + (2 * o + c1) * 4), at(fr, DC + (2 * o + c2) * 4), true);
        const e1 = D + (2 * o + c1) * 4, e2 = D + (2 * o + c2) * 4;
        dsandGrad4(at(cf, zb), at(fr, fy), at(fr, e1), at(fr, e2), at(cf, e1), at(cf, e2));
      }
    }
}
