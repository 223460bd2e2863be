/**
 * Run folders: the only folders qmtl ever deletes or writes into. A run folder
 * carries a marker file (written atomically when the folder is created) with
 * the qmtl version, a run id and the suite; a folder without it is a user's
 * and is never written into or deleted. The folder also records the config
 * and the content hashes of every input, so a resume against other inputs is
 * refused, and every cell result is sealed with the run id and a digest, so a
 * result copied from another cell or edited by hand is refused too.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import { QmtlError, ValidationError } from "../core/errors.ts";
import { writeJsonAtomic } from "../core/atomic-file.ts";
import { canonicalJson, sha256 } from "../core/hash.ts";
import { QMTL_VERSION } from "../core/version.ts";

/** The marker's file name inside a run folder. */
export const RUN_MARKER = ".qmtl-run.json";

export interface RunMarker {
  readonly qmtl: "run";
  readonly version: string;
  readonly runId: string;
  /** what wrote the folder: a suite name, or "sweep", "noise", "hardware" */
  readonly kind: string;
  readonly createdAt: string;
}

/**
 * How an existing folder is treated: "new" refuses a run folder that exists;
 * "resume" continues it (or starts one where there is none); "fresh" deletes
 * it first. A folder that is not a qmtl run folder is refused in every mode
 * (an empty folder is taken over).
 */
export type RunFolderMode = "new" | "resume" | "fresh";

/** Reads a folder's marker; null when there is none or the folder is missing. Throws when it is damaged. */
export function readRunMarker(dir: string): RunMarker | null {
  const p = join(dir, RUN_MARKER);
  if (!existsSync(p)) return null;
  let m: Partial<RunMarker>;
  try {
    m = JSON.parse(readFileSync(p, "utf8")) as Partial<RunMarker>;
  } catch (e) {
    throw new ValidationError(
      p,
      "a qmtl run marker (valid JSON); the folder may not be a qmtl run",
      e instanceof Error ? e.message : String(e),
    );
  }
  if (
    m.qmtl !== "run" ||
    typeof m.runId !== "string" ||
    typeof m.kind !== "string" ||
    typeof m.version !== "string"
  ) {
    throw new ValidationError(p, "a qmtl run marker with qmtl, version, runId and kind");
  }
  return m as RunMarker;
}

