import type { QmtlLayout } from "../../circuits/qmtl.ts";
import { createParallelExecutor, type ParallelExecutor, type ParallelOptions } from "../../sim/parallel/pool-executor.ts";

/** The structured QMTL engine split over threads (see sim/parallel/pool-executor.ts); close() it when done. */
export function parallelQmtlEngine(layout: QmtlLayout, opts: ParallelOptions = {}): Promise<ParallelExecutor> {
  return createParallelExecutor({ module: new URL("./engine.ts", import.meta.url).href, exportName: "qmtlEngine", args: [layout] }, opts);
}
