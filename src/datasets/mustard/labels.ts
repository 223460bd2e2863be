import { ValidationError } from "../../core/errors.ts";

/**
 * How the annotation sheet's raw codes become class indices.
 *
 * - sarcasm: 0 / 1 (or true / false) -> index 0 / 1.
 * - sentiment: code -1 / 0 / 1 (negative / neutral / positive) -> index code + 1.
 * - emotion: code 1..9 -> index code - 1 (names in meta.emotion_names).
 *
 * Multi-label emotion cells. Some copies of the Extended MUStARD sheet are
 * reported to hold a few cells with several emotions (e.g. "4,6"). The copy
 * embedded in qmtl has none (checked on all 690 targets and 2,261 context
 * rows), but the loader accepts them so that a user-supplied sheet export
 * works: a cell given as an array of codes or as a string of codes separated
 * by commas, semicolons, slashes or spaces is reduced to its FIRST listed
 * code, and the cell is reported back (see MultiLabelCell) so it can be
 * counted. This is the rule: first listed wins, no voting, no extra class.
 */

export const SENTIMENT_CODE_MIN = -1;
export const SENTIMENT_CODE_MAX = 1;
export const EMOTION_CODE_MIN = 1;
export const EMOTION_CODE_MAX = 9;

/** The codes read from one emotion cell, and the one kept. */
export interface EmotionCell {
  readonly code: number;
  readonly listed: readonly number[];
}

export function sarcasmIndex(field: string, cell: unknown): number {
  if (cell === true || cell === 1) return 1;
  if (cell === false || cell === 0) return 0;
  throw new ValidationError(field, "a sarcasm label 0/1 or true/false", cell);
}

/** Validates a sentiment code and returns its class index (code + 1). */
export function sentimentIndex(field: string, cell: unknown): number {
  const code = parseCode(field, cell, SENTIMENT_CODE_MIN, SENTIMENT_CODE_MAX, "a sentiment code -1, 0 or 1");
  return code + 1;
}

/** Reads an emotion cell (single or multi-label; first listed wins). */
export function parseEmotionCell(field: string, cell: unknown): EmotionCell {
  const expected = `an emotion code ${EMOTION_CODE_MIN}..${EMOTION_CODE_MAX}, or a list of them`;
  let parts: unknown[];
  if (Array.isArray(cell)) parts = cell;
  else if (typeof cell === "string") parts = cell.split(/[,;/\s]+/).filter((p) => p.length > 0);
  else parts = [cell];
  if (parts.length === 0) throw new ValidationError(field, expected, cell);
  const listed = parts.map((p, i) =>
    parseCode(parts.length > 1 ? `${field}[${i}]` : field, p, EMOTION_CODE_MIN, EMOTION_CODE_MAX, expected),
  );
  return { code: listed[0] as number, listed };
}

/** The class index of an emotion code (code - 1). */
export function emotionIndex(code: number): number {
  return code - 1;
}

function parseCode(field: string, cell: unknown, lo: number, hi: number, expected: string): number {
  const n = typeof cell === "string" && /^\s*-?\d+\s*$/.test(cell) ? Number(cell) : cell;
  if (typeof n !== "number" || !Number.isInteger(n) || n < lo || n > hi) {
    throw new ValidationError(field, expected, cell);
  }
  return n;
}
