import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl, type FirstRotation, type QmtlSpec } from "../../src/circuits/qmtl.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { parityEngine } from "../../src/sim/qmtl-structured/parity-engine.ts";
import { KernelMemory } from "../../src/sim/qmtl-structured/wasm-kernels.ts";
import { dsandTo4, dsandAcc4, dsandGrad4 } from "../../src/sim/qmtl-structured/flat-cmat4.ts";
import { cdot4, cdot4Back } from "../../src/sim/qmtl-structured/flat-cvec.ts";
import { maxAbs } from "../helpers/refs.ts";

/**
 * The element-wise kernels, whole task blocks and chains in WebAssembly (assembly/structured-parts/,
 * wasm-blocks.ts) repeat the JavaScript kernels' operations in the same order, so they must give
 * the same bits: checked with maxAbs === 0 against flat-cmat4.ts / flat-cvec.ts and against the
 * engine with its blocks, chains and readout driven from JavaScript ({ wasmBlocks, wasmChains, wasmReadout:
 * false }, and partial combinations); and against the generic
 * statevector adjoint (an independent reference) to 1e-11.
 */
const rand = (rng: Rng, n: number, s = 1): Float64Array =>
  Float64Array.from({ length: n }, () => s * rng.range(-1, 1));

describe("structured engine: element-wise WebAssembly kernels == flat-cmat4.ts / flat-cvec.ts, bit for bit", () => {
  const mem = new KernelMemory(64 * 32, 32);
  const k = mem.k!;
  const B = (o: number): number => mem.cfB + 8 * o;
  const fill = (rng: Rng): Float64Array => {
    mem.cf.set(rand(rng, mem.cf.length));
    return mem.cf.slice();
  };

  it("dsandTo4, dsandAcc4 (y, x at odd offsets; d1, d2 two complex values each)", () => {
    const rng = new Rng(21);
    for (const acc of [false, true]) {
      const ref = fill(rng);
      (acc ? dsandAcc4 : dsandTo4)(ref, 5 * 32 + 2, ref, 32 + 6, ref, 40 * 32 + 2, ref, 41 * 32 + 6);
      (acc ? k.dsandAcc4 : k.dsandTo4)(B(5 * 32 + 2), B(32 + 6), B(40 * 32 + 2), B(41 * 32 + 6));
      expect(maxAbs(mem.cf, ref)).toBe(0);
      expect(maxAbs(mem.cf.subarray(5 * 32 + 2, 6 * 32 + 2), new Float64Array(32))).toBeGreaterThan(0.05);
    }
  });

  it("dsandGrad4, with separate and with identical g1 = g2 (the diagonal blocks' case)", () => {
    const rng = new Rng(22);
    for (const same of [false, true]) {
      const ref = fill(rng);
      const g2 = same ? 50 * 32 : 50 * 32 + 8;
      dsandGrad4(ref, 2 * 32, ref, 3 * 32 + 2, ref, 40 * 32, ref, 41 * 32, ref, 50 * 32, ref, g2);
      k.dsandGrad4(B(2 * 32), B(3 * 32 + 2), B(40 * 32), B(41 * 32), B(50 * 32), B(g2));
      expect(maxAbs(mem.cf, ref)).toBe(0);
    }
  });

  it("cdot4 and cdot4Back with three and four products", () => {
    const rng = new Rng(23);
    for (const four of [false, true]) {
      const ref = fill(rng);
      const y3 = four ? 9 * 32 : -1;
      cdot4(
        16,
        ref,
        32,
        ref,
        6 * 32,
        7 * 32 + 2,
        8 * 32,
        y3,
        ref,
        60 * 32,
        60 * 32 + 2,
        60 * 32 + 6,
        60 * 32 + 10,
      );
      k.cdot4(
        B(32),
        B(6 * 32),
        B(7 * 32 + 2),
        B(8 * 32),
        four ? B(y3) : -1,
        B(60 * 32),
        B(60 * 32 + 2),
        B(60 * 32 + 6),
        B(60 * 32 + 10),
      );
      expect(maxAbs(mem.cf, ref)).toBe(0);
      // backward: fr and cf halves of one array (cf = fr + 20 blocks), cotangents g at block 60
      const f = fill(rng);
      const cfo = 20 * 32;
      cdot4Back(
        16,
        f.subarray(0),
        f.subarray(cfo),
        32,
        6 * 32,
        7 * 32 + 2,
        8 * 32,
        y3,
        f,
        60 * 32,
        60 * 32 + 2,
        60 * 32 + 6,
        60 * 32 + 10,
      );
      k.cdot4Back(
        B(0),
        B(cfo),
        8 * 32,
        8 * (6 * 32),
        8 * (7 * 32 + 2),
        8 * (8 * 32),
        four ? 8 * y3 : -1,
        B(60 * 32),
        B(60 * 32 + 2),
        B(60 * 32 + 6),
        B(60 * 32 + 10),
      );
      expect(maxAbs(mem.cf, f)).toBe(0);
    }
  });
});

