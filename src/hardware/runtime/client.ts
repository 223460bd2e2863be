import { ValidationError } from "../../core/errors.ts";
import type { Credentials } from "./credentials.ts";
import {
  RuntimeAuthError,
  RuntimeBackendError,
  RuntimeError,
  RuntimeJobError,
  RuntimeTimeoutError,
} from "./errors.ts";
import { Http, type HttpOptions } from "./http.ts";

/**
 * A client for the IBM Quantum (Qiskit Runtime) REST API, as documented in IBM's
 * "Estimator with the REST API" / "Set up to use IBM Quantum Platform with REST API"
 * guides and used by qiskit-ibm-runtime (api/rest/runtime.py, program_job.py,
 * cloud_backend.py); the request and response shapes relied on are kept in
 * test/fixtures/ibm-runtime/ with their sources.
 *
 *   POST {iam}/identity/token  (form: grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=...)
 *   GET  {api}/backends/{name}/status, GET {api}/backends/{name}/configuration
 *   POST {api}/jobs  {program_id, backend, params: {pubs, version?, options?}}
 *   GET  {api}/jobs/{id}  (state.status: Queued | Running | Completed | Failed | Cancelled)
 *   GET  {api}/jobs/{id}/results,  POST {api}/jobs/{id}/cancel
 *
 * Requests carry Authorization: Bearer <IAM token>, Service-CRN and IBM-API-Version.
 * The API key and the bearer token never appear in errors, logs or return values.
 */
/**
 * The `IBM-API-Version` header sent by default: the value qiskit-ibm-runtime sends since its
 * commit e161db94d (June 2026, "Bump API version to 2026-04-15"; `api/rest/base.py`
 * `_HEADER_API_VERSION`). Earlier clients sent 2026-02-15 and, from July 2025, 2025-05-01.
 */
export const DEFAULT_IBM_API_VERSION = "2026-04-15";

export interface RuntimeClientOptions extends HttpOptions {
  readonly credentials: Credentials;
  /** default https://quantum.cloud.ibm.com/api/v1 */
  readonly baseUrl?: string;
  /** default https://iam.cloud.ibm.com */
  readonly iamUrl?: string;
  /** IBM-API-Version header (default DEFAULT_IBM_API_VERSION) */
  readonly apiVersion?: string;
}

export interface BackendInfo {
  readonly name: string;
  readonly operational: boolean;
  readonly status: string;
  readonly pendingJobs: number;
  readonly numQubits: number;
}

export type JobStatus = "Queued" | "Running" | "Completed" | "Failed" | "Cancelled";

export interface WaitOptions {
  /** give up (and cancel the job) after this long; default 1 hour */
  readonly timeoutMs?: number;
  /** first poll interval; doubles up to maxIntervalMs; default 2 s */
  readonly pollMs?: number;
  readonly maxIntervalMs?: number;
  /** cancel the job when the wait times out (default true) */
  readonly cancelOnTimeout?: boolean;
  /** called with each status seen */
  readonly onStatus?: (s: JobStatus) => void;
}

const TERMINAL = new Set(["Completed", "Failed", "Cancelled"]);

export class RuntimeClient {
  readonly http: Http;
  // # fields: not enumerable, so serialising or inspecting a client never shows the key or bearer
  readonly #creds: Credentials;
  private readonly base: string;
  private readonly iam: string;
  private readonly apiVersion: string;
  #bearer: { token: string; expiresAt: number } | null = null;

  constructor(o: RuntimeClientOptions) {
    this.http = new Http(o);
    this.#creds = o.credentials;
    this.base = (o.baseUrl ?? "https://quantum.cloud.ibm.com/api/v1").replace(/\/+$/, "");
    this.iam = (o.iamUrl ?? "https://iam.cloud.ibm.com").replace(/\/+$/, "");
    this.apiVersion = o.apiVersion ?? DEFAULT_IBM_API_VERSION;
  }

  /** Exchanges the API key for an IAM bearer token (cached until a minute before expiry). */
  private async token(): Promise<string> {
    if (this.#bearer && Date.now() < this.#bearer.expiresAt) return this.#bearer.token;
    const body = new URLSearchParams({
      grant_type: "urn:ibm:params:oauth:grant-type:apikey",
      apikey: this.#creds.apiKey.reveal(),
    });
    const res = await this.guard(async () => {
      try {
        return await this.http.send({
          method: "POST",
          url: `${this.iam}/identity/token`,
          what: "IAM token exchange",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
          body: body.toString(),
        });
      } catch (e) {
        // IAM answers 400 (BXNIM0415E) for an unknown key and 401 for a disabled one
        if (e instanceof RuntimeError && (e.status === 400 || e.status === 401)) {
          throw new RuntimeAuthError(
            `IAM token exchange: the API key was rejected (HTTP ${e.status}). ` +
              "Check QISKIT_IBM_TOKEN or the config file; the key may be wrong, revoked or expired",
            e.status,
          );
        }
        throw e;
      }
    });
    const j = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof j.access_token !== "string" || j.access_token.length === 0)
      throw new RuntimeError("IAM token exchange: no access_token in the answer");
    const ttl = typeof j.expires_in === "number" && j.expires_in > 0 ? j.expires_in : 3600;
    this.#bearer = { token: j.access_token, expiresAt: Date.now() + Math.max(0, ttl - 60) * 1000 };
    return j.access_token;
  }

