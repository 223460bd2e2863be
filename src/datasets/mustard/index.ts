/**
 * Extended MUStARD (paper Sections 5.2.3, Appendix A.3, B.3, C.3): sarcasm,
 * implicit/explicit sentiment and emotion of 690 sitcom utterances, the
 * official five speaker-dependent folds, text features from a frozen encoder.
 */
import type { Suite } from "../../experiments/suite.ts";
import { parseSuiteConfig } from "../../experiments/config.ts";
import { runExperimentIn, type ExperimentEvent } from "../../experiments/engine.ts";
import type { ExperimentResults } from "../../experiments/report/results-types.ts";
import {
  checkMustardConfig,
  HEAD_IDS,
  mustardConfigSchema,
  mustardFolds,
  type MustardConfig,
} from "./config.ts";
import { mustardHeadPlans } from "./heads.ts";
import { loadMustardInputs } from "./load.ts";
import { mustardDifferences } from "./differences.ts";

/** The Extended MUStARD suite: sarcasm, sentiment and emotion on the embedded data (`qmtl run mustard`). */
export const mustardSuite: Suite<MustardConfig> = {
  name: "mustard",
  title: "Extended MUStARD",
  summary: "sarcasm, sentiment and emotion of 690 sitcom utterances (embedded data, official 5 folds)",
  schema: mustardConfigSchema,
  headIds: HEAD_IDS,
  flags: [
    {
      flag: "--folds <list>",
      description: "comma-separated fold indices 0-4 (paper: all five)",
      field: "folds",
      parse: "int-list",
    },
    {
      flag: "--backbone <name>",
      description: "text backbone for the features: use (default) or glove",
      field: "backbone",
      parse: "string",
    },
    {
      flag: "--features <file>",
      description: "your own per-utterance features (.npy, .npz or .json) instead of a text backbone",
      field: "features",
      parse: "path",
    },
    {
      flag: "--features-key <name>",
      description: "the array of a multi-array .npz to use",
      field: "featuresKey",
      parse: "string",
    },
    {
      flag: "--split <name>",
      description: "speaker-dependent (default, the official 5 folds) or speaker-independent",
      field: "split",
      parse: "string",
    },
  ],
  check: checkMustardConfig,
  splitIndices: mustardFolds,
  load: (cfg, ctx) =>
    loadMustardInputs(cfg, (done, total) =>
      ctx.onProgress?.("embedding texts (once; cached in .cache/)", done, total),
    ),
  heads: (cfg, inputs) => mustardHeadPlans(cfg, inputs.tasks, inputs.data.dim),
  differences: mustardDifferences,
  stratifyBy: (cfg) => cfg.selection.task,
};

/** Validates a MUStARD config (defaults filled in; every bad field named). */
export function parseMustardConfig(raw: unknown, source = "config"): MustardConfig {
  return parseSuiteConfig(mustardSuite, raw, source);
}

/** Runs the MUStARD comparison into runDir (created, or resumed when it holds this run) and returns its results. */
export function runMustard(
  cfg: MustardConfig,
  runDir: string,
  onEvent?: (e: ExperimentEvent) => void,
): Promise<ExperimentResults> {
  return runExperimentIn(mustardSuite, cfg, runDir, { mode: "resume", onEvent });
}
