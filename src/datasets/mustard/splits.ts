import { join } from "node:path";
import { ValidationError } from "../../core/errors.ts";
import { defaultMustardDir } from "../../data/data-paths.ts";
import {
  asArray,
  asIntArray,
  asObject,
  asStringArray,
  member,
  type JsonObject,
} from "../../data/json-fields.ts";
import type { MustardDataset } from "./dataset.ts";
import { readJsonFile } from "../../data/read-json-file.ts";
import type { Fold } from "../../data/splits.ts";

/**
 * The official MUStARD splits (data/mustard/splits.json):
 * - speakerDependent: the 5 folds of MUStARD's split_indices.p (552 train /
 *   138 test each; the test sets partition the 690 items), indices into the
 *   dataset's item order;
 * - speakerIndependent: test = show FRIENDS (356), train = the other shows (334),
 *   the rule of MUStARD's data_loader.py.
 */
export interface MustardSplits {
  readonly speakerDependent: readonly Fold[];
  readonly speakerIndependent: Fold;
}

export const MUSTARD_FOLDS = 5;

export function loadMustardSplits(ds: MustardDataset, dir: string = defaultMustardDir()): MustardSplits {
  const path = join(dir, "splits.json");
  return parseMustardSplits(readJsonFile(path, "MUStARD splits"), ds, path);
}

export function parseMustardSplits(json: unknown, ds: MustardDataset, source = "splits.json"): MustardSplits {
  const root = asObject(source, json);
  const sd = asObject(`${source} speaker_dependent_5fold`, member(source, root, "speaker_dependent_5fold"));
  const rawFolds = asArray(
    `${source} speaker_dependent_5fold.folds`,
    member(`${source} speaker_dependent_5fold`, sd, "folds"),
  );
  if (rawFolds.length !== MUSTARD_FOLDS) {
    throw new ValidationError(`${source} speaker_dependent_5fold.folds`, `${MUSTARD_FOLDS} folds`, rawFolds);
  }
  const n = ds.items.length;
  const speakerDependent = rawFolds.map((f, k) =>
    parseFold(`${source} speaker_dependent_5fold.folds[${k}]`, f, ds),
  );
  const covered = new Array<number>(n).fill(-1);
  speakerDependent.forEach((fold, k) => {
    for (const i of fold.test) {
      if (covered[i] !== -1) {
        throw new ValidationError(
          `${source} speaker_dependent_5fold.folds[${k}].test`,
          `test sets that do not overlap (index ${i} is also in folds[${covered[i]}].test)`,
          i,
        );
      }
      covered[i] = k;
    }
  });
  const missing = covered.indexOf(-1);
  if (missing !== -1) {
    throw new ValidationError(
      `${source} speaker_dependent_5fold.folds`,
      `test sets covering every item (index ${missing} is in none)`,
      missing,
    );
  }
  const si = parseFold(`${source} speaker_independent`, member(source, root, "speaker_independent"), ds);
  return { speakerDependent, speakerIndependent: si };
}

function parseFold(f: string, raw: unknown, ds: MustardDataset): Fold {
  const o = asObject(f, raw);
  const n = ds.items.length;
  const train = asIntArray(`${f}.train`, member(f, o, "train"), 0, n - 1);
  const test = asIntArray(`${f}.test`, member(f, o, "test"), 0, n - 1);
  checkIds(f, o, "train_ids", train, ds);
  checkIds(f, o, "test_ids", test, ds);
  const seen = new Map<number, string>();
  for (const [name, list] of [
    ["train", train],
    ["test", test],
  ] as const) {
    list.forEach((i, k) => {
      const prev = seen.get(i);
      if (prev !== undefined)
        throw new ValidationError(`${f}.${name}[${k}]`, `an index not already in ${f}.${prev}`, i);
      seen.set(i, name);
    });
  }
  if (seen.size !== n)
    throw new ValidationError(f, `train and test together covering all ${n} items`, `${seen.size} items`);
  return { train, test };
}

function checkIds(
  f: string,
  o: JsonObject,
  key: string,
  indices: readonly number[],
  ds: MustardDataset,
): void {
  if (!(key in o)) return;
  const ids = asStringArray(`${f}.${key}`, o[key]);
  if (ids.length !== indices.length)
    throw new ValidationError(`${f}.${key}`, `length ${indices.length}`, ids);
  ids.forEach((id, k) => {
    const want = ds.items[indices[k] as number]?.id;
    if (id !== want)
      throw new ValidationError(`${f}.${key}[${k}]`, `${JSON.stringify(want)} (id of the indexed item)`, id);
  });
}
