// The dense one-qubit pass shared by the generic kernels (statevector.ts) and
// the fused adjoint (fused.ts): f64x2 lanes hold two neighbouring basis
// states; the last wire (stride 1) pairs neighbours, so it shuffles lanes.
import { ld, st, vld, vst } from "./access";

/** [[a, b], [c, d]] on the pairs (i0, i0 + stride) of a state of `dim` amplitudes. */
@inline export function mat2Pass(re: usize, im: usize, dim: i32, s: i32, ar: f64, ai: f64, br: f64, bi: f64, cr: f64, ci: f64, dr: f64, di: f64): void {
  const Ar = f64x2.splat(ar), Ai = f64x2.splat(ai), Br = f64x2.splat(br), Bi = f64x2.splat(bi);
  const Cr = f64x2.splat(cr), Ci = f64x2.splat(ci), Dr = f64x2.splat(dr), Di = f64x2.splat(di);
  if (s >= 2) {
    for (let base = 0; base < dim; base += 2 * s) {
      const end = base + s;
      for (let i0 = base; i0 < end; i0 += 2) {
        const i1 = i0 + s;
        const xr = vld(re, i0), xi = vld(im, i0), yr = vld(re, i1), yi = vld(im, i1);
        vst(re, i0, f64x2.sub(f64x2.add(f64x2.mul(Ar, xr), f64x2.mul(Br, yr)), f64x2.add(f64x2.mul(Ai, xi), f64x2.mul(Bi, yi))));
        vst(im, i0, f64x2.add(f64x2.add(f64x2.mul(Ar, xi), f64x2.mul(Ai, xr)), f64x2.add(f64x2.mul(Br, yi), f64x2.mul(Bi, yr))));
        vst(re, i1, f64x2.sub(f64x2.add(f64x2.mul(Cr, xr), f64x2.mul(Dr, yr)), f64x2.add(f64x2.mul(Ci, xi), f64x2.mul(Di, yi))));
        vst(im, i1, f64x2.add(f64x2.add(f64x2.mul(Cr, xi), f64x2.mul(Ci, xr)), f64x2.add(f64x2.mul(Dr, yi), f64x2.mul(Di, yr))));
      }
    }
    return;
  }
  if (dim < 4) {
    const xr = ld(re, 0), xi = ld(im, 0), yr = ld(re, 1), yi = ld(im, 1);
    st(re, 0, ar * xr - ai * xi + br * yr - bi * yi);
    st(im, 0, ar * xi + ai * xr + br * yi + bi * yr);
    st(re, 1, cr * xr - ci * xi + dr * yr - di * yi);
    st(im, 1, cr * xi + ci * xr + dr * yi + di * yr);
    return;
  }
  for (let k = 0; k < dim; k += 4) {
    const r0 = vld(re, k), r1 = vld(re, k + 2), m0 = vld(im, k), m1 = vld(im, k + 2);
    const xr = v128.shuffle<f64>(r0, r1, 0, 2), yr = v128.shuffle<f64>(r0, r1, 1, 3), xi = v128.shuffle<f64>(m0, m1, 0, 2), yi = v128.shuffle<f64>(m0, m1, 1, 3);
    const ur = f64x2.sub(f64x2.add(f64x2.mul(Ar, xr), f64x2.mul(Br, yr)), f64x2.add(f64x2.mul(Ai, xi), f64x2.mul(Bi, yi)));
    const ui = f64x2.add(f64x2.add(f64x2.mul(Ar, xi), f64x2.mul(Ai, xr)), f64x2.add(f64x2.mul(Br, yi), f64x2.mul(Bi, yr)));
    const vr = f64x2.sub(f64x2.add(f64x2.mul(Cr, xr), f64x2.mul(Dr, yr)), f64x2.add(f64x2.mul(Ci, xi), f64x2.mul(Di, yi)));
    const vi = f64x2.add(f64x2.add(f64x2.mul(Cr, xi), f64x2.mul(Ci, xr)), f64x2.add(f64x2.mul(Dr, yi), f64x2.mul(Di, yr)));
    vst(re, k, v128.shuffle<f64>(ur, vr, 0, 2)); vst(re, k + 2, v128.shuffle<f64>(ur, vr, 1, 3));
    vst(im, k, v128.shuffle<f64>(ui, vi, 0, 2)); vst(im, k + 2, v128.shuffle<f64>(ui, vi, 1, 3));
  }
}
