/**
 * The parameter-scaling study (paper Section 4.2, Theorem 1, Figs. 2 and 4):
 * head parameters of the classical, HQNN and QMTL heads against the number of
 * tasks T, counted twice: from the closed forms (src/circuits/param-count.ts)
 * and from models actually instantiated by buildModel. The two must agree;
 * `agree` says whether they do and the report shows both.
 */
import { Rng } from "../../core/rng.ts";
import { buildModel } from "../../models/build-model.ts";
import type { ModelSpec } from "../../models/model-spec.ts";
import type { TaskDef } from "../../models/task-info.ts";
import { PRESETS, type PresetName } from "../../circuits/presets.ts";
import { resolveQmtl } from "../../circuits/qmtl.ts";
import { classicalCount, hqnnCount, qmtlCount, theorem1 } from "../../circuits/param-count.ts";

export interface CountPair {
  formula: number;
  instantiated: number;
}

export interface ScalingPoint {
  T: number;
  /** d = S T L */
  d: number;
  classical: CountPair;
  qmtl: CountPair;
  hqnn4: CountPair;
}

export interface DatasetPoint {
  dataset: PresetName;
  Q: number;
  d: number;
  heads: Array<{ head: string; formula: number; instantiated: number; extras: number }>;
}

export interface ParamStudy {
  kind: "qmtl-param-study";
  name: string;
  createdAt: string;
  /** Theorem 1's setting: S qubits per task, L encoding blocks, L_h task layers, r outputs per task, k_theta angles */
  theorem: { S: number; L: number; Lh: number; r: number; kTheta: number };
  scaling: ScalingPoint[];
  datasets: DatasetPoint[];
  /** every formula count equals the instantiated model's */
  agree: boolean;
  notes: string[];
}

const PROJECTION = { hidden: [], activation: "relu", dropout: 0, batchNorm: false } as const;

function headParams(spec: ModelSpec): { head: number; extras: number } {
  const m = buildModel(spec, new Rng(0));
  const out = { head: m.counts.head, extras: m.counts.extras };
  m.close().catch(() => {});
  return out;
}

/**
 * Runs the study for T = 1..maxT binary tasks (S = 1, r = 1, k_theta = 3 for
 * the Rot gates of the task blocks) and for the paper's three datasets.
 */
export function runParamStudy(name: string, maxT: number, L = 3, Lh = 1): ParamStudy {
  const S = 1,
    r = 1,
    kTheta = 3;
  const scaling: ScalingPoint[] = [];
  for (let T = 1; T <= maxT; T++) {
    const tasks: TaskDef[] = Array.from({ length: T }, (_, t) => ({ name: `task${t}`, kind: "binary" }));
    const th = theorem1(T, S, L, Lh, r, kTheta);
    const base = { inputDim: 8, latentDim: th.d, tasks, projection: PROJECTION };
    const q = headParams({ ...base, head: "qmtl", qmtl: { encodingLayers: L, headLayers: Lh } });
    const c = headParams({ ...base, head: "classical" });
    const h = headParams({ ...base, head: "hqnn", hqnn: { qubits: 4, repetitions: 3 } });
    scaling.push({
      T,
      d: th.d,
      classical: { formula: th.classical, instantiated: c.head },
      qmtl: { formula: th.quantum, instantiated: q.head },
      hqnn4: {
        formula: hqnnCount(
          th.d,
          4,
          tasks.map(() => 1),
        ).params,
        instantiated: h.head,
      },
    });
  }
  const datasets: DatasetPoint[] = (Object.keys(PRESETS) as PresetName[]).map((ds) => {
    const preset = PRESETS[ds];
    const layout = resolveQmtl(preset);
    const d = layout.nInputs;
    const outputs = layout.tasks.map((t) => t.nOutputs);
    const base = { inputDim: 8, latentDim: d, tasks: preset.tasks, projection: PROJECTION };
    const q = headParams({
      ...base,
      head: "qmtl",
      qmtl: { encodingLayers: preset.encodingLayers, headLayers: preset.headLayers },
    });
    const c = headParams({ ...base, head: "classical" });
    const heads = [
      { head: "QMTL", formula: qmtlCount(layout).params, instantiated: q.head, extras: q.extras },
      {
        head: "Classical",
        formula: classicalCount(d, outputs).params,
        instantiated: c.head,
        extras: c.extras,
      },
    ];
    for (const n of [4, layout.Q]) {
      const h = headParams({ ...base, head: "hqnn", hqnn: { qubits: n, repetitions: 3 } });
      heads.push({
        head: `HQNN-${n}`,
        formula: hqnnCount(d, n, outputs).params,
        instantiated: h.head,
        extras: h.extras,
      });
    }
    return { dataset: ds, Q: layout.Q, d, heads };
  });
  const pairs = [
    ...scaling.flatMap((p) => [p.classical, p.qmtl, p.hqnn4]),
    ...datasets.flatMap((d) => d.heads),
  ];
  return {
    kind: "qmtl-param-study",
    name,
    createdAt: new Date().toISOString(),
    theorem: { S, L, Lh, r, kTheta },
    scaling,
    datasets,
    agree: pairs.every((p) => p.formula === p.instantiated),
    notes: [
      "Head parameters only: the projection into the head is the same for every head and is not counted; extra scalars (HQNN output scale) are listed apart.",
      `Scaling: T binary tasks, one qubit each (Q = T, S = 1), d = Q L with L = ${L}, L_h = ${Lh}; QMTL grows as T (L + 3 L_h), the classical heads as T (T L + 1).`,
    ],
  };
}
