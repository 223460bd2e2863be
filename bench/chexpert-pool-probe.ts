/**
 * Where the 2-worker image pool spends its time (npx tsx bench/chexpert-pool-probe.ts [--n 400] [--batch 16]
 * [--jobs 2]): CPU seconds of each thread of this process over one run (Linux /proc/self/task/<tid>/{comm,schedstat}),
 * against the run's wall time; and, from the workers, the time each spent decoding,
 * in the CNN and waiting for work (and, for worker processes, whose threads are not this process's, their CPU
 * seconds). `--jobs 1` runs in this process unless `--pool 1`; `--kind threads|processes`, `--depth`,
 * `--pipeline 0|1`. A diagnostic for docs/decisions/chexpert.md, not a result file.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { chexpertPreprocess } from "../src/backbones/image-preprocess.ts";
import { localRunner, poolRunner } from "../src/backbones/image-pool.ts";
import { mobilenetV2Spec } from "../src/backbones/onnx-cnn.ts";
import { repoRoot } from "../src/data/data-paths.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
};
const n = Number(arg("n", "400"));
const batch = Number(arg("batch", "16"));
const jobs = Number(arg("jobs", "2"));
const depth = Number(arg("depth", "3"));
const pipeline = arg("pipeline", "1") === "1";
const kind = arg("kind", "processes") as "processes" | "threads";
const spec = mobilenetV2Spec(chexpertPreprocess(224));
const dir = mkdtempSync(join(tmpdir(), "qmtl-probe-cx-"));
const real = join(repoRoot(), "test", "fixtures", "chexpert", "real.jpg");
const tall = join(dir, "tall.jpg");
await sharp(real).resize(320, 390, { fit: "fill" }).jpeg({ quality: 90 }).toFile(tall);
const items = Array.from({ length: n }, (_, i) => ({ path: i % 2 === 0 ? real : tall, flip: false }));
const cacheDir = join(dir, "cache");

function threads(): Map<number, { comm: string; ns: number }> {
  const out = new Map<number, { comm: string; ns: number }>();
  for (const t of readdirSync("/proc/self/task")) {
    try {
      const comm = readFileSync(`/proc/self/task/${t}/comm`, "utf8").trim();
      const ns = Number(readFileSync(`/proc/self/task/${t}/schedstat`, "utf8").split(" ")[0]);
      out.set(Number(t), { comm, ns });
    } catch {
      /* ended */
    }
  }
  return out;
}

const runner =
  jobs === 1 && arg("pool", "0") === "0"
    ? await localRunner(spec, { threads: 1, cacheDir, batch })
    : await poolRunner(spec, { jobs, cacheDir, batch, depth, pipeline, kind });
await runner.run(items.slice(0, 16));
const a = threads();
const t0 = performance.now();
await runner.run(items);
const wall = (performance.now() - t0) / 1000;
const b = threads();
const groups = new Map<string, { s: number; count: number; max: number }>();
for (const [tid, v] of b) {
  const d = (v.ns - (a.get(tid)?.ns ?? 0)) / 1e9;
  const name = tid === process.pid ? "main" : `${v.comm} ${tid}`;
  const g = groups.get(name) ?? { s: 0, count: 0, max: 0 };
  g.s += d;
  g.count++;
  g.max = Math.max(g.max, d);
  groups.set(name, g);
}
const f2 = (x: number): string => x.toFixed(2);
const head = `jobs ${jobs} ${kind} batch ${batch} depth ${depth} pipeline ${pipeline}`;
console.log(`${head}: ${n} images in ${f2(wall)} s = ${(n / wall).toFixed(1)} images/s`);
let total = 0;
for (const [k, g] of [...groups].sort((x, y) => y[1].s - x[1].s)) {
  total += g.s;
  const share = ((100 * g.s) / wall).toFixed(0);
  if (g.s > 0.005)
    console.log(
      `  ${k.padEnd(20)} ${g.count} threads, ${f2(g.s)} CPU-s (busiest ${f2(g.max)}), ${share} % of a core`,
    );
}
const perImage = ((1000 * total) / n).toFixed(2);
console.log(
  `  total ${f2(total)} CPU-s = ${f2(total / wall)} cores busy of ${jobs}; ${perImage} CPU ms/image`,
);
const stats = runner.stats?.();
for (const [i, l] of (stats?.lanes ?? []).entries()) {
  const s = (ms: number): string => `${f2(ms / 1000)} s`;
  console.log(
    `  worker ${i} (${l.kind}, cpu ${l.cpu}): ${l.batches} batches; CNN ${s(l.cnnMs)}, decode (elapsed) ` +
      `${s(l.decodeMs)}, CNN idle ${s(l.gapMs)}, CPU ${s(l.cpuMs)} of ${s(stats!.wallMs)}`,
  );
}
await runner.close();
