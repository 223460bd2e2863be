import type { StateVector } from "../state.ts";
import { zeroState } from "../state.ts";
import type { Step } from "../lower.ts";
import type { PauliName } from "../../gates/spec.ts";
import { apply1q, applyCNOT, applyCZ, applySWAP, apply2q } from "../kernels.ts";
import { applyRX, applyRY, applyRZ } from "../rotation-kernels.ts";
import { imInnerPauli1 } from "../pauli-inner.ts";

/**
 * A set of statevector kernels. The plain-TypeScript kernels are the
 * reference and the fallback; the WebAssembly SIMD kernels (wasm-backend.ts)
 * need states that live in their linear memory, so a backend also creates and
 * frees states. Everything else (measurement, Pauli products, inner
 * products other than imInnerPauli) reads the states' re/im arrays and
 * works with any backend.
 */
export interface KernelBackend {
  readonly name: "ts" | "wasm-simd";
  /** |0...0> on n qubits, in memory this backend's kernels act on */
  createState(n: number): StateVector;
  /** returns a state from createState for reuse (no-op for the TS backend) */
  freeState(s: StateVector): void;
  apply1q(
    s: StateVector,
    wire: number,
    ar: number,
    ai: number,
    br: number,
    bi: number,
    cr: number,
    ci: number,
    dr: number,
    di: number,
  ): void;
  /** exp(-i a P / 2) for P = X, Y, Z with c = cos(a/2), sn = sin(a/2) (8 multiplies per pair instead of apply1q's 16) */
  applyRX(s: StateVector, wire: number, c: number, sn: number): void;
  applyRY(s: StateVector, wire: number, c: number, sn: number): void;
  applyRZ(s: StateVector, wire: number, c: number, sn: number): void;
  applyCNOT(s: StateVector, control: number, target: number): void;
  applyCZ(s: StateVector, a: number, b: number): void;
  applySWAP(s: StateVector, a: number, b: number): void;
  /** Im <lam| P_wire |psi> (the adjoint method's rotation derivative); read-only */
  imInnerPauli(lam: StateVector, psi: StateVector, wire: number, pauli: PauliName): number;
  /** dense 4x4 (split re/im, row-major) on wires (a, b), a the high bit of the local index */
  apply2q(s: StateVector, a: number, b: number, mre: ArrayLike<number>, mim: ArrayLike<number>): void;
}

export const tsBackend: KernelBackend = {
  name: "ts",
  createState: zeroState,
  freeState: () => {},
  apply1q,
  applyRX,
  applyRY,
  applyRZ,
  applyCNOT,
  applyCZ,
  applySWAP,
  apply2q,
  imInnerPauli: imInnerPauli1,
};

/** exp(-i a P / 2) on `wire` with backend k */
export function applyRotationOn(
  k: KernelBackend,
  s: StateVector,
  wire: number,
  pauli: PauliName,
  a: number,
): void {
  const c = Math.cos(a / 2),
    sn = Math.sin(a / 2);
  switch (pauli) {
    case "X":
      k.applyRX(s, wire, c, sn);
      break;
    case "Y":
      k.applyRY(s, wire, c, sn);
      break;
    case "Z":
      k.applyRZ(s, wire, c, sn);
      break;
  }
}

/** One lowered step with backend k (the angle is ignored for fixed steps); same semantics as sim/apply-steps.ts. */
export function applyStepOn(k: KernelBackend, s: StateVector, st: Step, angle: number): void {
  switch (st.kind) {
    case "fixed1": {
      const m = st.m;
      k.apply1q(s, st.wire, m[0]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, m[7]!);
      break;
    }
    case "rot":
      applyRotationOn(k, s, st.wire, st.pauli, angle);
      break;
    case "cnot":
      k.applyCNOT(s, st.control, st.target);
      break;
    case "cz":
      k.applyCZ(s, st.a, st.b);
      break;
    case "swap":
      k.applySWAP(s, st.a, st.b);
      break;
    case "fixed2":
      k.apply2q(s, st.a, st.b, st.re, st.im);
      break;
  }
}

/** The inverse of one lowered step with backend k. */
export function applyStepInverseOn(k: KernelBackend, s: StateVector, st: Step, angle: number): void {
  switch (st.kind) {
    case "fixed1": {
      const m = st.m;
      k.apply1q(s, st.wire, m[0]!, -m[1]!, m[4]!, -m[5]!, m[2]!, -m[3]!, m[6]!, -m[7]!);
      break;
    }
    case "rot":
      applyRotationOn(k, s, st.wire, st.pauli, -angle);
      break;
    case "cnot":
      k.applyCNOT(s, st.control, st.target);
      break;
    case "cz":
      k.applyCZ(s, st.a, st.b);
      break;
    case "swap":
      k.applySWAP(s, st.a, st.b);
      break;
    case "fixed2": {
      const re = new Float64Array(16),
        im = new Float64Array(16);
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++) {
          re[j * 4 + i] = st.re[i * 4 + j]!;
          im[j * 4 + i] = -st.im[i * 4 + j]!;
        }
      k.apply2q(s, st.a, st.b, re, im);
      break;
    }
  }
}
