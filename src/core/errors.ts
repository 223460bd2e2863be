/**
 * Errors raised on bad input. Every message names the field at fault and what
 * was expected, so a user can fix a config or a call without reading code.
 */
export class QmtlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QmtlError";
  }
}

/** A value that does not satisfy its contract: `field` is a dotted path. */
export class ValidationError extends QmtlError {
  readonly field: string;
  readonly expected: string;
  constructor(field: string, expected: string, got?: unknown) {
    const gotText = got === undefined ? "" : `, got ${describe(got)}`;
    super(`${field}: expected ${expected}${gotText}`);
    this.name = "ValidationError";
    this.field = field;
    this.expected = expected;
  }
}

/**
 * A file or folder qmtl could not read or write (not writable, a file where a
 * folder should be, a read-only file system): names the path, the reason and
 * what to do, in one line.
 */
export class FileError extends QmtlError {
  readonly path: string;
  constructor(path: string, action: string, reason: string, hint = "") {
    super(`cannot ${action} ${path}: ${reason}${hint ? ` (${hint})` : ""}`);
    this.name = "FileError";
    this.path = path;
  }
}

/** The short reason of a Node file-system error: "permission denied (EACCES)". */
export function fsReason(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === "string" ? err.code : "";
  const known: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOENT: "no such file or folder",
    ENOTDIR: "a path component is a file, not a folder",
    EISDIR: "it is a folder, not a file",
    EEXIST: "something is already there",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EMFILE: "too many open files",
    ENAMETOOLONG: "the name is too long",
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  const msg = typeof err?.message === "string" ? err.message.split("\n")[0]! : String(e);
  return code ? `${msg} (${code})` : msg;
}

function describe(v: unknown): string {
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a typed array of length ${(v as unknown as ArrayLike<number>).length}`;
  if (v === null) return "null";
  return typeof v;
}

/** Throws unless `x` is a finite number. */
export function requireFinite(field: string, x: number): void {
  if (!Number.isFinite(x)) throw new ValidationError(field, "a finite number", x);
}

/** Throws unless every entry of `xs` is finite; names the first bad index. */
export function requireAllFinite(field: string, xs: ArrayLike<number>): void {
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new ValidationError(`${field}[${i}]`, "a finite number", xs[i]);
  }
}

/** Throws unless `n` is an integer in [lo, hi]. */
export function requireInt(field: string, n: number, lo = -Infinity, hi = Infinity): void {
  if (!Number.isInteger(n) || n < lo || n > hi) {
    const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    throw new ValidationError(field, `an integer ${range}`, n);
  }
}

/** Throws unless `xs.length === n`. */
export function requireLength(field: string, xs: ArrayLike<unknown>, n: number): void {
  if (xs.length !== n)
    throw new ValidationError(field, `length ${n}`, xs.length === undefined ? xs : `length ${xs.length}`);
}
