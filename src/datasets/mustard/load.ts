import { join } from "node:path";
import { sha256File } from "../../core/hash.ts";
import { defaultMustardDir } from "../../data/data-paths.ts";
import { loadFeatureFile } from "../../data/feature-file.ts";
import type { SuiteInputs, SuiteSplit } from "../../experiments/suite.ts";
import type { TaskDef } from "../../models/task-info.ts";
import { loadMustard, mustardIds, type MustardDataset } from "./dataset.ts";
import { buildMustardTextFeatures } from "./features.ts";
import { loadMustardSplits } from "./splits.ts";
import { mustardFolds, type MustardConfig } from "./config.ts";

export interface MustardInputs extends SuiteInputs {
  readonly mustard: MustardDataset;
}

/** Loads the embedded dataset, its official split and the features (text backbone, cached, or a user file). */
export async function loadMustardInputs(
  cfg: MustardConfig,
  onProgress?: (done: number, total: number) => void,
): Promise<MustardInputs> {
  const ds = loadMustard();
  const splits = loadMustardSplits(ds);
  const dataDir = defaultMustardDir();
  const inputHashes: Record<string, string> = {
    "data/mustard/extended_mustard.json": sha256File(join(dataDir, "extended_mustard.json")),
    "data/mustard/splits.json": sha256File(join(dataDir, "splits.json")),
  };
  let features: Float64Array, dim: number, backbone: string, backboneDetail: string;
  if (cfg.features) {
    const f = loadFeatureFile(cfg.features, {
      ids: mustardIds(ds),
      key: cfg.featuresKey,
      idsPath: cfg.featuresIds,
    });
    features = f.matrix.data;
    dim = f.matrix.cols;
    inputHashes["features"] = sha256File(cfg.features, "features");
    if (cfg.featuresIds) inputHashes["featuresIds"] = sha256File(cfg.featuresIds, "featuresIds");
    backbone = "file";
    backboneDetail = `user features ${cfg.features} (${f.matrix.rows} x ${dim}, ids from ${f.idsFrom})`;
  } else {
    backbone = cfg.backbone ?? "use";
    const tf = await buildMustardTextFeatures(ds, { backbone: cfg.backbone ?? "use", onProgress });
    features = tf.matrix.data;
    dim = tf.matrix.cols;
    backboneDetail =
      backbone === "use"
        ? `Universal Sentence Encoder lite (TF.js, frozen): [utterance | dialogue context] = 2 x ${tf.partDim} = ${dim} features`
        : `mean-pooled GloVe 840B (subset): [utterance | dialogue context] = 2 x ${tf.partDim} = ${dim} features`;
  }
  const tasks: TaskDef[] = ds.tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.numClasses }));
  const labels = ds.tasks.map((t) => Float64Array.from(ds.items, (it) => it.labels[t.name]));
  const chosen: SuiteSplit[] =
    cfg.split === "speaker-dependent"
      ? mustardFolds(cfg).map((k) => ({ index: k, ...splits.speakerDependent[k]! }))
      : [{ index: 0, ...splits.speakerIndependent }];
  return {
    dataset: "Extended MUStARD",
    mustard: ds,
    data: { n: ds.items.length, dim, features, labels },
    tasks,
    classNames: ds.tasks.map((t) => [...t.classNames]),
    splits: chosen,
    backbone,
    backboneDetail,
    inputHashes,
    splitName: cfg.split,
    notes: notes(ds.multiLabelCells.length, cfg.qmtl.firstRotation),
  };
}

function notes(multiLabel: number, firstRotation: "rx" | "ry"): string[] {
  return [
    "Precision, recall and F1: the positive class for sarcasm; macro averages over classes for the 3- and 9-class tasks (f1_macro and f1_weighted are in results.json).",
    firstRotation === "rx"
      ? "The first encoding block of the QMTL head acts on |+>^Q, where RX(z) is a global phase: the first Q of the 39 projected features cannot influence the output (their gradient is exactly 0). This follows from the circuit as the paper specifies it (qmtl.firstRotation: ry is the variant where every feature reaches the state)."
      : "Encoder variant (qmtl.firstRotation: ry): the first block loads its features with RY, so every projected feature reaches the state (the paper's RX on |+>^Q is a global phase); same parameter count.",
    `Emotion labels: ${multiLabel} multi-label emotion cells found in the embedded annotation; the rule is to keep the first listed emotion.`,
    "The paper reports its MUStARD results only as bar charts (Fig. 7), so no published table is reproduced beside these numbers.",
  ];
}
