/** A contiguous run of samples [start, start + size). */
export interface Slice {
  readonly start: number;
  readonly size: number;
}

/** Splits `batch` samples into `parts` contiguous slices whose sizes differ by at most one. */
export function splitBatch(batch: number, parts: number): Slice[] {
  const n = Math.max(1, Math.min(parts, batch));
  const base = Math.floor(batch / n),
    extra = batch % n;
  const out: Slice[] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const size = base + (k < extra ? 1 : 0);
    out.push({ start, size });
    start += size;
  }
  return out;
}
