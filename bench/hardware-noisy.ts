/**
 * Cost of the transpiled-circuit noise emulation on the MUStARD head (Q = 13):
 * milliseconds per trajectory (one parameter row, both measurement settings) on
 * ibm_fez and ibm_boston. `npx tsx bench/hardware-noisy.ts` -> bench/hardware-noisy-results.json
 */
import { writeFileSync } from "node:fs";
import { Rng } from "../src/core/rng.ts";
import { loadDevice } from "../src/devices/load.ts";
import { PRESETS } from "../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../src/circuits/qmtl.ts";
import { transpile } from "../src/hardware/transpile/index.ts";
import { noisyProgram, runTrajectories } from "../src/hardware/noisy/index.ts";

const c = qmtlCircuit(resolveQmtl(PRESETS.mustard));
const rng = new Rng(1);
const p = Float64Array.from({ length: c.nInputs + c.nWeights }, () => rng.range(-Math.PI, Math.PI));
const out: Record<string, unknown> = {};
for (const name of ["ibm_fez", "ibm_boston"]) {
  const dev = loadDevice(name);
  const prog = noisyProgram(transpile(c, dev).circuit, dev);
  const T = 100;
  runTrajectories(prog, p, 4, new Rng(0)); // warm-up
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const r = runTrajectories(prog, p, T, new Rng(0));
  const wall = (performance.now() - t0) / T;
  const cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000 / T;
  const events = prog.settings[0]!.events;
  const row = {
    activeQubits: prog.n,
    events: events.length,
    gates: events.filter((e) => e.kind === "gate").length,
    relax: events.filter((e) => e.kind === "relax").length,
    depolarizing: events.filter((e) => e.kind === "depolarizing").length,
    durationUs: prog.duration * 1e6,
    msPerTrajectoryWall: wall,
    msPerTrajectoryCpu: cpu,
    meanStderr: r.stderr.reduce((a, b) => a + b, 0) / r.stderr.length,
  };
  out[name] = row;
  console.log(name, JSON.stringify(row));
}
writeFileSync(new URL("./hardware-noisy-results.json", import.meta.url), JSON.stringify(out, null, 2) + "\n");
