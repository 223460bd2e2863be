import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import { BatchNorm1d } from "../../src/nn/batch-norm.ts";
import { Linear } from "../../src/nn/linear.ts";
import { Sequential } from "../../src/nn/sequential.ts";
import { loadStateDict, stateDict } from "../../src/nn/state-dict.ts";

const model = (seed: number) => new Sequential([new Linear(3, 2, new Rng(seed)), new BatchNorm1d(2)]);

describe("stateDict / loadStateDict", () => {
  it("round-trips parameters and buffers through JSON", () => {
    const a = model(1);
    a.forward(new Float64Array([1, 2, 3, 4, 5, 7]), 2, { training: true, rng: new Rng(0) });
    const saved = JSON.parse(JSON.stringify(stateDict(a))) as Record<string, number[]>;
    expect(Object.keys(saved)).toEqual([
      "0.weight",
      "0.bias",
      "1.weight",
      "1.bias",
      "1.running_mean",
      "1.running_var",
      "1.num_batches_tracked",
    ]);
    expect(saved["1.num_batches_tracked"]).toEqual([1]);
    const b = model(2);
    loadStateDict(b, saved);
    expect(stateDict(b)).toEqual(stateDict(a));
    const x = new Float64Array([0.5, -1, 2]);
    const ctx = { training: false, rng: new Rng(0) };
    expect(Array.from(b.forward(x, 1, ctx))).toEqual(Array.from(a.forward(x, 1, ctx)));
  });

  it("names the parameter with the wrong shape and leaves the module unchanged", () => {
    const b = model(2);
    const before = stateDict(b);
    const bad = { ...stateDict(model(1)), "0.weight": [1, 2, 3] };
    expect(() => loadStateDict(b, bad)).toThrow(
      /stateDict\["0.weight"\]: expected 6 finite numbers \(shape \[2, 3\]\), got "length 3"/,
    );
    expect(stateDict(b)).toEqual(before);
  });

  it("refuses missing, unexpected and non-finite entries", () => {
    const good = stateDict(model(1));
    const missing: Record<string, number[]> = { ...good };
    delete missing["1.running_var"];
    expect(() => loadStateDict(model(2), missing)).toThrow(/stateDict\["1.running_var"\].*got "missing"/);
    expect(() => loadStateDict(model(2), { ...good, extra: [1] })).toThrow(/stateDict\["extra"\]/);
    expect(() => loadStateDict(model(2), { ...good, extra: [1] }, { strict: false })).not.toThrow();
    expect(() => loadStateDict(model(2), { ...good, "0.bias": [1, Number.NaN] })).toThrow(
      /stateDict\["0.bias"\]\[1\]/,
    );
  });
});
