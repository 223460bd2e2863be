import { join } from "node:path";
import { ValidationError } from "../../core/errors.ts";
import { defaultMustardDir } from "../../data/data-paths.ts";
import {
  asArray,
  asInt,
  asObject,
  asString,
  asStringArray,
  member,
  type JsonObject,
} from "../../data/json-fields.ts";
import { emotionIndex, parseEmotionCell, sarcasmIndex, sentimentIndex } from "./labels.ts";
import { MUSTARD_TASK_NAMES, mustardTasks, type MustardTaskName, type TaskMeta } from "./tasks.ts";
import { readJsonFile } from "../../data/read-json-file.ts";

/**
 * The Extended MUStARD dataset as shipped in data/mustard/extended_mustard.json
 * (see data/mustard/PROVENANCE.md): 690 target utterances with their dialogue
 * context and five labels each. Labels are derived here from the raw sheet
 * codes (rules in mustard-labels.ts) and cross-checked against the file's
 * precomputed `labels` block.
 */

export const MUSTARD_SIZE = 690;

export type TaskLabels = Readonly<Record<MustardTaskName, number>>;

/** Class indices of a context row; null where the source code lies outside the codebook. */
export interface ContextLabels {
  readonly sentiment_implicit: number | null;
  readonly sentiment_explicit: number | null;
  readonly emotion_implicit: number | null;
  readonly emotion_explicit: number | null;
}

/** One annotated context row of the Extended MUStARD sheet. */
export interface ContextAnnotation {
  readonly key: string;
  readonly speaker: string;
  readonly text: string;
  readonly labels: ContextLabels;
}

export interface MustardItem {
  /** Position in the dataset; the official split indices refer to it. */
  readonly index: number;
  readonly id: string;
  readonly show: string;
  readonly speaker: string;
  /** The target utterance (original MUStARD text). */
  readonly text: string;
  /** Preceding dialogue turns, oldest first (original MUStARD text). */
  readonly context: readonly string[];
  readonly contextSpeakers: readonly string[];
  /** Class index per task. */
  readonly labels: TaskLabels;
  readonly contextAnnotations: readonly ContextAnnotation[];
  /** Present where the annotation sheet's utterance or speaker differs from the original text (2 items). */
  readonly annotationSheet?: { readonly speaker: string; readonly text: string };
}

/** A cell that listed several emotions; `kept` is the first listed one (class index). */
export interface MultiLabelCell {
  readonly field: string;
  readonly listed: readonly number[];
  readonly kept: number;
}

/** A context-row code outside the codebook, stored as null. */
export interface LabelAnomaly {
  readonly field: string;
  readonly value: unknown;
}

export interface MustardDataset {
  readonly items: readonly MustardItem[];
  readonly tasks: readonly TaskMeta[];
  readonly multiLabelCells: readonly MultiLabelCell[];
  readonly contextAnomalies: readonly LabelAnomaly[];
}

export interface ParseMustardOptions {
  /** Name used in error messages. */
  readonly source?: string;
  /** Required number of items; default 690. */
  readonly expectedCount?: number;
}

/** Loads and validates `<dir>/extended_mustard.json` (default: the embedded copy). */
export function loadMustard(dir: string = defaultMustardDir()): MustardDataset {
  const path = join(dir, "extended_mustard.json");
  return parseMustard(readJsonFile(path, "Extended MUStARD labels"), { source: path });
}

/** Validates parsed JSON of the extended_mustard.json shape. */
export function parseMustard(json: unknown, options: ParseMustardOptions = {}): MustardDataset {
  const src = options.source ?? "extended_mustard.json";
  const expectedCount = options.expectedCount ?? MUSTARD_SIZE;
  const root = asObject(src, json);
  const meta = asObject(`${src} meta`, member(src, root, "meta"));
  const sentimentNames = asStringArray(
    `${src} meta.sentiment_names`,
    member(`${src} meta`, meta, "sentiment_names"),
  );
  const emotionNames = asStringArray(
    `${src} meta.emotion_names`,
    member(`${src} meta`, meta, "emotion_names"),
  );
  if (sentimentNames.length !== 3)
    throw new ValidationError(`${src} meta.sentiment_names`, "3 names", sentimentNames);
  if (emotionNames.length !== 9)
    throw new ValidationError(`${src} meta.emotion_names`, "9 names", emotionNames);

  const rawItems = asArray(`${src} items`, member(src, root, "items"));
  if (rawItems.length !== expectedCount) {
    throw new ValidationError(`${src} items`, `${expectedCount} items`, `${rawItems.length} items`);
  }
  const multiLabelCells: MultiLabelCell[] = [];
  const contextAnomalies: LabelAnomaly[] = [];
  const seen = new Map<string, number>();
  const items = rawItems.map((raw, i) => {
    const item = parseItem(`${src} items[${i}]`, raw, i, multiLabelCells, contextAnomalies);
    const prev = seen.get(item.id);
    if (prev !== undefined)
      throw new ValidationError(`${src} items[${i}].id`, `an id not used before (items[${prev}])`, item.id);
    seen.set(item.id, i);
    return item;
  });
  return { items, tasks: mustardTasks(sentimentNames, emotionNames), multiLabelCells, contextAnomalies };
}

