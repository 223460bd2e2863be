import { siblingModule } from "../../core/module-url.ts";
import type { QmtlLayout } from "../../circuits/qmtl.ts";
import type { ExecutorRecipe } from "../parallel/recipe.ts";
import {
  createParallelExecutor,
  type ParallelExecutor,
  type ParallelOptions,
} from "../parallel/pool-executor.ts";

/** How a worker thread builds `qmtlEngine(layout)`. */
export function qmtlEngineRecipe(layout: QmtlLayout): ExecutorRecipe {
  return { module: siblingModule(import.meta.url, "./engine"), exportName: "qmtlEngine", args: [layout] };
}

/** The structured QMTL engine split over threads (see sim/parallel/pool-executor.ts); close() it when done. */
export function parallelQmtlEngine(
  layout: QmtlLayout,
  opts: ParallelOptions = {},
): Promise<ParallelExecutor> {
  return createParallelExecutor(qmtlEngineRecipe(layout), opts);
}
