/**
 * The file a trained model is saved in (each cell's best-model.json): what it
 * is (format and version), the ModelSpec it was built from, its parameters
 * and buffers, and the feature standardisation it was trained behind. It is
 * all that the noise, hardware and report commands need to rebuild and run
 * the model; a file of another format or version is refused by name.
 */
import { readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";
import { writeJsonAtomic } from "../core/atomic-file.ts";
import { Rng } from "../core/rng.ts";
import { QMTL_VERSION } from "../core/version.ts";
import { loadStateDict, stateDict, type StateDict } from "../nn/state-dict.ts";
import { buildModel, type BuildOptions, type MultiTaskModel } from "./build-model.ts";
import type { ModelSpec } from "./model-spec.ts";

export const SAVED_MODEL_FORMAT = "qmtl-model";
export const SAVED_MODEL_VERSION = 1;

/** Per-feature z-scoring the model expects in front of it: x' = (x - mean) / std. */
export interface Standardization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** A trained model on disk (`best-model.json` of a run): read with readModelFile, rebuild with loadModel. */
export interface SavedModel {
  readonly format: typeof SAVED_MODEL_FORMAT;
  readonly formatVersion: number;
  readonly qmtlVersion: string;
  readonly spec: ModelSpec;
  readonly state: StateDict;
  readonly standardization: Standardization | null;
  /** free-form provenance (suite, head id, split, seed, best epoch) */
  readonly meta: Readonly<Record<string, string | number>>;
}

/** A model as a saveable object: spec, trained parameters, the feature standardisation it expects, and provenance. */
export function savedModel(
  model: MultiTaskModel,
  standardization: Standardization | null,
  meta: SavedModel["meta"],
): SavedModel {
  return {
    format: SAVED_MODEL_FORMAT,
    formatVersion: SAVED_MODEL_VERSION,
    qmtlVersion: QMTL_VERSION,
    spec: model.spec,
    state: stateDict(model.net),
    standardization,
    meta,
  };
}

/** Writes a saved model as JSON, atomically. */
export function saveModelFile(path: string, saved: SavedModel): void {
  writeJsonAtomic(path, saved);
}

/** Reads a saved model's file (format and version checked, every field named on error). */
export function readModelFile(path: string): SavedModel {
  let raw: Partial<SavedModel>;
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as Partial<SavedModel>;
  } catch (e) {
    throw new ValidationError(
      path,
      "a saved qmtl model (valid JSON)",
      e instanceof Error ? e.message : String(e),
    );
  }
  if (raw === null || typeof raw !== "object" || raw.format !== SAVED_MODEL_FORMAT) {
    throw new ValidationError(
      path,
      `a saved qmtl model (format "${SAVED_MODEL_FORMAT}")`,
      raw?.format ?? raw,
    );
  }
  if (raw.formatVersion !== SAVED_MODEL_VERSION) {
    throw new ValidationError(
      `${path}: formatVersion`,
      `${SAVED_MODEL_VERSION} (written by qmtl ${raw.qmtlVersion ?? "unknown"}; this is qmtl ${QMTL_VERSION})`,
      raw.formatVersion,
    );
  }
  if (typeof raw.spec !== "object" || raw.spec === null)
    throw new ValidationError(`${path}: spec`, "the model's ModelSpec");
  if (typeof raw.state !== "object" || raw.state === null)
    throw new ValidationError(`${path}: state`, "the model's parameters");
  const s = raw.standardization;
  if (
    s !== null &&
    (typeof s !== "object" ||
      !Array.isArray(s.mean) ||
      !Array.isArray(s.std) ||
      s.mean.length !== raw.spec.inputDim ||
      s.std.length !== raw.spec.inputDim)
  ) {
    throw new ValidationError(
      `${path}: standardization`,
      `null or { mean, std } of length inputDim = ${raw.spec.inputDim}`,
    );
  }
  return raw as SavedModel;
}

/** Rebuilds a saved model with its trained parameters. */
export function loadModel(saved: SavedModel, opts: BuildOptions = {}): MultiTaskModel {
  const model = buildModel(saved.spec, new Rng(0), opts);
  loadStateDict(model.net, saved.state);
  return model;
}
