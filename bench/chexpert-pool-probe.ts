/**
 * Where the 2-worker image pool spends its time (npx tsx bench/chexpert-pool-probe.ts [--n 400] [--batch 16]
 * [--jobs 2] [--mode ...]): per-thread CPU seconds over one run (Linux /proc/self/task/<tid>/{comm,schedstat}),
 * grouped by thread name, against the run's wall time; and, from the workers, the time each spent decoding,
 * in the CNN and waiting for work. A diagnostic for docs/decisions/chexpert.md, not a result file.
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
console.log(
  `jobs ${jobs} ${kind} batch ${batch} depth ${depth} pipeline ${pipeline}: ${n} images in ${wall.toFixed(2)} s = ${(n / wall).toFixed(1)} images/s`,
);
let total = 0;
for (const [k, g] of [...groups].sort((x, y) => y[1].s - x[1].s)) {
  total += g.s;
  if (g.s > 0.005)
    console.log(
      `  ${k.padEnd(20)} ${g.count} threads, ${g.s.toFixed(2)} CPU-s (busiest ${g.max.toFixed(2)}), ${((100 * g.s) / wall).toFixed(0)} % of a core`,
    );
}
console.log(
  `  total ${total.toFixed(2)} CPU-s = ${(total / wall).toFixed(2)} cores busy of ${jobs}; ${((1000 * total) / n).toFixed(2)} CPU ms/image`,
);
const stats = runner.stats?.();
for (const [i, l] of (stats?.lanes ?? []).entries())
  console.log(
    `  worker ${i} (${l.kind}, cpu ${l.cpu}): ${l.batches} batches; CNN ${(l.cnnMs / 1000).toFixed(2)} s, decode (elapsed) ${(l.decodeMs / 1000).toFixed(2)} s, CNN idle ${(l.gapMs / 1000).toFixed(2)} s, CPU ${(l.cpuMs / 1000).toFixed(2)} s of ${(stats!.wallMs / 1000).toFixed(2)} s`,
  );
await runner.close();
