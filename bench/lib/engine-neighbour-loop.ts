import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { resolveQmtl } from "../../src/circuits/qmtl.ts";
import { PRESETS, type PresetName } from "../../src/circuits/presets.ts";

/** record + backward of `batch` samples with new weights every call until flag[0] != 0 (see engine-neighbour.mjs) */
export function runNeighbour(d: { preset: PresetName; batch: number; flag: Int32Array }): void {
  const lay = resolveQmtl(PRESETS[d.preset]);
  const ex = qmtlEngine(lay);
  const x = Float64Array.from({ length: d.batch * lay.nInputs }, (_, i) => Math.sin(i));
  const c = Float64Array.from({ length: d.batch * lay.nOutputs }, (_, i) => Math.sin(3 * i));
  let k = 0;
  Atomics.store(d.flag, 1, 1);
  while (Atomics.load(d.flag, 0) === 0) {
    const w = Float64Array.from({ length: lay.nWeights }, (_, i) => Math.cos(i + k++));
    ex.record(x, w, d.batch).backward(c);
  }
}