/** The class-index vector of one task, in item order. */
export function taskLabels(ds: MustardDataset, task: MustardTaskName): Int32Array {
  return Int32Array.from(ds.items, (it) => it.labels[task]);
}

export function mustardIds(ds: MustardDataset): string[] {
  return ds.items.map((it) => it.id);
}

/** The dialogue context of an item as one string (lines joined with a space). */
export function contextText(item: MustardItem): string {
  return item.context.join(" ");
}

function parseItem(
  f: string,
  raw: unknown,
  position: number,
  multi: MultiLabelCell[],
  anomalies: LabelAnomaly[],
): MustardItem {
  const o = asObject(f, raw);
  const index = asInt(`${f}.index`, member(f, o, "index"));
  if (index !== position) throw new ValidationError(`${f}.index`, `${position} (its position)`, index);
  const id = asString(`${f}.id`, member(f, o, "id"));
  if (id.length === 0) throw new ValidationError(`${f}.id`, "a non-empty string", id);
  const show = asString(`${f}.show`, member(f, o, "show"));
  const speaker = asString(`${f}.speaker`, member(f, o, "speaker"));
  const text = asString(`${f}.utterance`, member(f, o, "utterance"));
  const context = asStringArray(`${f}.context`, member(f, o, "context"));
  const contextSpeakers = asStringArray(`${f}.context_speakers`, member(f, o, "context_speakers"));
  if (contextSpeakers.length !== context.length) {
    throw new ValidationError(
      `${f}.context_speakers`,
      `length ${context.length} (one per context line)`,
      contextSpeakers,
    );
  }

  const emotion = (task: "emotion_implicit" | "emotion_explicit"): number => {
    const cell = parseEmotionCell(`${f}.${task}`, member(f, o, task));
    const kept = emotionIndex(cell.code);
    if (cell.listed.length > 1) multi.push({ field: `${f}.${task} (id ${id})`, listed: cell.listed, kept });
    return kept;
  };
  const labels: TaskLabels = {
    sarcasm: sarcasmIndex(`${f}.sarcasm`, member(f, o, "sarcasm")),
    sentiment_implicit: sentimentIndex(`${f}.sentiment_implicit`, member(f, o, "sentiment_implicit")),
    sentiment_explicit: sentimentIndex(`${f}.sentiment_explicit`, member(f, o, "sentiment_explicit")),
    emotion_implicit: emotion("emotion_implicit"),
    emotion_explicit: emotion("emotion_explicit"),
  };
  if ("labels" in o) checkPrecomputedLabels(`${f}.labels`, asObject(`${f}.labels`, o["labels"]), labels);

  const annRaw =
    "context_annotations" in o ? asArray(`${f}.context_annotations`, o["context_annotations"]) : [];
  const contextAnnotations = annRaw.map((a, k) =>
    parseContextAnnotation(`${f}.context_annotations[${k}]`, a, id, multi, anomalies),
  );

  const sheet = o["annotation_sheet_utterance"];
  const base = { index, id, show, speaker, text, context, contextSpeakers, labels, contextAnnotations };
  if (sheet === undefined) return base;
  const s = asObject(`${f}.annotation_sheet_utterance`, sheet);
  return {
    ...base,
    annotationSheet: {
      speaker: asString(
        `${f}.annotation_sheet_utterance.speaker`,
        member(`${f}.annotation_sheet_utterance`, s, "speaker"),
      ),
      text: asString(
        `${f}.annotation_sheet_utterance.sentence`,
        member(`${f}.annotation_sheet_utterance`, s, "sentence"),
      ),
    },
  };
}

function checkPrecomputedLabels(f: string, given: JsonObject, derived: TaskLabels): void {
  for (const task of MUSTARD_TASK_NAMES) {
    const v = given[task];
    if (v !== derived[task]) {
      throw new ValidationError(`${f}.${task}`, `${derived[task]} (the class index of the raw code)`, v);
    }
  }
}

/**
 * Context rows are not training targets. A code outside the codebook there
 * (the source has one: 1_11055##1151 sentiment_explicit = -2) is kept as
 * null and reported, rather than rejecting the whole dataset.
 */
function parseContextAnnotation(
  f: string,
  raw: unknown,
  id: string,
  multi: MultiLabelCell[],
  anomalies: LabelAnomaly[],
): ContextAnnotation {
  const o = asObject(f, raw);
  const lenient = (task: keyof ContextLabels): number | null => {
    const field = `${f}.${task}`;
    const cell = member(f, o, task);
    try {
      if (task === "sentiment_implicit" || task === "sentiment_explicit") return sentimentIndex(field, cell);
      const e = parseEmotionCell(field, cell);
      if (e.listed.length > 1)
        multi.push({ field: `${field} (id ${id})`, listed: e.listed, kept: emotionIndex(e.code) });
      return emotionIndex(e.code);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      anomalies.push({ field: `${field} (id ${id})`, value: cell });
      return null;
    }
  };
  return {
    key: asString(`${f}.key`, member(f, o, "key")),
    speaker: asString(`${f}.speaker`, member(f, o, "speaker")),
    text: asString(`${f}.sentence`, member(f, o, "sentence")),
    labels: {
      sentiment_implicit: lenient("sentiment_implicit"),
      sentiment_explicit: lenient("sentiment_explicit"),
      emotion_implicit: lenient("emotion_implicit"),
      emotion_explicit: lenient("emotion_explicit"),
    },
  };
}
