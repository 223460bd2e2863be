import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.ts";
import { defaultMustardDir, repoRoot } from "../../src/data/data-paths.ts";
import { contextText, loadMustard, mustardIds, parseMustard, taskLabels } from "../../src/datasets/mustard/dataset.ts";
import { parseEmotionCell, sentimentIndex } from "../../src/datasets/mustard/labels.ts";
import { MUSTARD_TASK_NAMES } from "../../src/datasets/mustard/tasks.ts";
import { rawMustard } from "../fixtures/data/mustard-fixture.ts";

function counts(y: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  y.forEach((v) => c[v]++);
  return c;
}

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("the embedded Extended MUStARD dataset", () => {
  const ds = loadMustard();

  it("is read from inside the repository", () => {
    expect(relative(repoRoot(), defaultMustardDir())).toBe(join("data", "mustard"));
  });

  it("has 690 items with unique ids, in index order", () => {
    expect(ds.items).toHaveLength(690);
    expect(new Set(mustardIds(ds)).size).toBe(690);
    ds.items.forEach((it, i) => expect(it.index).toBe(i));
    expect(ds.items[0]?.id).toBe("1_60");
  });

  it("exposes the five tasks with their class names", () => {
    expect(ds.tasks.map((t) => t.name)).toEqual([...MUSTARD_TASK_NAMES]);
    expect(ds.tasks.map((t) => [t.kind, t.numClasses])).toEqual([
      ["binary", 2],
      ["multiclass", 3],
      ["multiclass", 3],
      ["multiclass", 9],
      ["multiclass", 9],
    ]);
    expect(ds.tasks[1]?.classNames).toEqual(["negative", "neutral", "positive"]);
    expect(ds.tasks[3]?.classNames).toEqual(["Anger", "Excited", "Fear", "Sad", "Surprised", "Frustrated", "Happy", "Neutral", "Disgust"]);
  });

  it("has the label counts stated in PROVENANCE.md", () => {
    expect(counts(taskLabels(ds, "sarcasm"), 2)).toEqual([345, 345]);
    expect(counts(taskLabels(ds, "sentiment_implicit"), 3)).toEqual([391, 89, 210]);
    expect(counts(taskLabels(ds, "sentiment_explicit"), 3)).toEqual([246, 119, 325]);
    expect(counts(taskLabels(ds, "emotion_implicit"), 9)).toEqual([87, 17, 12, 117, 28, 52, 141, 198, 38]);
    expect(counts(taskLabels(ds, "emotion_explicit"), 9)).toEqual([47, 27, 5, 115, 34, 21, 203, 228, 10]);
  });

  it("keeps text, context and speakers of the first item", () => {
    const it0 = ds.items[0];
    expect(it0?.text).toBe("It's just a privilege to watch your mind at work.");
    expect(it0?.speaker).toBe("SHELDON");
    expect(it0?.show).toBe("BBT");
    expect(it0?.contextSpeakers).toEqual(["LEONARD", "SHELDON"]);
    expect(it0 && contextText(it0)).toBe(
      "I never would have identified the fingerprints of string theory in the aftermath of the Big Bang. My apologies. What's your plan?",
    );
    expect(it0?.labels).toEqual({ sarcasm: 1, sentiment_implicit: 0, sentiment_explicit: 2, emotion_implicit: 8, emotion_explicit: 1 });
  });

  it("has no multi-label emotion cell, in targets or context rows", () => {
    expect(ds.multiLabelCells).toEqual([]);
    const ctxRows = ds.items.reduce((s, it) => s + it.contextAnnotations.length, 0);
    expect(ctxRows).toBe(2261);
  });

  it("keeps the one out-of-codebook context code as null and reports it", () => {
    expect(ds.contextAnomalies).toHaveLength(1);
    expect(ds.contextAnomalies[0]?.field).toContain("id 1_11055");
    expect(ds.contextAnomalies[0]?.value).toBe(-2);
    const item = ds.items.find((x) => x.id === "1_11055");
    expect(item?.contextAnnotations[1]?.labels.sentiment_explicit).toBeNull();
    expect(item?.contextAnnotations[1]?.labels.sentiment_implicit).toBe(0);
  });

  it("records the two items whose annotation-sheet text differs", () => {
    expect(ds.items.filter((x) => x.annotationSheet).map((x) => x.id)).toEqual(["1_5617", "2_24"]);
  });
});

