import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFeatureFile, type FeatureFileOptions } from "../../src/data/feature-file.ts";
import { parseNpy } from "../../src/data/npy.ts";
import { encodeNpy, encodeNpyStrings, encodeNpz } from "../fixtures/data/npy-writer.ts";
import type { LibraryRow } from "./catalogue.ts";
import * as featureChecks from "../../src/data/feature-checks.ts";

/** Feature files, damaged every way a user's file can be: rows for the catalogue. */
const dir = mkdtempSync(join(tmpdir(), "qmtl-catalogue-data-"));
const ids = ["a", "b", "c"];
const good = [0, 0.5, 1, 1.5, 2, 2.5];

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

const err = (fragment: string) => ({ kind: "error" as const, fragment });
const load =
  (p: string, o: Partial<FeatureFileOptions> = {}) =>
  () =>
    loadFeatureFile(p, { ids, ...o });
const npy = (shape: number[], values: number[], o: Parameters<typeof encodeNpy>[2] = {}) =>
  encodeNpy(shape, values, o);
const good64 = npy([3, 2], good);

const rows: LibraryRow[] = [];
const add = (name: string, run: () => unknown, fragment: string): void => {
  rows.push({ name, category: "feature-file", run, expect: err(fragment) });
};

// ---- .npy
add("npy: truncated data", load(file("trunc.npy", good64.subarray(0, good64.length - 7))), "npy data");
add("npy: truncated inside the header", load(file("trunchead.npy", good64.subarray(0, 30))), "npy header");
add("npy: 0-byte file", load(file("empty.npy", new Uint8Array(0))), ".npy file");
add("npy: text file renamed .npy", load(file("text.npy", "1,2\n3,4\n5,6\n")), ".npy file");
add(
  "npy: int64 dtype",
  load(
    file(
      "int.npy",
      npy([3, 2], good, { rawHeader: "{'descr': '<i8', 'fortran_order': False, 'shape': (3, 2), }" }),
    ),
  ),
  "npy dtype",
);
add(
  "npy: float16 dtype",
  load(
    file(
      "f16.npy",
      npy([3, 2], good, { rawHeader: "{'descr': '<f2', 'fortran_order': False, 'shape': (3, 2), }" }),
    ),
  ),
  "npy dtype",
);
add("npy: big-endian", load(file("be.npy", npy([3, 2], good, { descr: ">f8" }))), "big-endian");
add(
  "npy: object array",
  load(
    file(
      "obj.npy",
      npy([3, 2], good, { rawHeader: "{'descr': '|O', 'fortran_order': False, 'shape': (6,), }" }),
    ),
  ),
  "pickle",
);
add("npy: fortran order", load(file("fortran.npy", npy([3, 2], good, { fortranOrder: true }))), "C order");
add("npy: 1-D shape", load(file("oned.npy", npy([6], good))), "2-D array");
add("npy: 3-D shape", load(file("threed.npy", npy([3, 2, 1], good))), "2-D array");
add("npy: zero columns", load(file("nocols.npy", npy([3, 0], []))), "at least one feature column");
add("npy: zero rows", load(file("norows.npy", npy([0, 2], []))), "3 rows");
add("npy: wrong row count", load(file("short.npy", npy([2, 2], good.slice(0, 4)))), "3 rows");
add("npy: NaN value", load(file("nan.npy", npy([3, 2], [0, 1, Number.NaN, 3, 4, 5]))), "finite");
add(
  "npy: +Infinity value",
  load(file("inf.npy", npy([3, 2], [0, 1, 2, Number.POSITIVE_INFINITY, 4, 5]))),
  "finite",
);
add(
  "npy: -Infinity float32",
  load(file("ninf.npy", npy([3, 2], [0, 1, 2, 3, Number.NEGATIVE_INFINITY, 5], { descr: "<f4" }))),
  "finite",
);
add("npy: magnitude 1e200", load(file("huge.npy", npy([3, 2], [1e200, 1, 2e200, 3, 3e200, 5]))), "magnitude");
add(
  "npy: magnitude 1e300 in one cell",
  load(file("huge1.npy", npy([3, 2], [0, 1, 2, 1e300, 4, 5]))),
  "magnitude",
);
add(
  "npy: string array as features",
  load(file("str.npy", encodeNpyStrings(["a", "b", "c"]))),
  "float32 or float64",
);
add(
  "npy: header claims 1e12 rows",
  load(
    file(
      "claim.npy",
      npy([3, 2], good, {
        rawHeader: "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 2), }",
      }),
    ),
  ),
  "npy data",
);
add(
  "npy: negative dimension",
  load(
    file(
      "negdim.npy",
      npy([3, 2], good, { rawHeader: "{'descr': '<f8', 'fortran_order': False, 'shape': (-3, 2), }" }),
    ),
  ),
  "non-negative",
);
add(
  "npy: header without shape",
  load(file("noshape.npy", npy([3, 2], good, { rawHeader: "{'descr': '<f8', 'fortran_order': False}" }))),
  "npy header",
);
add(
  "npy: unknown format version",
  () => {
    const b = good64.slice();
    b[6] = 9;
    return parseNpy(b, "v9.npy");
  },
  "npy version",
);
add("npy: featuresKey given for a .npy", load(file("ok.npy", good64), { key: "emb" }), "featuresKey");
add(
  "npy: trailing garbage after the data",
  load(file("tail.npy", new Uint8Array([...good64, 1, 2, 3]))),
  "npy data",
);

