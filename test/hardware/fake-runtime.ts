/**
 * A local stand-in for IBM's IAM and Qiskit Runtime REST API on 127.0.0.1,
 * speaking the formats in test/fixtures/ibm-runtime. It behaves as an ideal
 * device: Estimator PUBs are answered with exact expectation values and Sampler
 * PUBs with seeded samples, both from the project's OpenQASM parser and
 * simulator. Tests script failures (status codes, Retry-After), slow jobs,
 * offline or small backends; every request is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Rng } from "../../src/core/rng.ts";
import { parseQasm } from "../../src/hardware/qasm/parse.ts";
import { compactMap, expvalsHw, simulateHw } from "../../src/hardware/hw-simulate.ts";
import { fromQiskitPauli } from "../../src/hardware/observables.ts";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface FakeOptions {
  readonly apiKey: string;
  readonly backend?: { name: string; nQubits: number; state?: boolean; status?: string };
  readonly forbiddenBackends?: readonly string[];
  /** status polls a job answers Queued, then Running, before its final status */
  readonly pollsQueued?: number;
  readonly pollsRunning?: number;
  readonly finalStatus?: "Completed" | "Failed";
  readonly seed?: number;
}

interface Job {
  id: string;
  body: Record<string, unknown>;
  polls: number;
  cancelled: boolean;
}

export interface FakeRuntime {
  readonly apiUrl: string;
  readonly iamUrl: string;
  readonly requests: RecordedRequest[];
  readonly jobs: Map<string, Job>;
  /** the next responses on a route ("METHOD /path-pattern") are these errors */
  failNext(route: string, errors: Array<{ status: number; retryAfter?: string; message?: string }>): void;
  close(): Promise<void>;
}

const BEARER = "fake-bearer-token-1";

