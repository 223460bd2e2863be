import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { countOutcomes, type RowResult } from "./catalogue.ts";
import { libraryRows } from "./rows.ts";

/**
 * Runs the library catalogue with hang and memory protection, for the
 * before/after counts of docs/decisions/reliability.md:
 *   npx tsx test/reliability/run-catalogue.ts [out.json]
 * Rows run in a child process; a row that takes longer than ROW_TIMEOUT_MS or
 * whose process grows past RSS_CAP_MB is killed and counted as "hang", and
 * the next child starts after it. A child that dies on its own (a crash in
 * WebAssembly, an abort) makes its row "stack".
 */
const ROW_TIMEOUT_MS = 20_000;
const RSS_CAP_MB = 3072;

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function runFrom(start: number, results: RowResult[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "test/reliability/run-rows.ts", String(start)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let current = start,
      since = Date.now(),
      buf = "",
      killedFor = "",
      stderr = "";
    const watch = setInterval(() => {
      const rss = rssMb(child.pid!);
      if (rss > RSS_CAP_MB) killedFor = `killed at ${Math.round(rss)} MB RSS (cap ${RSS_CAP_MB} MB)`;
      else if (Date.now() - since > ROW_TIMEOUT_MS) killedFor = `no answer in ${ROW_TIMEOUT_MS / 1000} s`;
      if (killedFor) child.kill("SIGKILL");
    }, 50);
    child.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-600);
    });
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("START ")) {
          current = Number(line.slice(6));
          since = Date.now();
        } else if (line.startsWith("{")) {
          const r = JSON.parse(line) as RowResult & { i: number };
          results[r.i] = r;
        }
      }
    });
    child.on("exit", (code) => {
      clearInterval(watch);
      if (buf.includes("DONE") || (code === 0 && results[libraryRows.length - 1]))
        return resolve(libraryRows.length);
      const row = libraryRows[current]!;
      if (results[current] === undefined) {
        results[current] = killedFor
          ? { name: row.name, category: row.category, outcome: "hang", detail: killedFor }
          : {
              name: row.name,
              category: row.category,
              outcome: "stack",
              detail: `process died (exit ${code}): ${stderr.trim().split("\n").slice(-2).join(" ")}`,
            };
      }
      resolve(current + 1);
    });
  });
}

const results: RowResult[] = [];
let next = 0;
while (next < libraryRows.length) next = await runFrom(next, results);
const counts = countOutcomes(results);
const byCategory: Record<string, Record<string, number>> = {};
for (const r of results) {
  const c = (byCategory[r.category] ??= {});
  c[r.outcome] = (c[r.outcome] ?? 0) + 1;
}
const out = process.argv[2];
if (out)
  writeFileSync(out, JSON.stringify({ rows: results.length, counts, byCategory, results }, null, 2) + "\n");
for (const r of results)
  if (r.outcome !== "clear")
    console.log(`${r.outcome.padEnd(6)} ${r.category.padEnd(12)} ${r.name}: ${r.detail.slice(0, 160)}`);
console.log(JSON.stringify({ rows: results.length, counts }));
