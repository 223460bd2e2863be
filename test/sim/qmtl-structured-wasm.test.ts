import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { resolveQmtl } from "../../src/circuits/qmtl.ts";
import { parityEngine } from "../../src/sim/qmtl-structured/parity-engine.ts";
import { KernelMemory } from "../../src/sim/qmtl-structured/wasm-kernels.ts";
import {
  mulNN4,
  mulNH4,
  mulHN4,
  mulNNAcc4,
  mulNHAcc4,
  mulHNAcc4,
} from "../../src/sim/qmtl-structured/flat-cmat4.ts";
import { maxAbs } from "../helpers/refs.ts";

/**
 * The WebAssembly SIMD products (assembly/structured.ts) against the unrolled
 * JavaScript ones of flat-cmat4.ts, and the engine on them against the same
 * engine on the JavaScript kernels (a different summation order: equal to
 * float64 rounding). The engine's references (PennyLane, statevector adjoint,
 * finite differences) are in test/diff/qmtl-parity-engine.test.ts and refs.test.ts.
 */
const rand = (rng: Rng, n: number): Float64Array => Float64Array.from({ length: n }, () => rng.range(-1, 1));

describe("structured engine: WebAssembly kernels", () => {
  it("this runtime instantiates kernels.wasm (else the tests below compare the JS kernels with themselves)", () => {
    expect(new KernelMemory(64, 64).k).not.toBeNull();
    expect(new KernelMemory(64, 64, false).k).toBeNull();
  });

  it("the six 4 x 4 complex products equal flat-cmat4.ts to 1e-14", () => {
    const mem = new KernelMemory(32 * 8, 32);
    const k = mem.k!;
    const rng = new Rng(3);
    type Js = (y: Float64Array, yo: number, a: Float64Array, ao: number, b: Float64Array, bo: number) => void;
    const cases: Array<[string, Js, (y: number, a: number, b: number) => void]> = [
      ["NN", mulNN4, (y, a, b) => k.mulNN4(y, a, b)],
      ["NH", mulNH4, (y, a, b) => k.mulNH4(y, a, b)],
      ["HN", mulHN4, (y, a, b) => k.mulHN4(y, a, b)],
      [
        "NNAcc(s = -0.7)",
        (y, yo, a, ao, b, bo) => mulNNAcc4(-0.7, y, yo, a, ao, b, bo),
        (y, a, b) => k.mulNNAcc4(-0.7, y, a, b),
      ],
      ["NHAcc", mulNHAcc4, (y, a, b) => k.mulNHAcc4(y, a, b)],
      ["HNAcc", mulHNAcc4, (y, a, b) => k.mulHNAcc4(y, a, b)],
    ];
    for (const [name, js, wasm] of cases) {
      // y at offset 5 blocks, a at 1 (odd offsets: unaligned v128 loads), b at 3
      const cf = mem.cf;
      cf.set(rand(rng, cf.length));
      const ref = cf.slice();
      js(ref, 5 * 32, ref, 32 + 2, ref, 3 * 32 + 6);
      wasm(mem.cfB + 8 * (5 * 32), mem.cfB + 8 * (32 + 2), mem.cfB + 8 * (3 * 32 + 6));
      expect(maxAbs(cf, ref), name).toBeLessThan(1e-14);
      expect(maxAbs(cf.subarray(5 * 32, 6 * 32), new Float64Array(32)), name).toBeGreaterThan(0.1);
    }
  });

  for (const preset of ["mustard", "glue", "chexpert"] as const) {
    it(`${preset}: engine on kernels.wasm == on the JavaScript kernels (outputs, gradients, forward, a regrown arena, a stale tape)`, () => {
      const layout = resolveQmtl(PRESETS[preset]);
      const wasm = parityEngine(layout),
        js = parityEngine(layout, { wasm: false });
      const rng = new Rng(11);
      const w = rand(rng, layout.nWeights).map((v) => 3 * v);
      for (const batch of [3, 40]) {
        // batch 40 after 3 grows the kernels' memory (every view re-made)
        const x = rand(rng, batch * layout.nInputs).map((v) => 3 * v);
        const c = rand(rng, batch * layout.nOutputs);
        const tw = wasm.record(x, w, batch),
          tj = js.record(x, w, batch);
        expect(maxAbs(tw.outputs, tj.outputs)).toBeLessThan(1e-13);
        const gw = tw.backward(c),
          gj = tj.backward(c);
        expect(maxAbs(gw.gradWeights, gj.gradWeights)).toBeLessThan(1e-11);
        expect(maxAbs(gw.gradInputs, gj.gradInputs)).toBeLessThan(1e-12);
        expect(maxAbs(gw.gradWeights, new Float64Array(gw.gradWeights.length))).toBeGreaterThan(1e-3);
        expect(maxAbs(wasm.forward(x, w, batch), tj.outputs)).toBeLessThan(1e-13);
        // a tape whose frames were overwritten by a later record recomputes its forward pass
        const stale = wasm.record(x, w, batch);
        wasm.record(
          x.map((v) => -v),
          w,
          batch,
        );
        expect(maxAbs(stale.backward(c).gradWeights, gj.gradWeights)).toBeLessThan(1e-11);
      }
    });
  }
});
