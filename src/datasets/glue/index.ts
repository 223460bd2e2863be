/**
 * The GLUE suite (paper Sections 5.1-5.2.1, Appendix A.1, B.1, C.1, Fig. 5):
 * the tasks present (six shipped, nine with --data), a frozen text encoder
 * embedded once per distinct sentence on every core and cached per sentence,
 * the paper's pair features, four heads and the task-sampled protocol.
 */
import type { Suite, SuiteInputs } from "../../experiments/suite.ts";
import { defaultCacheDir } from "../../backbones/feature-cache.ts";
import { bertOnnxModelId } from "../../backbones/bert-onnx.ts";
import type { EmbedRecipe } from "../../backbones/embed-recipe.ts";
import { embedTextsParallel } from "../../backbones/parallel-embed.ts";
import { TextVectorStore } from "../../backbones/text-vector-store.ts";
import { useLiteModelId } from "../../backbones/use-lite-files.ts";
import { ValidationError } from "../../core/errors.ts";
import type { MultiTaskData } from "../../training/dataset.ts";
import { checkGlueConfig, glueConfigSchema, GLUE_HEAD_IDS, type GlueConfig } from "./config.ts";
import { glueRows, glueTexts } from "./features.ts";
import { glueHeadPlans, glueQubits, updatesPerEpoch, validateEveryFor } from "./heads.ts";
import { defaultGlueDir, loadGlue } from "./load.ts";
import { glueDifferences } from "./differences.ts";
import { qmtlVariantNotes } from "../../experiments/qmtl-variant-notes.ts";

/** The report's note on how often validation ran. */
function validationNote(cfg: GlueConfig, updates: number): string {
  const every = validateEveryFor(cfg, updates);
  const text = "updates" in every ? `${every.updates} updates` : `${every.epochs} epoch(s)`;
  return cfg.validateEvery === "auto"
    ? `Validation every ${text}: the paper's 2,000 scaled by ${updates} updates per epoch here over its 1,366 with all nine tasks (same validations per epoch).`
    : `Validation every ${text} (set in the config; the paper: every 2,000 updates; ${updates} updates per epoch here).`;
}

/** USE_LITE_DIM of use-lite.ts, which loads TensorFlow.js on import (a cached run never needs it). */
export const USE_DIM = 512;

/** The training rows of each dataset `load` returned (heads() is given only tasks and data). */
const trainRowsOf = new WeakMap<MultiTaskData, readonly number[]>();

async function backboneOf(
  cfg: GlueConfig,
): Promise<{ recipe: EmbedRecipe; modelId: string; dim: number; detail: string }> {
  if (cfg.backbone === "use") {
    return {
      recipe: { kind: "use" },
      modelId: useLiteModelId(),
      dim: USE_DIM,
      detail: `Universal Sentence Encoder lite (TF.js, frozen), ${USE_DIM}-d per sentence`,
    };
  }
  const dir = cfg.bertDir!;
  const { loadBertOnnx } = await import("../../backbones/bert-onnx.ts");
  // one load in this thread to learn the hidden size (and fail early on a bad folder)
  const probe = await loadBertOnnx(dir, { pooling: cfg.pooling, maxLength: cfg.maxLength, threads: 1 });
  const dim = probe.dim;
  probe.dispose();
  return {
    recipe: { kind: "bert-onnx", dir, pooling: cfg.pooling, maxLength: cfg.maxLength, threads: 1 },
    modelId: bertOnnxModelId(dir, cfg.pooling, cfg.maxLength),
    dim,
    detail: `BERT-family ONNX encoder from ${dir} (frozen, WordPiece, max length ${cfg.maxLength}, ${cfg.pooling} pooling), ${dim}-d per sentence`,
  };
}

