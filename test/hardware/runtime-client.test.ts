import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { DEFAULT_IBM_API_VERSION, RuntimeClient } from "../../src/hardware/runtime/client.ts";
import { resolveCredentials, Secret } from "../../src/hardware/runtime/credentials.ts";
import {
  RuntimeAuthError,
  RuntimeBackendError,
  RuntimeError,
  RuntimeForbiddenError,
  RuntimeJobError,
  RuntimeNotFoundError,
  RuntimeTimeoutError,
} from "../../src/hardware/runtime/errors.ts";
import { retryAfterMs } from "../../src/hardware/runtime/http.ts";
import {
  estimatorParams,
  estimatorPub,
  parseEstimatorResults,
  parseSamplerResults,
  samplerParams,
  samplerPub,
} from "../../src/hardware/runtime/pubs.ts";
import { exportQasm, usedParams } from "../../src/hardware/qasm/export.ts";
import {
  measurementSettings,
  settingCircuit,
  toQiskitPauli,
  expvalsFromSamples,
} from "../../src/hardware/observables.ts";
import { transpile } from "../../src/hardware/transpile/index.ts";
import { loadDevice } from "../../src/devices/load.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { startFakeRuntime, type FakeOptions, type FakeRuntime } from "./fake-runtime.ts";
import { flat, logicalExpvals, paperHeads, randomValues } from "./heads.ts";

const KEY = "qmtl-test-key-7f3a9c";
const CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/0000:1111::";
let fake: FakeRuntime | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(o: Partial<FakeOptions> = {}, sleeps?: number[]): Promise<RuntimeClient> {
  fake = await startFakeRuntime({ apiKey: KEY, ...o });
  return new RuntimeClient({
    credentials: { apiKey: new Secret(KEY), instance: CRN },
    baseUrl: fake.apiUrl,
    iamUrl: fake.iamUrl,
    timeoutMs: 5000,
    maxRetries: 3,
    baseDelayMs: 10,
    sleep: async (ms) => {
      sleeps?.push(ms);
    },
  });
}

function noKey(e: unknown): unknown {
  expect(String((e as Error).message)).not.toContain(KEY);
  return e;
}

