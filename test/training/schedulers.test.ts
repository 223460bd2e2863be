import { describe, expect, it } from "vitest";
import { EarlyStopping } from "../../src/training/early-stopping.ts";
import { ReduceLROnPlateau } from "../../src/training/optim/plateau.ts";

describe("ReduceLROnPlateau (torch semantics)", () => {
  it("reduces after more than `patience` bad epochs in max mode, down to min_lr", () => {
    const opt = { lr: 5e-4 };
    const s = new ReduceLROnPlateau(opt, { mode: "max", factor: 0.2, patience: 2, minLr: 1e-5 });
    expect(s.step(0.5)).toBe(false); // best 0.5
    expect(s.step(0.5)).toBe(false); // not > 0.5 * 1.0001: bad 1
    expect(s.step(0.50004)).toBe(false); // 0.50004 < 0.50005: still bad (2)
    expect(s.step(0.4)).toBe(true); // bad 3 > 2 -> lr 1e-4
    expect(opt.lr).toBeCloseTo(1e-4, 18);
    expect(s.step(0.6)).toBe(false); // improvement resets
    for (let i = 0; i < 2; i++) expect(s.step(0.1)).toBe(false);
    expect(s.step(0.1)).toBe(true); // 2e-5
    for (let i = 0; i < 2; i++) s.step(0.1);
    expect(s.step(0.1)).toBe(true); // max(4e-6, 1e-5) = 1e-5
    expect(opt.lr).toBe(1e-5);
    for (let i = 0; i < 2; i++) s.step(0.1);
    expect(s.step(0.1)).toBe(false); // already at min_lr: no change
    expect(opt.lr).toBe(1e-5);
  });

  it("uses the relative threshold in min mode and honours cooldown", () => {
    const opt = { lr: 1 };
    const s = new ReduceLROnPlateau(opt, { patience: 0, cooldown: 1 });
    s.step(10); // best 10
    expect(s.step(9.9995)).toBe(true); // needs < 10 * (1 - 1e-4) = 9.999: bad 1 > 0 -> 0.1
    expect(s.step(20)).toBe(false); // in cooldown: bad reset to 0
    expect(s.step(20)).toBe(true); // 0.01
    expect(opt.lr).toBeCloseTo(0.01, 15);
  });

  it("serialises its state (JSON-safe even before the first metric)", () => {
    const opt = { lr: 1 };
    const s = new ReduceLROnPlateau(opt, { patience: 1 });
    expect(JSON.parse(JSON.stringify(s.state()))).toEqual({
      best: null,
      numBadEpochs: 0,
      cooldownCounter: 0,
      lastEpoch: 0,
    });
    s.step(3);
    s.step(4);
    const saved = JSON.parse(JSON.stringify(s.state())) as ReturnType<typeof s.state>;
    const t = new ReduceLROnPlateau(opt, { patience: 1 });
    t.loadState(saved);
    expect(t.step(5)).toBe(true);
    expect(s.step(5)).toBe(true);
  });
});

describe("EarlyStopping", () => {
  it("tracks the best score and epoch and stops after `patience` checks without improvement", () => {
    const es = new EarlyStopping({ patience: 2, mode: "max" });
    expect(es.step(0.5, 0)).toEqual({ improved: true, shouldStop: false });
    expect(es.step(0.7, 2)).toEqual({ improved: true, shouldStop: false });
    expect(es.step(0.7, 4)).toEqual({ improved: false, shouldStop: false });
    expect(es.step(Number.NaN, 6)).toEqual({ improved: false, shouldStop: true });
    expect(es.bestScore).toBe(0.7);
    expect(es.bestEpoch).toBe(2);
  });

  it("supports min mode with min_delta and restores its state", () => {
    const es = new EarlyStopping({ patience: 1, mode: "min", minDelta: 0.1 });
    es.step(1, 1);
    expect(es.step(0.95, 2).improved).toBe(false);
    const saved = JSON.parse(JSON.stringify(es.state())) as ReturnType<typeof es.state>;
    const other = new EarlyStopping({ patience: 1, mode: "min", minDelta: 0.1 });
    other.loadState(saved);
    expect(other.shouldStop()).toBe(true);
    expect(other.bestScore).toBe(1);
    expect(() => new EarlyStopping({ patience: 0 })).toThrow(/EarlyStopping.patience/);
  });
});
