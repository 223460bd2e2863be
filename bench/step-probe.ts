/** Per-step phases of one training step on one thread (npx tsx bench/step-probe.ts mustard|chexpert|glue [batch]). */
import { Rng } from "../src/core/rng.ts";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { buildModel } from "../src/models/build-model.ts";
import type { TaskDef } from "../src/models/task-info.ts";
import { multiTaskObjective } from "../src/training/objective.ts";
import { zeroGrads } from "../src/nn/param.ts";
import { Adam } from "../src/training/optim/adam.ts";
const preset = (process.argv[2] ?? "mustard") as PresetName;
const q = PRESETS[preset];
const tasks = q.tasks as readonly TaskDef[];
const lay = resolveQmtl(q);
const d = lay.Q * lay.L;
const D = preset === "glue" ? 512 : 1024;
const B = Number(process.argv[3] ?? (preset === "glue" ? 128 : preset === "chexpert" ? 32 : 16));
const hidden = preset === "chexpert" ? 128 : d;
const model = buildModel(
  {
    inputDim: D,
    latentDim: d,
    tasks,
    head: "qmtl",
    qmtl: { encodingLayers: 3, headLayers: 1 },
    projection: {
      hidden: [hidden],
      activation: preset === "glue" ? "tanh" : "relu",
      dropout: preset === "chexpert" ? 0.2 : 0,
      batchNorm: preset === "chexpert",
    },
  },
  new Rng(3),
);
const rng = new Rng(1);
const x = Float64Array.from({ length: B * D }, () => rng.normal());
const labels = tasks.map((t) =>
  Float64Array.from({ length: B }, () =>
    t.kind === "regression" ? rng.normal() : rng.int(t.kind === "binary" ? 2 : t.numClasses!),
  ),
);
const losses = tasks.map((t) => ({
  kind: (t.kind === "binary" ? "bce" : t.kind === "multiclass" ? "ce" : "mse") as "bce" | "ce" | "mse",
  weight: 1,
}));
const params = model.net.params();
const opt = new Adam(params, { lr: 1e-3 });
const [proj, head] = [model.projection, model.head];
const T = { proj: 0, head: 0, obj: 0, hb: 0, pb: 0, opt: 0 };
const N = Number(process.env.N ?? 1000);
for (let it = 0; it < N; it++) {
  const t1 = performance.now();
  zeroGrads(params);
  const h = proj.forward(x, B, { training: true, rng });
  const t2 = performance.now();
  const z = head.forward(h, B, { training: true, rng });
  const t3 = performance.now();
  const o = multiTaskObjective(model.tasks, losses, z, B, model.nOutputs, labels, null);
  const t4 = performance.now();
  const gh = head.backward(o.grad, true);
  const t5 = performance.now();
  proj.backward(gh, false);
  const t6 = performance.now();
  opt.step();
  const t7 = performance.now();
  if (it >= N / 2) {
    T.proj += t2 - t1;
    T.head += t3 - t2;
    T.obj += t4 - t3;
    T.hb += t5 - t4;
    T.pb += t6 - t5;
    T.opt += t7 - t6;
  }
}
const tot = Object.values(T).reduce((a, b) => a + b, 0);
console.log(
  `${preset} D=${D} B=${B} params=${params.reduce((a, p) => a + p.value.length, 0)} per step us:`,
  Object.fromEntries(Object.entries(T).map(([k, v]) => [k, Math.round((v / (N / 2)) * 1000)])),
  "total",
  Math.round((tot / (N / 2)) * 1000),
);
