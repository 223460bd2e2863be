import { describe, expect, it } from "vitest";
import { classifyError, countOutcomes, looksLikeStack, runLibraryRow, type RowResult } from "./catalogue.ts";
import { libraryRows } from "./rows.ts";
import { ValidationError } from "../../src/core/errors.ts";

/**
 * The bad-input catalogue (issue 10): every library and input-file row must
 * end in a clear, one-line error naming what is wrong (or, for cache damage,
 * a warning and a run that goes on). run-catalogue.ts gives the same counts
 * with hang protection; this file runs the rows in-process.
 */
describe("bad-input catalogue: library and input files", () => {
  it("has at least 100 rows with unique category + name", () => {
    expect(libraryRows.length).toBeGreaterThanOrEqual(100);
    expect(new Set(libraryRows.map((r) => `${r.category}: ${r.name}`)).size).toBe(libraryRows.length);
  });

  const results: RowResult[] = [];
  for (const row of libraryRows) {
    it(`${row.category}: ${row.name}`, async () => {
      const r = await runLibraryRow(row);
      results.push(r);
      expect(r.outcome, r.detail).toBe("clear");
    });
  }

  it("counts: every row clear", () => {
    expect(countOutcomes(results)).toEqual({
      clear: libraryRows.length,
      silent: 0,
      stack: 0,
      hang: 0,
      "data-loss": 0,
    });
  });
});

describe("the harness can fail", () => {
  it("a returned value is silent, a raw TypeError or a stack-looking message is not clear", async () => {
    const silent = await runLibraryRow({
      name: "x",
      category: "t",
      run: () => 1,
      expect: { kind: "error", fragment: "x" },
    });
    expect(silent.outcome).toBe("silent");
    expect(classifyError(new TypeError("Cannot read properties of undefined"), "undefined").outcome).toBe(
      "stack",
    );
    expect(classifyError(new Error("boom\n    at foo (/a/b.ts:1:2)"), "boom").outcome).toBe("stack");
    expect(classifyError(new ValidationError("a", "b"), "zzz").outcome).toBe("stack");
    expect(classifyError(new ValidationError("field", "a finite number", Number.NaN), "field").outcome).toBe(
      "clear",
    );
    expect(looksLikeStack("RuntimeError: memory access out of bounds")).toBe(true);
  });
});
