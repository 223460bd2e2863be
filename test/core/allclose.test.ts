import { describe, expect, it } from "vitest";

describe("toBeAllclose", () => {
  it("passes within rtol/atol and reports the worst index, expected and actual on failure", () => {
    expect(new Float64Array([1, 2, 3])).toBeAllclose([1, 2 + 1e-12, 3], { rtol: 1e-10 });
    let message = "";
    try {
      expect([1, 2, 3.5, 4.01]).toBeAllclose([1, 2, 3, 4], { rtol: 1e-10, atol: 1e-3 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/2 of 4 entries differ .* worst at index 2: expected 3, got 3\.5/);
    expect(() => expect([1, 2]).toBeAllclose([1, 2, 3])).toThrow(/length 2, expected 3/);
  });
});
