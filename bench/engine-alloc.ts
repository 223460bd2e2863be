/**
 * Heap allocation of the structured engine per batch (issue 18: no per-sample allocation in the hot
 * loops): V8 new-space growth over one record + backward (a call during which a scavenge ran is
 * repeated), at batch 16 and 128, so bytes per sample = the slope:
 *   npx tsx bench/engine-alloc.ts [glue|chexpert|mustard ...]
 */
import { getHeapSpaceStatistics } from "node:v8";
import { argv } from "node:process";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { qmtlEngine } from "../src/sim/qmtl-structured/engine.ts";
import { Rng } from "../src/core/rng.ts";

const newSpace = (): number =>
  getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_used_size;

/** Bytes allocated by one record + backward at this batch (smallest of several clean calls). */
export function allocPerBatch(preset: PresetName, batch: number): number {
  const layout = resolveQmtl(PRESETS[preset]);
  const ex = qmtlEngine(layout),
    rng = new Rng(5);
  const x = Float64Array.from({ length: batch * ex.nInputs }, () => rng.range(-3, 3));
  const w = Float64Array.from({ length: ex.nWeights }, () => rng.range(-3, 3));
  const c = Float64Array.from({ length: batch * ex.nOutputs }, () => rng.range(-1, 1));
  for (let i = 0; i < 40; i++) ex.record(x, w, batch).backward(c);
  let best = Infinity;
  for (let i = 0; i < 30; i++) {
    const a = newSpace();
    ex.record(x, w, batch).backward(c);
    const d = newSpace() - a;
    if (d >= 0) best = Math.min(best, d); // a negative difference: a scavenge ran during the call
  }
  return best;
}

if (import.meta.url === `file://${argv[1]}`) {
  const names = argv.slice(2).filter((a) => a in PRESETS) as PresetName[];
  for (const p of names.length > 0 ? names : (["glue", "mustard"] as PresetName[])) {
    const a16 = allocPerBatch(p, 16),
      a128 = allocPerBatch(p, 128);
    console.log(
      `${p.padEnd(8)} allocated per record + backward: batch 16 ${a16} B, batch 128 ${a128} B; per sample ${((a128 - a16) / 112).toFixed(1)} B`,
    );
  }
}
