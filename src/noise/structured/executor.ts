import { ValidationError } from "../../core/errors.ts";
import type { QmtlLayout } from "../../circuits/qmtl.ts";
import {
  checkBatchArgs,
  checkCotangent,
  type DifferentiableExecutor,
  type Gradients,
  type Tape,
} from "../../sim/executor.ts";
import type { NoiseModel } from "../noise-model.ts";
import { foldRepeats } from "../density-matrix.ts";
import { buildPlan, type NoisyPlan } from "./plan.ts";
import { buildColumn, columnBackward, type Column } from "./column.ts";
import { chainBackward, chainForward } from "./chain.ts";
import { taskBackward, taskForward, type TaskRun } from "./task-block.ts";

/** Options of the noisy structured QMTL executor: gate folding for zero-noise extrapolation. */
export interface NoisyQmtlOptions {
  /** gate folding scale for zero-noise extrapolation (odd integer; forward only when > 1) */
  readonly fold?: number;
}

interface SampleRun {
  readonly cols: Column[];
  readonly runs: TaskRun[];
  readonly chain: ReturnType<typeof chainForward>;
}

/**
 * Exact noisy evaluation of a QMTL head under a NoiseModel (channels after
 * each gate in the circuit's own basis: H, RX, RY, RZ, CNOT in the encoder,
 * Rot and CNOT in the task blocks; readout errors on measured wires), as a
 * DifferentiableExecutor: the state is kept as an MPS of Pauli coefficients
 * (see plan.ts), every task reads its sub-register's reduced state, and the
 * backward pass is the exact adjoint of the forward contractions.
 * Cost per sample ~ Q * 16 chi^2 (columns) + sum_t (4^(S_t/2) chi^2 + 4^S_t chi),
 * chi = r^L with r the exact rank of a noisy CNOT's PTM across its two qubits.
 */
export class NoisyQmtlExecutor implements DifferentiableExecutor {
  readonly name: string;
  readonly nInputs: number;
  readonly nWeights: number;
  readonly nOutputs: number;
  readonly plan: NoisyPlan;
  private readonly reps: number;

  constructor(
    readonly layout: QmtlLayout,
    readonly noise: NoiseModel | null,
    opts: NoisyQmtlOptions = {},
  ) {
    this.reps = foldRepeats(opts.fold);
    this.plan = buildPlan(layout, noise, opts.fold ?? 1);
    this.nInputs = layout.nInputs;
    this.nWeights = layout.nWeights;
    this.nOutputs = layout.nOutputs;
    this.name = `noisy-qmtl(${noise?.label ?? "noiseless"}${this.reps > 0 ? `, fold ${2 * this.reps + 1}` : ""})`;
  }

  /** The largest MPS bond of this head under this noise model. */
  get bond(): number {
    return Math.max(...this.plan.bondR);
  }

  private runSample(inputs: Float64Array, b: number, weights: Float64Array, keep: boolean): SampleRun {
    const off = b * this.nInputs;
    const cols = Array.from({ length: this.layout.Q }, (_, i) =>
      buildColumn(this.plan, i, inputs, off, weights, keep),
    );
    const chain = chainForward(
      this.plan,
      cols.map((c) => c.t),
    );
    const runs = this.plan.tasks.map((t, k) => taskForward(t, chain.rdms[k]!, weights, this.reps));
    return { cols, runs, chain };
  }

  forward(inputs: Float64Array, weights: Float64Array, batch: number): Float64Array {
    checkBatchArgs(this, inputs, weights, batch);
    const out = new Float64Array(batch * this.nOutputs);
    for (let b = 0; b < batch; b++) {
      const r = this.runSample(inputs, b, weights, false);
      this.plan.tasks.forEach((t, k) => out.set(r.runs[k]!.outputs, b * this.nOutputs + t.outputOffset));
    }
    return out;
  }

  /**
   * Per sample and task, the sub-register's final Pauli vector c_P = Tr(rho_t P)
   * (4^S, after the noisy task block, before readout): what shot sampling draws from.
   */
  taskStates(inputs: Float64Array, weights: Float64Array, batch: number): Float64Array[][] {
    checkBatchArgs(this, inputs, weights, batch);
    const out: Float64Array[][] = [];
    for (let b = 0; b < batch; b++)
      out.push(this.runSample(inputs, b, weights, false).runs.map((r) => r.xs[r.xs.length - 1]!));
    return out;
  }

  record(inputs: Float64Array, weights: Float64Array, batch: number): Tape {
    const outputs = this.forward(inputs, weights, batch);
    const ins = inputs.slice(),
      ws = weights.slice();
    return {
      outputs,
      backward: (cot: Float64Array): Gradients => {
        checkCotangent(this.nOutputs, batch, cot);
        if (this.reps > 0)
          throw new ValidationError(
            "fold",
            "1 for gradients (folded executors are for zero-noise extrapolation only)",
            2 * this.reps + 1,
          );
        const gradWeights = new Float64Array(this.nWeights);
        const gradInputs = new Float64Array(batch * this.nInputs);
        for (let b = 0; b < batch; b++) this.backwardSample(ins, b, ws, cot, gradInputs, gradWeights);
        return { gradWeights, gradInputs };
      },
    };
  }

  private backwardSample(
    inputs: Float64Array,
    b: number,
    weights: Float64Array,
    cot: Float64Array,
    gIn: Float64Array,
    gW: Float64Array,
  ): void {
    const r = this.runSample(inputs, b, weights, true);
    const lambdas = this.plan.tasks.map((t, k) =>
      taskBackward(t, r.runs[k]!, weights, cot, b * this.nOutputs + t.outputOffset, gW),
    );
    const dT = chainBackward(
      this.plan,
      r.cols.map((c) => c.t),
      r.chain.state,
      lambdas,
    );
    r.cols.forEach((c, i) => columnBackward(this.plan, i, c, dT[i]!, gIn, b * this.nInputs, gW));
  }
}
