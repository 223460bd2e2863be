/**
 * Loading the CheXpert suite's inputs: find the data, read the label CSV,
 * draw the sex-balanced sample, compute (or read cached) frozen CNN features
 * of its images, and cut patient-level folds with a patient-level
 * validation set inside each fold's training part.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ValidationError } from "../../core/errors.ts";
import { defaultCacheDir } from "../../backbones/feature-cache.ts";
import { chexpertPreprocess } from "../../backbones/image-preprocess.ts";
import { extractImageFeatures } from "../../backbones/image-features.ts";
import { mobilenetV2Spec, type CnnBackboneSpec } from "../../backbones/onnx-cnn.ts";
import type { LoadContext, SuiteInputs, SuiteSplit } from "../../experiments/suite.ts";
import { qmtlVariantNotes } from "../../experiments/qmtl-variant-notes.ts";
import type { ChexpertConfig } from "./config.ts";
import {
  CHEXPERT_TASKS,
  CLASS_NAMES,
  COMPETITION_TASKS,
  labelMatrix,
  parseChexpertCsv,
  type ChexpertRow,
} from "./labels.ts";
import { DOWNLOAD_HELP, resolveDataRoot } from "./data-root.ts";
import { patientFolds, patientValidation, sexBalancedSubset } from "./subset.ts";

export function backboneSpec(cfg: ChexpertConfig): CnnBackboneSpec {
  const b = cfg.backbone;
  const preprocess = chexpertPreprocess(b.inputSize);
  if (b.model === null) {
    if (b.inputSize !== 224)
      throw new ValidationError(
        "backbone.inputSize",
        "224 for the shipped MobileNetV2 (its export has a fixed 224 x 224 input)",
        b.inputSize,
      );
    return mobilenetV2Spec(preprocess);
  }
  const fromFile = basename(b.model)
    .replace(/\.onnx$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "-")
    .replace(/^[^a-z0-9]+/, "");
  return {
    name: b.name ?? (fromFile.length > 0 ? fromFile : "onnx-cnn"),
    modelPath: resolve(b.model),
    featureTensor: b.featureTensor,
    preprocess,
    dequantize: b.dequantize === "auto" ? "auto" : null,
    ...(b.input !== null ? { inputName: b.input } : {}),
  };
}

function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function countLine(rows: readonly ChexpertRow[], labels: readonly Float64Array[]): string {
  return (
    COMPETITION_TASKS.map((name, t) => {
      const y = labels[t]!;
      const c = [0, 0, 0, 0];
      for (const v of y) c[v >= 0 ? v : 3]! += 1;
      return `${name} ${CLASS_NAMES.map((n, k) => `${n} ${c[k]}`).join(", ")}, blank/masked ${c[3]}`;
    }).join("; ") + ` (${rows.length} images)`
  );
}

export async function loadChexpert(cfg: ChexpertConfig, ctx: LoadContext): Promise<SuiteInputs> {
  const root = resolveDataRoot(cfg.data);
  const csvPath = join(root, "CheXpert-v1.0-small", `${cfg.csv}.csv`);
  if (!existsSync(csvPath))
    throw new ValidationError(
      "--data",
      `${cfg.csv}.csv inside CheXpert-v1.0-small/.\n${DOWNLOAD_HELP}`,
      csvPath,
    );
  for (const f of cfg.folds)
    if (f >= cfg.foldCount)
      throw new ValidationError("folds", `indices below foldCount (${cfg.foldCount})`, f);
  const rows = parseChexpertCsv(readFileSync(csvPath, "utf8"), csvPath);
  const sample = sexBalancedSubset(rows, { perSex: cfg.perSex, seed: cfg.dataSeed, views: cfg.views });
  const spec = backboneSpec(cfg);
  ctx.log?.(
    `chexpert: ${sample.length} images (${cfg.perSex} per sex) from ${csvPath}; features: ${spec.name} (${spec.featureTensor})`,
  );
  const feats = await extractImageFeatures(
    sample.map((i) => join(root, rows[i]!.path)),
    spec,
    {
      jobs: ctx.jobs,
      mode: cfg.backbone.mode,
      pin: cfg.backbone.pin,
      cacheDir: defaultCacheDir(),
      skipBad: cfg.skipBadImages,
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    },
  );
  const kept = feats.kept.map((k) => sample[k]!);
  const keptRows = kept.map((i) => rows[i]!);
  const labels = labelMatrix(keptRows, cfg.uncertainty);
  const fold = patientFolds(rows, kept, cfg.foldCount, cfg.dataSeed);
  const splits: SuiteSplit[] = cfg.folds.map((f) => {
    const test: number[] = [],
      trainPos: number[] = [];
    fold.forEach((g, pos) => (g === f ? test : trainPos).push(pos));
    const { train, val } = patientValidation(
      rows,
      kept,
      trainPos,
      cfg.valFraction,
      cfg.dataSeed + 1000 * (f + 1),
    );
    return { index: f, train, test, val };
  });
  const notes = [
    `Sample: ${keptRows.filter((r) => r.sex === "Male").length} male and ${keptRows.filter((r) => r.sex === "Female").length} female images from ${cfg.csv}.csv (seed ${cfg.dataSeed}, views: ${cfg.views}); ${new Set(keptRows.map((r) => r.patient)).size} patients; ${cfg.foldCount} patient-level folds.`,
    `Labels (${cfg.uncertainty}): ${countLine(keptRows, labels)}.`,
    `Features: ${feats.fromCache} images from the cache, ${feats.computed} computed.`,
    ...qmtlVariantNotes(cfg.qmtl.firstRotation, cfg.heads, 2 * CHEXPERT_TASKS.length, cfg.latentDim),
  ];
  if (feats.skipped.length > 0) {
    const first = feats.skipped
      .slice(0, 5)
      .map((s) => `${s.path} (${s.reason})`)
      .join("; ");
    notes.push(
      `Skipped ${feats.skipped.length} bad image(s) (--skip-bad-images): ${first}${feats.skipped.length > 5 ? "; ..." : ""}.`,
    );
  }
  const imagesDigest = createHash("sha256").update(feats.imageHashes.join("\n")).digest("hex");
  return {
    dataset: "CheXpert-v1.0-small",
    data: { n: feats.features.rows, dim: feats.features.cols, features: feats.features.data, labels },
    tasks: CHEXPERT_TASKS,
    classNames: CHEXPERT_TASKS.map(() => [...CLASS_NAMES]),
    splits,
    splitName: `${cfg.foldCount} patient-level folds (seed ${cfg.dataSeed}; validation: ${Math.round(cfg.valFraction * 100)}% of each fold's training patients)`,
    backbone: spec.name,
    backboneDetail: `${spec.name} (${basename(spec.modelPath)}), frozen, tensor ${spec.featureTensor}${spec.dequantize === null ? "" : " (dequantised when quantized)"}, ${feats.features.cols}-d features of ${spec.preprocess.size} x ${spec.preprocess.size} grayscale-to-RGB images with ImageNet mean/std`,
    inputHashes: { labels: sha256File(csvPath), model: feats.modelSha256, images: imagesDigest },
    notes,
  };
}