/** The nearest existing ancestor of a folder to be created must be a folder this process may write into. */
function checkCreatable(dir: string, flag: string): void {
  let p = dirname(dir);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  let ok = false;
  try {
    ok = statSync(p).isDirectory();
    if (ok) accessSync(p, constants.W_OK);
  } catch (e) {
    throw new ValidationError(
      flag,
      "a run folder in a place qmtl may write",
      `${dir} (${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  if (!ok)
    throw new ValidationError(flag, "a run folder whose parent is a folder", `${dir} (${p} is a file)`);
}

function describeEntries(dir: string): string {
  const names = readdirSync(dir);
  const shown = names.slice(0, 4).join(", ");
  return `${names.length} entr${names.length === 1 ? "y" : "ies"}: ${shown}${names.length > 4 ? ", ..." : ""}`;
}

/** What preparing a run folder will do, decided (and every refusal raised) before anything changes. */
export interface RunFolderPlan {
  readonly dir: string;
  readonly action: "create" | "resume" | "replace";
  readonly kind: string;
  readonly config: unknown;
  readonly marker: RunMarker | null;
}

/**
 * Checks what preparing `dir` would do and refuses what must not happen: a
 * folder that is not a qmtl run, a run of another kind, an existing run
 * without --resume or --fresh, a resume with another config. Changes nothing.
 */
export function planRunFolder(
  dir: string,
  opts: { kind: string; mode: RunFolderMode; config: unknown; flag?: string },
): RunFolderPlan {
  const flag = opts.flag ?? "--name";
  let exists = false;
  try {
    const st = statSync(dir);
    if (!st.isDirectory())
      throw new ValidationError(flag, "a run folder path that is not an existing file", dir);
    exists = true;
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT")
      throw new ValidationError(flag, "an accessible run folder path", `${dir} (${code ?? String(e)})`);
  }
  const base = { dir, kind: opts.kind, config: opts.config };
  if (!exists) {
    checkCreatable(dir, flag);
    return { ...base, action: "create", marker: null };
  }
  const marker = readRunMarker(dir);
  if (marker === null) {
    if (readdirSync(dir).length > 0) {
      throw new ValidationError(
        dir,
        `a qmtl run folder (with ${RUN_MARKER}) or no folder at all; it holds ${describeEntries(dir)}, not written by qmtl, and is left untouched: choose another --name or --out`,
      );
    }
    return { ...base, action: "create", marker: null };
  }
  if (marker.kind !== opts.kind) {
    throw new ValidationError(
      dir,
      `a run folder of ${opts.kind}; it holds a ${marker.kind} run: choose another --name`,
    );
  }
  if (opts.mode === "new") {
    throw new ValidationError(
      "--resume",
      `a choice for the existing run folder ${dir}: pass --resume to continue it or --fresh to start over`,
    );
  }
  if (opts.mode === "resume") {
    checkSameConfig(dir, opts.config);
    return { ...base, action: "resume", marker };
  }
  return { ...base, action: "replace", marker };
}

/**
 * Carries out a plan: deletes the old run (only ever a folder that carries
 * our marker) on "replace", creates the folder with a new marker and
 * config.json on "create"/"replace". Returns the run's marker.
 */
export function applyRunFolder(plan: RunFolderPlan): { marker: RunMarker; resumed: boolean } {
  const { dir } = plan;
  if (plan.action === "resume") return { marker: plan.marker!, resumed: true };
  if (plan.action === "replace") {
    if (readRunMarker(dir) === null)
      throw new QmtlError(`${dir}: no longer a qmtl run folder; nothing was deleted`);
    rmSync(dir, { recursive: true, force: true });
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ValidationError(
      "--out",
      "a place where qmtl can create the run folder",
      `${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  const marker: RunMarker = {
    qmtl: "run",
    version: QMTL_VERSION,
    runId: randomUUID(),
    kind: plan.kind,
    createdAt: new Date().toISOString(),
  };
  writeProtected(() => writeJsonAtomic(join(dir, RUN_MARKER), marker), dir);
  writeProtected(() => writeJsonAtomic(join(dir, "config.json"), plan.config), dir);
  return { marker, resumed: false };
}

/** planRunFolder then applyRunFolder. */
export function prepareRunFolder(
  dir: string,
  opts: { kind: string; mode: RunFolderMode; config: unknown; flag?: string },
): { marker: RunMarker; resumed: boolean } {
  return applyRunFolder(planRunFolder(dir, opts));
}

function writeProtected(write: () => void, dir: string): void {
  try {
    write();
  } catch (e) {
    throw new QmtlError(
      `${dir}: cannot write the run folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
}

function checkSameConfig(dir: string, config: unknown): void {
  const p = join(dir, "config.json");
  let old: Record<string, unknown>;
  try {
    old = JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new ValidationError(
      p,
      "the run's recorded config (valid JSON); the run folder is damaged: use --fresh",
      e instanceof Error ? e.message : String(e),
    );
  }
  const now = config as Record<string, unknown>;
  const diff = Object.keys({ ...old, ...now }).filter((k) => canonicalJson(old[k]) !== canonicalJson(now[k]));
  if (diff.length > 0) {
    throw new ValidationError(
      "--resume",
      `the same config as the run being resumed (differs in: ${diff.join(", ")}); use another --name or --fresh`,
    );
  }
}

/**
 * Records the content hashes of a run's inputs (inputs.json) the first time,
 * and on every later start refuses inputs whose content changed.
 */
export function checkInputs(dir: string, hashes: Readonly<Record<string, string>>): void {
  const p = join(dir, "inputs.json");
  if (!existsSync(p)) {
    writeJsonAtomic(p, hashes);
    return;
  }
  let old: Record<string, string>;
  try {
    old = JSON.parse(readFileSync(p, "utf8")) as Record<string, string>;
  } catch (e) {
    throw new ValidationError(
      p,
      "the run's recorded input hashes (valid JSON); the run folder is damaged: use --fresh",
      e instanceof Error ? e.message : String(e),
    );
  }
  for (const name of new Set([...Object.keys(old), ...Object.keys(hashes)])) {
    if (old[name] !== hashes[name]) {
      throw new ValidationError(
        name,
        `the same content as when this run started (recorded sha256 ${short(old[name])}, now ${short(hashes[name])}); resuming would mix results of different inputs: use --fresh or another --name`,
      );
    }
  }
}

const short = (h: string | undefined): string => (h === undefined ? "none" : h.slice(0, 12));

/** A JSON document sealed to one run and one owner (a cell): what it holds, and a digest of both. */
export function seal<T extends object>(value: T, runId: string, owner: string): T & { seal: string } {
  return { ...value, seal: sha256(`${runId}\n${owner}\n${canonicalJson(value)}`) };
}

/**
 * Reads a sealed document and checks it belongs to this run and owner and was
 * not edited; the error says which file and how to recover (delete it to redo).
 */
export function readSealed<T extends object>(path: string, runId: string, owner: string): T {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new ValidationError(
      path,
      "a finished cell's result (valid JSON); delete the file to rerun this cell",
      e instanceof Error ? e.message : String(e),
    );
  }
  const { seal: got, ...value } = raw;
  if (typeof got !== "string" || got !== sha256(`${runId}\n${owner}\n${canonicalJson(value)}`)) {
    throw new ValidationError(
      path,
      `the result this run wrote for ${owner} (its seal does not match: copied from another cell or run, or edited); delete the file to rerun this cell`,
    );
  }
  return value as T;
}

/**
 * Opens a folder qmtl owns that is reused across invocations (a sweep): an
 * existing folder must carry our marker of the same kind (or be empty);
 * `fresh` deletes only such a folder; a new or emptied folder gets a marker.
 * Unlike a run folder, its config may grow between invocations.
 */
export function openOwnFolder(
  dir: string,
  kind: string,
  opts: { fresh?: boolean; flag?: string } = {},
): RunMarker {
  const flag = opts.flag ?? "--name";
  let marker: RunMarker | null = null;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new ValidationError(flag, "a folder path that is not an existing file", dir);
    marker = readRunMarker(dir);
    if (marker === null && readdirSync(dir).length > 0) {
      throw new ValidationError(
        dir,
        `a qmtl ${kind} folder (with ${RUN_MARKER}) or no folder at all; it holds ${describeEntries(dir)}, not written by qmtl, and is left untouched`,
      );
    }
    if (marker !== null && marker.kind !== kind)
      throw new ValidationError(dir, `a ${kind} folder; it holds a ${marker.kind} run`);
    if (marker !== null && opts.fresh) {
      rmSync(dir, { recursive: true, force: true });
      marker = null;
    }
  } else {
    checkCreatable(dir, flag);
  }
  if (marker !== null) return marker;
  mkdirSync(dir, { recursive: true });
  const m: RunMarker = {
    qmtl: "run",
    version: QMTL_VERSION,
    runId: randomUUID(),
    kind,
    createdAt: new Date().toISOString(),
  };
  writeProtected(() => writeJsonAtomic(join(dir, RUN_MARKER), m), dir);
  return m;
}
