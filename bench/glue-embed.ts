/**
 * GLUE sentence-embedding throughput (npx tsx bench/glue-embed.ts [--texts N] [--rounds R]):
 * USE-lite on 1 and on 2 worker threads (each its own TensorFlow.js + wasm backend), over the same
 * N distinct GLUE training sentences (every k-th distinct sentence of the six embedded tasks, so
 * lengths are representative), each run with a fresh, empty vector store. Rounds alternate 1 and 2
 * workers; the best round of each counts (load on a shared machine comes in bursts). Rates are
 * sentences/s over the whole call (worker start included) and after the workers were ready.
 * A third configuration runs 1 worker beside a scalar busy loop on the other core: twice its rate over
 * the lone worker's is the ceiling of any 2-way split on this machine (bench/lib/spinner.ts).
 * Writes bench/results-glue-embed.json. Only the in-run ratio is comparable across machines.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadGlue } from "../src/datasets/glue/load.ts";
import { distinctTexts, embedTextsParallel } from "../src/backbones/parallel-embed.ts";
import { TextVectorStore } from "../src/backbones/text-vector-store.ts";
import { useLiteModelId } from "../src/backbones/use-lite-files.ts";
import { startSpinner } from "./lib/spinner.ts";

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg("--texts", 800);
const ROUNDS = arg("--rounds", 2);
/** texts per chunk: small enough that a short sample still balances over 2 workers */
const CHUNK = arg("--chunk", 32);

const all: string[] = [];
for (const t of loadGlue())
  for (const e of t.train.examples) {
    all.push(e.a);
    if (e.b !== null) all.push(e.b);
  }
const uniq = distinctTexts(all);
const step = Math.max(1, Math.floor(uniq.length / N));
const sample = uniq.filter((_, i) => i % step === 0).slice(0, N);
const meanChars = sample.reduce((s, t) => s + t.length, 0) / sample.length;

interface Row {
  /** 1 or 2 workers; "1+spin": 1 worker beside a scalar busy loop on the other core */
  jobs: number | "1+spin";
  round: number;
  seconds: number;
  startSeconds: number;
  rate: number;
  rateAfterStart: number;
  load1: number;
}
const rows: Row[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const jobs of [1, "1+spin", 2] as const) {
    const spinner = jobs === "1+spin" ? await startSpinner() : null;
    const cache = mkdtempSync(join(tmpdir(), "qmtl-bench-embed-"));
    const store = TextVectorStore.open("use", useLiteModelId(), 512, { cacheDir: cache });
    const load1 = loadavg()[0]!;
    const r = await embedTextsParallel(sample, {
      recipe: { kind: "use" },
      jobs: jobs === 2 ? 2 : 1,
      store,
      flushEvery: 1 << 20,
      chunkSize: CHUNK,
    });
    await spinner?.stop();
    rmSync(cache, { recursive: true, force: true });
    const row = {
      jobs,
      round,
      seconds: r.seconds,
      startSeconds: r.startSeconds,
      rate: sample.length / r.seconds,
      rateAfterStart: sample.length / (r.seconds - r.startSeconds),
      load1,
    };
    rows.push(row);
    console.log(
      `round ${round} jobs ${jobs}: ${row.rate.toFixed(1)} sentences/s (${row.rateAfterStart.toFixed(1)} after a ${r.startSeconds.toFixed(1)} s start; backends ${r.backends.join(",")}; load ${load1.toFixed(1)})`,
    );
  }
}
const best = (jobs: Row["jobs"]): Row =>
  rows.filter((r) => r.jobs === jobs).sort((a, b) => b.rateAfterStart - a.rateAfterStart)[0]!;
const b1 = best(1),
  bs = best("1+spin"),
  b2 = best(2);
/** what two workers could reach if each ran as fast as one worker beside a busy core */
const ceiling = (2 * bs.rateAfterStart) / b1.rateAfterStart;
const out = {
  bench: "glue-embed",
  date: new Date().toISOString(),
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  node: process.version,
  texts: sample.length,
  meanChars,
  rounds: ROUNDS,
  chunkSize: CHUNK,
  rows,
  best: {
    jobs1: b1,
    jobs2: b2,
    jobs1BesideSpinner: bs,
    speedup: b2.rateAfterStart / b1.rateAfterStart,
    ceiling,
    ofCeiling: b2.rateAfterStart / b1.rateAfterStart / ceiling,
    speedupWithStart: b2.rate / b1.rate,
  },
};
console.log(
  `2 workers vs 1: ${out.best.speedup.toFixed(2)}x after start, ${out.best.speedupWithStart.toFixed(2)}x including start; ` +
    `ceiling on this machine ${ceiling.toFixed(2)}x (1 worker beside a busy core: ${bs.rateAfterStart.toFixed(1)}/s)`,
);
writeFileSync(join(import.meta.dirname, "results-glue-embed.json"), JSON.stringify(out, null, 2) + "\n");
