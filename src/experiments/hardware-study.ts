import { join } from "node:path";
import { ValidationError, requireAllFinite, requireInt } from "../core/errors.ts";
import { writeFileAtomic, writeJsonAtomic } from "../core/atomic-file.ts";
import { Rng } from "../core/rng.ts";
import { qmtlCircuit, type QmtlLayout } from "../circuits/qmtl.ts";
import type { MultiTaskModel } from "../models/build-model.ts";
import { loadDevice } from "../devices/load.ts";
import { summarizeDevice, type DeviceSummary } from "../devices/summary.ts";
import { exportQasm, paramNames, usedParams } from "../hardware/qasm/export.ts";
import { transpile, type CircuitStats } from "../hardware/transpile/index.ts";
import { measurementSettings, toQiskitPauli } from "../hardware/observables.ts";
import { prepareSettings } from "../hardware/emulate.ts";
import { emulateNoisy, type NoisyEmulationOptions } from "../hardware/noisy/index.ts";
import { expectationsHw } from "../hardware/hw-simulate.ts";
import type { RuntimeClient, WaitOptions } from "../hardware/runtime/client.ts";
import {
  estimatorParams,
  estimatorPub,
  parseEstimatorResults,
  parseSamplerResults,
  samplerParams,
  samplerPub,
} from "../hardware/runtime/pubs.ts";
import { expvalsFromSamples } from "../hardware/observables.ts";

/**
 * Runs a trained QMTL head's circuits for a batch of samples on an IBM device
 * path: the head's circuit is transpiled once (parametric ISA circuit on the
 * device's best path of qubits), and each sample's head input angles plus the
 * trained weights become one parameter row of a single Estimator PUB.
 *
 * - "dry-run": no network; writes the exact POST /jobs body, the ISA circuit and a
 *   cost estimate (circuits, parameter rows, measurement settings, shots) to outDir;
 *   returns the noiseless values of the transpiled circuit as `outputs`.
 * - "emulate": the same transpiled circuit under the device's calibrated noise on its
 *   active qubits (src/hardware/noisy: Aer-fitted depolarizing per sx/x/cz, thermal
 *   relaxation over gate lengths and idle times, readout confusion), exactly (density
 *   matrix) or from seeded trajectories with standard errors; `emulation` says which.
 * - "submit": the same body sent with the Runtime client; outputs are the device's evs.
 * With primitive "sampler" the body has one Sampler PUB per measurement setting instead.
 * Outputs are B x nOutputs expectation values in the head's output order (the
 * layout's tasks, each task's observables), i.e. what the QMTL layer returns.
 */
export interface HeadBatch {
  readonly layout: QmtlLayout;
  /** trained circuit weights (layout.nWeights) */
  readonly weights: Float64Array;
  /** batch x layout.nInputs head input angles (the projection's output) */
  readonly inputs: Float64Array;
  readonly batch: number;
}

export type StudyMode = "dry-run" | "emulate" | "submit";

export interface StudyOptions {
  readonly mode: StudyMode;
  /** device name: ibm_boston, ibm_fez, ... (its shipped calibration drives transpilation) */
  readonly backend: string;
  /**
   * "estimator" (default): one PUB, the device measures the observables; "sampler": one
   * PUB per measurement setting (basis changes appended), parities computed here from the counts
   */
  readonly primitive?: "estimator" | "sampler";
  /** Estimator target precision (default 1/64, i.e. ~4096 shots per setting) */
  readonly precision?: number;
  /** Sampler shots per setting and row (default 4096); not used by emulate */
  readonly shots?: number;
  /** emulate: method, trajectories, which channels (default: all, method "auto") */
  readonly emulation?: NoisyEmulationOptions;
  readonly seed?: number;
  /** dry-run: folder for the request body, ISA circuit and cost estimate */
  readonly outDir?: string;
  /** submit: the client (credentials inside); wait options */
  readonly client?: RuntimeClient;
  readonly wait?: WaitOptions;
}

export interface CostEstimate {
  readonly circuits: number;
  readonly pubs: number;
  readonly parameterRows: number;
  readonly observables: number;
  readonly settings: number;
  readonly shotsPerSettingPerRow: number;
  readonly totalShots: number;
}

