import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Rng } from "../../src/core/rng.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { resolveQmtl } from "../../src/circuits/qmtl.ts";
import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { parallelQmtlEngine } from "../../src/sim/qmtl-structured/parallel.ts";
import { createParallelExecutor, type ParallelExecutor } from "../../src/sim/parallel/pool-executor.ts";
import { splitBatch } from "../../src/sim/parallel/split.ts";
import { packPrepared, sharedPrepared, writePacked } from "../../src/sim/parallel/shared-lane.ts";

function randomArray(rng: Rng, n: number, lo = -Math.PI, hi = Math.PI): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.range(lo, hi);
  return v;
}

describe("packing a preparation into shared memory", () => {
  it("round-trips nested objects, arrays, typed arrays of several kinds, special numbers and $-keys", () => {
    const value = {
      a: Float64Array.of(1.5, -2, Math.PI),
      list: [{ k: Int32Array.of(-3, 7, 11), s: "x", z: null }, 4, [Float32Array.of(0.25)]],
      $t: "not a marker",
      $$n: NaN,
      inf: -Infinity,
      flag: true,
      empty: new Float64Array(0),
    };
    const p = packPrepared(value)!;
    expect(p).not.toBeNull();
    const w = Float64Array.of(9, 8);
    const buf = new SharedArrayBuffer(8 * w.length + p.bytes);
    writePacked(p, w, buf);
    expect(Array.from(new Float64Array(buf, 0, 2))).toEqual([9, 8]);
    const back = sharedPrepared(JSON.parse(p.skeleton), buf, w.length) as typeof value;
    expect(back).toEqual(value);
    expect(back.list[0]).toHaveProperty("k");
    expect((back.list[0] as { k: Int32Array }).k).toBeInstanceOf(Int32Array);
    // views into the shared buffer: the next writePacked shows through
    const p2 = packPrepared({ ...value, a: Float64Array.of(7, 7, 7) })!;
    expect(p2.skeleton).toBe(p.skeleton);
    writePacked(p2, w, buf);
    expect(Array.from(back.a)).toEqual([7, 7, 7]);
  });

  it("refuses what it cannot describe (the pool then sends a structured clone)", () => {
    expect(packPrepared({ m: new Map([[1, 2]]) })).toBeNull();
    expect(packPrepared([new (class C {})()])).toBeNull();
    expect(packPrepared({ d: new BigInt64Array(2) })).toBeNull();
    expect(packPrepared(3)).not.toBeNull();
  });
});