describe("Runtime client against a local server", () => {
  it("Estimator: a transpiled head's evs come back equal to the logical values (parametric PUB, 3 rows)", async () => {
    const client = await setup();
    const [, c] = paperHeads().find(([n]) => n === "hqnn4")!;
    const t = transpile(c, loadDevice("ibm_boston"));
    // without the padding barrier the loaded circuit is only as wide as its highest $n + 1: rejected
    const bare = exportQasm(t.circuit, { version: 3, physical: true });
    const paulis0 = t.circuit.observables.map((w) => toQiskitPauli(w, 156));
    await expect(
      client.submit({
        program_id: "estimator",
        backend: "ibm_boston",
        params: estimatorParams([estimatorPub(bare, paulis0, null, 0.01)]),
      }),
    ).rejects.toThrow(/1501: the number of qubits of the circuit \(\d+\) does not match/);
    const qasm = exportQasm(t.circuit, { version: 3, physical: true, physicalWidth: 156 });
    expect(qasm).toMatch(/^barrier \$155;$/m);
    const rows = [1, 2, 3].map((s) => randomValues(c, s));
    const used = usedParams(t.circuit);
    const values = rows.map(({ inputs, weights }) => used.map((p) => flat(inputs, weights)[p]!));
    const paulis = t.circuit.observables.map((w) => toQiskitPauli(w, 156));
    const pub = estimatorPub(qasm, paulis, values, 0.01);
    const id = await client.submit({
      program_id: "estimator",
      backend: "ibm_boston",
      params: estimatorParams([pub]),
    });
    const res = await client.wait(id, { pollMs: 1 });
    const [r] = parseEstimatorResults(res, [{ K: paulis.length, B: rows.length }]);
    rows.forEach(({ inputs, weights }, b) => {
      const ref = logicalExpvals(c, inputs, weights);
      ref.forEach((x, k) => expect(Math.abs(r!.evs[k * rows.length + b]! - x)).toBeLessThan(1e-10));
    });
    const submitted = fake!.requests.find((q) => q.path === "/api/v1/jobs")!;
    expect(submitted.headers.authorization).toBe("Bearer fake-bearer-token-1");
    expect(submitted.headers["service-crn"]).toBe(CRN);
    expect(submitted.headers["ibm-api-version"]).toBe(DEFAULT_IBM_API_VERSION);
    expect(DEFAULT_IBM_API_VERSION).toBe("2026-04-15"); // qiskit-ibm-runtime's value, see SOURCES.md
    expect(submitted.body).not.toContain(KEY);
    const iam = fake!.requests.filter((q) => q.path === "/identity/token");
    expect(iam.length).toBe(1); // the bearer is cached
  });

  it("Sampler: counts of each measurement setting give the head's values within 5 standard errors", async () => {
    const client = await setup({ seed: 4 });
    const [, c] = paperHeads().find(([n]) => n === "chexpert")!;
    const { inputs, weights } = randomValues(c, 8);
    const ref = logicalExpvals(c, inputs, weights);
    const t = transpile(c, loadDevice("ibm_boston"), { params: flat(inputs, weights) });
    const settings = measurementSettings(t.circuit.observables);
    const shots = 4000;
    const pubs = settings.map((s) => {
      const { circuit, measure } = settingCircuit(t.circuit, s);
      return samplerPub(
        exportQasm(circuit, { version: 3, physical: true, params: flat(inputs, weights), measure }),
        null,
        shots,
      );
    });
    const id = await client.submit({
      program_id: "sampler",
      backend: "ibm_boston",
      params: samplerParams(pubs),
    });
    const samples = parseSamplerResults(
      await client.wait(id, { pollMs: 1 }),
      "c",
      settings.map(() => ({ B: 1, shots })),
    );
    settings.forEach((s, i) => {
      for (const [m, v] of expvalsFromSamples(t.circuit.observables, s, samples[i]![0]!)) {
        const se = Math.sqrt(Math.max(1e-4, 1 - ref[m]! ** 2) / shots);
        expect(Math.abs(v - ref[m]!)).toBeLessThan(5 * se);
      }
    });
  });

  it("429 and 503 are retried with Retry-After, then exponential backoff", async () => {
    const sleeps: number[] = [];
    const client = await setup({}, sleeps);
    fake!.failNext("POST /api/v1/jobs", [{ status: 429, retryAfter: "2" }, { status: 503 }]);
    const id = await client.submit({ program_id: "estimator", backend: "ibm_boston", params: { pubs: [] } });
    expect(id).toMatch(/^fakejob/);
    expect(sleeps).toEqual([2000, 20]);
    expect(fake!.requests.filter((q) => q.path === "/api/v1/jobs").length).toBe(3);
  });

  it("gives up after maxRetries on a persistent rate limit, saying so", async () => {
    const client = await setup({}, []);
    fake!.failNext(
      "GET /api/v1/backends/:name/status",
      Array.from({ length: 10 }, () => ({ status: 429, retryAfter: "0" })),
    );
    const e = await client.backend("ibm_boston").catch(noKey);
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/HTTP 429 after 4 attempts \(rate limited/);
    expect(fake!.requests.filter((q) => q.path.endsWith("/status")).length).toBe(4);
  });

  it("a wrong API key is an auth error from the IAM exchange", async () => {
    fake = await startFakeRuntime({ apiKey: KEY });
    const bad = "wrong-key-123456";
    const client = new RuntimeClient({
      credentials: { apiKey: new Secret(bad), instance: CRN },
      baseUrl: fake.apiUrl,
      iamUrl: fake.iamUrl,
      sleep: async () => undefined,
    });
    const e = await client.backend("ibm_boston").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RuntimeAuthError);
    expect((e as Error).message).not.toContain(bad);
    expect((e as Error).message).toMatch(/API key was rejected/);
  });

  it("401 from the API refreshes the bearer once, then reports the key", async () => {
    const client = await setup();
    await client.backend("ibm_boston");
    fake!.failNext("GET /api/v1/jobs/:id", [{ status: 401 }]);
    const id = await client.submit({ program_id: "estimator", backend: "ibm_boston", params: { pubs: [] } });
    expect((await client.status(id)).status).toBe("Completed");
    expect(fake!.requests.filter((q) => q.path === "/identity/token").length).toBe(2);
    fake!.failNext("GET /api/v1/jobs/:id", [{ status: 401 }, { status: 401 }]);
    const e = await client.status(id).catch(noKey);
    expect(e).toBeInstanceOf(RuntimeAuthError);
  });

  it("403, 404, offline and too-small backends have their own errors", async () => {
    let client = await setup({ forbiddenBackends: ["ibm_boston"] });
    await expect(
      client.submit({ program_id: "sampler", backend: "ibm_boston", params: { pubs: [] } }),
    ).rejects.toBeInstanceOf(RuntimeForbiddenError);
    await fake!.close();
    client = await setup();
    await expect(client.status("nope")).rejects.toBeInstanceOf(RuntimeNotFoundError);
    await expect(client.backend("ibm_kyiv")).rejects.toThrow(/HTTP 404/);
    await expect(client.checkBackend("ibm_boston", 200)).rejects.toThrow(
      /has 156 qubits; the circuits need 200/,
    );
    await fake!.close();
    client = await setup({
      backend: { name: "ibm_boston", nQubits: 156, state: false, status: "maintenance" },
    });
    const e = await client.checkBackend("ibm_boston", 13).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RuntimeBackendError);
    expect((e as Error).message).toMatch(/not accepting jobs \(status "maintenance"\)/);
  });

  it("a slow job is polled with doubling intervals until it completes", async () => {
    const sleeps: number[] = [];
    const client = await setup({ pollsQueued: 3, pollsRunning: 2 }, sleeps);
    const id = await client.submit({ program_id: "estimator", backend: "ibm_boston", params: { pubs: [] } });
    const seen: string[] = [];
    await client.wait(id, { pollMs: 100, maxIntervalMs: 500, onStatus: (s) => seen.push(s) });
    expect(seen).toEqual(["Queued", "Queued", "Queued", "Running", "Running", "Completed"]);
    expect(sleeps).toEqual([100, 200, 400, 500, 500]);
  });

  it("a job that outlasts the wait is cancelled and reported", async () => {
    fake = await startFakeRuntime({ apiKey: KEY, pollsQueued: 1e9 });
    const client = new RuntimeClient({
      credentials: { apiKey: new Secret(KEY), instance: CRN },
      baseUrl: fake.apiUrl,
      iamUrl: fake.iamUrl,
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
    });
    const id = await client.submit({ program_id: "estimator", backend: "ibm_boston", params: { pubs: [] } });
    const e = await client.wait(id, { timeoutMs: 60, pollMs: 5 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RuntimeTimeoutError);
    expect(fake.requests.some((q) => q.method === "POST" && q.path.endsWith("/cancel"))).toBe(true);
    expect(fake.requests.length).toBeLessThan(200);
  });

  it("cancelled and failed jobs raise RuntimeJobError with the state", async () => {
    let client = await setup({ pollsQueued: 5 });
    const id = await client.submit({ program_id: "estimator", backend: "ibm_boston", params: { pubs: [] } });
    await client.cancel(id);
    const e = await client.wait(id, { pollMs: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RuntimeJobError);
    expect((e as RuntimeJobError).jobStatus).toBe("Cancelled");
    await fake!.close();
    client = await setup({ finalStatus: "Failed" });
    const id2 = await client.submit({ program_id: "estimator", backend: "ibm_boston", params: { pubs: [] } });
    await expect(client.wait(id2, { pollMs: 1 })).rejects.toThrow(/ended Failed: scripted failure/);
  });

  it("network errors are retried and then reported", async () => {
    const client = await setup();
    await fake!.close();
    fake = null;
    await expect(client.backend("ibm_boston")).rejects.toThrow(/network error after 4 attempts/);
  });
});

