import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeImageBatch, type BatchItem } from "../../src/backbones/image-batch.ts";
import { chexpertPreprocess } from "../../src/backbones/image-preprocess.ts";
import { allowedCpus, cpusByIdleness, parseCpuTimes } from "../../src/backbones/image-lane.ts";
import { localRunner, poolRunner, type ImageRunner } from "../../src/backbones/image-pool.ts";
import { mobilenetV2Spec } from "../../src/backbones/onnx-cnn.ts";
import { repoRoot } from "../../src/data/data-paths.ts";

const FIX = join(repoRoot(), "test", "fixtures", "chexpert", "CheXpert-v1.0-small");
const spec = mobilenetV2Spec(chexpertPreprocess(224));

/** the fixture's images, 13 items with two flipped and a repeat, so batches of 3 leave a short tail */
function items(): BatchItem[] {
  const csv = readFileSync(join(FIX, "valid.csv"), "utf8").trim().split("\n").slice(1, 12);
  const paths = csv.map((l) => join(FIX, "..", l.split(",")[0]!));
  return [
    ...paths.map((path, i) => ({ path, flip: i === 2 || i === 5 })),
    { path: paths[0]!, flip: false },
    { path: paths[4]!, flip: true },
  ];
}

/** a directory with a good image, a truncated one and a name that does not exist */
function badBatch(): { list: BatchItem[]; cut: string; gone: string } {
  const dir = mkdtempSync(join(tmpdir(), "qmtl-pool-"));
  const good = items()[0]!.path;
  const cut = join(dir, "cut.jpg");
  writeFileSync(cut, readFileSync(good).subarray(0, 2000));
  const gone = join(dir, "gone.jpg");
  return {
    list: [items()[1]!, { path: cut, flip: false }, items()[3]!, { path: gone, flip: false }],
    cut,
    gone,
  };
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe("image worker pools", () => {
  it("a batch decoded all at once is the one-at-a-time tensor, value for value, failures squeezed out", async () => {
    const { list, cut, gone } = badBatch();
    const p = spec.preprocess;
    const serial = await decodeImageBatch(p, list, { parallel: false });
    const parallel = await decodeImageBatch(p, list, { parallel: true });
    expect(serial.good).toBe(2);
    expect(parallel.good).toBe(2);
    expect(bits(parallel.input)).toEqual(bits(serial.input));
    expect(parallel.errors).toEqual(serial.errors);
    expect(parallel.errors[1]).toMatch(new RegExp(`image ${cut}: not a decodable image`));
    expect(parallel.errors[3]).toBe(`image ${gone}: file not found`);
    expect(parallel.errors[0]).toBeNull();
  });

  it("pipelined pools (processes, threads) give the serial 1-thread features bit for bit, in order", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-pool-"));
    const list = items();
    const local = await localRunner(spec, { threads: 1, cacheDir, batch: 3 });
    const want = await local.run(list);
    await local.close();
    expect(want.data.length).toBe(list.length * 1280);
    // the repeat of image 0 gives image 0's row; flipped images differ from unflipped
    expect(bits(want.data.subarray(11 * 1280, 12 * 1280))).toEqual(bits(want.data.subarray(0, 1280)));
    expect(bits(want.data.subarray(12 * 1280))).not.toEqual(bits(want.data.subarray(4 * 1280, 5 * 1280)));
    const pools: [string, () => Promise<ImageRunner>][] = [
      ["processes", () => poolRunner(spec, { jobs: 2, cacheDir, batch: 3 })],
      ["unpinned processes", () => poolRunner(spec, { jobs: 2, cacheDir, batch: 3, pin: "none" })],
      ["threads", () => poolRunner(spec, { jobs: 2, cacheDir, batch: 3, kind: "threads" })],
      [
        "serial threads",
        () => poolRunner(spec, { jobs: 2, cacheDir, batch: 3, kind: "threads", depth: 1, pipeline: false }),
      ],
    ];
    for (const [name, start] of pools) {
      const pool = await start();
      const done: number[] = [];
      const got = await pool.run(list, (k) => done.push(k));
      const stats = pool.stats?.();
      await pool.close();
      expect(bits(got.data), name).toEqual(bits(want.data));
      expect(got.errors.every((e) => e === null)).toBe(true);
      expect(done.reduce((a, b) => a + b, 0)).toBe(list.length);
      expect(stats?.lanes.reduce((a, l) => a + l.batches, 0)).toBe(5);
      if (name === "processes") {
        expect(stats!.lanes.every((l) => l.kind === "process")).toBe(true);
        // pinned one per CPU where this machine has two (and taskset exists)
        if ((allowedCpus()?.length ?? 0) >= 2 && stats!.lanes[0]!.cpu !== null)
          expect(new Set(stats!.lanes.map((l) => l.cpu)).size).toBe(2);
      }
      if (name === "unpinned processes") {
        expect(stats!.lanes.every((l) => l.kind === "process")).toBe(true);
        expect(stats!.lanes.map((l) => l.cpu)).toEqual([null, null]);
      }
    }
  });

  it("a corrupt or missing image in a pipelined batch is reported by index with its path", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-pool-"));
    const { list, cut, gone } = badBatch();
    const local = await localRunner(spec, { threads: 1, cacheDir, batch: 2 });
    const want = await local.run(list);
    await local.close();
    for (const kind of ["processes", "threads"] as const) {
      const pool = await poolRunner(spec, { jobs: 2, cacheDir, batch: 2, kind });
      const r = await pool.run(list);
      await pool.close();
      expect(r.errors[0]).toBeNull();
      expect(r.errors[1]).toMatch(new RegExp(`^image ${cut}: not a decodable image`));
      expect(r.errors[2]).toBeNull();
      expect(r.errors[3]).toBe(`image ${gone}: file not found`);
      expect(r.data.length).toBe(2 * 1280);
      expect(bits(r.data)).toEqual(bits(want.data));
    }
  });

  it("closing a pool, even in the middle of a run, ends its workers without hanging", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-pool-"));
    const list = [...items(), ...items(), ...items()];
    for (const kind of ["processes", "threads"] as const) {
      const pool = await poolRunner(spec, { jobs: 2, cacheDir, batch: 2, kind });
      const running = pool.run(list).then(
        () => "finished",
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      await pool.close();
      expect(performance.now() - t0).toBeLessThan(10_000);
      // the run either finished first or is told the pool closed under it; it never hangs
      expect(await running).toMatch(/^finished$|^image pool: closed during a run$|^image worker/);
      await pool.close(); // a second close is harmless
    }
  });

  it("a worker process that dies mid-run fails the run with why, and close() still returns", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "qmtl-pool-"));
    const pool = await poolRunner(spec, { jobs: 2, cacheDir, batch: 2 });
    const pid = pool.stats?.().lanes[1]?.pid;
    expect(typeof pid).toBe("number");
    const list = Array.from({ length: 20 }, () => items()).flat();
    const running = pool.run(list).then(
      () => "finished",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    process.kill(pid!, "SIGKILL");
    expect(await running).toMatch(/image worker process exited \(SIGKILL\)/);
    const t0 = performance.now();
    await pool.close();
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});

