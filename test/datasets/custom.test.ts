/**
 * The custom suite on a generated table: three tasks (binary, 3-class,
 * regression) that depend on the features, k-fold splits, through the library
 * and through the CLI; bad tasks files get one clear error naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng, parseSuiteConfig, runExperimentIn } from "qmtl";
import { customSuite } from "../../src/datasets/custom/index.ts";
import { runCli } from "../cli/run-cli.ts";

let tmp: string;
let table: string;

/** 240 rows: x1..x5 features; spam = x1 > 0 (as no/yes), mood = bucket of x2, score = 0.5 x3 + noise; a split column. */
function writeTable(path: string): void {
  const rng = new Rng(11);
  const lines = ["row_id,x1,x2,x3,x4,x5,spam,mood,score,part"];
  for (let i = 0; i < 240; i++) {
    const x = Array.from({ length: 5 }, () => rng.normal());
    const mood = x[1]! < -0.4 ? "sad" : x[1]! < 0.4 ? "neutral" : "happy";
    const part = i % 5 === 0 ? "test" : i % 5 === 1 ? "val" : "train";
    lines.push(
      [
        `r${i}`,
        ...x.map((v) => v.toFixed(5)),
        x[0]! > 0 ? "yes" : "no",
        mood,
        (0.5 * x[2]! + 0.1 * rng.normal()).toFixed(5),
        part,
      ].join(","),
    );
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

function tasksFile(name: string, body: string): string {
  const p = join(tmp, name);
  writeFileSync(p, body);
  return p;
}

const TASKS = `id: row_id
features: [x1, x2, x3, x4, x5]
tasks:
  - { name: spam, column: spam, kind: binary, classes: ["no", "yes"] }
  - { name: mood, column: mood, kind: multiclass, classes: [sad, neutral, happy] }
  - { name: score, column: score, kind: regression }
`;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-custom-"));
  table = join(tmp, "table.csv");
  writeTable(table);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("custom suite", () => {
  it("trains QMTL and classical heads on k folds of a generated table and learns every task", async () => {
    const tasks = tasksFile("tasks.yaml", TASKS + "split: { kfold: 3 }\n");
    const cfg = parseSuiteConfig(customSuite, {
      data: table,
      tasks,
      folds: [0, 1],
      epochs: 12,
      lr: 0.02,
      heads: ["qmtl", "classical"],
    });
    const r = await runExperimentIn(customSuite, cfg, join(tmp, "lib"));
    expect(r.runs).toHaveLength(4);
    expect(r.tasks.map((t) => [t.name, t.kind, t.numClasses])).toEqual([
      ["spam", "binary", 2],
      ["mood", "multiclass", 3],
      ["score", "regression", 0],
    ]);
    expect(r.tasks[1]!.classNames).toEqual(["sad", "neutral", "happy"]);
    // chance: 0.5 (spam), ~0.4 (mood), 0 (score); measured 0.74 / 0.68 / 0.86 (QMTL), 0.96 / 0.91 / 0.94 (classical)
    for (const head of ["qmtl", "classical"]) {
      expect(r.summary[head]!["spam"]!["accuracy"]!.mean, head).toBeGreaterThan(0.65);
      expect(r.summary[head]!["mood"]!["accuracy"]!.mean, head).toBeGreaterThan(0.55);
      expect(r.summary[head]!["score"]!["pearson"]!.mean, head).toBeGreaterThan(0.6);
    }
    expect(r.heads.find((h) => h.id === "qmtl")!.qubits).toBe(1 + 2 + 1);
  });

  /** `qmtl run custom` on the test table with a tasks file, into tmp/runs/<name> */
  const runCustom = (tasks: string, name: string, extra: readonly string[]) =>
    runCli([
      "run",
      "custom",
      "--data",
      table,
      "--tasks",
      tasks,
      "--name",
      name,
      "--out",
      join(tmp, "runs"),
      ...extra,
    ]);

  it("runs from the command line with a split column and writes the report", async () => {
    const tasks = tasksFile("tasks-col.yaml", TASKS + "split: { column: part }\n");
    const res = await runCustom(tasks, "cli", ["--epochs", "2", "--heads", "classical,qmtl", "--jobs", "1"]);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(tmp, "runs", "cli", "report.md"))).toBe(true);
  });

  it("says when processes x threads exceed the cores (threads spin while they wait)", async () => {
    const tasks = tasksFile("tasks-kfold.yaml", TASKS + "split: { kfold: 3 }\n");
    // a classical head starts no simulator threads, so 64 of them cost nothing here
    const flags = ["--epochs", "1", "--heads", "classical", "--jobs", "2", "--threads", "64"];
    const res = await runCustom(tasks, "oversubscribed", flags);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout + res.stderr).toMatch(/note: 2 processes x 64 threads on \d+ cores/);
  });

  const bad: Array<[string, string, RegExp]> = [
    [
      "an unknown column",
      TASKS.replace("column: mood", "column: moood") + "split: { kfold: 3 }\n",
      /tasks\[1\]\.column: expected a column of .*table\.csv.*got "moood"/,
    ],
    [
      "a label outside the declared classes",
      TASKS.replace("[sad, neutral, happy]", "[sad, happy]") + "split: { kfold: 3 }\n",
      /line \d+, column mood: expected one of the declared classes of task mood \(sad, happy\), got "neutral"/,
    ],
    [
      "a regression task on a column of strings",
      TASKS.replace("column: score, kind: regression", "column: mood, kind: regression") +
        "split: { kfold: 3 }\n",
      /column mood: expected a number for regression task score/,
    ],
    [
      "an empty split",
      TASKS + "split: { column: spam }\n",
      /line 2, column spam: expected train, val or test, got "(yes|no)"/,
    ],
    ["an unknown field", TASKS + "split: { kfold: 3 }\nlabel: x\n", /label/],
    [
      "a binary task with three classes",
      TASKS.replace('column: spam, kind: binary, classes: ["no", "yes"]', "column: mood, kind: binary") +
        "split: { kfold: 3 }\n",
      /exactly 2 classes for binary task spam/,
    ],
  ];
  for (const [what, body, message] of bad) {
    it(`refuses ${what} with one line naming it (exit 2), creating no run folder`, async () => {
      const tasks = tasksFile(`bad-${what.replace(/\W+/g, "-")}.yaml`, body);
      const out = join(tmp, "bad-runs");
      const res = await runCli([
        "run",
        "custom",
        "--data",
        table,
        "--tasks",
        tasks,
        "--epochs",
        "1",
        "--name",
        "x",
        "--out",
        out,
        "--jobs",
        "1",
      ]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(out, "x"))).toBe(false);
    });
  }
});
