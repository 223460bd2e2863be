import type { DifferentiableExecutor } from "../../../src/sim/executor.ts";

/**
 * How a worker thread builds its own copy of an executor: executors hold
 * closures and typed arrays, so they cannot be sent; a recipe names a module,
 * one of its exported factories and the (structured-cloneable) arguments,
 * e.g. { module: new URL("../qmtl-structured/engine.ts", import.meta.url).href,
 * exportName: "qmtlEngine", args: [layout] }.
 */
export interface ExecutorRecipe {
  /** absolute file: URL of the module */
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

export async function buildFromRecipe(r: ExecutorRecipe): Promise<DifferentiableExecutor> {
  const mod = (await import(r.module)) as Record<string, unknown>;
  const factory = mod[r.exportName];
  if (typeof factory !== "function")
    throw new Error(`recipe: ${r.module} has no exported function ${r.exportName}`);
  const ex = (factory as (...a: unknown[]) => unknown)(...r.args) as DifferentiableExecutor;
  if (typeof ex?.record !== "function" || typeof ex.forward !== "function") {
    throw new Error(`recipe: ${r.exportName}(...) did not return a DifferentiableExecutor`);
  }
  return ex;
}

/**
 * An executor whose per-batch work starts with a preparation that depends only
 * on the weights (the structured QMTL engine: encoder factors and heads in
 * the Heisenberg picture). The pool computes it once per weight update on the
 * calling thread and ships it with the request, instead of every thread
 * computing it again.
 */
export interface PreparingExecutor extends DifferentiableExecutor {
  /** the weight-dependent preparation (structured-cloneable); also kept by this executor for these weights */
  prepareWeights(weights: Float64Array): unknown;
  /** installs a preparation made by prepareWeights(weights) of the same kind of executor, maybe on another thread */
  adoptPrepared(weights: Float64Array, prepared: unknown): void;
}

export function isPreparing(ex: DifferentiableExecutor): ex is PreparingExecutor {
  const e = ex as Partial<PreparingExecutor>;
  return typeof e.prepareWeights === "function" && typeof e.adoptPrepared === "function";
}

/** Requests from the calling thread to a worker; `prepared`: see PreparingExecutor (absent: the worker has it or prepares itself). */
export type Request =
  | {
      readonly op: "forward";
      readonly inputs: Float64Array;
      readonly weights: Float64Array;
      readonly batch: number;
      readonly prepared?: unknown;
    }
  | {
      readonly op: "record";
      readonly id: number;
      readonly inputs: Float64Array;
      readonly weights: Float64Array;
      readonly batch: number;
      readonly prepared?: unknown;
    }
  | {
      readonly op: "backward";
      readonly id: number;
      readonly cot: Float64Array;
      /** sent again so that a worker that dropped the tape can record it anew */
      readonly inputs: Float64Array;
      readonly weights: Float64Array;
      readonly batch: number;
    }
  | { readonly op: "release"; readonly id: number };

export type Reply =
  | {
      readonly ok: true;
      readonly outputs?: Float64Array;
      readonly gradWeights?: Float64Array;
      readonly gradInputs?: Float64Array;
    }
  | { readonly ok: false; readonly error: string };

/**
 * The shared Int32Array of a worker: [REQ] counts requests posted by the
 * caller (the worker sleeps on it), [DONE] is the worker's reply flag (the
 * caller sleeps on it): FLAG_IDLE while working, FLAG_DONE after a reply,
 * FLAG_DEAD once the worker has exited.
 */
export const REQ = 0,
  DONE = 1;
export const FLAG_IDLE = 0,
  FLAG_DONE = 1,
  FLAG_DEAD = 2;
