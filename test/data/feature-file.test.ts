import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFeatureFile } from "../../src/data/feature-file.ts";
import { parseNpy } from "../../src/data/npy.ts";
import { encodeNpy, encodeNpyStrings, encodeNpz } from "../fixtures/data/npy-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "qmtl-features-"));
const ids = ["a", "b", "c"];
/** Row r = [r, r + 0.5] (exact in float32). */
const values = [0, 0.5, 1, 1.5, 2, 2.5];

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe("parseNpy", () => {
  it("reads float32 and float64, versions 1 and 2", () => {
    for (const descr of ["<f4", "<f8"]) {
      for (const version of [1, 2] as const) {
        const a = parseNpy(encodeNpy([3, 2], values, { descr, version }), "x.npy");
        expect(a.kind).toBe("float");
        expect(a.shape).toEqual([3, 2]);
        expect([...(a.data as Float64Array)]).toEqual(values);
      }
    }
  });

  it("reads unicode string arrays", () => {
    const a = parseNpy(encodeNpyStrings(["1_60", "2_24", "é"]), "ids.npy");
    expect(a).toMatchObject({ kind: "string", shape: [3], data: ["1_60", "2_24", "é"] });
  });

  it("rejects what it cannot read, saying why", () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3]), "x.npy")).toThrow(/x\.npy: expected a \.npy file/);
    expect(() => parseNpy(encodeNpy([3, 2], values, { fortranOrder: true }), "x.npy")).toThrow(/fortran_order.*C order/);
    expect(() => parseNpy(encodeNpy([3, 2], values, { descr: ">f8" }), "x.npy")).toThrow(/dtype.*big-endian/);
    expect(() => parseNpy(encodeNpy([3, 2], values, { rawHeader: "{'descr': '|O', 'fortran_order': False, 'shape': (6,), }" }), "x.npy")).toThrow(/pickle/);
    expect(() => parseNpy(encodeNpy([3, 2], values, { rawHeader: "{'shape': (3, 2)}" }), "x.npy")).toThrow(/npy header/);
    const truncated = encodeNpy([3, 2], values).subarray(0, 140);
    expect(() => parseNpy(truncated, "x.npy")).toThrow(/npy data\): expected 48 bytes/);
  });
});

