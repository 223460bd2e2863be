import { ValidationError } from "../core/errors.ts";
import { Rng } from "../core/rng.ts";
import type { TopLevelSpec } from "vega-lite";
import type { MultiTaskModel } from "../models/build-model.ts";
import { CircuitLayer } from "../models/circuit-layer.ts";
import type { TaskInfo } from "../models/task-info.ts";
import { Sequential } from "../nn/sequential.ts";
import type { Module } from "../nn/module.ts";
import { taskMetrics, type TaskMetrics } from "../training/evaluate.ts";
import { validateData, type MultiTaskData } from "../training/dataset.ts";
import type { QmtlLayout } from "../circuits/qmtl.ts";
import { loadDevice } from "../devices/load.ts";
import { maxDepolarizing } from "../noise/channels.ts";
import { depolarizingModel, type NoiseModel } from "../noise/noise-model.ts";
import { deviceNoiseModel } from "../noise/device-model.ts";
import { NoisyQmtlExecutor } from "../noise/structured/executor.ts";
import { readoutMitigatedForward, zneForward } from "../noise/mitigation.ts";
import { sampleShots } from "../noise/shots.ts";

/**
 * The paper's noise study (Section 6.3, Fig. 10; Section 7, Fig. 11), exact:
 * a trained QMTL model's test split evaluated noise-free, under Aer-convention
 * depolarizing noise p1 = p2 = p after every gate, and under calibrated device
 * models, each without and with mitigation (readout inversion where the model
 * has readout errors; zero-noise extrapolation by gate folding, Richardson on
 * scales 1, 3, 5). Every evaluation is the exact noisy expectation (structured
 * path), so differences between conditions carry no sampling noise.
 */
export interface NoiseStudyOptions {
  /** depolarizing levels (default the paper's 0.01, 0.05, 0.1, 0.2); each in [0, 16/15] */
  readonly depolarizing?: readonly number[];
  /** device snapshot names (default ibm_boston, ibm_fez; [] for none) */
  readonly devices?: readonly string[];
  /** add mitigated conditions (default true) */
  readonly mitigation?: boolean;
  /** ZNE fold scales (default [1, 3, 5]) */
  readonly zneScales?: readonly number[];
  /** also evaluate each unmitigated condition from this many shots per measurement setting (seeded) */
  readonly shots?: number;
  /** seed of the shot sampler (default 0) */
  readonly seed?: number;
  /** samples per simulator call (default 64) */
  readonly chunk?: number;
  readonly log?: (line: string) => void;
  /** the suite's metrics (default taskMetrics), so a study scores like the run it evaluates */
  readonly metrics?: (
    tasks: readonly TaskInfo[],
    logits: Float64Array,
    nOutputs: number,
    data: MultiTaskData,
  ) => TaskMetrics;
}

export type Mitigation = "none" | "readout" | "zne" | "readout+zne";

export interface NoiseCondition {
  readonly id: string;
  readonly kind: "ideal" | "depolarizing" | "device";
  readonly p?: number;
  readonly device?: string;
  /** physical qubits of the device chain (logical wire i -> qubits[i]) */
  readonly physicalQubits?: readonly number[];
  readonly mitigation: Mitigation;
  /** finite shots per setting, when the outputs are shot estimates */
  readonly shots?: number;
  readonly metrics: TaskMetrics;
  /** per task: mean |output - ideal output| over the test set (raw head outputs, before transforms) */
  readonly outputError: Record<string, number>;
  /** per task, for mitigated conditions: 1 - error(mitigated) / error(unmitigated) (share of the gap recovered) */
  readonly gapRecovered?: Record<string, number>;
  readonly seconds: number;
}

export interface NoiseStudyResult {
  readonly qubits: number;
  readonly nTest: number;
  readonly conditions: readonly NoiseCondition[];
  readonly figure: TopLevelSpec;
}

const BIG_P = maxDepolarizing(2);

/** Checks p1 = p2 = p for Aer's depolarizing_error: p in [0, 4^2 / (4^2 - 1)] = [0, 16/15]. */
export function validateDepolarizingLevels(ps: readonly number[]): void {
  ps.forEach((p, i) => {
    if (!Number.isFinite(p) || p < 0 || p > BIG_P) {
      throw new ValidationError(
        `depolarizing[${i}]`,
        `p in [0, 16/15] (Aer's depolarizing_error on 1 and 2 qubits: 4^n/(4^n - 1))`,
        p,
      );
    }
  });
}

interface HeadParts {
  readonly layout: QmtlLayout;
  readonly weights: Float64Array;
  readonly after: readonly Module[];
}

