import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { buildModel } from "../../src/models/build-model.ts";
import type { ModelSpec } from "../../src/models/model-spec.ts";
import { zeroGrads } from "../../src/nn/param.ts";

/**
 * The classical layers' backward and the simulator's VJP compose into one
 * backward pass: the gradient of sum(c * logits) with respect to every
 * parameter of the whole model (projection, head, output transforms) and the
 * input matches central finite differences.
 */
const tasks = [
  { name: "a", kind: "binary" as const },
  { name: "b", kind: "multiclass" as const, numClasses: 3 },
  { name: "c", kind: "regression" as const },
];
const projection = { hidden: [5], activation: "tanh" as const, dropout: 0, batchNorm: true };
const specs: Array<[string, ModelSpec]> = [
  ["QMTL + affine + temperature", { head: "qmtl", inputDim: 4, latentDim: 8, tasks, projection, qmtl: { encodingLayers: 2, headLayers: 1 }, outputTransforms: { b: "temperature", c: "affine" } }],
  ["QMTL without encoder entanglement", { head: "qmtl", inputDim: 4, latentDim: 8, tasks, projection, qmtl: { encodingLayers: 2, headLayers: 2, entangle: false } }],
  ["classical", { head: "classical", inputDim: 4, latentDim: 6, tasks, projection }],
  ["HQNN (3 qubits)", { head: "hqnn", inputDim: 4, latentDim: 6, tasks, projection, hqnn: { qubits: 3 } }],
];

describe("whole-model gradients match finite differences", () => {
  for (const [label, spec] of specs) {
    it(label, () => {
      const model = buildModel(spec, new Rng(2));
      const rng = new Rng(5);
      const B = 3;
      const x = Float64Array.from({ length: B * spec.inputDim }, () => rng.normal());
      const c = Float64Array.from({ length: B * model.nOutputs }, () => rng.range(-1, 1));
      // training mode (BatchNorm batch statistics) with no dropout: deterministic
      const ctx = () => ({ training: true, rng: new Rng(0) });
      const f = (): number => {
        const y = model.net.forward(x.slice(), B, ctx());
        let s = 0;
        for (let i = 0; i < y.length; i++) s += c[i]! * y[i]!;
        return s;
      };
      const params = model.net.params();
      zeroGrads(params);
      model.net.forward(x.slice(), B, ctx());
      const gx = model.net.backward(c);
      const h = 1e-6;
      for (const p of params) {
        for (let i = 0; i < p.value.length; i++) {
          const v = p.value[i]!;
          p.value[i] = v + h; const fp = f();
          p.value[i] = v - h; const fm = f();
          p.value[i] = v;
          expect(Math.abs(p.grad[i]! - (fp - fm) / (2 * h))).toBeLessThan(1e-6 * Math.max(1, Math.abs(p.grad[i]!)));
        }
      }
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        x[i] = v + h; const fp = f();
        x[i] = v - h; const fm = f();
        x[i] = v;
        expect(Math.abs(gx[i]! - (fp - fm) / (2 * h))).toBeLessThan(1e-6);
      }
    });
  }
});