describe("loadFeatureFile", () => {
  it("loads a .npy in dataset order", () => {
    const got = loadFeatureFile(file("f.npy", encodeNpy([3, 2], values, { descr: "<f4" })), { ids });
    expect(got.idsFrom).toBe("none");
    expect(got.matrix.rows).toBe(3);
    expect(got.matrix.cols).toBe(2);
    expect([...got.matrix.data]).toEqual(values);
  });

  it("rejects a row count that is not one per utterance", () => {
    const p = file("short.npy", encodeNpy([2, 2], values.slice(0, 4)));
    expect(() => loadFeatureFile(p, { ids })).toThrow(/short\.npy \(rows\): expected 3 rows, one per utterance/);
  });

  it("rejects a non-2-D array", () => {
    const p = file("flat.npy", encodeNpy([6], values));
    expect(() => loadFeatureFile(p, { ids })).toThrow(/flat\.npy \(shape\): expected a 2-D array/);
  });

  it("names the row and column of a NaN or Inf", () => {
    const bad = [...values];
    bad[3] = Number.NaN;
    expect(() => loadFeatureFile(file("nan.npy", encodeNpy([3, 2], bad)), { ids })).toThrow(/nan\.npy row 1 column 1: expected a finite number, got NaN/);
    bad[3] = 1;
    bad[4] = Number.POSITIVE_INFINITY;
    expect(() => loadFeatureFile(file("inf.npy", encodeNpy([3, 2], bad)), { ids })).toThrow(/row 2 column 0: expected a finite number, got Infinity/);
  });

  it("picks the npz array by key, refuses several arrays without one (naming them), and reorders by its ids", () => {
    const npz = encodeNpz(
      {
        text: encodeNpy([3, 2], values),
        audio: encodeNpy([3, 1], [7, 8, 9]),
        ids: encodeNpyStrings(["c", "a", "b"]),
      },
      true,
    );
    const p = file("f.npz", npz);
    expect(() => loadFeatureFile(p, { ids })).toThrow(/f\.npz key: expected featuresKey naming the feature array: the file holds several \(text, audio\)/);
    const dflt = loadFeatureFile(p, { ids, key: "text" });
    expect(dflt.key).toBe("text");
    expect(dflt.idsFrom).toBe("file");
    // File rows are c, a, b; dataset order a, b, c.
    expect([...dflt.matrix.data]).toEqual([1, 1.5, 2, 2.5, 0, 0.5]);
    const audio = loadFeatureFile(p, { ids, key: "audio.npy" });
    expect([...audio.matrix.data]).toEqual([8, 9, 7]);
    expect(() => loadFeatureFile(p, { ids, key: "video" })).toThrow(/f\.npz key: expected one of text, audio, ids/);
  });

  it("takes row ids from a JSON sidecar and names the first missing or extra id", () => {
    const p = file("s.npy", encodeNpy([3, 2], values));
    const side = file("s.ids.json", JSON.stringify(["b", "c", "a"]));
    const got = loadFeatureFile(p, { ids, idsPath: side });
    expect(got.idsFrom).toBe("sidecar");
    expect([...got.matrix.data]).toEqual([2, 2.5, 0, 0.5, 1, 1.5]);
    const extra = file("x.ids.json", JSON.stringify({ ids: ["a", "b", "zz"] }));
    expect(() => loadFeatureFile(p, { ids, idsPath: extra })).toThrow(/unknown id "zz"/);
    const dup = file("d.ids.json", JSON.stringify(["a", "b", "a"]));
    expect(() => loadFeatureFile(p, { ids, idsPath: dup })).toThrow(/ids\[2\]\): expected an id not already given to row 0/);
    const p2 = file("s2.npy", encodeNpy([2, 2], values.slice(0, 4)));
    const two = file("two.ids.json", JSON.stringify(["a", "c"]));
    expect(() => loadFeatureFile(p2, { ids, idsPath: two })).toThrow(/no row for id "b"/);
  });

  it("loads both JSON layouts", () => {
    const a = loadFeatureFile(file("a.json", JSON.stringify({ ids: ["b", "a", "c"], features: [[1, 1.5], [0, 0.5], [2, 2.5]] })), { ids });
    expect([...a.matrix.data]).toEqual(values);
    const b = loadFeatureFile(file("b.json", JSON.stringify({ c: [2, 2.5], a: [0, 0.5], b: [1, 1.5] })), { ids });
    expect([...b.matrix.data]).toEqual(values);
    const c = loadFeatureFile(file("c.json", JSON.stringify({ features: [[0, 0.5], [1, 1.5], [2, 2.5]] })), { ids });
    expect(c.idsFrom).toBe("none");
    expect([...c.matrix.data]).toEqual(values);
  });

  it("rejects ragged or non-numeric JSON rows, naming them", () => {
    const ragged = file("r.json", JSON.stringify({ a: [0, 0.5], b: [1], c: [2, 2.5] }));
    expect(() => loadFeatureFile(ragged, { ids })).toThrow(/r\.json\["b"\]: expected 2 features/);
    const nulls = file("n.json", JSON.stringify({ features: [[0, 0.5], [1, null], [2, 2.5]] }));
    expect(() => loadFeatureFile(nulls, { ids })).toThrow(/features\[1\]\[1\]: expected a finite number, got null/);
  });

  it("rejects corrupt archives, unknown extensions and missing files", () => {
    expect(() => loadFeatureFile(file("bad.npz", "not a zip at all"), { ids })).toThrow(/bad\.npz: expected a valid \.npz/);
    expect(() => loadFeatureFile(file("f.csv", "1,2"), { ids })).toThrow(/expected a feature file ending in \.npy, \.npz or \.json/);
    expect(() => loadFeatureFile(join(dir, "absent.npy"), { ids })).toThrow(/absent\.npy: expected a readable feature file/);
    expect(() => loadFeatureFile(file("bad.json", "{"), { ids })).toThrow(/bad\.json: expected valid JSON/);
  });
});
