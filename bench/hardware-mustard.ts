/**
 * A trained MUStARD QMTL checkpoint (fold 0, first seed) evaluated on its test fold:
 * noiseless simulator, the transpiled ISA circuit (dry run, must match), and readout-only
 * emulation of ibm_boston and ibm_fez. Train first:
 *   npm start   (or: npx qmtl run mustard --heads qmtl --folds 0)
 * then: npx tsx bench/hardware-mustard.ts runs/mustard
 */
import { Rng } from "../src/core/rng.ts";
import { predictLogits, taskMetrics } from "../src/training/evaluate.ts";
import { mustardSuite } from "../src/datasets/mustard/index.ts";
import { loadTrainedCell } from "../src/experiments/trained-cell.ts";
import { headOfModel, runHardwareStudy } from "../src/experiments/hardware-study.ts";

const runDir = process.argv[2] ?? "runs/mustard";
const { model, test: te } = await loadTrainedCell(mustardSuite, runDir);
const ctx = { training: false, rng: new Rng(0) };
const ideal = predictLogits(model, te);
const z = model.projection.forward(te.features.slice(), te.n, ctx);
const head = headOfModel(model);
const rest = (out: Float64Array): Float64Array =>
  model.net.layers.length > 2 ? model.net.layers[2]!.forward(out, te.n, ctx) : out;
const pick = (m: ReturnType<typeof taskMetrics>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(m).map(([t, v]) => [
      t,
      `acc ${v.accuracy?.toFixed(3)} f1 ${v.f1?.toFixed(3)} macroF1 ${v.f1_macro?.toFixed(3)}`,
    ]),
  );
const rows: Record<string, unknown> = {
  testSamples: te.n,
  ideal: pick(taskMetrics(model.tasks, ideal, model.nOutputs, te)),
};
const dry = await runHardwareStudy(
  { ...head, inputs: z, batch: te.n },
  { mode: "dry-run", backend: "ibm_boston" },
);
let d = 0;
const dryLogits = rest(dry.outputs);
for (let i = 0; i < ideal.length; i++) d = Math.max(d, Math.abs(dryLogits[i]! - ideal[i]!));
rows.transpiledMaxLogitDiff = d;
for (const backend of ["ibm_boston", "ibm_fez"]) {
  const r = await runHardwareStudy({ ...head, inputs: z, batch: te.n }, { mode: "emulate", backend });
  const logits = rest(r.outputs);
  let dev = 0;
  for (let i = 0; i < r.outputs.length; i++) dev += Math.abs(r.outputs[i]! - dry.outputs[i]!);
  rows[backend] = {
    metrics: pick(taskMetrics(model.tasks, logits, model.nOutputs, te)),
    meanAbsExpvalDeviation: dev / r.outputs.length,
    note: r.note,
  };
}
console.log(JSON.stringify(rows, null, 1));
await model.close();
