import { readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";

/**
 * Reads and parses a JSON file, turning "missing" and "not JSON" into
 * ValidationErrors that name the file, instead of raw ENOENT / SyntaxError.
 */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ValidationError(path, `a readable file (${what})`, errorMessage(e));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValidationError(path, `valid JSON (${what})`, errorMessage(e));
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
