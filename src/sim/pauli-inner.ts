import type { PauliName } from "../gates/spec.ts";
import type { StateVector } from "./state.ts";
import { wireStride } from "./state.ts";

/** Im <lam| P_wire |psi> for a single-qubit Pauli P. */
export function imInnerPauli1(lam: StateVector, psi: StateVector, wire: number, pauli: PauliName): number {
  const stride = wireStride(psi.n, wire);
  const lr = lam.re,
    li = lam.im,
    pr = psi.re,
    pi = psi.im;
  const dim = pr.length;
  let acc = 0;
  for (let base = 0; base < dim; base += 2 * stride) {
    for (let i0 = base; i0 < base + stride; i0++) {
      const i1 = i0 + stride;
      // (P psi)[i0], (P psi)[i1]
      let ar: number, ai: number, br: number, bi: number;
      if (pauli === "Z") {
        ar = pr[i0]!;
        ai = pi[i0]!;
        br = -pr[i1]!;
        bi = -pi[i1]!;
      } else if (pauli === "X") {
        ar = pr[i1]!;
        ai = pi[i1]!;
        br = pr[i0]!;
        bi = pi[i0]!;
      } else {
        ar = pi[i1]!;
        ai = -pr[i1]!;
        br = -pi[i0]!;
        bi = pr[i0]!;
      } // Y: [-i psi1, i psi0]
      // Im(conj(lam) * v) = lr*vi - li*vr
      acc += lr[i0]! * ai - li[i0]! * ar + lr[i1]! * bi - li[i1]! * br;
    }
  }
  return acc;
}
