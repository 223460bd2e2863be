import { ValidationError, requireInt } from "../core/errors.ts";
import type { Rng } from "../core/rng.ts";
import { resolveQmtl, type QmtlLayout } from "../circuits/qmtl.ts";
import { hqnnCircuit } from "../circuits/hqnn.ts";
import { qmtlEngine } from "../sim/qmtl-structured/engine.ts";
import { fusedAdjointExecutor, fusedAdjointRecipe, type FusedAdjointOptions } from "../sim/fused/index.ts";
import { qmtlEngineRecipe } from "../sim/qmtl-structured/parallel.ts";
import type { DifferentiableExecutor } from "../sim/executor.ts";
import type { ExecutorRecipe } from "../sim/parallel/recipe.ts";
import { startParallelExecutor, type ParallelExecutor } from "../sim/parallel/pool-executor.ts";
import { Linear } from "../nn/linear.ts";
import { ReLU } from "../nn/relu.ts";
import { Tanh } from "../nn/tanh.ts";
import { Dropout } from "../nn/dropout.ts";
import { BatchNorm1d } from "../nn/batch-norm.ts";
import { Affine } from "../nn/affine.ts";
import { Sequential } from "../nn/sequential.ts";
import type { Module } from "../nn/module.ts";
import { countParams } from "../nn/param.ts";
import { CircuitLayer } from "./circuit-layer.ts";
import { ConcatHeads } from "./concat-heads.ts";
import { SliceMap } from "./slice-map.ts";
import type { ModelSpec, ProjectionSpec } from "./model-spec.ts";
import { layoutTasks, type TaskInfo } from "./task-info.ts";

/** A multi-task model: projection -> head -> optional per-task output transforms. */
export interface MultiTaskModel {
  readonly spec: ModelSpec;
  readonly tasks: readonly TaskInfo[];
  readonly nOutputs: number;
  /** the whole network, one Module: forward gives all tasks' logits */
  readonly net: Sequential;
  readonly projection: Module;
  readonly head: Module;
  /** circuit layers inside the head (for simulator timing) */
  readonly circuits: readonly CircuitLayer[];
  /** trainable parameters of the head proper, and extra scalars (temperatures, affine, output scale) */
  readonly counts: { readonly projection: number; readonly head: number; readonly extras: number };
  readonly qmtlLayout?: QmtlLayout;
  /** simulator threads per batch (1: the calling thread only) */
  readonly threads: number;
  /** ends the worker threads of a threaded model (a no-op otherwise); the model must not be used after */
  close(): Promise<void>;
}

/** Options of buildModel and loadModel. */
export interface BuildOptions {
  /**
   * Threads that split every batch of the quantum head's simulator (default
   * 1). With more, batches of >= 8 samples are split into contiguous slices
   * run in worker threads; results equal the 1-thread ones up to the order
   * in which the slices' weight gradients are summed (~1e-16 relative per
   * step), which over a training run can change the selected epoch.
   */
  readonly threads?: number;
}

/** Checks a projection spec: hidden widths, activation, dropout, batchNorm. */
export function validateProjection(p: ProjectionSpec, field = "model.projection"): void {
  if (!p || typeof p !== "object")
    throw new ValidationError(field, "{ hidden, activation, dropout, batchNorm }", p);
  if (!Array.isArray(p.hidden))
    throw new ValidationError(`${field}.hidden`, "a list of layer widths ([] for one Linear)", p.hidden);
  p.hidden.forEach((h, i) => requireInt(`${field}.hidden[${i}]`, h, 1));
  if (p.activation !== "relu" && p.activation !== "tanh")
    throw new ValidationError(`${field}.activation`, '"relu" or "tanh"', p.activation);
  if (typeof p.dropout !== "number" || !(p.dropout >= 0 && p.dropout < 1))
    throw new ValidationError(`${field}.dropout`, "a probability in [0, 1)", p.dropout);
  if (typeof p.batchNorm !== "boolean")
    throw new ValidationError(`${field}.batchNorm`, "true or false", p.batchNorm);
}

export function buildProjection(D: number, d: number, p: ProjectionSpec, rng: Rng): Sequential {
  validateProjection(p);
  const layers: Module[] = [];
  let width = D;
  for (const h of p.hidden) {
    layers.push(new Linear(width, h, rng));
    if (p.batchNorm) layers.push(new BatchNorm1d(h));
    layers.push(p.activation === "relu" ? new ReLU(h) : new Tanh(h));
    if (p.dropout > 0) layers.push(new Dropout(h, p.dropout));
    width = h;
  }
  layers.push(new Linear(width, d, rng));
  return new Sequential(layers);
}

/**
 * Builds a multi-task model (projection + QMTL, classical or HQNN head) with seeded initial weights.
 *
 * @example
 * const model = buildModel({ head: "qmtl", inputDim: 8, latentDim: 9, tasks: [{ name: "a", kind: "binary" }, { name: "b", kind: "multiclass", numClasses: 3 }],
 *   qmtl: { encodingLayers: 3, headLayers: 1 }, projection: { hidden: [16], activation: "tanh", dropout: 0, batchNorm: false } }, new Rng(1));
 */
