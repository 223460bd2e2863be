import type { StateVector } from "./state.ts";
import { apply1q, applyCNOT, applyCZ, applySWAP, apply2q } from "./kernels.ts";
import { applyRX, applyRY, applyRZ } from "./rotation-kernels.ts";
import type { Step } from "./lower.ts";
import type { PauliName } from "../gates/spec.ts";

/** Applies exp(-i sign*a P/2) for a Pauli P on `wire`. */
export function applyRotation(s: StateVector, wire: number, pauli: PauliName, a: number): void {
  const c = Math.cos(a / 2),
    sn = Math.sin(a / 2);
  switch (pauli) {
    case "X":
      applyRX(s, wire, c, sn);
      break;
    case "Y":
      applyRY(s, wire, c, sn);
      break;
    case "Z":
      applyRZ(s, wire, c, sn);
      break;
  }
}

/** Applies one lowered step with the given angle (ignored for fixed steps). */
export function applyStep(s: StateVector, st: Step, angle: number): void {
  switch (st.kind) {
    case "fixed1": {
      const m = st.m;
      apply1q(s, st.wire, m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!);
      break;
    }
    case "rot":
      applyRotation(s, st.wire, st.pauli, angle);
      break;
    case "cnot":
      applyCNOT(s, st.control, st.target);
      break;
    case "cz":
      applyCZ(s, st.a, st.b);
      break;
    case "swap":
      applySWAP(s, st.a, st.b);
      break;
    case "fixed2":
      apply2q(s, st.a, st.b, st.re, st.im);
      break;
  }
}

/** Applies the inverse of one lowered step. */
export function applyStepInverse(s: StateVector, st: Step, angle: number): void {
  switch (st.kind) {
    case "fixed1": {
      // inverse of [[a,b],[c,d]] unitary = conjugate transpose
      const m = st.m;
      apply1q(s, st.wire, m[0]!, -m[1]!, m[4]!, -m[5]!, m[2]!, -m[3]!, m[6]!, -m[7]!);
      break;
    }
    case "rot":
      applyRotation(s, st.wire, st.pauli, -angle);
      break;
    case "cnot":
      applyCNOT(s, st.control, st.target);
      break;
    case "cz":
      applyCZ(s, st.a, st.b);
      break;
    case "swap":
      applySWAP(s, st.a, st.b);
      break;
    case "fixed2": {
      const re = new Float64Array(16),
        im = new Float64Array(16);
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++) {
          re[j * 4 + i] = st.re[i * 4 + j]!;
          im[j * 4 + i] = -st.im[i * 4 + j]!;
        }
      apply2q(s, st.a, st.b, re, im);
      break;
    }
  }
}