describe("thread pool over shared memory", () => {
  const layout = resolveQmtl(PRESETS.mustard);
  const single = qmtlEngine(layout);
  const pools: ParallelExecutor[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it("2 threads == the single-thread slices summed in slice order, bit for bit, with and without spinning", async () => {
    // spinning at once, never, and only after the first 3 calls
    for (const [spinUs, coldCalls] of [
      [2000, 0],
      [0, 0],
      [2000, 3],
    ] as const) {
      const par = await parallelQmtlEngine(layout, { threads: 2, minSlice: 1, spinUs, coldCalls });
      pools.push(par);
      const rng = new Rng(5 + spinUs);
      for (const B of [16, 7]) {
        const x = randomArray(rng, B * layout.nInputs),
          w = randomArray(rng, layout.nWeights),
          c = randomArray(rng, B * layout.nOutputs, -1, 1);
        const tp = par.record(x, w, B);
        const gp = tp.backward(c);
        const [s0, s1] = splitBatch(B, 2) as [
          { start: number; size: number },
          { start: number; size: number },
        ];
        const part = (a: Float64Array, s: typeof s0, width: number): Float64Array =>
          a.slice(s.start * width, (s.start + s.size) * width);
        const t0 = single.record(part(x, s0, layout.nInputs), w, s0.size);
        const g0 = t0.backward(part(c, s0, layout.nOutputs));
        const t1 = single.record(part(x, s1, layout.nInputs), w, s1.size);
        const g1 = t1.backward(part(c, s1, layout.nOutputs));
        expect(Array.from(tp.outputs)).toEqual([...t0.outputs, ...t1.outputs]);
        expect(Array.from(gp.gradWeights)).toEqual(
          Array.from(g0.gradWeights, (v, j) => v + g1.gradWeights[j]!),
        );
        expect(Array.from(gp.gradInputs)).toEqual([...g0.gradInputs, ...g1.gradInputs]);
        // and the same call again gives the same bits
        expect(Array.from(par.record(x, w, B).backward(c).gradWeights)).toEqual(Array.from(gp.gradWeights));
      }
    }
  });

  it("old tapes stay right after newer weights rewrote the shared preparation, also on idle workers", async () => {
    const par = await parallelQmtlEngine(layout, { threads: 3, minSlice: 1 });
    pools.push(par);
    const rng = new Rng(77);
    const B = 9;
    const x1 = randomArray(rng, B * layout.nInputs),
      w1 = randomArray(rng, layout.nWeights),
      w2 = randomArray(rng, layout.nWeights),
      cot = randomArray(rng, B * layout.nOutputs, -1, 1);
    const old = par.record(x1, w1, B);
    // batch 2: only the first worker gets a request; the second's views now see w2's preparation
    par.record(randomArray(rng, 2 * layout.nInputs), w2, 2);
    par.forward(randomArray(rng, 4 * layout.nInputs), w2, 4);
    const ref = single.record(x1, w1, B);
    const go = old.backward(cot),
      gs = ref.backward(cot);
    expect(go.gradWeights).toBeAllclose(gs.gradWeights, { rtol: 0, atol: 1e-12 });
    expect(go.gradInputs).toBeAllclose(gs.gradInputs, { rtol: 0, atol: 1e-12 });
    // back to w1 on every worker: each must use w1's preparation, not the views of w2's
    const x3 = randomArray(rng, B * layout.nInputs);
    expect(par.forward(x3, w1, B)).toBeAllclose(single.forward(x3, w1, B), { rtol: 0, atol: 1e-12 });
  });

  it("grows its shared buffers for larger batches", async () => {
    const par = await parallelQmtlEngine(layout, { threads: 2, minSlice: 1 });
    pools.push(par);
    const rng = new Rng(3);
    const w = randomArray(rng, layout.nWeights);
    for (const B of [2, 40, 6]) {
      const x = randomArray(rng, B * layout.nInputs);
      expect(par.forward(x, w, B)).toBeAllclose(single.forward(x, w, B), { rtol: 0, atol: 1e-12 });
    }
  });

  it("a worker's error reaches the caller as a clear error, and the pool keeps working", async () => {
    const par = await createParallelExecutor(
      {
        module: new URL("./fixtures/throwing-probe.ts", import.meta.url).href,
        exportName: "throwingProbe",
        args: [],
      },
      { threads: 3, minSlice: 1 },
    );
    pools.push(par);
    const w = Float64Array.of(2);
    const ok = Float64Array.of(1, 2, 3, 4, 5, 6);
    expect(Array.from(par.forward(ok, w, 3))).toEqual([6, 14, 22]);
    // sample 1 goes to the first worker, which throws; the second worker's reply is still collected
    expect(() => par.forward(Float64Array.of(1, 2, 42, 0, 5, 6), w, 3)).toThrow(
      /parallel executor worker: probe failure on purpose \(forward\)/,
    );
    expect(() => par.record(Float64Array.of(1, 2, 42, 0, 5, 6), w, 3)).toThrow(/probe failure/);
    const t = par.record(ok, w, 3);
    expect(() => t.backward(Float64Array.of(1, 42, 1))).toThrow(/probe failure on purpose \(backward\)/);
    const g = t.backward(Float64Array.of(1, 1, 1));
    expect(Array.from(g.gradWeights)).toEqual([3 + 7 + 11]);
    expect(Array.from(par.forward(ok, w, 3))).toEqual([6, 14, 22]);
  });

  it("close() returns promptly while workers spin, and leaves no thread behind", () => {
    const script = fileURLToPath(new URL("./fixtures/parallel-close-threads.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", script], { timeout: 60_000, encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number>;
    expect(j["during"]).toBeGreaterThanOrEqual(j["before"]! + 2);
    expect(j["after"]).toBe(j["before"]);
    expect(j["closeMs"]).toBeLessThan(5000);
  });
});
