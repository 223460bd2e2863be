/**
 * The sweep folder, shared by every process and node that runs its cells:
 *
 *   <sweep>/sweep.json          the sweep config (base resolved) and the cell list
 *   <sweep>/configs/<id>.json   each cell's full config
 *   <sweep>/cells/<id>/         each cell's ordinary run folder (results.json when done)
 *   <sweep>/logs/<id>.log       output of local runs
 *   <sweep>/slurm/              job scripts, task lists, per-task logs
 *   <sweep>/sweep-results.json  the merged results
 *
 * A cell is done exactly when its run folder holds a valid results.json (the
 * run writes it atomically, last). Nothing else records state, so a crash or
 * a killed node loses only unfinished cells, and any machine that sees the
 * folder sees the same state. Paths inside are relative to the folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomic } from "../../core/atomic-file.ts";
import { ValidationError } from "../../core/errors.ts";
import { readExperimentResults, type ExperimentResults } from "../report/results-types.ts";
import type { SweepCell } from "./cells.ts";
import { openOwnFolder } from "../run-folder.ts";
import type { LoadedSweep } from "./sweep-config.ts";

export const SWEEP_FILE = "sweep.json";
export const RESULTS_FILE = "sweep-results.json";

export const cellConfigPath = (sweepDir: string, id: string): string =>
  join(sweepDir, "configs", `${id}.json`);
export const cellRunDir = (sweepDir: string, id: string): string => join(sweepDir, "cells", id);
export const cellLogPath = (sweepDir: string, id: string): string => join(sweepDir, "logs", `${id}.log`);

/** What sweep.json records: enough for --status / --collect / report without the original config file. */
export interface SweepRecord {
  readonly kind: "qmtl-sweep";
  readonly suite: string;
  readonly name: string;
  readonly config: LoadedSweep["config"];
  readonly base: Record<string, unknown>;
  readonly cells: ReadonlyArray<Omit<SweepCell, "config">>;
}

export type CellState = "done" | "started" | "pending";

/** done: results.json valid; started: the run folder exists without it (failed, killed or running); pending: nothing yet. */
export function cellState(sweepDir: string, id: string): CellState {
  const dir = cellRunDir(sweepDir, id);
  if (existsSync(join(dir, "results.json"))) {
    try {
      readExperimentResults(join(dir, "results.json"));
      return "done";
    } catch {
      return "started";
    }
  }
  return existsSync(dir) ? "started" : "pending";
}

export function readCellResults(sweepDir: string, id: string): ExperimentResults {
  return readExperimentResults(join(cellRunDir(sweepDir, id), "results.json"));
}

/**
 * Creates or reopens the sweep folder: writes sweep.json and every cell's
 * config. A cell whose config file already exists with other content, and
 * whose run folder exists, is a conflict (the sweep was edited after the cell
 * ran): rejected, naming the cell, unless `fresh` (which deletes the folder).
 */
export function prepareSweepDir(
  sweepDir: string,
  sweep: LoadedSweep,
  cells: readonly SweepCell[],
  opts: { fresh?: boolean } = {},
): void {
  // a sweep folder is qmtl's own (marker); --fresh deletes only such a folder, a user's folder is refused
  openOwnFolder(sweepDir, "sweep", { fresh: opts.fresh ?? false });
  for (const c of cells) {
    const path = cellConfigPath(sweepDir, c.id);
    const text = JSON.stringify(c.config, null, 2) + "\n";
    if (existsSync(path) && readFileSync(path, "utf8") !== text && existsSync(cellRunDir(sweepDir, c.id))) {
      throw new ValidationError(
        `cell ${c.id}`,
        `the config it ran with (${path} differs from this sweep's; the sweep was changed: use another name or --fresh)`,
      );
    }
  }
  for (const c of cells) writeJsonAtomic(cellConfigPath(sweepDir, c.id), c.config);
  const record: SweepRecord = {
    kind: "qmtl-sweep",
    suite: sweep.config.suite,
    name: sweep.config.name,
    config: sweep.config,
    base: sweep.base,
    cells: cells.map(({ config: _config, ...rest }) => rest),
  };
  writeJsonAtomic(join(sweepDir, SWEEP_FILE), record);
}

/** Reads sweep.json of an existing sweep folder. */
export function readSweepRecord(sweepDir: string): SweepRecord {
  const path = join(sweepDir, SWEEP_FILE);
  if (!existsSync(path))
    throw new ValidationError(sweepDir, `a sweep folder (holding ${SWEEP_FILE}; run the sweep first)`);
  let rec: SweepRecord;
  try {
    rec = JSON.parse(readFileSync(path, "utf8")) as SweepRecord;
  } catch (e) {
    throw new ValidationError(path, "valid JSON", e instanceof Error ? e.message : String(e));
  }
  if (rec.kind !== "qmtl-sweep" || !Array.isArray(rec.cells))
    throw new ValidationError(path, "a qmtl sweep record", rec.kind);
  return rec;
}
