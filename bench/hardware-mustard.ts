/**
 * A trained MUStARD QMTL checkpoint (fold 0, first seed) evaluated on its test fold:
 * noiseless simulator, the transpiled ISA circuit (dry run, must match), and readout-only
 * emulation of ibm_boston and ibm_fez. Train first:
 *   npx tsx src/cli/main.ts run mustard --heads qmtl --folds 0 --name hwstudy
 * then: npx tsx bench/hardware-mustard.ts runs/hwstudy
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../src/core/rng.ts";
import { stratifiedHoldout } from "../src/data/splits.ts";
import { buildModel } from "../src/models/build-model.ts";
import { loadStateDict, type StateDict } from "../src/nn/state-dict.ts";
import { subset } from "../src/training/dataset.ts";
import { predictLogits, taskMetrics } from "../src/training/evaluate.ts";
import { parseMustardConfig } from "../src/experiments/config-schema.ts";
import { loadMustardInputs } from "../src/experiments/mustard-data.ts";
import { mustardHeadPlans } from "../src/experiments/mustard-heads.ts";
import { standardize } from "../src/experiments/standardize.ts";
import { cellDir } from "../src/experiments/cross-validate.ts";
import { headOfModel, runHardwareStudy } from "../src/experiments/hardware-study.ts";

const runDir = process.argv[2] ?? "runs/hwstudy";
const cfg = parseMustardConfig({ ...JSON.parse(readFileSync(join(runDir, "config.json"), "utf8")), heads: ["qmtl"] });
const inputs = await loadMustardInputs(cfg);
const plan = mustardHeadPlans(cfg, inputs.tasks, inputs.data.dim)[0]!;
const { index: k, fold } = inputs.folds[0]!;
const seed = cfg.seeds[0]!;
const strat = Math.max(0, inputs.tasks.findIndex((t) => t.name === cfg.selection.task));
const split = stratifiedHoldout(fold.train, inputs.data.labels[strat]!, cfg.valFraction, new Rng(seed).fork(`val-split/${k}`));
let tr = subset(inputs.data, split.train), va = subset(inputs.data, split.val), te = subset(inputs.data, fold.test);
if (cfg.standardize) ({ train: tr, others: [va, te] } = standardize(tr, [va, te]));
const model = buildModel(plan.model, new Rng(seed).fork(`model/${plan.id}`));
loadStateDict(model.net, JSON.parse(readFileSync(join(cellDir(runDir, "qmtl", k, seed), "best-model.json"), "utf8")) as StateDict);
const ctx = { training: false, rng: new Rng(0) };
const ideal = predictLogits(model, te);
const z = model.projection.forward(te.features.slice(), te.n, ctx);
const head = headOfModel(model);
const rest = (out: Float64Array): Float64Array => (model.net.layers.length > 2 ? model.net.layers[2]!.forward(out, te.n, ctx) : out);
const pick = (m: ReturnType<typeof taskMetrics>): Record<string, string> =>
  Object.fromEntries(Object.entries(m).map(([t, v]) => [t, `acc ${v.accuracy?.toFixed(3)} f1 ${v.f1?.toFixed(3)} macroF1 ${v.f1_macro?.toFixed(3)}`]));
const rows: Record<string, unknown> = { testSamples: te.n, ideal: pick(taskMetrics(model.tasks, ideal, model.nOutputs, te)) };
const dry = await runHardwareStudy({ ...head, inputs: z, batch: te.n }, { mode: "dry-run", backend: "ibm_boston" });
let d = 0;
const dryLogits = rest(dry.outputs);
for (let i = 0; i < ideal.length; i++) d = Math.max(d, Math.abs(dryLogits[i]! - ideal[i]!));
rows.transpiledMaxLogitDiff = d;
for (const backend of ["ibm_boston", "ibm_fez"]) {
  const r = await runHardwareStudy({ ...head, inputs: z, batch: te.n }, { mode: "emulate", backend });
  const logits = rest(r.outputs);
  let dev = 0;
  for (let i = 0; i < r.outputs.length; i++) dev += Math.abs(r.outputs[i]! - dry.outputs[i]!);
  rows[backend] = { metrics: pick(taskMetrics(model.tasks, logits, model.nOutputs, te)), meanAbsExpvalDeviation: dev / r.outputs.length, note: r.note };
}
console.log(JSON.stringify(rows, null, 1));
await model.close();