describe("credentials", () => {
  it("env first, then a config file; the key never prints", () => {
    const c = resolveCredentials({ env: { QISKIT_IBM_TOKEN: KEY, QISKIT_IBM_INSTANCE: CRN } });
    expect(c.apiKey.reveal()).toBe(KEY);
    expect(String(c.apiKey)).toBe("[redacted]");
    expect(JSON.stringify(c)).not.toContain(KEY);
    expect(inspect(c)).not.toContain(KEY);
    const dir = mkdtempSync(join(tmpdir(), "qmtl-cred-"));
    const qiskitStyle = join(dir, "qiskit-ibm.json");
    writeFileSync(
      qiskitStyle,
      JSON.stringify({
        "default-ibm-quantum-platform": { channel: "ibm_quantum_platform", token: KEY, instance: CRN },
      }),
    );
    const f = resolveCredentials({ env: {}, configPath: qiskitStyle });
    expect(f.apiKey.reveal()).toBe(KEY);
    expect(f.instance).toBe(CRN);
    expect(() => resolveCredentials({ env: {}, configPath: join(dir, "missing.json") })).toThrow(
      /QISKIT_IBM_TOKEN/,
    );
    writeFileSync(join(dir, "empty.json"), "{}");
    expect(() => resolveCredentials({ env: {}, configPath: join(dir, "empty.json") })).toThrow(
      ValidationError,
    );
  });

  it("Retry-After in seconds and as an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });
});
