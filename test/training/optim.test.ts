import { describe, expect, it } from "vitest";
import { makeParam } from "../../src/nn/param.ts";
import { Adam, AdamW } from "../../src/training/optim/adam.ts";
import { clipGradNorm } from "../../src/training/optim/clip.ts";
import type { Param } from "../../src/nn/module.ts";

function param(values: number[]): Param {
  return makeParam("p", [values.length], values);
}

function setGrad(p: Param, g: number[]): void {
  p.grad.set(g);
  p.hasGrad = true;
}

/** Textbook Adam step 2 for a scalar (torch.optim.Adam's formulas). */
function secondStep(x1: number, m1: number, v1: number, g2: number, lr: number): number {
  const m2 = 0.9 * m1 + 0.1 * g2;
  const v2 = 0.999 * v1 + 0.001 * g2 * g2;
  const mHat = m2 / (1 - 0.9 ** 2); // / 0.19
  const vHat = v2 / (1 - 0.999 ** 2); // / 0.001999
  return x1 - (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
}

describe("Adam (torch semantics)", () => {
  it("takes the hand-computed first two steps", () => {
    // x0 = 1, lr = 0.1, g1 = 0.5: m1 = 0.05, v1 = 0.00025, mHat = 0.5, vHat = 0.25
    // x1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002 (the first step moves by ~lr * sign(g))
    const p = param([1]);
    const opt = new Adam([p], { lr: 0.1 });
    setGrad(p, [0.5]);
    opt.step();
    expect(p.value[0]).toBeCloseTo(0.900000002, 15);
    // g2 = -1: m2 = -0.055, v2 = 0.00124975, mHat = -0.289473..., vHat = 0.625187...
    setGrad(p, [-1]);
    opt.step();
    const expected = secondStep(0.900000002, 0.05, 0.00025, -1, 0.1);
    expect(expected).toBeCloseTo(0.93661035424, 10);
    expect(p.value[0]).toBeCloseTo(expected, 14);
  });

  it("adds weight_decay * param to the gradient (L2, coupled)", () => {
    // g1 = 0.5 + 0.1 * 1 = 0.6 -> x1 = 1 - 0.1 * 0.6 / (0.6 + 1e-8) = 0.90000000166666...
    const p = param([1]);
    const opt = new Adam([p], { lr: 0.1, weightDecay: 0.1 });
    setGrad(p, [0.5]);
    opt.step();
    const x1 = 1 - (0.1 * 0.6) / (0.6 + 1e-8);
    expect(p.value[0]).toBeCloseTo(x1, 15);
    // step 2: g2 = -1 + 0.1 * x1, moments from g1 = 0.6
    setGrad(p, [-1]);
    opt.step();
    expect(p.value[0]).toBeCloseTo(secondStep(x1, 0.06, 0.00036, -1 + 0.1 * x1, 0.1), 14);
  });

  it("AdamW decays the parameter by (1 - lr * wd) before the Adam step", () => {
    // x: 1 -> 1 * (1 - 0.1 * 0.1) = 0.99 -> 0.99 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.890000002
    const p = param([1]);
    const opt = new AdamW([p], { lr: 0.1, weightDecay: 0.1 });
    setGrad(p, [0.5]);
    opt.step();
    expect(p.value[0]).toBeCloseTo(0.890000002, 15);
    setGrad(p, [-1]);
    opt.step();
    // decay 0.890000002 * 0.99 first, then the same Adam update as plain Adam's step 2
    const adamUpdate = secondStep(0, 0.05, 0.00025, -1, 0.1);
    expect(p.value[0]).toBeCloseTo(0.890000002 * 0.99 + adamUpdate, 14);
    expect(new AdamW([p]).weightDecay).toBe(0.01); // torch default
  });

  it("skips parameters without a gradient, keeping per-parameter step counts", () => {
    const a = param([1, 2]);
    const b = param([3]);
    const opt = new AdamW([a, b], { lr: 0.01 });
    setGrad(a, [0.1, -0.1]);
    opt.step();
    expect(b.value[0]).toBe(3); // no decay either
    expect(opt.state().params.map((s) => s.step)).toEqual([1, 0]);
    opt.zeroGrad();
    expect(a.hasGrad).toBe(false);
    setGrad(b, [1]);
    opt.step();
    expect(opt.state().params.map((s) => s.step)).toEqual([1, 1]);
    // b's first step moves it by ~lr after the decay
    expect(b.value[0]).toBeCloseTo(3 * (1 - 0.01 * 0.01) - 0.01 / (1 + 1e-8), 14);
  });

  it("serialises and restores its state (JSON) so that training continues identically", () => {
    const grads = [
      [0.3, -0.2],
      [0.1, 0.4],
      [-0.5, 0.05],
      [0.2, 0.2],
    ];
    const a = param([0.5, -0.5]);
    const optA = new AdamW([a], { lr: 0.05, weightDecay: 0.02 });
    for (const g of grads.slice(0, 2)) {
      setGrad(a, g);
      optA.step();
    }
    const saved = JSON.parse(JSON.stringify(optA.state())) as ReturnType<typeof optA.state>;
    const b = param(Array.from(a.value));
    const optB = new AdamW([b], { lr: 1 });
    optB.loadState(saved);
    expect(optB.lr).toBe(0.05);
    for (const g of grads.slice(2)) {
      setGrad(a, g);
      optA.step();
      setGrad(b, g);
      optB.step();
    }
    expect(Array.from(b.value)).toEqual(Array.from(a.value));
  });

  it("refuses a mismatched state and bad hyperparameters", () => {
    const opt = new Adam([param([1, 2])]);
    const s = opt.state();
    expect(() => new AdamW([param([1, 2])]).loadState(s)).toThrow(/AdamW.state.kind/);
    expect(() => opt.loadState({ ...s, params: [{ step: 1, expAvg: [0], expAvgSq: [0] }] })).toThrow(
      /expAvg: expected 2 numbers/,
    );
    expect(() => opt.loadState({ ...s, params: [] })).toThrow(/Adam.state.params/);
    expect(() => new Adam([], { lr: -1 })).toThrow(/Adam.lr/);
    expect(() => new Adam([], { betas: [0.9, 1] })).toThrow(/betas\[1\]/);
  });
});

/** The general per-element formula (torch's kernels in order, lerp with both branches): the reference
 * the optimizer's specialised loops must match bit for bit. */
function referenceAdam(
  x: Float64Array,
  grad: Float64Array,
  st: { step: number; m: Float64Array; v: Float64Array },
  o: { lr: number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean },
): void {
  st.step += 1;
  const bc1 = 1 - Math.pow(o.b1, st.step);
  const bc2Sqrt = Math.sqrt(1 - Math.pow(o.b2, st.step));
  const stepSize = o.lr / bc1;
  if (o.decoupled && o.wd !== 0) for (let i = 0; i < x.length; i++) x[i] *= 1 - o.lr * o.wd;
  const w = 1 - o.b1;
  for (let i = 0; i < x.length; i++) {
    const g = !o.decoupled && o.wd !== 0 ? grad[i]! + o.wd * x[i]! : grad[i]!;
    const d = g - st.m[i]!;
    st.m[i] = Math.abs(w) < 0.5 ? st.m[i]! + w * d : g - d * (1 - w);
    st.v[i] = st.v[i]! * o.b2 + (1 - o.b2) * g * g;
    x[i]! += -stepSize * (st.m[i]! / (Math.sqrt(st.v[i]!) / bc2Sqrt + o.eps));
  }
}

describe("Adam's loops equal the general formula bit for bit", () => {
  const cases = [
    { kind: "adam", lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 },
    { kind: "adam", lr: 3e-2, b1: 0.9, b2: 0.99, eps: 1e-6, wd: 0.05 },
    { kind: "adamw", lr: 1e-2, b1: 0.8, b2: 0.999, eps: 1e-8, wd: 0.01 },
    { kind: "adam", lr: 1e-2, b1: 0.3, b2: 0.9, eps: 1e-8, wd: 0 }, // 1 - beta1 >= 0.5: lerp's other branch
    { kind: "adam", lr: 1e-2, b1: 0.4, b2: 0.95, eps: 1e-8, wd: 0.02 }, // the same with the L2 term
  ] as const;
  for (const c of cases) {
    it(`${c.kind}, beta1 ${c.b1}, weight decay ${c.wd}`, () => {
      let s = 7;
      const rand = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
      const n = 257;
      const p = makeParam("p", [n], Array.from({ length: n }, rand));
      const x = Float64Array.from(p.value);
      const st = { step: 0, m: new Float64Array(n), v: new Float64Array(n) };
      const o = { lr: c.lr, b1: c.b1, b2: c.b2, eps: c.eps, wd: c.wd, decoupled: c.kind === "adamw" };
      const opts = { lr: c.lr, betas: [c.b1, c.b2] as const, eps: c.eps, weightDecay: c.wd };
      const opt = c.kind === "adamw" ? new AdamW([p], opts) : new Adam([p], opts);
      for (let k = 0; k < 25; k++) {
        const g = Float64Array.from({ length: n }, () => rand() * 10 ** Math.round(rand() * 4));
        setGrad(p, Array.from(g));
        opt.step();
        referenceAdam(x, g, st, o);
      }
      for (let i = 0; i < n; i++) expect(Object.is(p.value[i], x[i])).toBe(true);
    });
  }
});

describe("clipGradNorm (clip_grad_norm_ semantics)", () => {
  it("returns the pre-clip global L2 norm and scales by maxNorm / (norm + 1e-6)", () => {
    // per-parameter norms 5 ([3, 4]) and 12 ([12]) -> total sqrt(25 + 144) = 13
    const a = param([0, 0]);
    const b = param([0]);
    const c = param([0]);
    setGrad(a, [3, 4]);
    setGrad(b, [12]);
    c.grad.set([100]); // no hasGrad: ignored, as torch ignores p.grad is None
    expect(clipGradNorm([a, b, c], 1)).toBe(13);
    const coef = 1 / (13 + 1e-6);
    expect(a.grad[0]).toBeCloseTo(3 * coef, 15);
    expect(a.grad[1]).toBeCloseTo(4 * coef, 15);
    expect(b.grad[0]).toBeCloseTo(12 * coef, 15);
    expect(c.grad[0]).toBe(100);
  });

  it("leaves gradients alone below the threshold and returns 0 with no gradients", () => {
    const a = param([0, 0]);
    setGrad(a, [3, 4]);
    expect(clipGradNorm([a], 10)).toBe(5);
    expect(Array.from(a.grad)).toEqual([3, 4]);
    expect(clipGradNorm([param([1])], 1)).toBe(0);
    expect(() => clipGradNorm([a], 0)).toThrow(/maxNorm/);
  });
});