describe("pinning image workers to the least busy CPUs", () => {
  // user nice system idle iowait irq softirq steal guest guest_nice
  const before = parseCpuTimes(
    [
      "cpu  300 0 100 900 0 0 0 0 0 0",
      "cpu0 100 0 0 100 0 0 0 0 0 0",
      "cpu1 100 0 50 400 0 0 0 0 0 0",
      "cpu2 100 0 50 400 0 0 0 0 0 0",
      "intr 12345",
    ].join("\n"),
  );
  it("reads /proc/stat's per-CPU lines (busy = all but idle and iowait), skipping the total", () => {
    expect([...before.keys()]).toEqual([0, 1, 2]);
    expect(before.get(1)).toEqual({ busy: 150, total: 550 });
  });
  it("orders the allowed CPUs by their busy share between two samples, ties in their own order", () => {
    // over the interval: cpu0 90% busy, cpu1 10%, cpu2 10%
    const after = parseCpuTimes(
      ["cpu0 190 0 0 110 0 0 0 0 0 0", "cpu1 105 0 55 490 0 0 0 0 0 0", "cpu2 110 0 50 490 0 0 0 0 0 0"].join(
        "\n",
      ),
    );
    expect(cpusByIdleness([0, 1, 2], before, after)).toEqual([1, 2, 0]);
    expect(cpusByIdleness([2, 0], before, after)).toEqual([2, 0]);
    // no sample for a CPU, or no time passed: it counts as idle and keeps its place
    expect(cpusByIdleness([0, 7, 1], before, after)).toEqual([7, 1, 0]);
    expect(cpusByIdleness([0, 1, 2], before, before)).toEqual([0, 1, 2]);
  });
});
