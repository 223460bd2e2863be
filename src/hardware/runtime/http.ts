import {
  RuntimeAuthError,
  RuntimeError,
  RuntimeForbiddenError,
  RuntimeNotFoundError,
  RuntimeTimeoutError,
} from "./errors.ts";

/**
 * HTTP with retries for the Runtime client, on Node's built-in fetch.
 * - 429 and 5xx (and network errors) are retried up to `maxRetries` times; the
 *   wait is the server's Retry-After (seconds or an HTTP date) when given, else
 *   base * 2^attempt, capped at maxDelayMs. No randomness (no jitter).
 * - 401 -> RuntimeAuthError, 403 -> RuntimeForbiddenError, 404 -> RuntimeNotFoundError,
 *   other 4xx -> RuntimeError with the server's message (`errors[].message` or `message`).
 * - each attempt is aborted after `timeoutMs` (RuntimeTimeoutError after the last).
 */
export interface HttpOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** waits; tests pass a recorder (default: setTimeout) */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface HttpRequest {
  readonly method: "GET" | "POST" | "DELETE";
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** what the request is for, in error messages ("job submission", "backend status ibm_fez") */
  readonly what: string;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Milliseconds from a Retry-After header (delta-seconds or HTTP date), or null. */
export function retryAfterMs(h: string | null, now = Date.now()): number | null {
  if (h === null || h.trim() === "") return null;
  const s = Number(h);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(h);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

async function serverMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const j = JSON.parse(text) as { errors?: Array<{ message?: string }>; message?: string; error?: string };
    const m =
      j.errors
        ?.map((e) => e.message)
        .filter(Boolean)
        .join("; ") ||
      j.message ||
      j.error;
    if (m) return String(m).slice(0, 300);
  } catch {
    /* not JSON */
  }
  return text.slice(0, 300) || res.statusText;
}

export class Http {
  private readonly f: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** number of HTTP attempts made (for tests and reports) */
  attempts = 0;

  constructor(o: HttpOptions = {}) {
    this.f = o.fetch ?? fetch;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.maxRetries = o.maxRetries ?? 5;
    this.baseDelayMs = o.baseDelayMs ?? 500;
    this.maxDelayMs = o.maxDelayMs ?? 60_000;
    this.sleep = o.sleep ?? defaultSleep;
  }

  /** Sends with retries; returns the successful (2xx) response. */
  async send(req: HttpRequest): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), this.timeoutMs);
      let res: Response;
      this.attempts++;
      try {
        res = await this.f(req.url, {
          method: req.method,
          headers: req.headers,
          signal: ctrl.signal,
          ...(req.body !== undefined ? { body: req.body } : {}),
        });
      } catch (e) {
        clearTimeout(timer);
        const aborted = ctrl.signal.aborted;
        if (attempt < this.maxRetries) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        if (aborted)
          throw new RuntimeTimeoutError(
            `${req.what}: no answer within ${this.timeoutMs} ms (${attempt + 1} attempts)`,
          );
        throw new RuntimeError(
          `${req.what}: network error after ${attempt + 1} attempts: ${(e as Error).message} ` +
            "(is the machine online and the URL right?)",
        );
      }
      clearTimeout(timer);
      if (res.ok) return res;
      const s = res.status;
      if (s === 429 || s >= 500) {
        if (attempt < this.maxRetries) {
          const ra = retryAfterMs(res.headers.get("retry-after"));
          await res.body?.cancel().catch(() => undefined);
          await this.sleep(Math.min(this.maxDelayMs, ra ?? this.backoff(attempt)));
          continue;
        }
        const msg = await serverMessage(res);
        throw new RuntimeError(
          `${req.what}: HTTP ${s} after ${attempt + 1} attempts` +
            `${s === 429 ? " (rate limited; try later)" : " (server error)"}: ${msg}`,
          s,
        );
      }
      const msg = await serverMessage(res);
      if (s === 401)
        throw new RuntimeAuthError(
          `${req.what}: HTTP 401 unauthorized: ${msg}. Check the API key (QISKIT_IBM_TOKEN or the config file); it may be revoked or expired`,
          s,
        );
      if (s === 403)
        throw new RuntimeForbiddenError(
          `${req.what}: HTTP 403 forbidden: ${msg}. The instance (Service-CRN) may not have access to this backend or action`,
          s,
        );
      if (s === 404) throw new RuntimeNotFoundError(`${req.what}: HTTP 404 not found: ${msg}`, s);
      throw new RuntimeError(`${req.what}: HTTP ${s}: ${msg}`, s);
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
  }
}