export interface StudyResult {
  readonly mode: StudyMode;
  readonly backend: string;
  readonly device: DeviceSummary;
  readonly outputs: Float64Array;
  readonly nOutputs: number;
  readonly transpile: {
    readonly before: CircuitStats;
    readonly after: CircuitStats;
    readonly swaps: number;
    readonly initialLayout: readonly number[];
    readonly finalLayout: readonly number[];
    readonly estimatedFidelity: number;
  };
  readonly cost: CostEstimate;
  /** the POST /jobs body (dry-run and submit) */
  readonly request?: Record<string, unknown>;
  readonly jobId?: string;
  readonly files?: readonly string[];
  readonly note: string;
  /** emulate: the transpiled circuit's noiseless values (B x nOutputs) */
  readonly ideal?: Float64Array;
  /** emulate with trajectories: standard error of each output */
  readonly stderr?: Float64Array;
  readonly emulation?: {
    readonly method: "density" | "trajectories";
    readonly trajectories: number | null;
    readonly seed: number;
    readonly activeQubits: readonly number[];
    readonly channels: readonly string[];
    readonly seconds: number;
  };
}

/** The QMTL head of a built model: its layout and trained circuit weights. */
export function headOfModel(model: MultiTaskModel): { layout: QmtlLayout; weights: Float64Array } {
  if (!model.qmtlLayout || model.circuits.length !== 1)
    throw new ValidationError("model", "a model with a QMTL head");
  return { layout: model.qmtlLayout, weights: model.circuits[0]!.weights.value };
}

function checkBatch(h: HeadBatch): void {
  requireInt("batch", h.batch, 1);
  if (h.weights.length !== h.layout.nWeights)
    throw new ValidationError("weights", `length ${h.layout.nWeights}`, h.weights.length);
  if (h.inputs.length !== h.batch * h.layout.nInputs) {
    throw new ValidationError(
      "inputs",
      `length batch*nInputs = ${h.batch * h.layout.nInputs}`,
      h.inputs.length,
    );
  }
  requireAllFinite("weights", h.weights);
  requireAllFinite("inputs", h.inputs);
}

