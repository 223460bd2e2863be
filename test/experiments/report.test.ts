import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import { writeReport } from "../../src/experiments/report/write-report.ts";
import {
  parseExperimentResults,
  readExperimentResults,
  type ExperimentResults,
} from "../../src/experiments/report/results-types.ts";
import { baselineVerdict, mainTask, taskWinners } from "../../src/experiments/report/analysis.ts";
import { baselineStatement, buildMarkdown } from "../../src/experiments/report/markdown.ts";
import { chooseFont, resvgOptions } from "../../src/experiments/report/fonts.ts";
import { BASELINE_LABEL, taskTitle } from "../../src/experiments/report/style.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { meanStd } from "../../src/training/summary.ts";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "../fixtures/report/sample-results.json");

function sample(): ExperimentResults {
  return JSON.parse(readFileSync(FIXTURE, "utf8")) as ExperimentResults;
}

/** Width and height from a PNG's IHDR chunk; throws unless the signature is PNG's. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, i) => expect(bytes[i]).toBe(b));
  expect(bytes.toString("ascii", 12, 16)).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("sample results fixture", () => {
  it("is valid and its summary is the mean/std of its runs", () => {
    const r = parseExperimentResults(sample());
    expect(r.heads.map((h) => h.id)).toEqual(["qmtl", "classical", "hqnn-4", "hqnn-13"]);
    expect(r.tasks.map((t) => t.name)).toEqual([
      "sarcasm",
      "sentiment_implicit",
      "sentiment_explicit",
      "emotion_implicit",
      "emotion_explicit",
    ]);
    for (const h of r.heads) {
      const runs = r.runs.filter((x) => x.head === h.id);
      expect(runs).toHaveLength(5);
      const s = meanStd(runs.map((x) => x.test["sarcasm"]!["accuracy"]!));
      expect(r.summary[h.id]!["sarcasm"]!["accuracy"]!.mean).toBeCloseTo(s.mean, 12);
      expect(r.summary[h.id]!["sarcasm"]!["accuracy"]!.std).toBeCloseTo(s.std, 12);
    }
  });

  it("reads back from disk", () => {
    expect(readExperimentResults(FIXTURE).name).toBe("mustard-sample");
  });
});

describe("writeReport", () => {
  let dir: string;
  let files: string[];
  const results = sample();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "qmtl-report-"));
    ({ files } = await writeReport(join(dir, "run"), results));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes report.md and both figures as SVG and PNG, and nothing else", () => {
    const names = ["report.md", "fig-metrics.svg", "fig-metrics.png", "fig-params.svg", "fig-params.png"];
    expect(files).toEqual(names.map((n) => join(dir, "run", n)));
    expect(readdirSync(join(dir, "run")).sort()).toEqual([...names].sort());
  });

  it("produces valid PNGs of a reasonable size", () => {
    for (const name of ["fig-metrics.png", "fig-params.png"]) {
      const bytes = readFileSync(join(dir, "run", name));
      const { width, height } = pngSize(bytes);
      expect(width).toBeGreaterThanOrEqual(800);
      expect(width).toBeLessThanOrEqual(4000);
      expect(height).toBeGreaterThanOrEqual(300);
      expect(height).toBeLessThanOrEqual(3000);
      expect(statSync(join(dir, "run", name)).size).toBeGreaterThan(20_000);
    }
  });

  it("puts every task and head label in the metrics SVG and every head in the params SVG", () => {
    const metrics = readFileSync(join(dir, "run", "fig-metrics.svg"), "utf8");
    expect(metrics.startsWith("<svg")).toBe(true);
    for (const t of results.tasks) expect(metrics).toContain(taskTitle(t));
    for (const h of results.heads) expect(metrics).toContain(h.label);
    expect(metrics).toContain(BASELINE_LABEL);
    for (const m of ["Acc", "P", "R", "F1"]) expect(metrics).toContain(`>${m}<`);
    const params = readFileSync(join(dir, "run", "fig-params.svg"), "utf8");
    for (const h of results.heads) expect(params).toContain(h.label);
    expect(params).toContain("1,000");
    expect(params).toContain("78");
  });

  it("writes a table row per head for every task, plus the baseline, with the best head in bold", () => {
    const md = readFileSync(join(dir, "run", "report.md"), "utf8");
    const lines = md.split("\n");
    for (const h of results.heads) {
      // one row per task table, plus the parameter and timing tables
      expect(lines.filter((l) => l.startsWith(`| ${h.label} |`))).toHaveLength(results.tasks.length + 2);
    }
    expect(lines.filter((l) => l.startsWith(`| _${BASELINE_LABEL}_ |`))).toHaveLength(results.tasks.length);
    const best = [...results.heads].sort(
      (a, b) =>
        results.summary[b.id]!["sarcasm"]!["accuracy"]!.mean -
        results.summary[a.id]!["sarcasm"]!["accuracy"]!.mean,
    )[0]!;
    const sarcasmRows = md.slice(md.indexOf("### Sarcasm"), md.indexOf("### Sentiment implicit")).split("\n");
    const bestRow = sarcasmRows.find((l) => l.startsWith(`| ${best.label} |`))!;
    expect(bestRow.split(" | ")[1]).toMatch(/^\*\*0\.\d{3} ± 0\.\d{3}\*\*$/);
    for (const f of ["fig-metrics.png", "fig-metrics.svg", "fig-params.png", "fig-params.svg"])
      expect(md).toContain(`(${f})`);
    expect(md).toContain("![");
    for (const d of results.differences) expect(md).toContain(`- ${d}`);
    for (const n of results.notes) expect(md).toContain(`- ${n}`);
  });

  it("says every head beats the majority baseline when they all do", () => {
    const v = baselineVerdict(results);
    expect(v.task.name).toBe("sarcasm");
    expect(v.metrics).toEqual(["accuracy", "f1_macro"]);
    expect(v.everyHeadBeats).toBe(true);
    const md = readFileSync(join(dir, "run", "report.md"), "utf8");
    expect(md).toContain(
      "**Every head beats the majority-class baseline on sarcasm** in both accuracy and macro-F1",
    );
    expect(md).not.toContain("Not every head");
  });

  it("leaves no temporary files behind", () => {
    expect(readdirSync(join(dir, "run")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("baseline statement", () => {
  it("says so when one head is below the majority baseline on sarcasm accuracy", () => {
    const r = sample();
    const base = r.baselines.majority["sarcasm"]!["accuracy"]!.mean;
    r.summary["hqnn-4"]!["sarcasm"]!["accuracy"]!.mean = base - 0.02;
    const v = baselineVerdict(r);
    expect(v.everyHeadBeats).toBe(false);
    expect(v.heads.filter((h) => !h.beatsAll).map((h) => h.head.id)).toEqual(["hqnn-4"]);
    const text = baselineStatement(r);
    expect(text).toContain("**Not every head beats the majority-class baseline on sarcasm**");
    expect(text).toContain(
      `HQNN (4 qubits) does not beat it in accuracy (${(base - 0.02).toFixed(3)} vs ${base.toFixed(3)})`,
    );
    expect(text).toMatch(
      /- HQNN \(4 qubits\): accuracy [0-9.]+ vs [0-9.]+ \(-0\.020[^)]*; below the baseline\)/,
    );
    expect(text).not.toContain("**Every head beats");
    expect(buildMarkdown(r)).toContain("Not every head beats");
  });

  it("compares on macro-F1 too", () => {
    const r = sample();
    r.summary["classical"]!["sarcasm"]!["f1_macro"]!.mean =
      r.baselines.majority["sarcasm"]!["f1_macro"]!.mean;
    expect(baselineStatement(r)).toContain("Classical does not beat it in macro-F1");
  });

  it("uses the task named by the selection rule as the main task", () => {
    const r = sample();
    r.setup.selection = "validation sentiment_explicit f1";
    expect(mainTask(r).name).toBe("sentiment_explicit");
    // multiclass: its f1 is already the macro average
    expect(baselineVerdict(r).metrics).toEqual(["accuracy", "f1"]);
  });
});

describe("best head per task", () => {
  it("ranks by macro-F1 and reports the margin over the runner-up", () => {
    const r = sample();
    const ws = taskWinners(r);
    expect(ws.map((w) => w.task.name)).toEqual(r.tasks.map((t) => t.name));
    for (const w of ws) {
      const vals = r.heads.map((h) => r.summary[h.id]![w.task.name]![w.metric]!.mean);
      expect(r.summary[w.best.id]![w.task.name]![w.metric]!.mean).toBe(Math.max(...vals));
      expect(w.margin).toBeGreaterThanOrEqual(0);
    }
    r.summary["hqnn-13"]!["emotion_explicit"]!["f1"] = { mean: 0.9, std: 0.01, n: 5 };
    const ee = taskWinners(r).find((w) => w.task.name === "emotion_explicit")!;
    expect(ee.best.id).toBe("hqnn-13");
    expect(ee.clear).toBe(true);
    expect(buildMarkdown(r)).toMatch(
      /\| Emotion explicit \(9 classes\) \| HQNN \(13 qubits\): 0\.900 ± 0\.010 \|/,
    );
  });
});

describe("input validation", () => {
  it("names a missing top-level or nested field", () => {
    const r = sample() as unknown as Record<string, Record<string, unknown>>;
    delete r["setup"]!["epochs"];
    const e = thrown(() => parseExperimentResults(r));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).field).toBe("results.setup.epochs");
    expect(e.message).toMatch(
      /^results\.setup\.epochs: expected number, got nothing \(the field is missing\)/,
    );

    const r2 = sample() as unknown as Record<string, unknown>;
    delete r2["timing"];
    expect(thrown(() => parseExperimentResults(r2)).message).toContain("results.timing");
  });

  it("names a missing metric in a head's summary or the baseline", () => {
    const r = sample();
    delete r.summary["classical"]!["sarcasm"]!["f1"];
    expect((thrown(() => parseExperimentResults(r)) as ValidationError).field).toBe(
      "results.summary.classical.sarcasm.f1",
    );
    const r2 = sample();
    delete r2.baselines.majority["emotion_implicit"];
    expect(thrown(() => parseExperimentResults(r2)).message).toContain(
      "results.baselines.majority.emotion_implicit",
    );
    const r3 = sample();
    delete r3.summary["hqnn-13"];
    expect(thrown(() => parseExperimentResults(r3)).message).toContain("results.summary.hqnn-13");
  });

  it("names a NaN that came back from JSON as null, and a run of an unknown head", () => {
    const r = JSON.parse(
      JSON.stringify({ ...sample(), x: 0 }).replace(/"accuracy": ?[0-9.e-]+/, '"accuracy":null'),
    ) as unknown;
    expect(thrown(() => parseExperimentResults(r)).message).toMatch(
      /^results\.runs\[0\]\.test\.sarcasm\.accuracy: expected number, got null/,
    );
    const r2 = sample();
    r2.runs[3]!.head = "nope";
    expect(thrown(() => parseExperimentResults(r2)).message).toContain("results.runs[3].head");
  });

  it("makes writeReport reject before writing anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-report-bad-"));
    try {
      const r = sample() as unknown as Record<string, unknown>;
      delete r["heads"];
      await expect(writeReport(dir, r as unknown as ExperimentResults)).rejects.toThrow(/results\.heads/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the file when reading a results file that does not exist", () => {
    expect(() => readExperimentResults("/nonexistent/results.json")).toThrow(/\/nonexistent\/results\.json/);
  });
});

describe("fonts", () => {
  it("draws text in the PNGs (a font is found or the system fonts are used)", () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="30" font-family="sans-serif" font-size="24" fill="black">QMTL 0.712</text></svg>';
    const pixels = new Resvg(svg, resvgOptions(1)).render().pixels;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] as number) < 128) dark++;
    expect(dark).toBeGreaterThan(100);
  });

  it("falls back to resvg's system font lookup when no known font file exists", () => {
    expect(chooseFont(["/nonexistent-font-dir"])).toEqual({ family: null, files: [], loadSystemFonts: true });
  });
});

describe("selection metrics section", () => {
  it("is absent when the checkpoint is selected by one metric", () => {
    expect(buildMarkdown(sample())).not.toContain("## Selection metrics");
  });

  it("tabulates each head's selection metric per task and the per-run macro average", () => {
    const r = sample();
    const tasks = r.tasks.map((t) => t.name).slice(0, 2);
    r.setup.selectionMetrics = { [tasks[0]!]: "accuracy", [tasks[1]!]: "f1" };
    const md = buildMarkdown(r);
    const at = md.indexOf("## Selection metrics");
    expect(at).toBeGreaterThan(0);
    const section = md.slice(at, md.indexOf("## Timing"));
    expect(section).toContain(`| Head | ${tasks[0]} accuracy | ${tasks[1]} f1 | Macro average |`);
    const head = r.heads[0]!;
    const runs = r.runs.filter((x) => x.head === head.id);
    const macros = runs.map((x) => (x.test[tasks[0]!]!["accuracy"]! + x.test[tasks[1]!]!["f1"]!) / 2);
    const m = meanStd(macros);
    const row = section.split("\n").find((l) => l.startsWith(`| ${head.label} |`))!;
    expect(row).toContain(`${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`);
    const acc = r.summary[head.id]![tasks[0]!]!["accuracy"]!;
    expect(row).toContain(`${acc.mean.toFixed(3)} ± ${acc.std.toFixed(3)}`);
  });
});
