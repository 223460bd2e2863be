import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { unzipSync } from "fflate";
import { ValidationError } from "../core/errors.ts";
import { featureMatrix, type FeatureMatrix } from "./feature-matrix.ts";
import { checkFeatureValues } from "./feature-checks.ts";
import { asArray, asObject, asStringArray, isObject } from "./json-fields.ts";
import { parseNpy, type NpyArray } from "./npy.ts";
import { errorMessage, readJsonFile } from "./read-json-file.ts";

/**
 * Loads user-supplied per-utterance features (e.g. the authors' multimodal
 * features, once a user has them) and lines them up with the dataset.
 *
 * Formats:
 * - `.npy`: a 2-D float32/float64 little-endian C-order array [N, d].
 * - `.npz`: a zip of .npy files (np.savez / np.savez_compressed). The feature
 *   array is `options.key`, else the only array that is not `ids`; several
 *   arrays without a key are refused, naming them (never a silent first pick). An `ids` member holding a 1-D string array ('<U' / '|S') gives
 *   the row ids.
 * - `.json`: `{ "ids": [...], "features": [[...], ...] }`, `{ "features": [...] }`
 *   (rows in dataset order), or `{ "<id>": [...], ... }`.
 * Row ids may also come from a JSON sidecar (`options.idsPath`: an array of
 * strings, or `{ "ids": [...] }`). With ids, rows are reordered to dataset
 * order and every dataset id must appear exactly once; without ids, the file
 * must have exactly one row per utterance, in dataset order.
 */
export interface FeatureFileOptions {
  /** The dataset's ids, in dataset order. */
  readonly ids: readonly string[];
  /** .npz: name of the feature array (with or without `.npy`). */
  readonly key?: string;
  /** JSON sidecar listing one id per row. */
  readonly idsPath?: string;
}

/** A feature matrix read from a file, where its row ids came from, and the .npz member used. */
export interface LoadedFeatures {
  readonly matrix: FeatureMatrix;
  /** Where the row ids came from; "none" means dataset order was assumed. */
  readonly idsFrom: "file" | "sidecar" | "none";
  /** The npz member used, if any. */
  readonly key?: string;
}

interface RawFeatures {
  rows: number;
  cols: number;
  data: Float64Array;
  rowIds?: string[];
  key?: string;
}

/** Reads a feature matrix from .npy, .npz (one array, or `key`) or .json, checking shape and finiteness. */
export function loadFeatureFile(path: string, options: FeatureFileOptions): LoadedFeatures {
  const ext = extname(path).toLowerCase();
  checkDatasetIds(options.ids);
  if (options.key !== undefined && ext !== ".npz") {
    throw new ValidationError("featuresKey", `no key for a ${ext || "file without extension"} (a key names one array of a .npz; ${path} is not one)`, options.key);
  }
  let raw: RawFeatures;
  if (ext === ".npy") raw = fromNpy(path, parseNpy(readBytes(path), path));
  else if (ext === ".npz") raw = fromNpz(path, readBytes(path), options.key);
  else if (ext === ".json") raw = fromJson(path, readJsonFile(path, "features"));
  else throw new ValidationError(path, "a feature file ending in .npy, .npz or .json", ext || "(no extension)");

  let idsFrom: LoadedFeatures["idsFrom"] = raw.rowIds ? "file" : "none";
  if (options.idsPath !== undefined) {
    const side = readJsonFile(options.idsPath, "feature row ids");
    const ids = asStringArray(options.idsPath, isObject(side) && "ids" in side ? side["ids"] : side);
    if (raw.rowIds && !sameList(raw.rowIds, ids)) {
      throw new ValidationError(options.idsPath, `the same ids as ${path} lists`, "a different list");
    }
    if (!raw.rowIds) idsFrom = "sidecar";
    raw.rowIds = ids;
  }

  checkFeatureValues(path, { rows: raw.rows, cols: raw.cols, data: raw.data }, raw.rowIds);
  const data = raw.rowIds ? reorder(path, raw, raw.rowIds, options.ids) : inDatasetOrder(path, raw, options.ids.length);
  const matrix = featureMatrix(options.ids.length, raw.cols, data);
  return raw.key === undefined ? { matrix, idsFrom } : { matrix, idsFrom, key: raw.key };
}

function checkDatasetIds(ids: readonly string[]): void {
  if (!Array.isArray(ids) || ids.length === 0) throw new ValidationError("dataset ids", "at least one utterance id", ids);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new ValidationError("dataset ids", "unique ids (a duplicate id makes rows ambiguous)", id);
    seen.add(id);
  }
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ValidationError(path, "a readable feature file", errorMessage(e));
  }
}

function fromNpy(field: string, arr: NpyArray): RawFeatures {
  if (arr.kind !== "float") throw new ValidationError(`${field} (dtype)`, "a float32 or float64 array of features", arr.dtype);
  if (arr.shape.length !== 2) {
    throw new ValidationError(`${field} (shape)`, "a 2-D array [N, d]", `shape (${arr.shape.join(", ")})`);
  }
  const [rows, cols] = arr.shape as [number, number];
  if (cols === 0) throw new ValidationError(`${field} (shape)`, "at least one feature column", `shape (${rows}, 0)`);
  return { rows, cols, data: arr.data };
}