export async function runHardwareStudy(h: HeadBatch, o: StudyOptions): Promise<StudyResult> {
  checkBatch(h);
  if (o.mode !== "dry-run" && o.mode !== "emulate" && o.mode !== "submit") {
    throw new ValidationError("mode", `"dry-run", "emulate" or "submit"`, o.mode);
  }
  const precision = o.precision ?? 1 / 64;
  if (!(precision > 0 && precision < 1))
    throw new ValidationError("precision", "a number in (0, 1)", precision);
  const dev = loadDevice(o.backend);
  const circuit = qmtlCircuit(h.layout);
  const t = transpile(circuit, dev);
  const B = h.batch,
    nIn = h.layout.nInputs,
    K = circuit.observables.length;
  const flatRow = (b: number): Float64Array => {
    const p = new Float64Array(nIn + h.layout.nWeights);
    p.set(h.inputs.subarray(b * nIn, (b + 1) * nIn), 0);
    p.set(h.weights, nIn);
    return p;
  };
  const used = usedParams(t.circuit);
  const primitive = o.primitive ?? "estimator";
  if (primitive !== "estimator" && primitive !== "sampler")
    throw new ValidationError("primitive", `"estimator" or "sampler"`, primitive);
  const shots = o.shots ?? 4096;
  requireInt("shots", shots, 1);
  const prep = prepareSettings(t.circuit);
  const settings = prep.settings.length;
  const qasm = exportQasm(t.circuit, { version: 3, physical: true, physicalWidth: dev.numQubits });
  const settingQasm =
    primitive === "sampler"
      ? prep.settings.map((x) =>
          exportQasm(x.circuit, {
            version: 3,
            physical: true,
            physicalWidth: dev.numQubits,
            measure: x.measure,
          }),
        )
      : [];
  const rowsFor = (cols: readonly number[]): number[][] =>
    Array.from({ length: B }, (_, b) => {
      const p = flatRow(b);
      return cols.map((i) => p[i]!);
    });
  const rows = rowsFor(used);
  const body =
    primitive === "estimator"
      ? {
          program_id: "estimator" as const,
          backend: dev.name,
          params: estimatorParams([
            estimatorPub(
              qasm,
              t.circuit.observables.map((w) => toQiskitPauli(w, dev.numQubits)),
              rows,
              precision,
            ),
          ]),
        }
      : {
          program_id: "sampler" as const,
          backend: dev.name,
          params: samplerParams(
            prep.settings.map((x, i) => samplerPub(settingQasm[i]!, rowsFor(usedParams(x.circuit)), shots)),
          ),
        };
  const perSetting =
    o.mode === "emulate"
      ? (o.shots ?? 0)
      : primitive === "sampler"
        ? shots
        : Math.ceil(1 / (precision * precision));
  const cost: CostEstimate = {
    circuits: primitive === "sampler" ? settings : 1,
    pubs: primitive === "sampler" ? settings : 1,
    parameterRows: B,
    observables: K,
    settings,
    shotsPerSettingPerRow: perSetting,
    totalShots: perSetting * settings * B,
  };
  const summary = {
    before: t.before,
    after: t.after,
    swaps: t.swaps,
    initialLayout: t.initialLayout,
    finalLayout: t.finalLayout,
    estimatedFidelity: t.estimatedFidelity,
  };
  const outputs = new Float64Array(B * K);
  const base = { backend: dev.name, device: summarizeDevice(dev), nOutputs: K, transpile: summary, cost };

  if (o.mode === "dry-run") {
    for (let b = 0; b < B; b++) outputs.set(expectationsHw(t.circuit, flatRow(b)), b * K);
    const files: string[] = [];
    if (o.outDir) {
      const names = paramNames(h.layout.nInputs, h.layout.nWeights);
      files.push(
        join(o.outDir, `${primitive}-job.json`),
        join(o.outDir, "isa-circuit.qasm"),
        join(o.outDir, "cost.json"),
      );
      writeJsonAtomic(files[0]!, body);
      writeFileAtomic(files[1]!, qasm);
      writeJsonAtomic(files[2]!, {
        ...cost,
        primitive,
        backend: dev.name,
        parameterColumns: used.map((i) => names[i]),
        transpile: summary,
      });
    }
    return {
      ...base,
      mode: o.mode,
      outputs,
      request: body,
      files,
      note: "dry run: nothing sent; outputs are the transpiled circuit's noiseless values",
    };
  }
  if (o.mode === "emulate") {
    if (o.shots !== undefined)
      throw new ValidationError("shots", "no shots with emulate (it returns expectation values)", o.shots);
    const t0 = performance.now();
    const rows = Array.from({ length: B }, (_, b) => flatRow(b));
    const e = emulateNoisy(t.circuit, dev, rows, { seed: o.seed ?? 0, ...o.emulation });
    const seconds = (performance.now() - t0) / 1000;
    const ideal = new Float64Array(B * K);
    rows.forEach((p, b) => ideal.set(expectationsHw(t.circuit, p), b * K));
    const how = e.method === "density" ? "exact density matrix" : `${e.trajectories} seeded trajectories`;
    return {
      ...base,
      mode: o.mode,
      outputs: e.values,
      ideal,
      ...(e.stderr ? { stderr: e.stderr } : {}),
      emulation: {
        method: e.method,
        trajectories: e.trajectories,
        seed: e.seed,
        activeQubits: e.activeQubits,
        channels: e.channels,
        seconds,
      },
      note: `emulate ${dev.name}: transpiled circuit on ${e.activeQubits.length} active qubits, ${how}; ${e.channels.join("; ")}`,
    };
  }
  if (!o.client) throw new ValidationError("client", 'a RuntimeClient for mode "submit"');
  await o.client.checkBackend(dev.name, t.circuit.nQubits);
  const jobId = await o.client.submit(body);
  const res = await o.client.wait(jobId, o.wait ?? {});
  if (primitive === "estimator") {
    const [r] = parseEstimatorResults(res, [{ K, B }]);
    // evs are K x B (observables broadcast against parameter rows); outputs are B x K
    for (let k = 0; k < K; k++) for (let b = 0; b < B; b++) outputs[b * K + k] = r!.evs[k * B + b]!;
  } else {
    const samples = parseSamplerResults(
      res,
      "c",
      prep.settings.map(() => ({ B, shots })),
    );
    prep.settings.forEach((x, i) => {
      for (let b = 0; b < B; b++) {
        for (const [m, v] of expvalsFromSamples(prep.words, x.setting, samples[i]![b]!))
          outputs[b * K + m] = v;
      }
    });
  }
  return {
    ...base,
    mode: o.mode,
    outputs,
    request: body,
    jobId,
    note: `submitted to ${dev.name} as job ${jobId}`,
  };
}
