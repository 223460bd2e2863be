import { describe, expect, it } from "vitest";
import { mustardConfigSchema } from "../../src/datasets/mustard/config.ts";
import { mustardSuite } from "../../src/datasets/mustard/index.ts";
import { glueSuite } from "../../src/datasets/glue/index.ts";
import { expandCells, cellCost, groupAxes, type SweepSuite } from "../../src/experiments/sweep/cells.ts";
import { loadSweep, setPath, parseSweepConfig } from "../../src/experiments/sweep/sweep-config.ts";
import { scheduleOrder } from "../../src/experiments/sweep/local.ts";
import { studySweep } from "../../src/experiments/sweep/studies.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { evalCells, noiseConditions, parseEvalId } from "../../src/experiments/sweep/noise-axis.ts";

const suite: SweepSuite = {
  name: "mustard",
  schema: mustardSuite.schema,
  check: (c) => mustardSuite.check?.(c as never),
  splitIndices: (c) => mustardSuite.splitIndices(c as never),
};
const folds = (values: number[]) => ({ field: "folds" as const, values });
const load = (raw: unknown) => loadSweep(raw, undefined, () => ({}));

describe("sweep grid expansion", () => {
  it("expands the product of the axes into cells with stable ids, axis values applied by dotted path", () => {
    const cells = expandCells(
      load({
        suite: "mustard",
        name: "g",
        base: { epochs: 2, heads: ["qmtl"] },
        axes: [
          { name: "L", field: "qmtl.encodingLayers", values: [2, 4], linked: { latentDim: [26, 52] } },
          { name: "fold", field: "folds", values: [[0], [3]] },
        ],
      }),
      suite,
    );
    expect(cells.map((c) => c.id)).toEqual(["L-2_fold-0", "L-2_fold-3", "L-4_fold-0", "L-4_fold-3"]);
    const c = cells[3]!.config as {
      qmtl: { encodingLayers: number; headLayers: number };
      latentDim: number;
      folds: number[];
      name: string;
      epochs: number;
    };
    expect(c.qmtl.encodingLayers).toBe(4);
    expect(c.qmtl.headLayers).toBe(1); // schema default filled in
    expect(c.latentDim).toBe(52);
    expect(c.folds).toEqual([3]);
    expect(c.epochs).toBe(2);
    expect(c.name).toBe("L-4_fold-3");
    // the same config gives the same ids and configs
    const again = expandCells(
      load({
        suite: "mustard",
        name: "g",
        base: { epochs: 2, heads: ["qmtl"] },
        axes: [
          { name: "L", field: "qmtl.encodingLayers", values: [2, 4], linked: { latentDim: [26, 52] } },
          { name: "fold", field: "folds", values: [[0], [3]] },
        ],
      }),
      suite,
    );
    expect(again).toEqual(cells);
  });

  it("unites several grids, running a shared cell once", () => {
    const cfg = studySweep("depth", {
      suite: "mustard",
      base: mustardConfigSchema.parse({}),
      replicate: folds([0, 1]),
      quick: false,
    });
    const cells = expandCells(load(cfg), suite);
    // (L 2,3,4 with Lh 1) u (L 3 with Lh 1,2,3) = 5 settings x 2 folds
    expect(cells).toHaveLength(10);
    const shared = cells.find((c) => c.id === "L-3_Lh-1_fold-0")!;
    expect(shared.grids).toEqual([0, 1]);
    for (const c of cells) {
      const cfg2 = c.config as { latentDim: number; qmtl: { encodingLayers: number } };
      expect(cfg2.latentDim).toBe(13 * cfg2.qmtl.encodingLayers);
    }
    expect(groupAxes(load(cfg)).map((a) => a.name)).toEqual(["L", "Lh"]);
  });

  it("runs the depth study on a suite that derives d = Q*L itself (GLUE: no latentDim field)", () => {
    const glue: SweepSuite = {
      name: "glue",
      schema: glueSuite.schema,
      check: (c) => glueSuite.check?.(c as never),
      splitIndices: (c) => glueSuite.splitIndices(c as never),
    };
    const cfg = studySweep("depth", {
      suite: "glue",
      base: glueSuite.schema.parse({}) as Record<string, unknown>,
      replicate: { field: "seeds", values: [0, 1] },
      quick: true,
    });
    const cells = expandCells(load(cfg), glue);
    expect(cells).toHaveLength(10);
    const ls = cells.map((c) => (c.config as { qmtl: { encodingLayers: number } }).qmtl.encodingLayers);
    expect(new Set(ls)).toEqual(new Set([2, 3, 4]));
    for (const c of cells) expect(c.config).not.toHaveProperty("latentDim");
  });

  it("rejects an unknown field before anything runs, naming it", () => {
    const bad = {
      suite: "mustard",
      name: "g",
      axes: [{ name: "x", field: "qmtl.encoderDepth", values: [1, 2] }],
    };
    expect(() => expandCells(load(bad), suite)).toThrow(ValidationError);
    expect(() => expandCells(load(bad), suite)).toThrow(/unknown: qmtl\.encoderDepth/);
    const top = { suite: "mustard", name: "g", axes: [{ name: "x", field: "learningRate", values: [0.1] }] };
    expect(() => expandCells(load(top), suite)).toThrow(/unknown: learningRate/);
    const linked = {
      suite: "mustard",
      name: "g",
      axes: [{ name: "L", field: "qmtl.encodingLayers", values: [2], linked: { latentDims: [26] } }],
    };
    expect(() => expandCells(load(linked), suite)).toThrow(/unknown: latentDims/);
  });

  it("rejects an invalid value, naming the axis and the value", () => {
    const bad = {
      suite: "mustard",
      name: "g",
      axes: [{ name: "head", field: "heads", values: [["qmtl"], ["quantum-magic"]] }],
    };
    expect(() => expandCells(load(bad), suite)).toThrow(/\(head\) value \["quantum-magic"\]/);
    const range = {
      suite: "mustard",
      name: "g",
      axes: [{ name: "fold", field: "folds", values: [[0], [7]] }],
    };
    expect(() => expandCells(load(range), suite)).toThrow(/\(fold\) value \[7\]/);
    const notObj = { suite: "mustard", name: "g", axes: [{ name: "x", field: "epochs.inner", values: [1] }] };
    expect(() => expandCells(load(notObj), suite)).toThrow(/epochs\.inner/);
  });

  it("rejects malformed sweep configs with the field's path", () => {
    expect(() => parseSweepConfig({ suite: "mustard", name: "g" })).toThrow(/exactly one of axes/);
    expect(() => parseSweepConfig({ suite: "mustard", name: "g", axes: [], extra: 1 })).toThrow(/extra/);
    expect(() => parseSweepConfig({ suite: "mustard", name: "../x", axes: [] })).toThrow(/name/);
    expect(() => parseSweepConfig({ suite: "mustard", name: "g", axes: [], slurm: { mem: "lots" } })).toThrow(
      /slurm\.mem/,
    );
    const dupLabels = {
      suite: "mustard",
      name: "g",
      axes: [
        {
          name: "f",
          field: "folds",
          values: [
            [0, 1],
            [0, 1],
          ],
        },
      ],
    };
    expect(() => expandCells(load(dupLabels), suite)).toThrow(/distinct values/);
    const twice = {
      suite: "mustard",
      name: "g",
      axes: [
        { name: "a", field: "epochs", values: [1] },
        { name: "b", field: "epochs", values: [2] },
      ],
    };
    expect(() => expandCells(load(twice), suite)).toThrow(/one axis only/);
    expect(() => expandCells(load({ suite: "glue", name: "g", axes: [] }), suite)).toThrow(/suite/);
  });

  it("schedules the costliest cells first", () => {
    const cells = expandCells(
      load({
        suite: "mustard",
        name: "g",
        base: { epochs: 2 },
        axes: [
          { name: "head", field: "heads", values: [["classical"], ["qmtl"], ["hqnn-13"]] },
          { name: "L", field: "qmtl.encodingLayers", values: [3, 4], linked: { latentDim: [39, 52] } },
        ],
      }),
      suite,
    );
    const order = scheduleOrder(cells).map((c) => c.id);
    expect(order.slice(0, 4)).toEqual([
      "head-hqnn-13_L-3",
      "head-hqnn-13_L-4",
      "head-qmtl_L-4",
      "head-qmtl_L-3",
    ]);
    expect(order.slice(-2).every((id) => id.startsWith("head-classical"))).toBe(true);
    expect(cellCost({ epochs: 10, heads: ["qmtl"], folds: [0, 1] })).toBe(
      2 * cellCost({ epochs: 10, heads: ["qmtl"], folds: [0] }),
    );
  });

  it("setPath copies and never mutates its input", () => {
    const a = { qmtl: { headLayers: 1 } };
    const b = setPath(a, "qmtl.encodingLayers", 4);
    expect(a).toEqual({ qmtl: { headLayers: 1 } });
    expect(b).toEqual({ qmtl: { headLayers: 1, encodingLayers: 4 } });
  });
});

