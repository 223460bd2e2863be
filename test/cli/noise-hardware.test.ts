/**
 * qmtl noise and qmtl hardware on a trained run folder, through the real CLI:
 * results, report and figure are written into a marked sub-folder of the run;
 * bad levels, devices, folders and modes are refused with exit code 2.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./run-cli.ts";
import { writeMustardFeatures } from "../helpers/mustard-features.ts";

let tmp: string;
let run: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-noise-cli-"));
  const features = writeMustardFeatures({ dir: tmp });
  const r = await runCli([
    "run",
    "mustard",
    "--features",
    features,
    "--epochs",
    "2",
    "--folds",
    "0",
    "--heads",
    "qmtl",
    "--jobs",
    "1",
    "--out",
    tmp,
    "--name",
    "trained",
  ]);
  expect(r.code, r.stderr).toBe(0);
  run = join(tmp, "trained");
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Condition {
  id: string;
  kind: string;
  mitigation: string;
  metrics: Record<string, Record<string, number>>;
  outputError: Record<string, number>;
}

describe("qmtl noise", () => {
  it("evaluates the trained cell noise-free, under depolarizing levels and a device model, and writes results, report, figure", async () => {
    const r = await runCli(
      ["noise", run, "--p", "0.05,0.5", "--devices", "ibm_boston", "--no-mitigation"],
      300_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = join(run, "noise");
    for (const f of ["results.json", "report.md", "fig-noise.svg", "fig-noise.png", ".qmtl-run.json"])
      expect(existsSync(join(out, f)), f).toBe(true);
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      cell: string;
      conditions: Condition[];
    };
    expect(res.cell).toBe("qmtl:0:0");
    expect(res.conditions.map((c) => c.id)).toEqual([
      "ideal",
      "depolarizing p=0.05",
      "depolarizing p=0.5",
      "ibm_boston",
    ]);
    const err = (c: Condition): number => c.outputError["sarcasm"]!;
    expect(err(res.conditions[0]!)).toBe(0);
    // more depolarizing noise moves the expectation values further from the ideal ones
    expect(err(res.conditions[2]!)).toBeGreaterThan(err(res.conditions[1]!));
    expect(err(res.conditions[1]!)).toBeGreaterThan(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/Aer's convention/);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ["p outside [0, 16/15]", ["--p", "2"], /depolarizing\[0\]: expected p in \[0, 16\/15\]/],
    ["an unknown device", ["--devices", "ibm_nowhere"], /ibm_nowhere/],
    ["an empty --p", ["--p", ""], /--p: expected a non-empty value/],
    ["a cell that is not in the run", ["--cell", "qmtl:3:0"], /--cell: expected a finished cell/],
  ];
  for (const [what, extra, message] of bad) {
    it(`refuses ${what} (exit 2)`, async () => {
      const r = await runCli(["noise", run, "--name", "bad", ...extra]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(run, "bad"))).toBe(false);
    });
  }
  it("refuses a folder that is not a qmtl run (exit 2)", async () => {
    const r = await runCli(["noise", tmp]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected a qmtl run folder/);
  });
});

describe("qmtl hardware", () => {
  it("--dry-run writes the request body, ISA circuit and cost estimate for a device", async () => {
    const r = await runCli(
      ["hardware", run, "--backend", "ibm_boston", "--dry-run", "--limit", "4"],
      300_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = join(run, "hardware-dry-run-ibm_boston");
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      samples: number;
      cost: { circuits: number; totalShots: number };
      transpile: { after: { twoQubit: number } };
    };
    expect(res.samples).toBe(4);
    expect(res.cost.circuits).toBeGreaterThan(0);
    expect(res.transpile.after.twoQubit).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/two-qubit gates/);
  });
  it("--emulate runs the transpiled circuit under the calibrated noise and names the channels", async () => {
    const r = await runCli(
      ["hardware", run, "--backend", "ibm_fez", "--emulate", "--limit", "4", "--trajectories", "16"],
      300_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = join(run, "hardware-emulate-ibm_fez");
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      conditions: Condition[];
      emulation: {
        method: string;
        trajectories: number;
        channels: string[];
        activeQubits: number[];
        metrics: { ideal: Record<string, Record<string, number>>; emulated: Record<string, unknown> };
        deviation: Record<string, { meanAbs: number; meanStderr: number }>;
      };
    };
    const em = res.emulation;
    expect(em.method).toBe("trajectories");
    expect(em.trajectories).toBe(16);
    expect(em.activeQubits.length).toBe(13);
    const channels = em.channels.join("\n");
    for (const re of [
      /^rz: virtual/m,
      /^sx, x: .*depolarizing.*thermal relaxation/m,
      /^cz: 2-qubit/m,
      /^idle:/m,
      /^readout:/m,
    ])
      expect(channels).toMatch(re);
    expect(Object.keys(em.metrics.emulated)).toEqual(Object.keys(em.metrics.ideal));
    expect(em.deviation["sarcasm"]!.meanAbs).toBeGreaterThan(0);
    expect(em.deviation["sarcasm"]!.meanStderr).toBeGreaterThan(0);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toMatch(/16 seeded Monte-Carlo trajectories/);
    expect(report).toMatch(/- cz: 2-qubit Aer-fitted depolarizing/);
    expect(r.stdout).toMatch(/emulation: 16 trajectories \(seed 0\) on 13 active qubits/);
    // context from the noise layer: the logical circuit's device model with mitigation
    expect(res.conditions.map((c) => `${c.id} ${c.mitigation}`)).toEqual([
      "ideal none",
      "ibm_fez none",
      "ibm_fez readout",
      "ibm_fez readout+zne",
    ]);
  });
  const badEmulate: Array<[string, string[], RegExp]> = [
    ["one trajectory", ["--emulate", "--trajectories", "1"], /--trajectories: expected/],
    [
      "an unknown method",
      ["--emulate", "--method", "exact"],
      /--method: expected auto, density or trajectories/,
    ],
    ["--seed without --emulate", ["--dry-run", "--seed", "3"], /--seed: expected only with --emulate/],
    [
      "--shots with --emulate",
      ["--emulate", "--shots", "100"],
      /--shots: expected no --shots with --emulate/,
    ],
  ];
  for (const [what, extra, message] of badEmulate) {
    it(`refuses ${what} (exit 2, one line)`, async () => {
      const r = await runCli(["hardware", run, "--backend", "ibm_fez", "--name", "bad-emulate", ...extra]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n").length).toBe(1);
      expect(existsSync(join(run, "bad-emulate"))).toBe(false);
    });
  }
  it("refuses no mode, two modes, an unknown backend (exit 2)", async () => {
    for (const args of [
      ["--backend", "ibm_boston"],
      ["--backend", "ibm_boston", "--dry-run", "--emulate"],
      ["--backend", "ibm_x", "--dry-run"],
    ]) {
      const r = await runCli(["hardware", run, ...args]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
    }
  });
});