async function loadGlueInputs(
  cfg: GlueConfig,
  ctx: Parameters<Suite<GlueConfig>["load"]>[1],
): Promise<SuiteInputs> {
  const tasks = loadGlue(cfg.data ?? defaultGlueDir(), cfg.tasks);
  const bb = await backboneOf(cfg);
  const texts = glueTexts(tasks);
  const store = TextVectorStore.open(cfg.backbone, bb.modelId, bb.dim, {
    cacheDir: defaultCacheDir(),
    ...(ctx.log && { warn: ctx.log }),
  });
  const emb = await embedTextsParallel(texts, {
    recipe: bb.recipe,
    jobs: ctx.jobs,
    store,
    onProgress: (done, total) => ctx.onProgress?.("embedding sentences", done, total),
  });
  ctx.log?.(
    `sentences: ${texts.length} texts, ${emb.unique} distinct, ${emb.fromStore} from the cache, ${emb.embedded} embedded on ${ctx.jobs} worker(s) in ${emb.seconds.toFixed(1)} s`,
  );
  const rows = glueRows(tasks, (t) => emb.vectors.get(t)!, bb.dim);
  trainRowsOf.set(rows.data, rows.train);
  const skipped = tasks.flatMap((t) =>
    [...t.train.skipped, ...t.dev.skipped].map((s) => ({ task: t.spec.name, ...s })),
  );
  const updates = updatesPerEpoch(rows.tasks, rows.data, rows.train, cfg.batchSize, cfg.batchCap);
  const inputHashes: Record<string, string> = { backbone: bb.modelId };
  for (const t of tasks) Object.assign(inputHashes, t.hashes);
  const notes = [
    `Tasks: ${tasks.map((t) => `${t.spec.name} (${t.train.examples.length} train / ${t.dev.examples.length} dev)`).join(", ")}; QMTL register Q = ${glueQubits(rows.tasks)}.`,
    `Rows skipped as GLUE practice does (QQP rows with too few columns): ${skipped.length}${
      skipped.length
        ? ` (${skipped
            .slice(0, 5)
            .map((s) => `${s.file}:${s.line}`)
            .join(", ")}${skipped.length > 5 ? ", ..." : ""})`
        : ""
    }.`,
    `Primary metrics (selection: their macro average): ${tasks.map((t) => `${t.spec.name} ${t.spec.primary}`).join(", ")}; secondary: ${tasks.map((t) => `${t.spec.name} ${t.spec.secondary}`).join(", ")}.`,
    validationNote(cfg, updates),
    "STS-B scores are divided by 5; MNLI's matched and mismatched dev sets are concatenated; test splits are not used (no labels): selection and the reported numbers are on dev, as in the paper.",
    `Sentences: ${emb.unique} distinct of ${texts.length}; ${emb.fromStore} came from the per-sentence cache, ${emb.embedded} were embedded (${emb.seconds.toFixed(1)} s on ${ctx.jobs} worker(s)).`,
    ...qmtlVariantNotes(
      cfg.qmtl.firstRotation,
      cfg.heads,
      glueQubits(rows.tasks),
      glueQubits(rows.tasks) * cfg.qmtl.encodingLayers,
    ),
    "For context, frozen-sentence-encoder baselines (e.g. CBoW over GloVe, InferSent, GenSen) are reported by Wang et al., GLUE (ICLR 2019), Table 4 (test) and its appendix (dev); their numbers are not reproduced here because they could not be checked against the paper offline.",
  ];
  return {
    dataset: "GLUE",
    data: rows.data,
    tasks: rows.tasks,
    classNames: rows.classNames,
    splits: [{ index: 0, train: rows.train, test: rows.dev, val: rows.dev }],
    splitName:
      "official train / dev (dev selects the checkpoint and is reported, as in the paper; test labels are not public)",
    backbone: cfg.backbone,
    backboneDetail: `${bb.detail}; pair tasks [s1; s2; |s1 - s2|; s1 * s2] (paper Eq. 22), single-sentence tasks [s; 0; 0; 0] = ${rows.data.dim} features`,
    inputHashes,
    notes,
  };
}

/**
 * GLUE (paper Sec. 5.1-5.2.1, App. A.1, B.1, C.1; Fig. 5): the tasks present in the data folder (six shipped,
 * nine with a full glue_data/), frozen sentence features, the task-sampled protocol, evaluation on dev.
 * @example
 *   qmtl run glue --seeds 0 --heads qmtl,classical
 */
export const glueSuite: Suite<GlueConfig> = {
  name: "glue",
  title: "GLUE",
  summary:
    "GLUE (six shipped tasks, all nine with --data): frozen text encoder, task-sampled training, four heads",
  schema: glueConfigSchema,
  headIds: GLUE_HEAD_IDS,
  flags: [
    {
      flag: "--data <dir>",
      description: "a glue_data/ folder in the official layout (default: the six shipped tasks)",
      field: "data",
      parse: "path",
    },
    {
      flag: "--tasks <list>",
      description: "comma-separated subset of the tasks present",
      field: "tasks",
      parse: "list",
    },
    {
      flag: "--backbone <name>",
      description: "use (default) or bert-onnx",
      field: "backbone",
      parse: "string",
    },
    {
      flag: "--bert-dir <dir>",
      description: "folder with model.onnx and vocab.txt (backbone bert-onnx)",
      field: "bertDir",
      parse: "path",
    },
    {
      flag: "--pooling <kind>",
      description: "bert-onnx pooling: mean, max or cls",
      field: "pooling",
      parse: "string",
    },
    {
      flag: "--batch-cap <n>",
      description: "batches per task per epoch (paper: 300)",
      field: "batchCap",
      parse: "int",
    },
  ],
  check: checkGlueConfig,
  splitIndices: () => [0],
  load: loadGlueInputs,
  heads: (cfg, inputs) => {
    const train = trainRowsOf.get(inputs.data);
    if (train === undefined)
      throw new ValidationError(
        "glue heads",
        "the data that glueSuite.load returned (its training rows set the validation interval)",
      );
    return glueHeadPlans(cfg, inputs.tasks, inputs.data, train);
  },
  differences: glueDifferences,
  stratifyBy: () => "CoLA",
  report: {
    paperFigure: "Fig. 5",
    validation: () =>
      "validation and test are both the GLUE dev sets (as in the paper; GLUE's test labels are not public)",
  },
};
