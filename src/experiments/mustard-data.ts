import { loadMustard, mustardIds, type MustardDataset } from "../data/mustard.ts";
import { loadMustardSplits } from "../data/mustard-splits.ts";
import { loadFeatureFile } from "../data/feature-file.ts";
import type { Fold } from "../data/splits.ts";
import { buildMustardTextFeatures } from "../backbones/text-features.ts";
import type { TaskDef } from "../models/task-info.ts";
import type { MultiTaskData } from "../training/dataset.ts";
import type { MustardConfig } from "./config-schema.ts";

export interface MustardInputs {
  readonly dataset: MustardDataset;
  readonly data: MultiTaskData;
  readonly tasks: TaskDef[];
  readonly classNames: string[][];
  readonly folds: Array<{ index: number; fold: Fold }>;
  readonly backbone: string;
  readonly backboneDetail: string;
}

/** Loads the embedded dataset, its official split and the features (text backbone, cached, or a user file). */
export async function loadMustardInputs(cfg: MustardConfig, onProgress?: (done: number, total: number) => void): Promise<MustardInputs> {
  const ds = loadMustard();
  const splits = loadMustardSplits(ds);
  let features: Float64Array, dim: number, backbone: string, backboneDetail: string;
  if (cfg.features) {
    const f = loadFeatureFile(cfg.features, { ids: mustardIds(ds), key: cfg.featuresKey, idsPath: cfg.featuresIds });
    features = f.matrix.data; dim = f.matrix.cols;
    backbone = "file";
    backboneDetail = `user features ${cfg.features} (${f.matrix.rows} x ${dim}, ids from ${f.idsFrom})`;
  } else {
    const tf = await buildMustardTextFeatures(ds, { backbone: cfg.backbone, onProgress });
    features = tf.matrix.data; dim = tf.matrix.cols;
    backbone = cfg.backbone;
    backboneDetail = cfg.backbone === "use"
      ? `Universal Sentence Encoder lite (TF.js, frozen): [utterance | dialogue context] = 2 x ${tf.partDim} = ${dim} features`
      : `mean-pooled GloVe 840B (subset): [utterance | dialogue context] = 2 x ${tf.partDim} = ${dim} features`;
  }
  const tasks: TaskDef[] = ds.tasks.map((t) => ({ name: t.name, kind: t.kind, numClasses: t.numClasses }));
  const labels = ds.tasks.map((t) => Float64Array.from(ds.items, (it) => it.labels[t.name]));
  const folds = cfg.split === "speaker-dependent"
    ? cfg.folds.map((k) => ({ index: k, fold: splits.speakerDependent[k]! }))
    : [{ index: 0, fold: splits.speakerIndependent }];
  return {
    dataset: ds, data: { n: ds.items.length, dim, features, labels }, tasks,
    classNames: ds.tasks.map((t) => [...t.classNames]), folds, backbone, backboneDetail,
  };
}