export async function startFakeRuntime(o: FakeOptions): Promise<FakeRuntime> {
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, Job>();
  const failures = new Map<string, Array<{ status: number; retryAfter?: string; message?: string }>>();
  const backend = { state: true, status: "active", ...(o.backend ?? { name: "ibm_boston", nQubits: 156 }) };
  const rng = new Rng(o.seed ?? 1);
  let nextId = 1;

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };
  const err = (
    res: ServerResponse,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ): void =>
    send(res, status, { errors: [{ code: String(status), message, more_info: "" }], trace: "fake" }, headers);

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    requests.push({ method: req.method ?? "", path, headers: req.headers, body });
    const route = `${req.method} ${path.replace(/\/jobs\/[^/]+/, "/jobs/:id").replace(/\/backends\/[^/]+/, "/backends/:name")}`;
    const queued = failures.get(route);
    if (queued && queued.length > 0) {
      const f = queued.shift()!;
      return err(
        res,
        f.status,
        f.message ?? `scripted ${f.status}`,
        f.retryAfter !== undefined ? { "retry-after": f.retryAfter } : {},
      );
    }
    if (route === "POST /identity/token") {
      const form = new URLSearchParams(body);
      if (form.get("grant_type") !== "urn:ibm:params:oauth:grant-type:apikey")
        return err(res, 400, "bad grant_type");
      if (form.get("apikey") !== o.apiKey)
        return send(res, 400, {
          errorCode: "BXNIM0415E",
          errorMessage: "Provided API key could not be found.",
        });
      return send(res, 200, {
        access_token: BEARER,
        refresh_token: "r",
        token_type: "Bearer",
        expires_in: 3600,
        expiration: 0,
      });
    }
    if (!path.startsWith("/api/v1/")) return err(res, 404, "no such route");
    if (req.headers.authorization !== `Bearer ${BEARER}`) return err(res, 401, "Unauthorized");
    if (!req.headers["service-crn"] || !/^\d{4}-\d{2}-\d{2}$/.test(String(req.headers["ibm-api-version"])))
      return err(res, 400, "missing Service-CRN or a dated IBM-API-Version");
    const bm = /^\/api\/v1\/backends\/([^/]+)\/(status|configuration)$/.exec(path);
    if (bm) {
      if (decodeURIComponent(bm[1]!) !== backend.name) return err(res, 404, `backend ${bm[1]} not found`);
      if (o.forbiddenBackends?.includes(backend.name))
        return err(res, 403, "instance has no access to this backend");
      return bm[2] === "status"
        ? send(res, 200, {
            state: backend.state,
            status: backend.status,
            message: "",
            length_queue: 3,
            backend_version: "1.0.4",
          })
        : send(res, 200, {
            backend_name: backend.name,
            n_qubits: backend.nQubits,
            basis_gates: ["cz", "id", "rz", "sx", "x"],
          });
    }
    if (route === "POST /api/v1/jobs") {
      const j = JSON.parse(body) as Record<string, unknown>;
      if (j.program_id !== "estimator" && j.program_id !== "sampler")
        return err(res, 400, "program_id must be estimator or sampler");
      if (typeof j.backend !== "string" || j.backend !== backend.name)
        return err(res, 404, `backend ${String(j.backend)} not found`);
      if (o.forbiddenBackends?.includes(j.backend))
        return err(res, 403, "instance has no access to this backend");
      const params = j.params as { pubs?: unknown } | undefined;
      if (!params || !Array.isArray(params.pubs)) return err(res, 400, "params.pubs missing");
      const width = widthMismatch(j);
      if (width) return err(res, 400, width);
      const id = `fakejob${nextId++}`;
      jobs.set(id, { id, body: j, polls: 0, cancelled: false });
      return send(res, 200, { id, backend: backend.name });
    }
    const jm = /^\/api\/v1\/jobs\/([^/]+)(\/results|\/cancel)?$/.exec(path);
    if (jm) {
      const job = jobs.get(jm[1]!);
      if (!job) return err(res, 404, `job ${jm[1]} not found`);
      if (jm[2] === "/cancel" && req.method === "POST") {
        job.cancelled = true;
        res.writeHead(204);
        res.end();
        return;
      }
      const status = statusOf(job);
      if (jm[2] === "/results") {
        if (status !== "Completed") return err(res, 409, `job is ${status}`);
        return send(res, 200, results(job.body, rng));
      }
      job.polls++;
      return send(res, 200, {
        id: job.id,
        backend: backend.name,
        status,
        state: { status, ...(status === "Failed" ? { reason: "scripted failure" } : {}) },
      });
    }
    return err(res, 404, "no such route");
  };

  const statusOf = (job: Job): string => {
    if (job.cancelled) return "Cancelled";
    const q = o.pollsQueued ?? 0,
      r = o.pollsRunning ?? 0;
    if (job.polls < q) return "Queued";
    if (job.polls < q + r) return "Running";
    return o.finalStatus ?? "Completed";
  };

  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      try {
        handle(req, res, body);
      } catch (e) {
        err(res, 500, `fake server: ${(e as Error).message}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v1`,
    iamUrl: `http://127.0.0.1:${port}`,
    requests,
    jobs,
    failNext: (route, errors) => failures.set(route, [...(failures.get(route) ?? []), ...errors]),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Qiskit's Estimator PUB check (the service answers error 1501): a circuit loaded from
 * OpenQASM 3 with physical qubits has highest-$n + 1 qubits (qiskit-qasm3-import), and each
 * observable must have exactly that many. Returns the message, or null when they agree.
 */
function widthMismatch(body: Record<string, unknown>): string | null {
  if (body.program_id !== "estimator") return null;
  for (const pub of (body.params as { pubs: unknown[][] }).pubs) {
    const n = parseQasm(pub[0] as string).circuit.nQubits;
    for (const o of pub[1] as Array<Array<Record<string, number>>>) {
      const m = Object.keys(o[0]!)[0]!.length;
      if (m !== n)
        return `1501: the number of qubits of the circuit (${n}) does not match the number of qubits of the observable (${m})`;
    }
  }
  return null;
}

/** Ideal-device answers: exact evs for Estimator PUBs, seeded samples for Sampler PUBs. */
function results(body: Record<string, unknown>, rng: Rng): Record<string, unknown> {
  const pubs = (body.params as { pubs: unknown[][] }).pubs;
  const sampler = body.program_id === "sampler";
  const out = pubs.map((pub) => {
    const parsed = parseQasm(pub[0] as string);
    const rows = (sampler ? pub[1] : pub[2]) as number[][] | null;
    const valueRows = rows ?? [[]];
    if (!sampler) {
      const obs = (pub[1] as Array<Array<Record<string, number>>>).map((o) =>
        fromQiskitPauli(Object.keys(o[0]!)[0]!),
      );
      const hc = { ...parsed.circuit, observables: obs };
      const map = compactMap(hc);
      const evs = obs.map(() => [] as number[]);
      for (const v of valueRows) {
        const e = expvalsHw(simulateHw(hc, v, map), obs, map);
        e.forEach((x, k) => evs[k]!.push(x));
      }
      return { data: { evs, stds: evs.map((r) => r.map(() => 0)) }, metadata: { shots: 0 } };
    }
    const shots = (pub[2] as number | undefined) ?? 4096;
    const map = compactMap({ ...parsed.circuit, observables: [] });
    const samples = valueRows.map((v) => {
      const s = simulateHw(parsed.circuit, v, map);
      const probs = new Map<number, number>();
      for (let i = 0; i < s.re.length; i++) {
        const p = s.re[i]! ** 2 + s.im[i]! ** 2;
        if (p < 1e-15) continue;
        let key = 0;
        parsed.measured.forEach((q, bit) => {
          const local = map.toLocal.get(q)!;
          if ((i >> (s.n - 1 - local)) & 1) key |= 1 << bit;
        });
        probs.set(key, (probs.get(key) ?? 0) + p);
      }
      const entries = [...probs.entries()];
      return Array.from({ length: shots }, () => {
        let u = rng.uniform(),
          k = 0;
        while (k < entries.length - 1 && u >= entries[k]![1]) {
          u -= entries[k]![1];
          k++;
        }
        return `0x${entries[k]![0].toString(16)}`;
      });
    });
    return {
      data: { c: { samples: rows ? samples : samples[0], num_bits: parsed.measured.length } },
      metadata: {},
    };
  });
  return { results: out, metadata: { version: 2 } };
}
