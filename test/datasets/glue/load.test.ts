import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/core/errors.ts";
import {
  defaultGlueDir,
  glueTasksPresent,
  loadGlue,
  loadGlueTask,
  parseGlueTsv,
} from "../../../src/datasets/glue/load.ts";
import { GLUE_TASKS, GLUE_TASK_NAMES } from "../../../src/datasets/glue/tasks.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "glue", "glue_data");

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("the nine-task GLUE loader over fixtures in the official layout", () => {
  const all = loadGlue(FIXTURES);

  it("finds all nine tasks, in the paper's order", () => {
    expect(glueTasksPresent(FIXTURES)).toEqual([...GLUE_TASK_NAMES]);
    expect(all.map((t) => t.spec.name)).toEqual([...GLUE_TASK_NAMES]);
  });

  it("reads CoLA without a header (column 4 text, column 2 label)", () => {
    const cola = all[0]!;
    expect(cola.train.examples).toHaveLength(5);
    expect(cola.train.examples[0]).toEqual({
      a: "Our friends won't buy this analysis, let alone the next one we propose.",
      b: null,
      label: 1,
    });
  });

  it("drops MRPC's byte-order mark and finds its columns by header name", () => {
    const mrpc = all.find((t) => t.spec.name === "MRPC")!;
    expect(mrpc.dev.examples[0]!.label).toBe(1);
    expect(mrpc.dev.examples[0]!.a).toBe(
      "He said the foodservice pie business doesn't fit the company's long-term growth strategy.",
    );
    expect(mrpc.dev.examples[0]!.b).toBe(
      '"The foodservice pie business does not fit our long-term growth strategy.',
    );
  });

  it("splits STS-B on tabs only (an unbalanced quote stays literal) and divides scores by 5", () => {
    const stsb = all.find((t) => t.spec.name === "STS-B")!;
    expect(stsb.dev.examples.map((e) => e.label)).toEqual([5 / 5, 4.75 / 5, 1.4 / 5]);
    expect(stsb.dev.examples[2]!.a.startsWith('"The grass family')).toBe(true);
    expect(stsb.dev.examples[2]!.b!.startsWith("As noted on the Wiki page")).toBe(true);
  });

  it("maps string labels to the Hugging Face class order (RTE, QNLI, MNLI)", () => {
    const rte = all.find((t) => t.spec.name === "RTE")!;
    expect(rte.dev.examples[0]!.label).toBe(1); // not_entailment
    const qnli = all.find((t) => t.spec.name === "QNLI")!;
    expect(qnli.dev.examples.map((e) => e.label)).toEqual([0, 1, 1, 0]);
    const mnli = all.find((t) => t.spec.name === "MNLI")!;
    expect(mnli.train.examples.map((e) => e.label)).toEqual([2, 1, 1, 0]);
  });

  it("concatenates MNLI's matched and mismatched dev files, reading gold_label from 12- and 16-column files", () => {
    const mnli = all.find((t) => t.spec.name === "MNLI")!;
    expect(mnli.dev.examples).toHaveLength(2 + 3);
    expect(mnli.dev.examples.map((e) => e.label)).toEqual([2, 0, 0, 0, 1]);
    expect(mnli.dev.examples[0]!.b).toBe("Everyone really likes the newest benefits");
    expect(Object.keys(mnli.hashes)).toEqual([
      "MNLI/train.tsv",
      "MNLI/dev_matched.tsv",
      "MNLI/dev_mismatched.tsv",
    ]);
  });

  it("skips and counts QQP's malformed rows (a question with a line break) with their line numbers", () => {
    const qqp = all.find((t) => t.spec.name === "QQP")!;
    expect(qqp.train.examples).toHaveLength(3);
    expect(qqp.train.skipped.map((s) => s.line)).toEqual([4, 5]);
    expect(qqp.train.examples.map((e) => e.label)).toEqual([0, 1, 0]);
    expect(qqp.dev.skipped).toHaveLength(0);
  });

  it("hashes every file it reads", () => {
    for (const t of all) for (const h of Object.values(t.hashes)) expect(h).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("malformed rows outside QQP are errors naming file, line and column", () => {
  it("a short RTE row", () => {
    const e = errorOf(() =>
      parseGlueTsv(
        GLUE_TASKS.RTE,
        "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n1\tonly one\n",
        "RTE/train.tsv",
      ),
    );
    expect(e.field).toBe("RTE/train.tsv:3:3");
  });
  it("an unknown label", () => {
    const e = errorOf(() =>
      parseGlueTsv(GLUE_TASKS.RTE, "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tmaybe\n", "RTE/dev.tsv"),
    );
    expect(e.field).toBe("RTE/dev.tsv:2:4");
    expect(e.message).toContain("entailment, not_entailment");
  });
  it("a STS-B score outside [0, 5] or not a number", () => {
    const head = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n";
    expect(
      errorOf(() => parseGlueTsv(GLUE_TASKS["STS-B"], `${head}0\tg\tf\ty\to\ts\ts\ta\tb\t5.5\n`, "s.tsv"))
        .field,
    ).toBe("s.tsv:2:10");
    expect(
      errorOf(() => parseGlueTsv(GLUE_TASKS["STS-B"], `${head}0\tg\tf\ty\to\ts\ts\ta\tb\t\n`, "s.tsv")).field,
    ).toBe("s.tsv:2:10");
  });
  it("a header without the expected column", () => {
    expect(errorOf(() => parseGlueTsv(GLUE_TASKS["SST-2"], "text\tlabel\nfine\t1\n", "sst.tsv")).field).toBe(
      "sst.tsv:1",
    );
  });
  it("an empty line inside the file", () => {
    expect(
      errorOf(() => parseGlueTsv(GLUE_TASKS["SST-2"], "sentence\tlabel\ngood\t1\n\nbad\t0\n", "sst.tsv"))
        .field,
    ).toBe("sst.tsv:3");
  });
  it("accepts CR LF line ends", () => {
    expect(parseGlueTsv(GLUE_TASKS["SST-2"], "sentence\tlabel\r\ngood \t1\r\n", "sst.tsv").examples).toEqual([
      { a: "good", b: null, label: 1 },
    ]);
  });
  it("a missing file or folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "glue-"));
    mkdirSync(join(dir, "RTE"));
    writeFileSync(join(dir, "RTE", "train.tsv"), "index\tsentence1\tsentence2\tlabel\n");
    expect(glueTasksPresent(dir)).toEqual([]);
    expect(errorOf(() => loadGlue(dir)).field).toBe("glue data");
    expect(errorOf(() => loadGlueTask(dir, "RTE")).field).toBe(join(dir, "RTE", "dev.tsv"));
    expect(errorOf(() => glueTasksPresent(join(dir, "nope"))).field).toBe("glue data");
  });
});

describe("the embedded six tasks", () => {
  const six = loadGlue();
  it("are CoLA, SST-2, MRPC, STS-B, RTE, WNLI with the official row counts", () => {
    expect(glueTasksPresent(defaultGlueDir())).toEqual(["CoLA", "SST-2", "MRPC", "STS-B", "RTE", "WNLI"]);
    const counts = Object.fromEntries(
      six.map((t) => [t.spec.name, [t.train.examples.length, t.dev.examples.length]]),
    );
    expect(counts).toEqual({
      CoLA: [8551, 1043],
      "SST-2": [67349, 872],
      MRPC: [3668, 408],
      "STS-B": [5749, 1500],
      RTE: [2490, 277],
      WNLI: [635, 71],
    });
    for (const t of six) expect(t.train.skipped.length + t.dev.skipped.length).toBe(0);
  });
  it("have the label counts PROVENANCE.md records", () => {
    const ones = (name: string, split: "train" | "dev"): number =>
      six.find((t) => t.spec.name === name)![split].examples.filter((e) => e.label === 1).length;
    expect([
      ones("CoLA", "train"),
      ones("CoLA", "dev"),
      ones("SST-2", "train"),
      ones("MRPC", "train"),
      ones("MRPC", "dev"),
    ]).toEqual([6023, 721, 37569, 2474, 279]);
    expect(ones("RTE", "train")).toBe(1241); // not_entailment = 1
    expect(ones("WNLI", "dev")).toBe(31);
    const sts = six.find((t) => t.spec.name === "STS-B")!;
    expect(Math.max(...sts.train.examples.map((e) => e.label))).toBe(1);
  });
});
