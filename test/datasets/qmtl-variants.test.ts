/**
 * The QMTL encoder variants on GLUE and CheXpert reach the model: qmtl-noent
 * is available (not a default head), has the parameters of qmtl (same count,
 * same initial values under one seed) and different outputs (the CNOTs are
 * gone); qmtl.firstRotation "ry" makes the first Q latent features matter,
 * which under the paper's "rx" (a global phase on |+>^Q) have no effect at all.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { buildModel, type MultiTaskModel } from "../../src/models/build-model.ts";
import type { TaskDef } from "../../src/models/task-info.ts";
import type { HeadPlan } from "../../src/experiments/suite.ts";
import { glueConfigSchema } from "../../src/datasets/glue/config.ts";
import { glueHeadPlans } from "../../src/datasets/glue/heads.ts";
import { chexpertConfigSchema } from "../../src/datasets/chexpert/config.ts";
import { chexpertHeadPlans } from "../../src/datasets/chexpert/heads.ts";
import { CHEXPERT_TASKS } from "../../src/datasets/chexpert/labels.ts";
import type { MultiTaskData } from "../../src/training/dataset.ts";
import { qmtlVariantNotes } from "../../src/experiments/qmtl-variant-notes.ts";

const GLUE_TASKS: TaskDef[] = [
  { name: "CoLA", kind: "binary" },
  { name: "STS-B", kind: "regression" },
  { name: "MNLI", kind: "multiclass", numClasses: 3 },
];
const DIM = 6;

/** n rows of seeded features, every label present (only the head plans' validation interval reads them). */
function data(tasks: readonly TaskDef[], n: number): MultiTaskData {
  const rng = new Rng(7);
  const features = Float64Array.from({ length: n * DIM }, () => rng.normal());
  const labels = tasks.map((t) =>
    Float64Array.from({ length: n }, (_, i) =>
      t.kind === "regression" ? i / n : t.kind === "binary" ? i % 2 : i % (t.numClasses ?? 2),
    ),
  );
  return { n, dim: DIM, features, labels };
}

const glueHeads = (set: Record<string, unknown>): HeadPlan[] => {
  const d = data(GLUE_TASKS, 8);
  return glueHeadPlans(
    glueConfigSchema.parse(set),
    GLUE_TASKS,
    d,
    Array.from({ length: d.n }, (_, i) => i),
  );
};
const chexpertHeads = (set: Record<string, unknown>): HeadPlan[] =>
  chexpertHeadPlans(chexpertConfigSchema.parse(set), CHEXPERT_TASKS, data(CHEXPERT_TASKS, 8));

/** The head's outputs on latent vectors z (B rows of d), in inference mode. */
function headOut(m: MultiTaskModel, z: Float64Array, B: number): Float64Array {
  return m.head.forward(z.slice(), B, { training: false, rng: new Rng(0) });
}
const maxDiff = (a: Float64Array, b: Float64Array): number =>
  a.reduce((s, v, i) => Math.max(s, Math.abs(v - b[i]!)), 0);

const SUITES = [
  { name: "GLUE", heads: glueHeads, Q: 4, d: 12, defaults: ["classical", "qmtl", "hqnn-4", "hqnn-10"] },
  {
    name: "CheXpert",
    heads: chexpertHeads,
    Q: 10,
    d: 30,
    defaults: ["qmtl", "classical", "hqnn-4", "hqnn-10"],
  },
] as const;

describe.each(SUITES)("QMTL variants on $name", ({ heads, Q, d, defaults }) => {
  it("keeps the paper's default heads and rx; qmtl-noent is there on request", () => {
    expect(heads({}).map((h) => h.id)).toEqual(defaults);
    const [q, n] = heads({ heads: ["qmtl", "qmtl-noent"] });
    expect(q!.model.head === "qmtl" && q!.model.qmtl.firstRotation).toBe("rx");
    expect(q!.model.head === "qmtl" && q!.model.qmtl.entangle).toBe(true);
    expect(n!.model.head === "qmtl" && n!.model.qmtl.entangle).toBe(false);
    expect(n!.label).toMatch(/no encoder entanglement/);
    expect(() => heads({ qmtl: { firstRotation: "rz" } })).toThrow();
  });

  it("qmtl-noent: the same parameters as qmtl (count and initial values), other outputs", () => {
    const [q, n] = heads({ heads: ["qmtl", "qmtl-noent"] });
    const mq = buildModel(q!.model, new Rng(3));
    const mn = buildModel(n!.model, new Rng(3));
    expect(mq.qmtlLayout!.Q).toBe(Q);
    expect(mn.counts).toEqual(mq.counts);
    const values = (m: MultiTaskModel): number[] => m.net.params().flatMap((p) => Array.from(p.value));
    expect(values(mn)).toEqual(values(mq));
    const B = 4;
    const rng = new Rng(11);
    const z = Float64Array.from({ length: B * d }, () => rng.range(-Math.PI, Math.PI));
    expect(maxDiff(headOut(mq, z, B), headOut(mn, z, B))).toBeGreaterThan(1e-3);
  });

  it("firstRotation: under rx the first Q latent features have no effect, under ry they do", () => {
    const B = 3;
    const rng = new Rng(5);
    const z = Float64Array.from({ length: B * d }, () => rng.range(-Math.PI, Math.PI));
    const moved = z.slice();
    for (let b = 0; b < B; b++) for (let i = 0; i < Q; i++) moved[b * d + i]! += 0.7 + 0.1 * i;
    for (const head of ["qmtl", "qmtl-noent"]) {
      const rx = buildModel(heads({ heads: [head] })[0]!.model, new Rng(9));
      const ry = buildModel(heads({ heads: [head], qmtl: { firstRotation: "ry" } })[0]!.model, new Rng(9));
      expect(ry.counts).toEqual(rx.counts);
      expect(maxDiff(headOut(rx, z, B), headOut(rx, moved, B))).toBeLessThan(1e-12);
      expect(maxDiff(headOut(ry, z, B), headOut(ry, moved, B))).toBeGreaterThan(1e-3);
      // the two encoders differ on the same input and parameters
      expect(maxDiff(headOut(rx, z, B), headOut(ry, z, B))).toBeGreaterThan(1e-3);
    }
  });
});

describe("the variant notes", () => {
  it("say which features are lost under rx, that ry loads all, and what qmtl-noent is", () => {
    const rx = qmtlVariantNotes("rx", ["classical", "qmtl"], 6, 18);
    expect(rx).toHaveLength(1);
    expect(rx[0]).toContain("first Q = 6 of the 18 projected features cannot influence the output");
    const ry = qmtlVariantNotes("ry", ["qmtl-noent"], 6, 18);
    expect(ry[0]).toContain("all 18 projected features reach the state");
    expect(ry[1]).toMatch(/^qmtl-noent .*parameter count is the same/);
    expect(qmtlVariantNotes("rx", ["classical"], 6, 18)).toEqual([]);
  });
});
