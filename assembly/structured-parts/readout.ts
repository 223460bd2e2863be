// The readout of a task block and its adjoint (src/sim/qmtl-structured/heads.ts readout / readoutBack)
// on byte addresses: one pass over rho's upper entries with the per-batch coefficient table. upper holds
// i32 offsets (doubles) of the upper entries; coef 2 U nOut doubles. Same operations in the same order as
// heads.ts, so the values are equal.

/** out[k] = sum_e Re(rho_e) coef[e, k] + Im(rho_e) coef'[e, k], k < nOut */
export function readout(rho: usize, upper: usize, coef: usize, U: i32, nOut: i32, out: usize): void {
  for (let k = 0; k < nOut; k++) store<f64>(out + (<usize>k << 3), 0.0);
  for (let e = 0; e < U; e++) {
    const i = rho + (<usize>load<i32>(upper + (<usize>e << 2)) << 3);
    const xr = load<f64>(i), xi = load<f64>(i, 8);
    const c = coef + (<usize>(2 * e * nOut) << 3);
    for (let k = 0; k < nOut; k++) {
      const o = out + (<usize>k << 3), ck = c + (<usize>k << 4);
      store<f64>(o, load<f64>(o) + (xr * load<f64>(ck) + xi * load<f64>(ck, 8)));
    }
  }
}

/** rhobar (upper entries, at rb) from the output cotangents cot; rc[k] += cot_k rho (upper entries) */
export function readoutBack(cot: usize, rho: usize, upper: usize, coef: usize, U: i32, nOut: i32, rb: usize, rc: usize, n2: i32): void {
  for (let e = 0; e < U; e++) {
    const off = <usize>load<i32>(upper + (<usize>e << 2)) << 3;
    const xr = load<f64>(rho + off), xi = load<f64>(rho + off, 8);
    const c = coef + (<usize>(2 * e * nOut) << 3);
    let sr = 0.0, si = 0.0;
    for (let k = 0; k < nOut; k++) {
      const ckv = load<f64>(cot + (<usize>k << 3)), ck = c + (<usize>k << 4);
      sr += ckv * load<f64>(ck);
      si += ckv * load<f64>(ck, 8);
      const r = rc + (<usize>(k * n2) << 3) + off;
      store<f64>(r, load<f64>(r) + ckv * xr);
      store<f64>(r, load<f64>(r, 8) + ckv * xi, 8);
    }
    store<f64>(rb + off, sr);
    store<f64>(rb + off, si, 8);
  }
}