// ---- .npz
const idsNpy = encodeNpyStrings(ids);
add("npz: not a zip", load(file("notzip.npz", "hello")), "valid .npz");
add("npz: truncated zip", load(file("truncz.npz", encodeNpz({ emb: good64 }).subarray(0, 60))), ".npz");
add("npz: empty zip", load(file("emptyz.npz", encodeNpz({}))), "at least one .npy array");
add("npz: only an ids array", load(file("onlyids.npz", encodeNpz({ ids: idsNpy }))), "besides 'ids'");
add(
  "npz: two feature arrays, no key",
  load(file("two.npz", encodeNpz({ emb: good64, other: good64 }))),
  "emb, other",
);
add(
  "npz: two feature arrays and ids, no key",
  load(file("twoids.npz", encodeNpz({ ids: idsNpy, text: good64, audio: good64 }))),
  "text, audio",
);
add(
  "npz: key that is not there",
  load(file("keyless.npz", encodeNpz({ emb: good64 })), { key: "feats" }),
  "one of emb",
);
add(
  "npz: numeric ids array",
  load(file("numids.npz", encodeNpz({ emb: good64, ids: npy([3], [1, 2, 3]) }))),
  "1-D string array",
);
add(
  "npz: duplicate ids",
  load(file("dupids.npz", encodeNpz({ emb: good64, ids: encodeNpyStrings(["a", "a", "c"]) }))),
  "an id not already given",
);
add(
  "npz: an id missing",
  load(
    file("missid.npz", encodeNpz({ emb: npy([2, 2], good.slice(0, 4)), ids: encodeNpyStrings(["a", "b"]) })),
  ),
  "ids",
);
add(
  "npz: an unknown id",
  load(file("unkid.npz", encodeNpz({ emb: good64, ids: encodeNpyStrings(["a", "b", "zz"]) }))),
  "unknown id",
);
add(
  "npz: fewer ids than rows",
  load(file("fewids.npz", encodeNpz({ emb: good64, ids: encodeNpyStrings(["a", "b"]) }))),
  "one per feature row",
);
add(
  "npz: NaN in the array",
  load(file("nanz.npz", encodeNpz({ emb: npy([3, 2], [0, Number.NaN, 2, 3, 4, 5]) }, true))),
  "finite",
);
add("npz: damaged member", load(file("badmember.npz", encodeNpz({ emb: good64.subarray(0, 20) }))), "emb");
add(
  "npz: key names the ids array",
  load(file("keyids.npz", encodeNpz({ emb: good64, ids: idsNpy })), { key: "ids" }),
  "float32 or float64",
);

