import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ValidationError } from "../../core/errors.ts";

/**
 * The IBM Quantum API key, wrapped so that printing, logging, string
 * interpolation or JSON serialisation shows "[redacted]". Only `reveal()` gives
 * the value, and the client calls it only to build the IAM request body.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    if (typeof value !== "string" || value.trim().length === 0)
      throw new ValidationError("api key", "a non-empty string");
    this.#value = value.trim();
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[redacted]";
  }
  toJSON(): string {
    return "[redacted]";
  }
  [inspect.custom](): string {
    return "Secret([redacted])";
  }
}

export interface Credentials {
  readonly apiKey: Secret;
  /** the instance CRN sent as Service-CRN (optional for some accounts) */
  readonly instance?: string;
}

/** Where credentials come from, first match wins. */
export interface CredentialSources {
  /** environment (default process.env): QISKIT_IBM_TOKEN and QISKIT_IBM_INSTANCE */
  readonly env?: NodeJS.ProcessEnv;
  /** a JSON file: {"token": "...", "instance": "crn:..."} or Qiskit's saved-accounts file */
  readonly configPath?: string;
}

/** Qiskit's default saved-accounts file. */
export function defaultQiskitConfig(): string {
  return join(homedir(), ".qiskit", "qiskit-ibm.json");
}

/**
 * Resolves the API key: env QISKIT_IBM_TOKEN (with QISKIT_IBM_INSTANCE), else the
 * config file (explicit path, else ~/.qiskit/qiskit-ibm.json in Qiskit's format:
 * {"<name>": {"token", "instance", "channel"}}, the first account with a token).
 * Throws a ValidationError naming both places when neither has a key; the key is
 * never part of any message.
 */
export function resolveCredentials(src: CredentialSources = {}): Credentials {
  const env = src.env ?? process.env;
  const token = env.QISKIT_IBM_TOKEN;
  if (token && token.trim().length > 0) {
    const instance = env.QISKIT_IBM_INSTANCE?.trim();
    return { apiKey: new Secret(token), ...(instance ? { instance } : {}) };
  }
  const path = src.configPath ?? defaultQiskitConfig();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ValidationError(
      "credentials",
      `an API key in env QISKIT_IBM_TOKEN or in the config file ${path}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError(path, "valid JSON");
  }
  const pick = (o: unknown): Credentials | null => {
    if (typeof o !== "object" || o === null) return null;
    const r = o as Record<string, unknown>;
    if (typeof r.token !== "string" || r.token.trim().length === 0) return null;
    const inst = typeof r.instance === "string" && r.instance.length > 0 ? r.instance : undefined;
    return { apiKey: new Secret(r.token), ...(inst ? { instance: inst } : {}) };
  };
  const direct = pick(json);
  if (direct) return direct;
  if (typeof json === "object" && json !== null) {
    for (const v of Object.values(json as Record<string, unknown>)) {
      const c = pick(v);
      if (c) return c;
    }
  }
  throw new ValidationError(
    path,
    `{"token": "...", "instance": "crn:..."} or Qiskit's saved-accounts format with a token`,
  );
}
