import type { QmtlSpec } from "./qmtl.ts";

/** The paper's three QMTL configurations (Appendix B), all L = 3, L_h = 1. */
export const GLUE_TASKS = ["CoLA", "SST-2", "MRPC", "QQP", "STS-B", "QNLI", "RTE", "WNLI", "MNLI"] as const;
/** CheXpert's five pathologies, each a 3-class task (uncertain, negative, positive). */
export const CHEXPERT_TASKS = [
  "Atelectasis",
  "Cardiomegaly",
  "Consolidation",
  "Edema",
  "Pleural Effusion",
] as const;
/** Extended MUStARD's five tasks: sarcasm, implicit/explicit sentiment (3 classes), implicit/explicit emotion (9 classes). */
export const MUSTARD_TASKS = [
  "sarcasm",
  "sentiment_implicit",
  "sentiment_explicit",
  "emotion_implicit",
  "emotion_explicit",
] as const;

/** The paper's three QMTL heads (GLUE, CheXpert, MUStARD), as `resolveQmtl` takes them. */
export const PRESETS = {
  /** Q = 10, S = 1 x8 + 2 (MNLI, 3 classes); STS-B is the regression task. */
  glue: {
    encodingLayers: 3,
    headLayers: 1,
    tasks: GLUE_TASKS.map((name) =>
      name === "MNLI"
        ? { name, kind: "multiclass" as const, numClasses: 3 }
        : name === "STS-B"
          ? { name, kind: "regression" as const }
          : { name, kind: "binary" as const },
    ),
  },
  /** Q = 10, S = 2 x5, three classes (uncertain, negative, positive) per pathology. */
  chexpert: {
    encodingLayers: 3,
    headLayers: 1,
    tasks: CHEXPERT_TASKS.map((name) => ({ name, kind: "multiclass" as const, numClasses: 3 })),
  },
  /** Q = 13, S = 1, 2, 2, 4, 4. */
  mustard: {
    encodingLayers: 3,
    headLayers: 1,
    tasks: [
      { name: "sarcasm", kind: "binary" as const },
      { name: "sentiment_implicit", kind: "multiclass" as const, numClasses: 3 },
      { name: "sentiment_explicit", kind: "multiclass" as const, numClasses: 3 },
      { name: "emotion_implicit", kind: "multiclass" as const, numClasses: 9 },
      { name: "emotion_explicit", kind: "multiclass" as const, numClasses: 9 },
    ],
  },
} satisfies Record<string, QmtlSpec>;

/** One of the paper's presets: "glue", "chexpert", "mustard". */
export type PresetName = keyof typeof PRESETS;
/** The names of PRESETS: glue, chexpert, mustard. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
