/** Every public export (src/index.ts) has a doc comment: TypeDoc's API reference is built from them. */
import { describe, expect, it } from "vitest";
import { undocumentedExports } from "../../scripts/api-doc-coverage.ts";

describe("the public API's doc comments", () => {
  it("every export of src/index.ts has one", () => {
    const { total, missing } = undocumentedExports();
    expect(total).toBeGreaterThan(100);
    expect(missing, "add a /** ... */ comment at each of these declarations").toEqual([]);
  });
});