  /** Removes the key and bearer from any error message before it leaves the client. */
  private async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof Error) {
        for (const s of [this.#creds.apiKey.reveal(), this.#bearer?.token]) {
          if (s && e.message.includes(s)) e.message = e.message.split(s).join("[redacted]");
        }
      }
      throw e;
    }
  }

  /** One authorised call; a 401 with a cached bearer refreshes the token once (it may have expired). */
  private async call(method: "GET" | "POST", path: string, what: string, body?: unknown): Promise<Response> {
    const cached = this.#bearer !== null;
    try {
      return await this.callOnce(method, path, what, body);
    } catch (e) {
      if (!(e instanceof RuntimeAuthError) || !cached) throw e;
      this.#bearer = null;
      return this.callOnce(method, path, what, body);
    }
  }

  private async callOnce(
    method: "GET" | "POST",
    path: string,
    what: string,
    body?: unknown,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.token()}`,
      Accept: "application/json",
      "IBM-API-Version": this.apiVersion,
      ...(this.#creds.instance ? { "Service-CRN": this.#creds.instance } : {}),
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
    };
    return this.guard(() =>
      this.http.send({
        method,
        url: `${this.base}${path}`,
        headers,
        what,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
  }

  private async json(
    method: "GET" | "POST",
    path: string,
    what: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const res = await this.call(method, path, what, body);
    const text = await res.text();
    try {
      const j = JSON.parse(text) as unknown;
      if (typeof j !== "object" || j === null) throw new Error("not an object");
      return j as Record<string, unknown>;
    } catch {
      throw new RuntimeError(`${what}: the answer is not a JSON object`);
    }
  }

  async backend(name: string): Promise<BackendInfo> {
    const enc = encodeURIComponent(name);
    const st = await this.json("GET", `/backends/${enc}/status`, `backend status ${name}`);
    const conf = await this.json("GET", `/backends/${enc}/configuration`, `backend configuration ${name}`);
    const n = conf.n_qubits;
    if (typeof n !== "number") throw new RuntimeError(`backend configuration ${name}: no n_qubits`);
    return {
      name,
      operational: st.state === true,
      status: typeof st.status === "string" ? st.status : "",
      pendingJobs: typeof st.length_queue === "number" ? Math.max(0, st.length_queue) : 0,
      numQubits: n,
    };
  }

  /** Throws RuntimeBackendError when the backend is not operational or too small. */
  async checkBackend(name: string, qubitsNeeded: number): Promise<BackendInfo> {
    const b = await this.backend(name);
    if (!b.operational)
      throw new RuntimeBackendError(
        `backend ${name} is not accepting jobs (status "${b.status || "offline"}"); try later or another backend`,
      );
    if (b.numQubits < qubitsNeeded)
      throw new RuntimeBackendError(
        `backend ${name} has ${b.numQubits} qubits; the circuits need ${qubitsNeeded}`,
      );
    return b;
  }

  /** Submits a primitive job; returns its id. */
  async submit(job: {
    program_id: "estimator" | "sampler";
    backend: string;
    params: Record<string, unknown>;
  }): Promise<string> {
    const j = await this.json("POST", "/jobs", "job submission", job);
    if (typeof j.id !== "string") throw new RuntimeError("job submission: no job id in the answer");
    return j.id;
  }

  async status(id: string): Promise<{ status: JobStatus; reason?: string }> {
    const j = await this.json("GET", `/jobs/${encodeURIComponent(id)}`, `job ${id} status`);
    const state = (typeof j.state === "object" && j.state !== null ? j.state : {}) as Record<string, unknown>;
    const raw =
      typeof state.status === "string" ? state.status : typeof j.status === "string" ? j.status : "";
    // "Cancelled - Ran too long" and lower-case variants map to the five states
    const s = raw.toLowerCase();
    const status: JobStatus | null = s.startsWith("cancel")
      ? "Cancelled"
      : s.startsWith("complet")
        ? "Completed"
        : s.startsWith("fail") || s.startsWith("error")
          ? "Failed"
          : s.startsWith("run")
            ? "Running"
            : s.startsWith("queue")
              ? "Queued"
              : null;
    if (!status) throw new RuntimeError(`job ${id} status: unknown status "${raw}"`);
    const reason = typeof state.reason === "string" ? state.reason : undefined;
    return { status, ...(reason ? { reason } : {}) };
  }

  async cancel(id: string): Promise<void> {
    await this.call("POST", `/jobs/${encodeURIComponent(id)}/cancel`, `job ${id} cancel`);
  }

  async results(id: string): Promise<Record<string, unknown>> {
    return this.json("GET", `/jobs/${encodeURIComponent(id)}/results`, `job ${id} results`);
  }

  /** Polls with doubling intervals until the job completes; throws on Failed, Cancelled or timeout. */
  async wait(id: string, o: WaitOptions = {}): Promise<Record<string, unknown>> {
    const timeout = o.timeoutMs ?? 3_600_000;
    let interval = o.pollMs ?? 2000;
    const maxInterval = o.maxIntervalMs ?? 60_000;
    if (!(timeout > 0) || !(interval > 0)) throw new ValidationError("wait", "positive timeoutMs and pollMs");
    const start = Date.now();
    for (;;) {
      const s = await this.status(id);
      o.onStatus?.(s.status);
      if (s.status === "Completed") return this.results(id);
      if (TERMINAL.has(s.status)) {
        throw new RuntimeJobError(`job ${id} ended ${s.status}${s.reason ? `: ${s.reason}` : ""}`, s.status);
      }
      const left = timeout - (Date.now() - start);
      if (left <= 0) {
        if (o.cancelOnTimeout ?? true) await this.cancel(id).catch(() => undefined);
        throw new RuntimeTimeoutError(
          `job ${id} still ${s.status} after ${timeout} ms${(o.cancelOnTimeout ?? true) ? "; cancel requested" : ""}`,
        );
      }
      await this.http.sleep(Math.min(interval, left));
      interval = Math.min(maxInterval, interval * 2);
    }
  }
}
