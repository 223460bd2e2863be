import { totalmem } from "node:os";
import { ValidationError } from "./errors.ts";

/**
 * Memory budget checks: every public entry point that is about to allocate
 * something whose size comes from its arguments (a state of 2^n amplitudes,
 * a weight matrix, a workspace) asks here first, so a too-large request is a
 * one-line error naming the field, the size and the limit, not a RangeError
 * from deep inside, a WebAssembly "memory access out of bounds", or a machine
 * that swaps for an hour.
 *
 * The limit is QMTL_MEMORY_LIMIT_GB (GiB, a positive number) when set, else
 * half of this machine's physical memory, at most 16 GiB.
 */
export const DEFAULT_MEMORY_CAP_BYTES = 16 * 2 ** 30;

export function memoryLimitBytes(): number {
  const env = process.env["QMTL_MEMORY_LIMIT_GB"];
  if (env !== undefined && env.trim() !== "") {
    const gb = Number(env);
    if (!(gb > 0) || !Number.isFinite(gb))
      throw new ValidationError("QMTL_MEMORY_LIMIT_GB", "a positive number of GiB", env);
    return gb * 2 ** 30;
  }
  return Math.min(DEFAULT_MEMORY_CAP_BYTES, Math.floor(totalmem() / 2));
}

/** "1.5 GiB", "512 MiB", "3.0e+4 TiB": for messages. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes,
    u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)} bytes`;
  return `${v >= 1e4 ? v.toExponential(1) : v.toFixed(1)} ${units[u]}`;
}

/**
 * Throws unless `elements * bytesPerElement` bytes fit the memory limit.
 * `what` says what the memory is for ("the statevector workspace of 27 qubits").
 */
export function requireAllocation(
  field: string,
  elements: number,
  bytesPerElement: number,
  what: string,
  limit = memoryLimitBytes(),
): void {
  const bytes = elements * bytesPerElement;
  if (!Number.isFinite(bytes) || bytes < 0 || bytes > limit) {
    const size = Number.isFinite(bytes) ? formatBytes(bytes) : "more memory than can be counted";
    throw new ValidationError(
      field,
      `a size that fits the memory limit of ${formatBytes(limit)} (QMTL_MEMORY_LIMIT_GB changes it); ${what} would need ${size}`,
    );
  }
}
