import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format } from "node:util";
import { Rng } from "../../src/core/rng.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import { buildModel } from "../../src/models/build-model.ts";
import { headOfModel, runHardwareStudy } from "../../src/experiments/hardware-study.ts";
import { RuntimeClient } from "../../src/hardware/runtime/client.ts";
import { resolveCredentials } from "../../src/hardware/runtime/credentials.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { randomArray } from "../helpers/random-circuit.ts";
import { maxAbs } from "../helpers/refs.ts";
import { logicalExpvals } from "./heads.ts";
import { startFakeRuntime, type FakeRuntime } from "./fake-runtime.ts";

const KEY = "qmtl-secret-key-0d1e2f3a4b";
let fake: FakeRuntime | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
  vi.restoreAllMocks();
});

const layout = resolveQmtl(PRESETS.mustard);
const rng = new Rng(12);
const B = 3;
const weights = randomArray(rng, layout.nWeights, 0, 2 * Math.PI);
const inputs = randomArray(rng, B * layout.nInputs);
const head = { layout, weights, inputs, batch: B };
const ideal = (() => {
  const c = qmtlCircuit(layout);
  const out = new Float64Array(B * c.observables.length);
  for (let b = 0; b < B; b++)
    out.set(
      logicalExpvals(c, inputs.slice(b * layout.nInputs, (b + 1) * layout.nInputs), weights),
      b * c.observables.length,
    );
  return out;
})();

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("hardware study", () => {
  it("dry run writes the exact request body, ISA circuit and cost; values equal the logical head", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-hw-"));
    const r = await runHardwareStudy(head, { mode: "dry-run", backend: "ibm_boston", outDir: dir });
    expect(r.outputs).toBeAllclose(ideal, { rtol: 0, atol: 1e-10 });
    const body = JSON.parse(readFileSync(join(dir, "estimator-job.json"), "utf8")) as {
      program_id: string;
      backend: string;
      params: { pubs: unknown[][] };
    };
    expect(body).toEqual(JSON.parse(JSON.stringify(r.request)));
    expect(body.program_id).toBe("estimator");
    expect(body.backend).toBe("ibm_boston");
    const [qasm, obs, values, precision] = body.params.pubs[0]!;
    expect(qasm).toBe(readFileSync(join(dir, "isa-circuit.qasm"), "utf8"));
    expect((obs as unknown[]).length).toBe(layout.nOutputs);
    expect(layout.nOutputs).toBe(25);
    expect((values as number[][]).length).toBe(B);
    expect(precision).toBe(1 / 64);
    const cost = JSON.parse(readFileSync(join(dir, "cost.json"), "utf8")) as Record<string, number>;
    expect(cost.settings).toBe(2);
    expect(cost.totalShots).toBe(4096 * 2 * B);
    expect(r.transpile.after.twoQubit).toBeGreaterThanOrEqual(r.transpile.before.twoQubit);
  });

  it("emulate on ibm_boston and ibm_fez: the transpiled circuit under calibrated noise, trajectories with standard errors; boston is closer to ideal", async () => {
    const em = { trajectories: 32 };
    const rb = await runHardwareStudy(head, { mode: "emulate", backend: "ibm_boston", emulation: em });
    const rf = await runHardwareStudy(head, { mode: "emulate", backend: "ibm_fez", emulation: em });
    expect(rb.note).toMatch(/32 seeded trajectories/);
    expect(rb.emulation!.method).toBe("trajectories");
    expect(rb.emulation!.activeQubits.length).toBe(13);
    expect(rb.emulation!.channels.join("\n")).toMatch(
      /cz: 2-qubit Aer-fitted depolarizing[^]*idle[^]*readout/,
    );
    expect(rb.ideal!).toBeAllclose(ideal, { rtol: 0, atol: 1e-10 });
    // squared deviation from ideal, less the trajectories' own variance: the noise-induced bias
    const bias = (r: typeof rb): number => {
      let acc = 0;
      for (let i = 0; i < ideal.length; i++) acc += (r.outputs[i]! - ideal[i]!) ** 2 - r.stderr![i]! ** 2;
      return acc / ideal.length;
    };
    expect(bias(rb)).toBeGreaterThan(0);
    expect(bias(rf)).toBeGreaterThan(bias(rb));
    expect(Math.max(...rb.stderr!)).toBeGreaterThan(0);
    expect(rb.device.medianReadoutError).toBeLessThan(rf.device.medianReadoutError);
    await expect(
      runHardwareStudy(head, { mode: "emulate", backend: "ibm_boston", shots: 100 }),
    ).rejects.toThrow(/no shots with emulate/);
  });

  it("submit through the client (local server): device values; the API key is in no file the run writes nor in its output", async () => {
    fake = await startFakeRuntime({ apiKey: KEY, pollsQueued: 2 });
    const logged: string[] = [];
    for (const m of ["log", "info", "warn", "error"] as const)
      vi.spyOn(console, m).mockImplementation((...a: unknown[]) => {
        logged.push(format(...a));
      });
    const credentials = resolveCredentials({
      env: { QISKIT_IBM_TOKEN: KEY, QISKIT_IBM_INSTANCE: "crn:v1:test::" },
    });
    const client = new RuntimeClient({
      credentials,
      baseUrl: fake.apiUrl,
      iamUrl: fake.iamUrl,
      sleep: async () => undefined,
    });
    const dir = mkdtempSync(join(tmpdir(), "qmtl-hw-run-"));
    const dry = await runHardwareStudy(head, { mode: "dry-run", backend: "ibm_boston", outDir: dir });
    const r = await runHardwareStudy(head, {
      mode: "submit",
      backend: "ibm_boston",
      client,
      wait: { pollMs: 1 },
    });
    expect(r.outputs).toBeAllclose(ideal, { rtol: 0, atol: 1e-10 });
    writeFileSync(
      join(dir, "result.json"),
      JSON.stringify({ ...r, outputs: [...r.outputs], client, credentials }),
    );
    console.log("study", r.note, credentials, client);
    const written = filesUnder(dir);
    expect(written.length).toBe(dry.files!.length + 1);
    for (const f of written) {
      const text = readFileSync(f, "utf8");
      expect(text).not.toContain(KEY);
      expect(text).not.toContain("fake-bearer-token"); // the IAM bearer is a secret too
    }
    for (const line of logged) {
      expect(line).not.toContain(KEY);
      expect(line).not.toContain("fake-bearer-token");
    }
    const apiBodies = fake.requests.filter((q) => q.path.startsWith("/api/"));
    for (const q of apiBodies) expect(q.body + JSON.stringify(q.headers)).not.toContain(KEY);
  });

  it("sampler: one PUB per measurement setting; counts give the head's values within 5 standard errors", async () => {
    fake = await startFakeRuntime({ apiKey: KEY, seed: 9, backend: { name: "ibm_fez", nQubits: 156 } });
    const client = new RuntimeClient({
      credentials: {
        apiKey: resolveCredentials({ env: { QISKIT_IBM_TOKEN: KEY } }).apiKey,
        instance: "crn:v1:test::",
      },
      baseUrl: fake.apiUrl,
      iamUrl: fake.iamUrl,
      sleep: async () => undefined,
    });
    const shots = 3000;
    const dir = mkdtempSync(join(tmpdir(), "qmtl-hw-s-"));
    const dry = await runHardwareStudy(head, {
      mode: "dry-run",
      backend: "ibm_fez",
      primitive: "sampler",
      shots,
      outDir: dir,
    });
    const body = JSON.parse(readFileSync(join(dir, "sampler-job.json"), "utf8")) as {
      program_id: string;
      params: { pubs: unknown[][] };
    };
    expect(body.program_id).toBe("sampler");
    expect(body.params.pubs.length).toBe(dry.cost.settings);
    expect(body.params.pubs[0]![2]).toBe(shots);
    expect(String(body.params.pubs[0]![0])).toMatch(/c\[0\] = measure \$\d+;/);
    expect(dry.cost.totalShots).toBe(shots * dry.cost.settings * B);
    const r = await runHardwareStudy(head, {
      mode: "submit",
      backend: "ibm_fez",
      primitive: "sampler",
      shots,
      client,
      wait: { pollMs: 1 },
    });
    for (let i = 0; i < ideal.length; i++) {
      const se = Math.sqrt(Math.max(1e-4, 1 - ideal[i]! ** 2) / shots);
      expect(Math.abs(r.outputs[i]! - ideal[i]!)).toBeLessThan(5 * se);
    }
  });

  it("takes the head of a built model and checks sizes", async () => {
    const model = buildModel(
      {
        head: "qmtl",
        inputDim: 8,
        latentDim: 6,
        tasks: [
          { name: "a", kind: "binary" },
          { name: "b", kind: "multiclass", numClasses: 3 },
        ],
        projection: { hidden: [], activation: "relu", dropout: 0, batchNorm: false },
        qmtl: { encodingLayers: 2, headLayers: 1 },
      },
      new Rng(1),
    );
    const h = headOfModel(model);
    expect(h.layout.Q).toBe(3);
    const x = randomArray(new Rng(2), 2 * h.layout.nInputs);
    const r = await runHardwareStudy({ ...h, inputs: x, batch: 2 }, { mode: "dry-run", backend: "ibm_fez" });
    const net = model.circuits[0]!.executor.forward(x, h.weights, 2);
    expect(r.outputs).toBeAllclose(net, { rtol: 0, atol: 1e-10 });
    await expect(
      runHardwareStudy({ ...h, inputs: x, batch: 3 }, { mode: "dry-run", backend: "ibm_fez" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      runHardwareStudy({ ...h, inputs: x, batch: 2 }, { mode: "submit", backend: "ibm_fez" }),
    ).rejects.toThrow(/RuntimeClient/);
    await model.close();
  });
});