// ---- .json
add("json: truncated", load(file("trunc.json", '{"features": [[0, 0.5], [1, 1')), "valid JSON");
add("json: 0-byte file", load(file("empty.json", "")), "valid JSON");
add("json: a bare array", load(file("arr.json", "[[0, 1], [2, 3], [4, 5]]")), "an object");
add("json: features is not an array", load(file("fobj.json", '{"features": {"a": 1}}')), "an array");
add("json: no rows", load(file("norows.json", '{"features": []}')), "at least one row");
add(
  "json: ragged rows",
  load(file("ragged.json", '{"features": [[0, 1], [2], [4, 5]]}')),
  "like the first row",
);
add(
  "json: a string value",
  load(file("strval.json", '{"features": [[0, 1], [2, "3"], [4, 5]]}')),
  "a finite number",
);
add(
  "json: a null value",
  load(file("nullval.json", '{"features": [[0, 1], [2, null], [4, 5]]}')),
  "a finite number",
);
add(
  "json: 1e400 (Infinity once parsed)",
  load(file("inf.json", '{"features": [[0, 1], [2, 1e400], [4, 5]]}')),
  "finite",
);
add(
  "json: magnitude 1e250",
  load(file("huge.json", '{"features": [[0, 1], [2, 1e250], [4, 5]]}')),
  "magnitude",
);
add("json: empty rows", load(file("emptyrow.json", '{"features": [[], [], []]}')), "at least one feature");
add(
  "json: duplicate ids",
  load(file("dupids.json", '{"ids": ["a", "a", "c"], "features": [[0, 1], [2, 3], [4, 5]]}')),
  "an id not already given",
);
add(
  "json: ids not strings",
  load(file("numids.json", '{"ids": [1, 2, 3], "features": [[0, 1], [2, 3], [4, 5]]}')),
  "a string",
);
add(
  "json: id map with an unknown id",
  load(file("unk.json", '{"a": [0, 1], "b": [2, 3], "zz": [4, 5]}')),
  "unknown id",
);
add("json: id map missing an id", load(file("miss.json", '{"a": [0, 1], "b": [2, 3]}')), "no row for id");
add("json: empty object", load(file("emptyobj.json", "{}")), "an empty object");
add(
  "json: featuresKey given for a .json",
  load(file("okk.json", '{"features": [[0, 1], [2, 3], [4, 5]]}'), { key: "x" }),
  "featuresKey",
);
add(
  "json: boolean values",
  load(file("bool.json", '{"features": [[true, 1], [2, 3], [4, 5]]}')),
  "a finite number",
);

// ---- paths and sidecars
mkdirSync(join(dir, "adir.npy"), { recursive: true });
add("path: missing file", load(join(dir, "nope.npy")), "a readable feature file");
add("path: a directory named .npy", load(join(dir, "adir.npy")), "a readable feature file");
add("path: unknown extension", load(file("feats.csv", "1,2\n")), ".npy, .npz or .json");
add("path: no extension", load(file("feats", "1,2\n")), "(no extension)");
add(
  "sidecar: missing",
  load(file("side.npy", good64), { idsPath: join(dir, "nosuch.json") }),
  "a readable file",
);
add(
  "sidecar: not JSON",
  load(file("side2.npy", good64), { idsPath: file("ids-bad.json", "[a, b") }),
  "valid JSON",
);
add(
  "sidecar: differs from the ids in the file",
  load(file("sidez.npz", encodeNpz({ emb: good64, ids: idsNpy })), {
    idsPath: file("ids-other.json", '["c", "b", "a"]'),
  }),
  "the same ids",
);
add(
  "sidecar: an object without ids",
  load(file("side3.npy", good64), { idsPath: file("ids-obj.json", '{"rows": ["a", "b", "c"]}') }),
  "an array",
);
add(
  "dataset ids: duplicates",
  () =>
    loadFeatureFile(file("dsdup.json", '{"a": [0, 1], "b": [2, 3], "c": [4, 5]}'), { ids: ["a", "a", "c"] }),
  "duplicate",
);
add(
  "dataset ids: empty list",
  () => loadFeatureFile(file("dsempty.npy", good64), { ids: [] }),
  "at least one",
);

// ---- the post-standardisation check the experiment code calls
add(
  "standardised: a column of 1e200s collapsed to zeros",
  () =>
    featureChecks.checkStandardized(
      "features.npy",
      {
        rows: 3,
        cols: 2,
        data: Float64Array.from([1e200, 1, 1e200 * (1 + 1e-15), 2, 1e200, 3]),
      },
      { rows: 3, cols: 2, data: Float64Array.from([0, -1.22, 0, 0, 0, 1.22]) },
    ),
  "column 0",
);
add(
  "standardised: NaN after the transform",
  () =>
    featureChecks.checkStandardized(
      "features.npy",
      {
        rows: 2,
        cols: 1,
        data: Float64Array.from([1, 2]),
      },
      { rows: 2, cols: 1, data: Float64Array.from([Number.NaN, 1]) },
    ),
  "finite",
);
add(
  "feature scale: 1e160 in a matrix",
  () => featureChecks.checkFeatureValues("x", { rows: 1, cols: 2, data: Float64Array.from([1, 1e160]) }),
  "magnitude",
);

export const dataRows: readonly LibraryRow[] = rows;
