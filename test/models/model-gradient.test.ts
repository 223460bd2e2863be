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
  [
    "QMTL + affine + temperature",
    {
      head: "qmtl",
      inputDim: 4,
      latentDim: 8,
      tasks,
      projection,
      qmtl: { encodingLayers: 2, headLayers: 1 },
      outputTransforms: { b: "temperature", c: "affine" },
    },
  ],
  [
    "QMTL without encoder entanglement",
    {
      head: "qmtl",
      inputDim: 4,
      latentDim: 8,
      tasks,
      projection,
      qmtl: { encodingLayers: 2, headLayers: 2, entangle: false },
    },
  ],
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
          p.value[i] = v + h;
          const fp = f();
          p.value[i] = v - h;
          const fm = f();
          p.value[i] = v;
          expect(Math.abs(p.grad[i]! - (fp - fm) / (2 * h))).toBeLessThan(
            1e-6 * Math.max(1, Math.abs(p.grad[i]!)),
          );
        }
      }
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        x[i] = v + h;
        const fp = f();
        x[i] = v - h;
        const fm = f();
        x[i] = v;
        expect(Math.abs(gx[i]! - (fp - fm) / (2 * h))).toBeLessThan(1e-6);
      }
    });
  }
});

describe("HQNN head with float32 simulator states", () => {
  const spec = (precision: "float64" | "float32"): ModelSpec => ({
    head: "hqnn",
    inputDim: 4,
    latentDim: 6,
    tasks,
    projection,
    hqnn: { qubits: 5, precision },
  });

  it("gives the float64 model's logits and gradients to float32 accuracy", () => {
    const rng = new Rng(9);
    const B = 4;
    const x = Float64Array.from({ length: B * 4 }, () => rng.normal());
    const run = (precision: "float64" | "float32"): { y: Float64Array; g: Float64Array[] } => {
      const model = buildModel(spec(precision), new Rng(2));
      const ctx = { training: true, rng: new Rng(0) };
      const y = model.net.forward(x.slice(), B, ctx);
      zeroGrads(model.net.params());
      model.net.backward(Float64Array.from(y, (_, i) => Math.sin(i)));
      return { y, g: model.net.params().map((p) => p.grad.slice()) };
    };
    const a = run("float64"),
      b = run("float32");
    let dy = 0,
      dg = 0,
      scale = 0;
    a.y.forEach((v, i) => {
      dy = Math.max(dy, Math.abs(v - b.y[i]!));
    });
    a.g.forEach((g, k) =>
      g.forEach((v, i) => {
        dg = Math.max(dg, Math.abs(v - b.g[k]![i]!));
        scale = Math.max(scale, Math.abs(v));
      }),
    );
    expect(dy).toBeGreaterThan(0); // it really ran in float32
    expect(dy).toBeLessThan(1e-5);
    expect(dg).toBeLessThan(1e-5 * Math.max(1, scale));
  });

  it("rejects an unknown precision, naming the field", () => {
    expect(() =>
      buildModel(
        { ...spec("float64"), hqnn: { qubits: 5, precision: "half" as unknown as "float32" } } as ModelSpec,
        new Rng(2),
      ),
    ).toThrow(/model\.hqnn\.precision/);
  });
});

describe("threaded models (batches split over worker threads)", () => {
  const threadedSpecs: Array<[string, ModelSpec]> = [
    [
      "QMTL",
      {
        head: "qmtl",
        inputDim: 4,
        latentDim: 8,
        tasks,
        projection,
        qmtl: { encodingLayers: 2, headLayers: 1 },
      },
    ],
    ["HQNN", { head: "hqnn", inputDim: 4, latentDim: 6, tasks, projection, hqnn: { qubits: 5 } }],
  ];
  for (const [label, spec] of threadedSpecs) {
    it(`${label}: 2 threads give the 1-thread logits and gradients (to summation order)`, async () => {
      const rng = new Rng(12);
      const B = 12;
      const x = Float64Array.from({ length: B * spec.inputDim }, () => rng.normal());
      const run = (
        threads: number,
      ): { model: ReturnType<typeof buildModel>; y: Float64Array; g: Float64Array[] } => {
        const model = buildModel(spec, new Rng(2), { threads });
        const y = model.net.forward(x.slice(), B, { training: true, rng: new Rng(0) });
        zeroGrads(model.net.params());
        model.net.backward(Float64Array.from(y, (_, i) => Math.cos(i)));
        return { model, y, g: model.net.params().map((p) => p.grad.slice()) };
      };
      const a = run(1),
        b = run(2);
      expect(a.model.threads).toBe(1);
      expect(b.model.threads).toBe(2);
      a.y.forEach((v, i) => expect(Math.abs(v - b.y[i]!)).toBeLessThan(1e-12));
      a.g.forEach((g, k) =>
        g.forEach((v, i) => expect(Math.abs(v - b.g[k]![i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v)))),
      );
      await b.model.close();
      await a.model.close();
    }, 30_000);
  }

  it("rejects a bad thread count, naming the field", () => {
    expect(() => buildModel(threadedSpecs[0]![1], new Rng(2), { threads: 0 })).toThrow(/threads/);
  });
});