function headParts(model: MultiTaskModel): HeadParts {
  if (model.spec.head !== "qmtl" || !model.qmtlLayout)
    throw new ValidationError("model.head", `a QMTL head for the noise study`, model.spec.head);
  if (!(model.head instanceof CircuitLayer))
    throw new ValidationError("model.head", "the QMTL circuit layer");
  return {
    layout: model.qmtlLayout,
    weights: model.head.weights.value.slice(),
    after: model.net.layers.slice(2),
  };
}

/** Latent angles z = projection(x) for every test row (evaluation mode). */
function latent(model: MultiTaskModel, data: MultiTaskData, chunk: number): Float64Array {
  const d = model.spec.latentDim;
  const out = new Float64Array(data.n * d);
  const ctx = { training: false, rng: new Rng(0) };
  for (let s = 0; s < data.n; s += chunk) {
    const e = Math.min(data.n, s + chunk);
    out.set(model.projection.forward(data.features.slice(s * data.dim, e * data.dim), e - s, ctx), s * d);
  }
  return out;
}

function logitsFrom(raw: Float64Array, n: number, after: readonly Module[]): Float64Array {
  const ctx = { training: false, rng: new Rng(0) };
  let x = raw;
  for (const m of after) x = m.forward(x.slice(), n, ctx);
  return x;
}

type Eval = (z: Float64Array, batch: number) => Float64Array;

function inChunks(f: Eval, z: Float64Array, n: number, d: number, nOut: number, chunk: number): Float64Array {
  const out = new Float64Array(n * nOut);
  for (let s = 0; s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    out.set(f(z.slice(s * d, e * d), e - s), s * nOut);
  }
  return out;
}

function outputError(
  layout: QmtlLayout,
  raw: Float64Array,
  ideal: Float64Array,
  n: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of layout.tasks) {
    let acc = 0;
    for (let i = 0; i < n; i++)
      for (let k = 0; k < t.nOutputs; k++) {
        const o = i * layout.nOutputs + t.outputOffset + k;
        acc += Math.abs(raw[o]! - ideal[o]!);
      }
    out[t.name] = acc / (n * t.nOutputs);
  }
  return out;
}

export function runNoiseStudy(
  model: MultiTaskModel,
  data: MultiTaskData,
  tasks: readonly TaskInfo[],
  opts: NoiseStudyOptions = {},
): NoiseStudyResult {
  const { layout, weights, after } = headParts(model);
  validateData(data, tasks, "test data");
  if (data.dim !== model.spec.inputDim)
    throw new ValidationError(
      "test data.dim",
      `the model's input dimension ${model.spec.inputDim}`,
      data.dim,
    );
  const ps = opts.depolarizing ?? [0.01, 0.05, 0.1, 0.2];
  validateDepolarizingLevels(ps);
  const devices = (opts.devices ?? ["ibm_boston", "ibm_fez"]).map((name) => loadDevice(name));
  const mitigate = opts.mitigation ?? true;
  const chunk = opts.chunk ?? 64;
  const log = opts.log ?? (() => undefined);
  const n = data.n,
    d = layout.nInputs,
    nOut = layout.nOutputs;
  const z = latent(model, data, chunk);
  const conditions: NoiseCondition[] = [];
  let ideal: Float64Array | null = null;
  const add = (
    c: Omit<NoiseCondition, "metrics" | "outputError" | "seconds">,
    f: Eval,
    base?: Record<string, number>,
  ): Record<string, number> => {
    const t0 = performance.now();
    const raw = inChunks(f, z, n, d, nOut, chunk);
    if (ideal === null) ideal = raw;
    const err = outputError(layout, raw, ideal, n);
    const metrics = (opts.metrics ?? taskMetrics)(tasks, logitsFrom(raw, n, after), model.nOutputs, data);
    const gapRecovered = base
      ? Object.fromEntries(Object.keys(err).map((k) => [k, base[k]! > 0 ? 1 - err[k]! / base[k]! : 0]))
      : undefined;
    const seconds = (performance.now() - t0) / 1000;
    conditions.push({ ...c, metrics, outputError: err, ...(gapRecovered ? { gapRecovered } : {}), seconds });
    log(`${c.id} [${c.mitigation}]: ${seconds.toFixed(1)} s`);
    return err;
  };
  const shotRng = new Rng(opts.seed ?? 0);
  if (opts.shots !== undefined && (!Number.isInteger(opts.shots) || opts.shots < 2))
    throw new ValidationError("shots", "an integer >= 2", opts.shots);
  const plain = (m: NoiseModel | null): Eval => {
    const ex = new NoisyQmtlExecutor(layout, m);
    return (x, b) => ex.forward(x, weights, b);
  };
  const sampled = (m: NoiseModel | null, id: string): Eval => {
    const ex = new NoisyQmtlExecutor(layout, m);
    const rng = shotRng.fork(id);
    return (x, b) => sampleShots(ex, x, weights, b, opts.shots!, rng).means;
  };
  const withShots = (
    c: Omit<NoiseCondition, "metrics" | "outputError" | "seconds">,
    m: NoiseModel | null,
  ): void => {
    if (opts.shots !== undefined)
      add({ ...c, id: `${c.id}, ${opts.shots} shots`, shots: opts.shots }, sampled(m, c.id));
  };
  add({ id: "ideal", kind: "ideal", mitigation: "none" }, plain(null));
  withShots({ id: "ideal", kind: "ideal", mitigation: "none" }, null);
  const scales = opts.zneScales ?? [1, 3, 5];
  for (const p of ps) {
    const m = depolarizingModel(p);
    const id = `depolarizing p=${p}`;
    const base = add({ id, kind: "depolarizing", p, mitigation: "none" }, plain(m));
    withShots({ id, kind: "depolarizing", p, mitigation: "none" }, m);
    if (mitigate && p > 0)
      add(
        { id, kind: "depolarizing", p, mitigation: "zne" },
        (x, b) => zneForward(layout, m, x, weights, b, { scales }),
        base,
      );
  }
  for (const dev of devices) {
    const { model: m, qubits } = deviceNoiseModel(dev, layout.Q);
    const c = { id: dev.name, kind: "device" as const, device: dev.name, physicalQubits: qubits };
    const base = add({ ...c, mitigation: "none" }, plain(m));
    withShots({ ...c, mitigation: "none" }, m);
    if (mitigate) {
      const ex = new NoisyQmtlExecutor(layout, m);
      add({ ...c, mitigation: "readout" }, (x, b) => readoutMitigatedForward(ex, x, weights, b), base);
      add(
        { ...c, mitigation: "readout+zne" },
        (x, b) => zneForward(layout, m, x, weights, b, { scales, readout: true }),
        base,
      );
    }
  }
  return { qubits: layout.Q, nTest: n, conditions, figure: noiseFigure(conditions, tasks) };
}