const specs: Array<[string, QmtlSpec]> = [
  ["mustard", PRESETS.mustard],
  ["glue", PRESETS.glue],
  ["chexpert", PRESETS.chexpert],
  ["mustard L_h = 2", { ...PRESETS.mustard, headLayers: 2 }],
  ["chexpert L_h = 2", { ...PRESETS.chexpert, headLayers: 2 }],
];

describe("structured engine: task blocks and chains in WebAssembly", () => {
  for (const first of ["rx", "ry"] as FirstRotation[])
    specs.forEach(([label, spec], n) => {
      it(`${label}, firstRotation ${first}: == blocks, chains, readout from JavaScript (bits), == generic adjoint`, () => {
        const layout = resolveQmtl({ ...spec, firstRotation: first });
        const eng = parityEngine(layout),
          r3 = parityEngine(layout, { wasmBlocks: false, wasmChains: false, wasmReadout: false }),
          parts = [
            parityEngine(layout, { wasmChains: false, wasmReadout: false }),
            parityEngine(layout, { wasmBlocks: false, wasmReadout: false }),
            parityEngine(layout, { wasmReadout: false }),
            parityEngine(layout, { wasmBlocks: false }),
          ],
          js = parityEngine(layout, { wasm: false });
        const rng = new Rng(70 + n);
        const w = rand(rng, layout.nWeights, 3);
        for (const batch of [2, 24]) {
          // batch 24 after 2 grows the kernels' memory (every view re-made)
          const x = rand(rng, batch * layout.nInputs, 3);
          const c = rand(rng, batch * layout.nOutputs);
          const te = eng.record(x, w, batch),
            t3 = r3.record(x, w, batch),
            tj = js.record(x, w, batch);
          expect(maxAbs(te.outputs, t3.outputs)).toBe(0);
          expect(maxAbs(te.outputs, tj.outputs)).toBeLessThan(1e-13);
          expect(maxAbs(eng.forward(x, w, batch), te.outputs)).toBe(0);
          const ge = te.backward(c),
            g3 = t3.backward(c),
            gj = tj.backward(c);
          expect(maxAbs(ge.gradWeights, g3.gradWeights)).toBe(0);
          expect(maxAbs(ge.gradInputs, g3.gradInputs)).toBe(0);
          for (const part of parts) {
            // blocks only, chains only, blocks + chains, chains + readout
            const tp = part.record(x, w, batch);
            expect(maxAbs(tp.outputs, t3.outputs)).toBe(0);
            const gp = tp.backward(c);
            expect(maxAbs(gp.gradWeights, g3.gradWeights)).toBe(0);
            expect(maxAbs(gp.gradInputs, g3.gradInputs)).toBe(0);
          }
          expect(maxAbs(ge.gradWeights, gj.gradWeights)).toBeLessThan(1e-11);
          expect(maxAbs(ge.gradInputs, gj.gradInputs)).toBeLessThan(1e-12);
          expect(maxAbs(ge.gradWeights, new Float64Array(ge.gradWeights.length))).toBeGreaterThan(1e-3);
          if (batch === 2) {
            const ad = adjointExecutor(qmtlCircuit(layout));
            const ta = ad.record(x, w, batch);
            const ga = ta.backward(c);
            expect(maxAbs(te.outputs, ta.outputs)).toBeLessThan(1e-11);
            expect(maxAbs(ge.gradWeights, ga.gradWeights)).toBeLessThan(1e-11);
            expect(maxAbs(ge.gradInputs, ga.gradInputs)).toBeLessThan(1e-11);
          }
          // a tape whose frames a later record overwrote recomputes its forward pass (blocks.ts path)
          const stale = eng.record(x, w, batch);
          eng.record(
            x.map((v) => -v),
            w,
            batch,
          );
          const gs = stale.backward(c);
          expect(maxAbs(gs.gradWeights, gj.gradWeights)).toBeLessThan(1e-11);
          expect(maxAbs(gs.gradInputs, gj.gradInputs)).toBeLessThan(1e-12);
        }
      });
    });
});
