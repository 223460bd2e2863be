import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Rng } from "../../src/core/rng.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { parallelQmtlEngine } from "../../src/sim/qmtl-structured/parallel.ts";
import { createParallelExecutor, type ParallelExecutor } from "../../src/sim/parallel/pool-executor.ts";
import { splitBatch } from "../../src/sim/parallel/split.ts";
import { maxAbs } from "../helpers/refs.ts";

function randomArray(rng: Rng, n: number, lo = -Math.PI, hi = Math.PI): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.range(lo, hi);
  return v;
}

describe("splitBatch", () => {
  it("covers the batch with contiguous slices differing by at most one", () => {
    for (const [b, p] of [
      [1, 2],
      [5, 2],
      [17, 3],
      [128, 2],
      [3, 8],
    ] as const) {
      const s = splitBatch(b, p);
      expect(s.length).toBe(Math.min(b, p));
      expect(s.reduce((a, x) => a + x.size, 0)).toBe(b);
      s.forEach((x, k) => expect(x.start).toBe(k === 0 ? 0 : s[k - 1]!.start + s[k - 1]!.size));
      expect(Math.max(...s.map((x) => x.size)) - Math.min(...s.map((x) => x.size))).toBeLessThanOrEqual(1);
    }
  });
});

describe("thread-pool executor == single thread", () => {
  const layout = resolveQmtl(PRESETS.mustard);
  const single = qmtlEngine(layout);
  const pools: ParallelExecutor[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  for (const threads of [2, 3]) {
    it(`QMTL engine on ${threads} threads: outputs, gradients, forward, reused and older tapes`, async () => {
      const par = await parallelQmtlEngine(layout, { threads, minSlice: 1 });
      pools.push(par);
      expect(par.threads).toBe(threads);
      const rng = new Rng(40 + threads);
      for (const B of [1, 5, 17]) {
        const x = randomArray(rng, B * layout.nInputs),
          w = randomArray(rng, layout.nWeights);
        const ts = single.record(x, w, B),
          tp = par.record(x, w, B);
        expect(tp.outputs).toBeAllclose(ts.outputs, { rtol: 0, atol: 1e-12 });
        expect(maxAbs(par.forward(x, w, B), ts.outputs)).toBeLessThan(1e-12);
        for (let rep = 0; rep < 2; rep++) {
          const cot = randomArray(rng, B * layout.nOutputs, -1, 1);
          const gs = ts.backward(cot),
            gp = tp.backward(cot);
          expect(gp.gradWeights).toBeAllclose(gs.gradWeights, { rtol: 0, atol: 1e-12 });
          expect(gp.gradInputs).toBeAllclose(gs.gradInputs, { rtol: 0, atol: 1e-12 });
        }
      }
      // an older tape stays valid after newer records
      const B = 9;
      const x1 = randomArray(rng, B * layout.nInputs),
        x2 = randomArray(rng, B * layout.nInputs),
        w = randomArray(rng, layout.nWeights);
      const old = par.record(x1, w, B);
      par.record(x2, w, B);
      const cot = randomArray(rng, B * layout.nOutputs, -1, 1);
      const go = old.backward(cot),
        gs = single.record(x1, w, B).backward(cot);
      expect(go.gradWeights).toBeAllclose(gs.gradWeights, { rtol: 0, atol: 1e-12 });
      expect(go.gradInputs).toBeAllclose(gs.gradInputs, { rtol: 0, atol: 1e-12 });
    });
  }

  it("works for any recipe: the generic statevector adjoint", async () => {
    const lay = resolveQmtl(PRESETS.glue);
    const circuit = qmtlCircuit(lay);
    const par = await createParallelExecutor(
      {
        module: new URL("../../src/diff/adjoint.ts", import.meta.url).href,
        exportName: "adjointExecutor",
        args: [circuit],
      },
      { threads: 2, minSlice: 1 },
    );
    pools.push(par);
    const ad = adjointExecutor(circuit);
    const rng = new Rng(7);
    const B = 6;
    const x = randomArray(rng, B * lay.nInputs),
      w = randomArray(rng, lay.nWeights),
      cot = randomArray(rng, B * lay.nOutputs, -1, 1);
    const gs = ad.record(x, w, B).backward(cot),
      gp = par.record(x, w, B).backward(cot);
    expect(gp.gradWeights).toBeAllclose(gs.gradWeights, { rtol: 0, atol: 1e-12 });
    expect(gp.gradInputs).toBeAllclose(gs.gradInputs, { rtol: 0, atol: 1e-12 });
  });

  it("a preparing executor: the preparation is made once on the calling thread and shipped, once per new weights", async () => {
    const par = await createParallelExecutor(
      {
        module: new URL("./fixtures/preparing-probe.ts", import.meta.url).href,
        exportName: "preparingProbe",
        args: [3],
      },
      { threads: 2, minSlice: 1 },
    );
    pools.push(par);
    const x = Float64Array.from({ length: 4 * 3 }, (_, i) => i);
    for (const w0 of [0.5, 0.5, -2, 3, 3]) {
      const w = Float64Array.of(w0);
      for (const out of [par.record(x, w, 4).outputs, par.forward(x, w, 4)]) {
        for (let b = 0; b < 4; b++) expect(out[2 * b]).toBe(w0 * (9 * b + 3) + 1000 * w0);
        // samples 2, 3 ran in the worker, which never computed a preparation itself
        expect(out[2 * 2 + 1]).toBe(0);
        expect(out[2 * 3 + 1]).toBe(0);
      }
    }
  });

  it("QMTL engine on 2 threads with new weights on every call (shipped preparation) == 1 thread", async () => {
    const lay = resolveQmtl(PRESETS.mustard);
    const par = await parallelQmtlEngine(lay, { threads: 2, minSlice: 1 });
    pools.push(par);
    const one = qmtlEngine(lay);
    const rng = new Rng(31);
    const B = 6;
    for (let step = 0; step < 3; step++) {
      const x = randomArray(rng, B * lay.nInputs),
        w = randomArray(rng, lay.nWeights),
        c = randomArray(rng, B * lay.nOutputs, -1, 1);
      const tp = par.record(x, w, B),
        t1 = one.record(x, w, B);
      expect(tp.outputs).toBeAllclose(t1.outputs, { rtol: 0, atol: 1e-12 });
      const gp = tp.backward(c),
        g1 = t1.backward(c);
      expect(gp.gradWeights).toBeAllclose(g1.gradWeights, { rtol: 0, atol: 1e-12 });
      expect(gp.gradInputs).toBeAllclose(g1.gradInputs, { rtol: 0, atol: 1e-12 });
    }
  });

  it("validates arguments, reports worker errors, and refuses calls after close()", async () => {
    const par = await parallelQmtlEngine(layout, { threads: 2, minSlice: 1 });
    const w = new Float64Array(layout.nWeights);
    expect(() => par.forward(new Float64Array(3), w, 1)).toThrow(/inputs/);
    await par.close();
    await par.close();
    expect(() => par.forward(new Float64Array(2 * layout.nInputs), w, 2)).toThrow(/close/);
    await expect(
      createParallelExecutor(
        { module: new URL("../../src/diff/adjoint.ts", import.meta.url).href, exportName: "nope", args: [] },
        { threads: 2 },
      ),
    ).rejects.toThrow(/nope/);
  });

  it("a process that never calls close() still exits", () => {
    const script = fileURLToPath(new URL("./fixtures/parallel-no-close.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", script], { timeout: 60_000, encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("done");
  });
});
