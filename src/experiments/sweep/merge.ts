/**
 * Merges the finished cells of a sweep into sweep-results.json: per cell its
 * axis values and its results' summary; per group (the cells that differ only
 * in replicate axes such as folds or seeds) the mean and sample std over all
 * their runs, per head, task and metric. No absolute path is written: cells
 * are named by id and their folders relative to the sweep folder.
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../../core/atomic-file.ts";
import { summarizeRuns } from "../../training/summary.ts";
import type { ExperimentResults, MeanStdValue } from "../report/results-types.ts";
import { gridsOf, isReplicate, type AxisValue } from "./sweep-config.ts";
import { mergeNoise, type SweepNoiseResults } from "./noise-merge.ts";
import { cellState, readCellResults, RESULTS_FILE, type SweepRecord } from "./sweep-dir.ts";

type Summary = Record<string, Record<string, Record<string, MeanStdValue>>>;

export interface SweepCellResult {
  id: string;
  /** the cell's run folder, relative to the sweep folder */
  dir: string;
  values: Record<string, AxisValue>;
  labels: Record<string, string>;
  heads: ExperimentResults["heads"];
  runs: ExperimentResults["runs"];
  summary: Summary;
  seconds: number;
}

export interface SweepGroup {
  /** labels of the non-replicate axes this group holds fixed */
  labels: Record<string, string>;
  cells: string[];
  /** head -> task -> metric: mean and std over every run of the group's cells */
  summary: Summary;
  heads: ExperimentResults["heads"];
}

export interface SweepResults {
  kind: "qmtl-sweep-results";
  name: string;
  suite: string;
  dataset: string;
  createdAt: string;
  axes: Array<{ name: string; field: string; labels: string[]; replicate: boolean }>;
  study: SweepRecord["config"]["study"] | null;
  tasks: ExperimentResults["tasks"];
  /** the base experiment's setup, from the first finished cell */
  setup: ExperimentResults["setup"] | null;
  cells: SweepCellResult[];
  groups: SweepGroup[];
  /** cells without results yet */
  missing: string[];
  /** a sweep with a noise axis: the trained cells evaluated under each condition (noise-merge.ts) */
  noise: SweepNoiseResults | null;
  timing: { cellSeconds: number; simSeconds: number };
}

/** Axes of the sweep, first-seen order over its grids, with every label they take. */
function axesOf(rec: SweepRecord): SweepResults["axes"] {
  const out = new Map<string, SweepResults["axes"][number]>();
  for (const axes of gridsOf(rec.config)) {
    for (const a of axes) {
      const prev = out.get(a.name);
      const labels = rec.cells.filter((c) => c.labels[a.name] !== undefined).map((c) => c.labels[a.name]!);
      if (prev === undefined)
        out.set(a.name, {
          name: a.name,
          field: a.field,
          labels: [...new Set(labels)],
          replicate: isReplicate(a),
        });
    }
  }
  return [...out.values()];
}

function pooled(cells: readonly SweepCellResult[]): Summary {
  const out: Summary = {};
  const heads = [...new Set(cells.flatMap((c) => c.heads.map((h) => h.id)))];
  for (const h of heads) {
    const runs = cells.flatMap((c) => c.runs.filter((r) => r.head === h).map((r) => r.test));
    if (runs.length > 0) out[h] = summarizeRuns(runs);
  }
  return out;
}

/** Reads every finished cell and builds the merged results (does not write). */
export function mergeSweep(sweepDir: string, rec: SweepRecord): SweepResults {
  const axes = axesOf(rec);
  const replicate = new Set(axes.filter((a) => a.replicate).map((a) => a.name));
  const cells: SweepCellResult[] = [];
  const missing: string[] = [];
  let first: ExperimentResults | undefined;
  for (const c of rec.cells) {
    if (cellState(sweepDir, c.id) !== "done") {
      missing.push(c.id);
      continue;
    }
    const r = readCellResults(sweepDir, c.id);
    first ??= r;
    cells.push({
      id: c.id,
      dir: `cells/${c.id}`,
      values: { ...c.values },
      labels: { ...c.labels },
      heads: r.heads,
      runs: r.runs,
      summary: r.summary,
      seconds: r.runs.reduce((a, x) => a + x.seconds, 0),
    });
  }
  const groups = new Map<string, { labels: Record<string, string>; cells: SweepCellResult[] }>();
  for (const c of cells) {
    const labels = Object.fromEntries(Object.entries(c.labels).filter(([k]) => !replicate.has(k)));
    const key = JSON.stringify(labels);
    const g = groups.get(key) ?? { labels, cells: [] };
    g.cells.push(c);
    groups.set(key, g);
  }
  return {
    kind: "qmtl-sweep-results",
    name: rec.name,
    suite: rec.suite,
    dataset: first?.dataset ?? rec.suite,
    createdAt: new Date().toISOString(),
    axes,
    study: rec.config.study ?? null,
    tasks: first?.tasks ?? [],
    setup: first?.setup ?? null,
    cells,
    groups: [...groups.values()].map((g) => ({
      labels: g.labels,
      cells: g.cells.map((c) => c.id),
      summary: pooled(g.cells),
      heads: g.cells[0]!.heads,
    })),
    missing,
    noise: mergeNoise(sweepDir, rec, replicate),
    timing: {
      cellSeconds: cells.reduce((a, c) => a + c.seconds, 0),
      simSeconds: cells.reduce((a, c) => a + c.runs.reduce((b, r) => b + r.simSeconds, 0), 0),
    },
  };
}

/** Merges and writes <sweep>/sweep-results.json; returns the merged results. */
export function writeSweepResults(sweepDir: string, rec: SweepRecord): SweepResults {
  const merged = mergeSweep(sweepDir, rec);
  writeJsonAtomic(join(sweepDir, RESULTS_FILE), merged);
  return merged;
}
