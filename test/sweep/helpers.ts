import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeMustardFeatures } from "../helpers/mustard-features.ts";
import type { SweepResults } from "../../src/experiments/sweep/merge.ts";

export const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "qmtl.js");

/** A fresh folder holding a small MUStARD feature file, `feat.json` (so configs name it relatively). */
export function sweepWorkdir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `qmtl-${prefix}-`));
  writeMustardFeatures({ dir, fileName: "feat.json", cols: 8 });
  return dir;
}

/** Four cells of a shortened MUStARD run: 1 epoch, heads classical / qmtl, folds 0 / 1. */
export function writeFourCellSweep(dir: string, name: string, extra = ""): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      "suite: mustard",
      `name: ${name}`,
      "base:",
      "  features: feat.json",
      "  epochs: 1",
      "axes:",
      "  - { name: head, field: heads, values: [[classical], [qmtl]] }",
      "  - { name: fold, field: folds, values: [[0], [1]] }",
      extra,
    ].join("\n"),
  );
  return path;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function qmtl(cwd: string, args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Same, without blocking the event loop. */
export function qmtlAsync(cwd: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, FORCE_COLOR: "0" } });
    let stdout = "",
      stderr = "";
    c.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    c.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    c.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export function readMerged(sweepDir: string): SweepResults {
  return JSON.parse(readFileSync(join(sweepDir, "sweep-results.json"), "utf8")) as SweepResults;
}

/** What must be equal between two executions of the same sweep: per cell and per group, the metrics. */
export function comparable(m: SweepResults): unknown {
  return {
    cells: m.cells.map((c) => ({
      id: c.id,
      labels: c.labels,
      summary: c.summary,
      runs: c.runs.map((r) => ({ ...r, seconds: 0, simSeconds: 0 })),
    })),
    groups: m.groups.map((g) => ({ labels: g.labels, cells: g.cells, summary: g.summary })),
    missing: m.missing,
  };
}

/** A noise sweep: two 1-epoch QMTL cells (folds 0, 1) evaluated under p = 0, p = 0.05 and ibm_boston. */
export function writeNoiseSweep(dir: string, name: string, extra: string[] = []): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      "suite: mustard",
      `name: ${name}`,
      "base:",
      "  features: feat.json",
      "  epochs: 1",
      "  heads: [qmtl]",
      "axes:",
      "  - { name: fold, field: folds, values: [[0], [1]] }",
      "noise:",
      "  levels: [0, 0.05]",
      "  devices: [ibm_boston]",
      ...extra,
    ].join("\n"),
  );
  return path;
}

/** The noise part of merged results that must not depend on timing. */
export function comparableNoise(m: SweepResults): unknown {
  return {
    cells: m.noise?.cells.map((c) => ({ id: c.id, runs: c.runs })),
    groups: m.noise?.groups,
    missing: m.noise?.missing,
  };
}
