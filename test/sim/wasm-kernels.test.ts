import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import type { StateVector } from "../../src/sim/state.ts";
import {
  tsBackend,
  applyStepOn,
  applyStepInverseOn,
  type KernelBackend,
} from "../../src/sim/wasm/backend.ts";
import { wasmKernels, selectKernelBackend, wasmUnavailableReason } from "../../src/sim/wasm/select.ts";
import { WasmState } from "../../src/sim/wasm/wasm-backend.ts";
import { lower } from "../../src/sim/lower.ts";
import { paramValue } from "../../src/circuits/ir.ts";
import { maxAbs } from "../helpers/refs.ts";
import { randomCircuit } from "../helpers/random-circuit.ts";

/** Every WebAssembly kernel against the TypeScript kernel on random states of 1..10 qubits and random wires. */
const k = wasmKernels();

function randomInto(s: StateVector, rng: Rng): void {
  for (let i = 0; i < s.re.length; i++) {
    s.re[i] = rng.range(-1, 1);
    s.im[i] = rng.range(-1, 1);
  }
}

function pair(n: number, rng: Rng, w: KernelBackend): [StateVector, StateVector] {
  const a = w.createState(n);
  randomInto(a, rng);
  const b = tsBackend.createState(n);
  b.re.set(a.re);
  b.im.set(a.im);
  return [a, b];
}

function twoWires(n: number, rng: Rng): [number, number] {
  const a = rng.int(n);
  let b = rng.int(n - 1);
  if (b >= a) b++;
  return [a, b];
}