export function buildModel(spec: ModelSpec, rng: Rng, opts: BuildOptions = {}): MultiTaskModel {
  const threads = opts.threads ?? 1;
  requireInt("threads", threads, 1, 64);
  const pools: ParallelExecutor[] = [];
  /** the executor, or the same split over `threads` threads (each worker builds its copy from the recipe) */
  const threaded = (local: DifferentiableExecutor, recipe: ExecutorRecipe): DifferentiableExecutor => {
    if (threads === 1) return local;
    const p = startParallelExecutor(recipe, local, { threads });
    pools.push(p);
    return p;
  };
  requireInt("model.inputDim", spec.inputDim, 1);
  requireInt("model.latentDim", spec.latentDim, 1);
  const tasks = layoutTasks(spec.tasks);
  const nOutputs = tasks.reduce((a, t) => a + t.nOutputs, 0);
  const projection = buildProjection(spec.inputDim, spec.latentDim, spec.projection, rng.fork("projection"));
  const hrng = rng.fork("head");
  const circuits: CircuitLayer[] = [];
  let head: Module;
  let headExtras = 0;
  let qmtlLayout: QmtlLayout | undefined;
  switch (spec.head) {
    case "qmtl": {
      const q = spec.qmtl;
      if (!q)
        throw new ValidationError("model.qmtl", 'QMTL settings (encodingLayers, headLayers) for head "qmtl"');
      const probe = resolveQmtl({
        encodingLayers: q.encodingLayers,
        headLayers: q.headLayers,
        tasks: spec.tasks.map((t, k) => ({
          name: t.name,
          kind: t.kind,
          numClasses: t.numClasses,
          qubits: q.qubits?.[k],
        })),
      });
      if (probe.nInputs !== spec.latentDim) {
        throw new ValidationError(
          "model.latentDim",
          `Q*L = ${probe.Q}*${probe.L} = ${probe.nInputs} for this QMTL head (qubits x encodingLayers)`,
          spec.latentDim,
        );
      }
      const layout = resolveQmtl({
        encodingLayers: q.encodingLayers,
        headLayers: q.headLayers,
        entangle: q.entangle ?? true,
        encoderOrder: q.encoderOrder ?? "ry-rz",
        firstRotation: q.firstRotation ?? "rx",
        inputDim: spec.latentDim,
        tasks: spec.tasks.map((t, k) => ({
          name: t.name,
          kind: t.kind,
          numClasses: t.numClasses,
          qubits: q.qubits?.[k],
        })),
      });
      qmtlLayout = layout;
      const layer = new CircuitLayer(threaded(qmtlEngine(layout), qmtlEngineRecipe(layout)), hrng);
      circuits.push(layer);
      head = layer;
      break;
    }
    case "classical":
      head = new ConcatHeads(
        tasks.map((t) => [t.name, new Linear(spec.latentDim, t.nOutputs, hrng)] as const),
      );
      break;
    case "hqnn": {
      const h = spec.hqnn;
      if (!h) throw new ValidationError("model.hqnn", 'HQNN settings (qubits) for head "hqnn"');
      if (h.precision !== undefined && h.precision !== "float64" && h.precision !== "float32") {
        throw new ValidationError("model.hqnn.precision", '"float64" or "float32"', h.precision);
      }
      const circuit = hqnnCircuit({ qubits: h.qubits, repetitions: h.repetitions });
      // float32 exists only on the WebAssembly passes: ask for them by name, so a missing runtime is an error, not a silent float64
      const fo: FusedAdjointOptions =
        h.precision === "float32" ? { precision: "float32", kernels: "wasm" } : {};
      const layer = new CircuitLayer(
        threaded(fusedAdjointExecutor(circuit, fo), fusedAdjointRecipe(circuit, fo)),
        hrng,
      );
      circuits.push(layer);
      const scale = new Affine(h.qubits, { shared: true, bias: false, gammaInit: 1 });
      headExtras += 1;
      head = new Sequential([
        new Linear(spec.latentDim, 3, hrng),
        layer,
        scale,
        new ConcatHeads(tasks.map((t) => [t.name, new Linear(h.qubits, t.nOutputs, hrng)] as const)),
      ]);
      break;
    }
    default: {
      // a ModelSpec read from JSON may name anything; a head added to ModelSpec without a case here does not compile
      const unknownHead: never = spec;
      throw new ValidationError(
        "model.head",
        `one of "qmtl", "classical", "hqnn"`,
        (unknownHead as { head: unknown }).head,
      );
    }
  }
  const layers: Module[] = [projection, head];
  const transforms = spec.outputTransforms ?? {};
  for (const name of Object.keys(transforms)) {
    if (!tasks.some((t) => t.name === name))
      throw new ValidationError(
        `model.outputTransforms.${name}`,
        `a task name (${tasks.map((t) => t.name).join(", ")})`,
        name,
      );
  }
  if (Object.values(transforms).some((v) => v !== "none")) {
    let extras = 0;
    const slices = tasks.map((t) => {
      const kind = transforms[t.name] ?? "none";
      if (kind === "none") return { name: t.name, size: t.nOutputs, module: null };
      if (kind === "temperature") {
        extras += 1;
        return {
          name: t.name,
          size: t.nOutputs,
          module: new Affine(t.nOutputs, { shared: true, bias: false, gammaInit: 1 }),
        };
      }
      if (kind === "affine") {
        extras += 2;
        return {
          name: t.name,
          size: t.nOutputs,
          module: new Affine(t.nOutputs, { shared: true, bias: true, gammaInit: 1, betaInit: 0.5 }),
        };
      }
      throw new ValidationError(
        `model.outputTransforms.${t.name}`,
        `"none", "temperature" or "affine"`,
        kind,
      );
    });
    layers.push(new SliceMap(slices));
    headExtras += extras;
  }
  const net = new Sequential(layers);
  const headParams = countParams(head.params()) - (spec.head === "hqnn" ? 1 : 0);
  return {
    spec,
    tasks,
    nOutputs,
    net,
    projection,
    head,
    circuits,
    qmtlLayout,
    threads,
    close: async () => {
      await Promise.all(pools.map((p) => p.close()));
    },
    counts: { projection: countParams(projection.params()), head: headParams, extras: headExtras },
  };
}
