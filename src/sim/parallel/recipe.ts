import type { DifferentiableExecutor } from "../executor.ts";

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

/** epoch milliseconds with sub-millisecond resolution, comparable across threads */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