describe("WebAssembly SIMD kernels == TypeScript kernels", () => {
  it("loads (this runtime supports wasm SIMD)", () => {
    expect(wasmUnavailableReason()).toBe("");
    expect(k).not.toBeNull();
    expect(selectKernelBackend().name).toBe("wasm-simd");
    expect(selectKernelBackend("ts").name).toBe("ts");
  });

  for (let n = 1; n <= 10; n++) {
    it(`${n} qubit${n > 1 ? "s" : ""}: apply1q, RX, RY, RZ, Im<lam|P|psi> on every wire${n > 1 ? ", CNOT, CZ, SWAP, apply2q on random wire pairs" : ""}`, () => {
      const w = k!;
      const rng = new Rng(100 + n);
      for (let wire = 0; wire < n; wire++) {
        const [a, b] = pair(n, rng, w);
        const m = Array.from({ length: 8 }, () => rng.range(-1, 1)) as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        w.apply1q(a, wire, ...m);
        tsBackend.apply1q(b, wire, ...m);
        expect(a).toBeInstanceOf(WasmState);
        expect(a.re).toBeAllclose(b.re, { rtol: 0, atol: 1e-13 });
        expect(a.im).toBeAllclose(b.im, { rtol: 0, atol: 1e-13 });
        w.freeState(a);
      }
      // rotation kernels (TS and wasm) against the dense TS kernel with the rotation's matrix
      for (let wire = 0; wire < n; wire++) {
        const a = rng.range(-Math.PI, Math.PI),
          c = Math.cos(a / 2),
          sn = Math.sin(a / 2);
        const rots: Array<
          [
            (kb: KernelBackend, s: StateVector) => void,
            [number, number, number, number, number, number, number, number],
          ]
        > = [
          [(kb, s) => kb.applyRX(s, wire, c, sn), [c, 0, 0, -sn, 0, -sn, c, 0]],
          [(kb, s) => kb.applyRY(s, wire, c, sn), [c, 0, -sn, 0, sn, 0, c, 0]],
          [(kb, s) => kb.applyRZ(s, wire, c, sn), [c, -sn, 0, 0, 0, 0, c, sn]],
        ];
        for (const [rot, m] of rots) {
          const [a1, ref] = pair(n, rng, w);
          const t1 = tsBackend.createState(n);
          t1.re.set(ref.re);
          t1.im.set(ref.im);
          rot(w, a1);
          rot(tsBackend, t1);
          tsBackend.apply1q(ref, wire, ...m);
          for (const got of [a1, t1]) {
            expect(got.re).toBeAllclose(ref.re, { rtol: 0, atol: 1e-13 });
            expect(got.im).toBeAllclose(ref.im, { rtol: 0, atol: 1e-13 });
          }
          w.freeState(a1);
        }
      }
      // the adjoint derivative Im <lam| P_w |psi>, against the TS reduction and against a dense evaluation
      for (let wire = 0; wire < n; wire++) {
        for (const p of ["X", "Y", "Z"] as const) {
          const [l, lt] = pair(n, rng, w),
            [q, qt] = pair(n, rng, w);
          const got = w.imInnerPauli(l, q, wire, p),
            ref = tsBackend.imInnerPauli(lt, qt, wire, p);
          // dense: P_w psi by the 2x2 kernel, then Im sum conj(lam) (P psi)
          const m: Record<typeof p, [number, number, number, number, number, number, number, number]> = {
            X: [0, 0, 1, 0, 1, 0, 0, 0],
            Y: [0, 0, 0, -1, 0, 1, 0, 0],
            Z: [1, 0, 0, 0, 0, 0, -1, 0],
          };
          tsBackend.apply1q(qt, wire, ...m[p]);
          let dense = 0;
          for (let i = 0; i < qt.re.length; i++) dense += lt.re[i]! * qt.im[i]! - lt.im[i]! * qt.re[i]!;
          expect(Math.abs(got - ref)).toBeLessThan(1e-12);
          expect(Math.abs(ref - dense)).toBeLessThan(1e-12);
          w.freeState(l);
          w.freeState(q);
        }
      }
      if (n === 1) return;
      for (let rep = 0; rep < 6; rep++) {
        const [x, y] = twoWires(n, rng);
        const mre = Float64Array.from({ length: 16 }, () => rng.range(-1, 1)),
          mim = Float64Array.from({ length: 16 }, () => rng.range(-1, 1));
        const ops: Array<[string, (kb: KernelBackend, s: StateVector) => void]> = [
          ["cnot", (kb, s) => kb.applyCNOT(s, x, y)],
          ["cz", (kb, s) => kb.applyCZ(s, x, y)],
          ["swap", (kb, s) => kb.applySWAP(s, x, y)],
          ["2q", (kb, s) => kb.apply2q(s, x, y, mre, mim)],
        ];
        for (const [, op] of ops) {
          const [a, b] = pair(n, rng, w);
          op(w, a);
          op(tsBackend, b);
          expect(a.re).toBeAllclose(b.re, { rtol: 0, atol: 1e-13 });
          expect(a.im).toBeAllclose(b.im, { rtol: 0, atol: 1e-13 });
          w.freeState(a);
        }
      }
    });
  }

  it("CNOT on every ordered wire pair of 2..6 qubits (strides >= 2, target last, control last)", () => {
    const w = k!;
    const rng = new Rng(7);
    for (let n = 2; n <= 6; n++) {
      for (let c = 0; c < n; c++)
        for (let t = 0; t < n; t++) {
          if (c === t) continue;
          const [a, b] = pair(n, rng, w);
          w.applyCNOT(a, c, t);
          tsBackend.applyCNOT(b, c, t);
          expect(maxAbs(a.re, b.re)).toBe(0);
          expect(maxAbs(a.im, b.im)).toBe(0);
          w.freeState(a);
        }
    }
  });

  it("whole random circuits forward and back (steps and their inverses) agree", () => {
    const w = k!;
    for (let seed = 1; seed <= 8; seed++) {
      const n = 1 + (seed % 7);
      const c = randomCircuit(seed, n, 60);
      const steps = lower(c);
      const rng = new Rng(seed);
      const x = Float64Array.from({ length: c.nInputs }, () => rng.range(-3, 3)),
        wt = Float64Array.from({ length: c.nWeights }, () => rng.range(-3, 3));
      const [a, b] = pair(n, rng, w);
      for (const st of steps) {
        const ang = st.kind === "rot" ? paramValue(st.param, x, 0, wt) : 0;
        applyStepOn(w, a, st, ang);
        applyStepOn(tsBackend, b, st, ang);
      }
      expect(a.re).toBeAllclose(b.re, { rtol: 0, atol: 1e-12 });
      for (let i = steps.length - 1; i >= 0; i--) {
        const st = steps[i]!;
        const ang = st.kind === "rot" ? paramValue(st.param, x, 0, wt) : 0;
        applyStepInverseOn(w, a, st, ang);
        applyStepInverseOn(tsBackend, b, st, ang);
      }
      expect(a.re).toBeAllclose(b.re, { rtol: 0, atol: 1e-12 });
      expect(a.im).toBeAllclose(b.im, { rtol: 0, atol: 1e-12 });
      w.freeState(a);
    }
  });

  it("states survive memory growth, are reused after free, and plain arrays fall back to TS", () => {
    const w = k!;
    const s = w.createState(4);
    s.re[3] = 0.5;
    const big = Array.from({ length: 4 }, () => w.createState(16));
    expect(s.re[3]).toBe(0.5);
    expect(s.re.length).toBe(16);
    const used = w.heapBytes();
    for (const b of big) w.freeState(b);
    const again = w.createState(16);
    expect(w.heapBytes()).toBe(used);
    expect(again.re[0]).toBe(1);
    expect(again.re[1]).toBe(0);
    w.freeState(again);
    const plain = tsBackend.createState(3),
      ref = tsBackend.createState(3);
    w.apply1q(plain, 1, 0, 0, 1, 0, 1, 0, 0, 0);
    tsBackend.apply1q(ref, 1, 0, 0, 1, 0, 1, 0, 0, 0);
    expect(maxAbs(plain.re, ref.re)).toBe(0);
    w.freeState(s);
  });
});
