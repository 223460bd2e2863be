/**
 * The five Extended MUStARD tasks (Chauhan et al., 2020) and their metadata.
 * Order is fixed and is the order every label matrix, head and report uses.
 */

export const MUSTARD_TASK_NAMES = [
  "sarcasm",
  "sentiment_implicit",
  "sentiment_explicit",
  "emotion_implicit",
  "emotion_explicit",
] as const;

export type MustardTaskName = (typeof MUSTARD_TASK_NAMES)[number];

export type TaskKind = "binary" | "multiclass";

export interface TaskMeta {
  readonly name: MustardTaskName;
  readonly kind: TaskKind;
  /** 2 for the binary task (the head may still emit a single logit). */
  readonly numClasses: number;
  /** classNames[k] names class index k. */
  readonly classNames: readonly string[];
}

export const SARCASM_CLASS_NAMES = ["not sarcastic", "sarcastic"] as const;

/** Builds the task list from the class names found in the dataset's meta. */
export function mustardTasks(sentimentNames: readonly string[], emotionNames: readonly string[]): TaskMeta[] {
  return [
    { name: "sarcasm", kind: "binary", numClasses: 2, classNames: [...SARCASM_CLASS_NAMES] },
    {
      name: "sentiment_implicit",
      kind: "multiclass",
      numClasses: sentimentNames.length,
      classNames: [...sentimentNames],
    },
    {
      name: "sentiment_explicit",
      kind: "multiclass",
      numClasses: sentimentNames.length,
      classNames: [...sentimentNames],
    },
    {
      name: "emotion_implicit",
      kind: "multiclass",
      numClasses: emotionNames.length,
      classNames: [...emotionNames],
    },
    {
      name: "emotion_explicit",
      kind: "multiclass",
      numClasses: emotionNames.length,
      classNames: [...emotionNames],
    },
  ];
}

export function isMustardTaskName(s: string): s is MustardTaskName {
  return (MUSTARD_TASK_NAMES as readonly string[]).includes(s);
}
