import type { PauliName } from "../../gates/spec.ts";

/**
 * 2x2 complex matrices [[a, b], [c, d]] packed as [ar, ai, br, bi, cr, ci, dr, di]
 * (the layout of `apply1qPacked`). Small enough that every per-sample matrix
 * of the fused executor is one of these, reused, never allocated in a loop.
 */
export type Mat2 = Float64Array;

export function mat2(): Mat2 {
  return new Float64Array(8);
}

export function setIdentity2(m: Mat2): void {
  m.fill(0);
  m[0] = 1;
  m[6] = 1;
}

/** m = exp(-i a P / 2) = cos(a/2) I - i sin(a/2) P. */
export function setRotation2(m: Mat2, pauli: PauliName, a: number): void {
  const c = Math.cos(a / 2),
    s = Math.sin(a / 2);
  m.fill(0);
  m[0] = c;
  m[6] = c;
  switch (pauli) {
    case "X":
      m[3] = -s;
      m[5] = -s;
      break; // -i s X
    case "Y":
      m[2] = -s;
      m[4] = s;
      break; // -i s Y = [[0, -s], [s, 0]]
    case "Z":
      m[1] = -s;
      m[7] = s;
      break; // -i s Z
  }
}

/** out = x y; out may alias x or y. */
export function mul2(out: Mat2, x: Mat2, y: Mat2): void {
  const xar = x[0]!,
    xai = x[1]!,
    xbr = x[2]!,
    xbi = x[3]!,
    xcr = x[4]!,
    xci = x[5]!,
    xdr = x[6]!,
    xdi = x[7]!;
  const yar = y[0]!,
    yai = y[1]!,
    ybr = y[2]!,
    ybi = y[3]!,
    ycr = y[4]!,
    yci = y[5]!,
    ydr = y[6]!,
    ydi = y[7]!;
  out[0] = xar * yar - xai * yai + xbr * ycr - xbi * yci;
  out[1] = xar * yai + xai * yar + xbr * yci + xbi * ycr;
  out[2] = xar * ybr - xai * ybi + xbr * ydr - xbi * ydi;
  out[3] = xar * ybi + xai * ybr + xbr * ydi + xbi * ydr;
  out[4] = xcr * yar - xci * yai + xdr * ycr - xdi * yci;
  out[5] = xcr * yai + xci * yar + xdr * yci + xdi * ycr;
  out[6] = xcr * ybr - xci * ybi + xdr * ydr - xdi * ydi;
  out[7] = xcr * ybi + xci * ybr + xdr * ydi + xdi * ydr;
}

/** out = x^dagger; out may alias x. */
export function dagger2(out: Mat2, x: Mat2): void {
  const ar = x[0]!,
    ai = x[1]!,
    br = x[2]!,
    bi = x[3]!,
    cr = x[4]!,
    ci = x[5]!,
    dr = x[6]!,
    di = x[7]!;
  out[0] = ar;
  out[1] = -ai;
  out[2] = cr;
  out[3] = -ci;
  out[4] = br;
  out[5] = -bi;
  out[6] = dr;
  out[7] = -di;
}

/** k = g^dagger k g: moves a cross matrix K from after a gate g to before it. */
export function conjugateBack2(k: Mat2, g: Mat2, tmp: Mat2): void {
  mul2(tmp, k, g);
  dagger2(k, g);
  mul2(k, k, tmp);
}

/** Im Tr(P K) for a Pauli P: Z -> Im(K00 - K11), X -> Im(K01 + K10), Y -> Re(K01 - K10) (Tr(Y K) = i (K01 - K10)). */
export function imTracePauli2(pauli: PauliName, k: Mat2): number {
  switch (pauli) {
    case "Z":
      return k[1]! - k[7]!;
    case "X":
      return k[3]! + k[5]!;
    case "Y":
      return k[2]! - k[4]!;
  }
}
