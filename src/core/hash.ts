import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ValidationError } from "./errors.ts";

/** sha256 of bytes or a string, hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** sha256 of a file's content; a missing or unreadable file is a ValidationError naming it. */
export function sha256File(path: string, field = path): string {
  try {
    return sha256(readFileSync(path));
  } catch (e) {
    throw new ValidationError(
      field,
      "a readable file",
      `${path} (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