describe("named studies", () => {
  const base = mustardConfigSchema.parse({});
  it("entanglement: the same parameter count, the encoder's CNOTs on and off, per fold", () => {
    const cells = expandCells(
      load(
        studySweep("entanglement", {
          suite: "mustard",
          base,
          replicate: folds([0, 1, 2, 3, 4]),
          quick: true,
        }),
      ),
      suite,
    );
    expect(cells.map((c) => c.id)).toEqual([
      "encoder-entangled_fold-0",
      "encoder-entangled_fold-1",
      "encoder-entangled_fold-2",
      "encoder-product_fold-0",
      "encoder-product_fold-1",
      "encoder-product_fold-2",
    ]);
    expect((cells[0]!.config as { epochs: number }).epochs).toBe(10);
  });

  it("--quick leaves epochs the user set alone, and its note says so", () => {
    const set = { ...base, epochs: 2 };
    const notesOf = (c: ReturnType<typeof studySweep>): string =>
      JSON.stringify((c as { report?: unknown }).report ?? c);
    const pinned = studySweep("entanglement", {
      suite: "mustard",
      base: set,
      replicate: folds([0, 1, 2, 3, 4]),
      quick: true,
      pinned: ["epochs"],
    });
    const cells = expandCells(load(pinned), suite);
    for (const c of cells) expect((c.config as { epochs: number }).epochs).toBe(2);
    expect(notesOf(pinned)).toContain("Shortened (--quick): 2 epochs (as set), and the first 3 folds");
    expect(notesOf(pinned)).not.toContain("10 epochs instead");
    const free = studySweep("entanglement", {
      suite: "mustard",
      base: set,
      replicate: folds([0, 1, 2, 3, 4]),
      quick: true,
    });
    expect(notesOf(free)).toContain("Shortened (--quick): 10 epochs instead of 2");
  });

  it("encoder variant: defined over qmtl.firstRotation; valid exactly when the schema has the field", () => {
    const sweep = load(
      studySweep("encoder", { suite: "mustard", base, replicate: folds([0, 1, 2, 3, 4]), quick: true }),
    );
    const hasField = mustardConfigSchema.safeParse({ qmtl: { firstRotation: "ry" } }).success;
    if (hasField) expect(expandCells(sweep, suite)).toHaveLength(6);
    else expect(() => expandCells(sweep, suite)).toThrow(/unknown: qmtl\.firstRotation/);
  });

  it("noise: one training cell per fold, each evaluated under p in {0, 0.01, 0.05, 0.1, 0.2} and 4 devices", () => {
    const cfg = studySweep("noise", {
      suite: "mustard",
      base,
      replicate: folds([0, 1, 2, 3, 4]),
      quick: true,
    });
    const sweep = load(cfg);
    const cells = expandCells(sweep, suite);
    expect(cells.map((c) => c.id)).toEqual(["fold-0", "fold-1", "fold-2"]);
    const conds = noiseConditions(sweep.config.noise!);
    expect(conds.map((c) => c.label)).toEqual([
      "p0",
      "p0.01",
      "p0.05",
      "p0.1",
      "p0.2",
      "ibm_boston",
      "ibm_fez",
      "ibm_marrakesh",
      "ibm_torino",
    ]);
    const evals = evalCells(cells, conds);
    expect(evals).toHaveLength(27);
    expect(evals.slice(0, 2).map((e) => e.id)).toEqual(["fold-0~p0", "fold-0~p0.01"]);
    expect(parseEvalId("fold-2~ibm_fez")).toEqual({ cell: "fold-2", label: "ibm_fez" });
  });
});

describe("configs/studies", () => {
  it("every shipped sweep config is valid", async () => {
    const { readdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { readConfigFile } = await import("../../src/experiments/config.ts");
    const dir = join(import.meta.dirname, "..", "..", "configs", "studies");
    const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const path = join(dir, f);
      expect(
        expandCells(loadSweep(readConfigFile(path), path, readConfigFile), suite).length,
      ).toBeGreaterThan(0);
    }
  });
});
