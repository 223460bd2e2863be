import { siblingModule } from "../../core/module-url.ts";
import type { Circuit } from "../../circuits/ir.ts";
import type { DifferentiableExecutor, Gradients, Tape } from "../executor.ts";
import { checkBatchArgs, checkCotangent, checkExecutorCircuit } from "../executor.ts";
import type { ExecutorRecipe } from "../parallel/recipe.ts";
import { ValidationError } from "../../core/errors.ts";
import { compileSchedule } from "./schedule.ts";
import { compileReadout } from "./readout.ts";
import { resolveFusedKernels, type FusedKernelChoice } from "./wasm-module.ts";
import type { FusedRunner } from "./runner.ts";
import { tsRunner } from "./ts-runner.ts";
import { wasmRunner } from "./wasm-runner.ts";

/** Options of the fused-block adjoint: kernels ("auto", "wasm", "ts") and state precision (float64 or float32). */
export interface FusedAdjointOptions {
  /**
   * Most bytes spent on copies of psi (16 * 2^n bytes each; 8 * 2^n with
   * precision "float32"). The backward pass
   * needs psi just after every layer (L of them); by budget, per call:
   *  - batch * (L + 1) states: `record` keeps them and the final state of every
   *    sample in the executor's tape memory (reused from call to call; only
   *    the executor's latest tape holds it), backward reads them;
   *  - L states: backward re-runs each sample's forward pass, keeping its
   *    layer states in a workspace (one forward pass more per sample);
   *  - less: backward re-runs forward and un-applies every block from psi as
   *    well as from lambda (no copies at all, slowest).
   * Default 256 MiB: the first mode for HQNN-13 and QMTL-13 at batch 128.
   */
  readonly checkpointBytes?: number;
  /**
   * Which passes run the statevector work: "wasm" the WebAssembly SIMD passes
   * of assembly/fused.ts (states in the executor's own wasm memory), "ts" the
   * plain TypeScript ones (the reference), "auto" (default) wasm when this
   * runtime can instantiate it, else ts (no environment variable is read).
   * "wasm" throws when unavailable. Both give the
   * same results to rounding (some sums are taken in two lanes).
   */
  readonly kernels?: FusedKernelChoice;
  /**
   * "float64" (default): exact to rounding. "float32": the states (working
   * ones and the tape's) are float32 and the hot passes run in f32x4 (twice
   * the lanes); angles, 2x2s, sums, outputs and gradients stay float64.
   * Errors of a few 1e-7 relative (docs/decisions.md, fused section); for
   * training only. Needs the wasm passes: throws with kernels "ts", or
   * where wasm is unavailable.
   */
  readonly precision?: "float64" | "float32";
}

export const DEFAULT_CHECKPOINT_BYTES = 256 * 1024 * 1024;

/**
 * The fused adjoint: the adjoint method (exact, any circuit of the IR) run on
 * the fused schedule of `schedule.ts`. Per sample, forward writes the product
 * state of the first layer directly, then applies one 2x2 per block and one
 * gather per permutation run. Backward builds lambda from the cotangents and
 * walks the schedule back: at each layer, every block's cross matrix K from
 * one (psi, lambda) pair (layer-cross.ts), all of its angles' derivatives from
 * K at 2x2 cost (block-math.ts), then the layer is un-applied from lambda;
 * the first layer's gradients come from one contraction of lambda with the
 * product state (product-layer.ts). The passes run in WebAssembly SIMD
 * (wasm-runner.ts, the default where it loads) or TypeScript (ts-runner.ts).
 */
export function fusedAdjointExecutor(
  circuit: Circuit,
  options: FusedAdjointOptions = {},
): DifferentiableExecutor {
  // the workspace holds 5 statevectors and the readout's probabilities, before any tape or checkpoint
  checkExecutorCircuit(circuit, "the fused adjoint's workspace", 6);
  const budget = options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
  if (!(budget >= 0)) throw new ValidationError("checkpointBytes", "a number >= 0", budget);
  const precision = options.precision ?? "float64";
  if (precision !== "float64" && precision !== "float32")
    throw new ValidationError("precision", '"float64" or "float32"', precision);
  const kernels = resolveFusedKernels(options.kernels ?? "auto");
  const f32 = precision === "float32";
  if (f32 && kernels !== "wasm")
    throw new ValidationError(
      "precision",
      'precision "float64" with kernels "ts" (float32 needs the WebAssembly passes; they were not chosen or are unavailable)',
      precision,
    );
  const sch = compileSchedule(circuit);
  const ro = compileReadout(circuit.observables, circuit.nQubits);
  const nOut = circuit.observables.length,
    nIn = circuit.nInputs;
  const nLayers = sch.items.filter((it) => it.kind === "layer").length;
  const rerunKeeps = nLayers * (1 << sch.n) * (f32 ? 8 : 16) <= budget;
  const run: FusedRunner =
    kernels === "wasm"
      ? wasmOrTs(
          options.kernels === "wasm" || f32,
          () => wasmRunner(circuit, sch, ro, rerunKeeps, f32),
          () => tsRunner(circuit, sch, ro, rerunKeeps),
        )
      : tsRunner(circuit, sch, ro, rerunKeeps);

  const ex: DifferentiableExecutor = {
    name: "statevector-fused-adjoint",
    nInputs: nIn,
    nWeights: circuit.nWeights,
    nOutputs: nOut,
    forward(inputs, weights, batch) {
      checkBatchArgs(ex, inputs, weights, batch);
      return run.forward(inputs, weights, batch, false);
    },
    record(inputs, weights, batch): Tape {
      checkBatchArgs(ex, inputs, weights, batch);
      // the tape keeps its own copies: callers may reuse their buffers
      const x = inputs.slice(),
        w = weights.slice();
      const token = run.tapeBytes(batch) <= budget ? run.claimTape(batch) : null;
      const outputs = run.forward(x, w, batch, token !== null);
      return {
        outputs,
        backward(cot): Gradients {
          checkCotangent(nOut, batch, cot);
          // a later record may have taken the tape memory: then re-run forward
          return run.backward(x, w, batch, cot, token !== null && run.ownsTape(token));
        },
      };
    },
  };
  return ex;
}

/** The wasm runner; when its workspace would not fit in wasm32 memory (about 24+ qubits), the TypeScript one, unless wasm was asked for by name. */
function wasmOrTs(strict: boolean, wasm: () => FusedRunner, ts: () => FusedRunner): FusedRunner {
  try {
    return wasm();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    if (strict) {
      throw new ValidationError(
        "kernels",
        'kernels "auto" or "ts" for a circuit this wide (its fused WebAssembly workspace does not fit wasm32 memory, 4 GiB)',
        "wasm",
      );
    }
    return ts();
  }
}

/** How a worker thread builds `fusedAdjointExecutor(circuit, options)` (sim/parallel recipes). */
export function fusedAdjointRecipe(circuit: Circuit, options: FusedAdjointOptions = {}): ExecutorRecipe {
  return {
    module: siblingModule(import.meta.url, "./executor"),
    exportName: "fusedAdjointExecutor",
    args: [circuit, options],
  };
}
