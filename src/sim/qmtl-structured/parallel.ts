import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { ExecutorRecipe } from "../parallel/recipe.ts";
import { createParallelExecutor, type ParallelExecutor, type ParallelOptions } from "../parallel/pool-executor.ts";

/** How a worker thread builds `qmtlEngine(layout)`. */
export function qmtlEngineRecipe(layout: QmtlLayout): ExecutorRecipe {
  return { module: new URL("./engine.ts", import.meta.url).href, exportName: "qmtlEngine", args: [layout] };
}

/** The structured QMTL engine split over threads (see sim/parallel/pool-executor.ts); close() it when done. */
export function parallelQmtlEngine(layout: QmtlLayout, opts: ParallelOptions = {}): Promise<ParallelExecutor> {
  return createParallelExecutor(qmtlEngineRecipe(layout), opts);
}