describe("multi-label emotion cells: the first listed emotion is kept", () => {
  it("parses single codes, lists and separated strings", () => {
    expect(parseEmotionCell("c", 4)).toEqual({ code: 4, listed: [4] });
    expect(parseEmotionCell("c", "7")).toEqual({ code: 7, listed: [7] });
    expect(parseEmotionCell("c", "4,6")).toEqual({ code: 4, listed: [4, 6] });
    expect(parseEmotionCell("c", "6; 4")).toEqual({ code: 6, listed: [6, 4] });
    expect(parseEmotionCell("c", [9, 1])).toEqual({ code: 9, listed: [9, 1] });
  });

  it("rejects codes outside 1..9, naming the field", () => {
    expect(fieldOf(() => parseEmotionCell("x.emotion", 0))).toBe("x.emotion");
    expect(fieldOf(() => parseEmotionCell("x.emotion", "4,10"))).toBe("x.emotion[1]");
    expect(fieldOf(() => parseEmotionCell("x.emotion", ""))).toBe("x.emotion");
    expect(() => sentimentIndex("s", 2)).toThrow(/s: expected a sentiment code/);
  });

  it("applies the rule when loading and reports each such cell", () => {
    const raw = rawMustard(6);
    const item = raw.items[2] as Record<string, unknown>;
    item["emotion_implicit"] = "4,6";
    item["emotion_explicit"] = [6, 4];
    delete item["labels"];
    const ds = parseMustard(raw, { expectedCount: 6 });
    expect(ds.items[2]?.labels.emotion_implicit).toBe(3);
    expect(ds.items[2]?.labels.emotion_explicit).toBe(5);
    expect(ds.multiLabelCells.map((c) => [c.listed, c.kept])).toEqual([
      [[4, 6], 3],
      [[6, 4], 5],
    ]);
  });
});

describe("validation of a corrupt dataset", () => {
  const cases: [string, (r: ReturnType<typeof rawMustard>) => void, string][] = [
    ["a sentiment code out of range", (r) => void ((r.items[3] as Record<string, unknown>)["sentiment_implicit"] = 5), "items[3].sentiment_implicit"],
    ["a missing emotion", (r) => void delete (r.items[1] as Record<string, unknown>)["emotion_explicit"], "items[1].emotion_explicit"],
    ["a non-binary sarcasm label", (r) => void ((r.items[0] as Record<string, unknown>)["sarcasm"] = 2), "items[0].sarcasm"],
    ["a precomputed label that disagrees", (r) => void (((r.items[4] as Record<string, unknown>)["labels"] as Record<string, unknown>)["emotion_implicit"] = 0), "items[4].labels.emotion_implicit"],
    ["a duplicate id", (r) => void ((r.items[5] as Record<string, unknown>)["id"] = (r.items[0] as Record<string, unknown>)["id"]), "items[5].id"],
    ["an index out of place", (r) => void ((r.items[2] as Record<string, unknown>)["index"] = 7), "items[2].index"],
    ["a context line without speaker", (r) => void ((r.items[2] as Record<string, unknown>)["context_speakers"] = []), "items[2].context_speakers"],
    ["a non-string utterance", (r) => void ((r.items[1] as Record<string, unknown>)["utterance"] = 3), "items[1].utterance"],
    ["missing class names", (r) => void delete r.meta["emotion_names"], "meta.emotion_names"],
  ];
  for (const [what, corrupt, field] of cases) {
    it(`names the field for ${what}`, () => {
      const raw = rawMustard(8);
      corrupt(raw);
      expect(fieldOf(() => parseMustard(raw, { expectedCount: 8 }))).toBe(`extended_mustard.json ${field}`);
    });
  }

  it("requires 690 items by default", () => {
    expect(() => parseMustard(rawMustard(8))).toThrow(/items: expected 690 items, got "8 items"/);
  });

  it("reports a missing or non-JSON file by path", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-mustard-"));
    expect(() => loadMustard(dir)).toThrow(/extended_mustard\.json: expected a readable file/);
    writeFileSync(join(dir, "extended_mustard.json"), '{"meta": {');
    expect(() => loadMustard(dir)).toThrow(/extended_mustard\.json: expected valid JSON/);
  });
});