/** Fig. 10/11 style: per task, accuracy and F1 by condition, solid unmitigated, dashed mitigated. */
export function noiseFigure(conditions: readonly NoiseCondition[], tasks: readonly TaskInfo[]): TopLevelSpec {
  const order = [...new Set(conditions.map((c) => c.id))];
  const rows: Array<Record<string, string | number>> = [];
  for (const c of conditions) {
    for (const t of tasks) {
      if (t.kind === "regression") continue;
      const m = c.metrics[t.name];
      if (!m || m.accuracy === undefined) continue;
      const mit = c.mitigation === "none" ? "unmitigated" : "mitigated";
      rows.push({ condition: c.id, task: t.name, metric: "Accuracy", value: m.accuracy, mitigation: mit });
      rows.push({ condition: c.id, task: t.name, metric: "F1", value: m.f1!, mitigation: mit });
    }
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Test accuracy and F1 per task under noise",
      subtitle:
        "Depolarizing p1 = p2 = p (Aer convention) and calibrated device models; dashed: mitigated (ZNE / readout)",
    },
    data: { values: rows },
    facet: { field: "task", type: "nominal", title: null },
    columns: Math.min(3, tasks.length),
    spec: {
      width: 260,
      height: 180,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "condition", type: "ordinal", sort: order, title: null, axis: { labelAngle: -35 } },
        y: { field: "value", type: "quantitative", scale: { domain: [0, 1] }, title: "Score" },
        color: { field: "metric", type: "nominal", title: null },
        strokeDash: { field: "mitigation", type: "nominal", title: null },
        detail: { field: "mitigation" },
      },
    },
  };
}

/**
 * A copy of a trained QMTL model whose head runs under `noise` (exact forward
 * and backward through the structured noisy path), sharing the projection and
 * output transforms, with the head weights copied: train it for noise-aware training.
 */
export function withNoisyHead(model: MultiTaskModel, noise: NoiseModel): MultiTaskModel {
  const { layout, weights, after } = headParts(model);
  const layer = new CircuitLayer(new NoisyQmtlExecutor(layout, noise), new Rng(0));
  layer.weights.value.set(weights);
  const net = new Sequential([model.projection, layer, ...after]);
  return { ...model, net, head: layer, circuits: [layer] };
}
