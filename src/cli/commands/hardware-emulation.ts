import { Rng } from "../../core/rng.ts";
import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { StudyResult } from "../../experiments/hardware-study.ts";
import type { TrainedCell } from "../../experiments/trained-cell.ts";
import type { MultiTaskData } from "../../training/dataset.ts";

/**
 * `qmtl hardware --emulate`: scores the emulated device values of the transpiled
 * circuit beside its noiseless values with the suite's own metrics, and states
 * what the emulation includes.
 */
export interface TaskDeviation {
  /** mean |emulated - ideal| over samples and the task's outputs */
  readonly meanAbs: number;
  /** sqrt(max(0, mean((emulated - ideal)^2 - stderr^2))): the noise-induced deviation, trajectory variance removed */
  readonly rmsBias: number;
  /** mean standard error of the emulated values (0 when exact) */
  readonly meanStderr: number;
}

export interface EmulationSummary {
  readonly method: "density" | "trajectories";
  readonly trajectories: number | null;
  readonly seed: number;
  readonly activeQubits: readonly number[];
  readonly channels: readonly string[];
  readonly seconds: number;
  readonly samples: number;
  readonly metrics: {
    readonly ideal: Record<string, Record<string, number>>;
    readonly emulated: Record<string, Record<string, number>>;
  };
  readonly deviation: Record<string, TaskDeviation>;
}

function deviation(
  em: Float64Array,
  ideal: Float64Array,
  se: Float64Array | undefined,
  n: number,
  K: number,
  cols: readonly number[],
): TaskDeviation {
  let abs = 0,
    sq = 0,
    s = 0;
  for (let i = 0; i < n; i++)
    for (const k of cols) {
      const d = em[i * K + k]! - ideal[i * K + k]!,
        e = se ? se[i * K + k]! : 0;
      abs += Math.abs(d);
      sq += d * d - e * e;
      s += e;
    }
  const m = n * cols.length;
  return { meanAbs: abs / m, rmsBias: Math.sqrt(Math.max(0, sq / m)), meanStderr: s / m };
}

export function emulationSummary(
  study: StudyResult,
  cell: TrainedCell,
  test: MultiTaskData,
  layout: QmtlLayout,
): EmulationSummary {
  const e = study.emulation!,
    ideal = study.ideal!;
  const after = cell.model.net.layers.slice(2);
  const n = test.n,
    K = study.nOutputs;
  const score = (raw: Float64Array): Record<string, Record<string, number>> => {
    const ctx = { training: false, rng: new Rng(0) };
    let x = raw;
    for (const m of after) x = m.forward(x.slice(), n, ctx);
    return cell.metrics(cell.tasks, x, cell.model.nOutputs, test) as Record<string, Record<string, number>>;
  };
  const dev: Record<string, TaskDeviation> = {};
  for (const t of layout.tasks)
    dev[t.name] = deviation(
      study.outputs,
      ideal,
      study.stderr,
      n,
      K,
      Array.from({ length: t.nOutputs }, (_, k) => t.outputOffset + k),
    );
  dev["all outputs"] = deviation(
    study.outputs,
    ideal,
    study.stderr,
    n,
    K,
    Array.from({ length: K }, (_, k) => k),
  );
  return {
    method: e.method,
    trajectories: e.trajectories,
    seed: e.seed,
    activeQubits: e.activeQubits,
    channels: e.channels,
    seconds: e.seconds,
    samples: n,
    metrics: { ideal: score(ideal), emulated: score(study.outputs) },
    deviation: dev,
  };
}

const f3 = (x: number | undefined): string => (x === undefined ? "-" : x.toFixed(3));

/** Console lines: method, channels, per-task accuracy ideal -> emulated and the deviation. */
export function emulationLines(em: EmulationSummary): string[] {
  const how =
    em.method === "density" ? "exact density matrix" : `${em.trajectories} trajectories (seed ${em.seed})`;
  const lines = [
    `emulation: ${how} on ${em.activeQubits.length} active qubits, ${em.samples} samples, ${em.seconds.toFixed(1)} s`,
    ...em.channels.map((c) => `  ${c}`),
  ];
  for (const [task, d] of Object.entries(em.deviation)) {
    const mi = em.metrics.ideal[task],
      me = em.metrics.emulated[task];
    lines.push(
      `${task}: ${mi ? `acc ${f3(mi["accuracy"])} -> ${f3(me?.["accuracy"])}, ` : ""}mean |emulated - ideal| ${d.meanAbs.toFixed(4)}, rms bias ${d.rmsBias.toFixed(4)}, stderr ${d.meanStderr.toFixed(4)}`,
    );
  }
  return lines;
}

/** report.md of an emulation folder. */
export function emulationReport(summary: Record<string, unknown>): string {
  const em = summary["emulation"] as EmulationSummary;
  const metricNames = [...new Set(Object.values(em.metrics.ideal).flatMap((m) => Object.keys(m)))].slice(
    0,
    4,
  );
  const rows = Object.keys(em.metrics.ideal).map((task) => {
    const d = em.deviation[task];
    const cells = metricNames.map(
      (m) => `${f3(em.metrics.ideal[task]![m])} / ${f3(em.metrics.emulated[task]?.[m])}`,
    );
    return `| ${task} | ${cells.join(" | ")} | ${d ? d.meanAbs.toFixed(4) : "-"} | ${d ? d.rmsBias.toFixed(4) : "-"} |`;
  });
  return [
    `# qmtl hardware --emulate: ${String(summary["backend"])}`,
    "",
    `Cell ${String(summary["cell"])}, ${em.samples} test samples. The head's circuit transpiled for ${String(summary["backend"])}`,
    `(native gates on its calibrated qubits) and emulated on its ${em.activeQubits.length} active physical qubits`,
    `(${em.activeQubits.join(", ")}) with ${em.method === "density" ? "an exact density matrix" : `${em.trajectories} seeded Monte-Carlo trajectories per sample (seed ${em.seed}); values carry standard errors`}.`,
    "",
    "The emulation includes:",
    "",
    ...em.channels.map((c) => `- ${c}`),
    "",
    "Not included: crosstalk, leakage, coherent (over-/under-rotation) errors, drift since the calibration snapshot,",
    "and any error mitigation or twirling the Runtime primitives would apply.",
    "",
    `| task | ${metricNames.map((m) => `${m} ideal / emulated`).join(" | ")} | mean abs deviation | rms bias |`,
    `|---|${metricNames.map(() => "---|").join("")}---|---|`,
    ...rows,
    "",
    `mean |emulated - ideal| over all outputs: ${em.deviation["all outputs"]!.meanAbs.toFixed(4)}; rms bias (trajectory variance removed): ${em.deviation["all outputs"]!.rmsBias.toFixed(4)}.`,
    "",
  ].join("\n");
}