function fromNpz(path: string, bytes: Uint8Array, key: string | undefined): RawFeatures {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (e) {
    throw new ValidationError(path, "a valid .npz (zip) archive", errorMessage(e));
  }
  const names = Object.keys(members)
    .filter((n) => n.endsWith(".npy"))
    .map((n) => n.slice(0, -4));
  if (names.length === 0) throw new ValidationError(path, "an .npz holding at least one .npy array", "none");
  let chosen: string;
  if (key !== undefined) {
    const k = key.endsWith(".npy") ? key.slice(0, -4) : key;
    if (!names.includes(k)) throw new ValidationError(`${path} key`, `one of ${names.join(", ")}`, key);
    chosen = k;
  } else {
    const candidates = names.filter((n) => n !== "ids");
    if (candidates.length === 0) throw new ValidationError(path, "a feature array besides 'ids'", names.join(", "));
    if (candidates.length > 1) {
      throw new ValidationError(`${path} key`, `featuresKey naming the feature array: the file holds several (${candidates.join(", ")})`, "no key");
    }
    chosen = candidates[0] as string;
  }
  const field = `${path}[${chosen}]`;
  const raw = fromNpy(field, parseNpy(members[`${chosen}.npy`] as Uint8Array, field));
  raw.key = chosen;
  if (names.includes("ids") && chosen !== "ids") {
    const idsField = `${path}[ids]`;
    const ids = parseNpy(members["ids.npy"] as Uint8Array, idsField);
    if (ids.kind !== "string" || ids.shape.length !== 1) {
      throw new ValidationError(idsField, "a 1-D string array ('<U' or '|S')", `${ids.dtype} of shape (${ids.shape.join(", ")})`);
    }
    raw.rowIds = [...ids.data];
  }
  return raw;
}

function fromJson(path: string, json: unknown): RawFeatures {
  const root = asObject(path, json);
  if ("features" in root) {
    const rowsRaw = asArray(`${path} features`, root["features"]);
    const raw = rowsFromJson(`${path} features`, rowsRaw);
    if ("ids" in root) raw.rowIds = asStringArray(`${path} ids`, root["ids"]);
    return raw;
  }
  const ids = Object.keys(root);
  if (ids.length === 0) throw new ValidationError(path, "{ \"ids\": [...], \"features\": [[...]] } or { \"<id>\": [...] }", "an empty object");
  const raw = rowsFromJson(path, ids.map((id) => root[id]), ids);
  raw.rowIds = ids;
  return raw;
}

function rowsFromJson(field: string, rowsRaw: readonly unknown[], names?: readonly string[]): RawFeatures {
  if (rowsRaw.length === 0) throw new ValidationError(field, "at least one row", "none");
  const label = (r: number): string => (names ? `${field}[${JSON.stringify(names[r])}]` : `${field}[${r}]`);
  const first = asArray(label(0), rowsRaw[0]);
  const cols = first.length;
  if (cols === 0) throw new ValidationError(label(0), "at least one feature", "an empty row");
  const data = new Float64Array(rowsRaw.length * cols);
  rowsRaw.forEach((row, r) => {
    const xs = asArray(label(r), row);
    if (xs.length !== cols) throw new ValidationError(label(r), `${cols} features (like the first row)`, xs);
    xs.forEach((x, c) => {
      if (typeof x !== "number") throw new ValidationError(`${label(r)}[${c}]`, "a finite number", x);
      data[r * cols + c] = x;
    });
  });
  return { rows: rowsRaw.length, cols, data };
}

function inDatasetOrder(path: string, raw: RawFeatures, n: number): Float64Array {
  if (raw.rows !== n) {
    throw new ValidationError(`${path} (rows)`, `${n} rows, one per utterance in dataset order (or give row ids)`, `${raw.rows} rows`);
  }
  return raw.data;
}

function reorder(path: string, raw: RawFeatures, rowIds: readonly string[], datasetIds: readonly string[]): Float64Array {
  if (rowIds.length !== raw.rows) {
    throw new ValidationError(`${path} (ids)`, `${raw.rows} ids, one per feature row`, `${rowIds.length} ids`);
  }
  const rowOf = new Map<string, number>();
  rowIds.forEach((id, r) => {
    if (rowOf.has(id)) throw new ValidationError(`${path} (ids[${r}])`, `an id not already given to row ${rowOf.get(id)}`, id);
    rowOf.set(id, r);
  });
  const known = new Set(datasetIds);
  const extra = rowIds.find((id) => !known.has(id));
  if (extra !== undefined) throw new ValidationError(`${path} (ids)`, `only ids of the dataset (unknown id ${JSON.stringify(extra)})`);
  const missing = datasetIds.find((id) => !rowOf.has(id));
  if (missing !== undefined) throw new ValidationError(`${path} (ids)`, `a row for every utterance of the dataset (no row for id ${JSON.stringify(missing)})`);
  const out = new Float64Array(datasetIds.length * raw.cols);
  datasetIds.forEach((id, i) => {
    const r = rowOf.get(id) as number;
    out.set(raw.data.subarray(r * raw.cols, (r + 1) * raw.cols), i * raw.cols);
  });
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
