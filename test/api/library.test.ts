/**
 * The public API, imported by the package's name: build a head, simulate and
 * differentiate it, train it on arrays, evaluate it, save and reload it.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildModel,
  loadModel,
  predictLogits,
  qmtlEngine,
  readModelFile,
  resolveQmtl,
  Rng,
  saveModelFile,
  savedModel,
  PRESETS,
  taskMetrics,
  train,
  adjointExecutor,
  qmtlCircuit,
  SUITES,
  QMTL_VERSION,
  type MultiTaskData,
  type ModelSpec,
} from "qmtl";

describe('the public API (import from "qmtl")', () => {
  it("runs the MUStARD preset head forward and backward on the structured engine, equal to the gate-level adjoint", () => {
    const layout = resolveQmtl(PRESETS.mustard);
    const engine = qmtlEngine(layout),
      reference = adjointExecutor(qmtlCircuit(layout));
    const rng = new Rng(3),
      batch = 4;
    const x = Float64Array.from({ length: batch * layout.nInputs }, () => rng.range(-1, 1));
    const w = Float64Array.from({ length: layout.nWeights }, () => rng.range(-1, 1));
    const cot = Float64Array.from({ length: batch * layout.nOutputs }, () => rng.normal());
    const a = engine.record(x, w, batch),
      b = reference.record(x, w, batch);
    const ga = a.backward(cot),
      gb = b.backward(cot);
    for (let i = 0; i < a.outputs.length; i++) expect(a.outputs[i]).toBeCloseTo(b.outputs[i]!, 12);
    for (let i = 0; i < ga.gradWeights.length; i++)
      expect(ga.gradWeights[i]).toBeCloseTo(gb.gradWeights[i]!, 10);
    expect(engine.name).toMatch(/structured|qmtl/i);
  });

  it("trains a head on a user's arrays, evaluates it, saves and reloads it to the same logits", () => {
    const rng = new Rng(1),
      n = 200,
      dim = 6;
    const features = Float64Array.from({ length: n * dim }, () => rng.normal());
    const labels = [Float64Array.from({ length: n }, (_, i) => (features[i * dim]! > 0 ? 1 : 0))];
    const data: MultiTaskData = { n, dim, features, labels };
    const spec: ModelSpec = {
      head: "qmtl",
      inputDim: dim,
      latentDim: 3,
      tasks: [{ name: "sign", kind: "binary" }],
      projection: { hidden: [8], activation: "tanh", dropout: 0, batchNorm: false },
      qmtl: { encodingLayers: 3, headLayers: 1 },
    };
    const model = buildModel(spec, rng);
    const before = taskMetrics(model.tasks, predictLogits(model, data), model.nOutputs, data)["sign"]![
      "accuracy"
    ]!;
    train(
      model,
      data,
      data,
      {
        epochs: 8,
        batchSize: 16,
        protocol: { kind: "parallel" },
        losses: [{ kind: "bce", weight: 1 }],
        optimizer: { kind: "adam", lr: 0.02 },
        selection: { task: "sign", metric: "accuracy" },
      },
      { seed: 0 },
    );
    const logits = predictLogits(model, data);
    const after = taskMetrics(model.tasks, logits, model.nOutputs, data)["sign"]!["accuracy"]!;
    expect(after).toBeGreaterThan(0.8);
    expect(after).toBeGreaterThan(before);
    const dir = mkdtempSync(join(tmpdir(), "qmtl-api-"));
    try {
      saveModelFile(join(dir, "m.json"), savedModel(model, null, { note: "api test" }));
      const again = loadModel(readModelFile(join(dir, "m.json")));
      expect(Array.from(predictLogits(again, data))).toEqual(Array.from(logits));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists the suites and reports its version", () => {
    expect(SUITES.map((s) => s.name)).toContain("mustard");
    expect(QMTL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("the README's library example", () => {
  it("is examples/readme-quickstart.mjs, word for word (the packed-package test runs that file)", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../../examples/readme-quickstart.mjs", import.meta.url), "utf8");
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(example);
  });
});
