import { ValidationError, requireInt } from "../core/errors.ts";

/**
 * A dense row-major matrix of per-utterance features: row i belongs to
 * utterance i of the dataset it was built for. Float64 throughout, so the
 * consumers (heads, simulator) never branch on precision.
 */
export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function featureMatrix(rows: number, cols: number, data?: Float64Array): FeatureMatrix {
  requireInt("featureMatrix.rows", rows, 0);
  requireInt("featureMatrix.cols", cols, 0);
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new ValidationError("featureMatrix.data", `length rows*cols = ${rows * cols}`, d.length);
  }
  return { rows, cols, data: d };
}

/** A view (no copy) of row `i`. */
export function featureRow(m: FeatureMatrix, i: number): Float64Array {
  requireInt("featureRow.i", i, 0, m.rows - 1);
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Copies the rows at `indices`, in that order, into a new matrix. */
export function selectRows(m: FeatureMatrix, indices: readonly number[]): FeatureMatrix {
  const out = new Float64Array(indices.length * m.cols);
  indices.forEach((r, k) => {
    requireInt(`selectRows.indices[${k}]`, r, 0, m.rows - 1);
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), k * m.cols);
  });
  return { rows: indices.length, cols: m.cols, data: out };
}

/** Side-by-side concatenation [a | b]; both must have the same number of rows. */
export function concatColumns(a: FeatureMatrix, b: FeatureMatrix): FeatureMatrix {
  if (a.rows !== b.rows) throw new ValidationError("concatColumns.b.rows", `${a.rows} (rows of a)`, b.rows);
  const cols = a.cols + b.cols;
  const out = new Float64Array(a.rows * cols);
  for (let r = 0; r < a.rows; r++) {
    out.set(a.data.subarray(r * a.cols, (r + 1) * a.cols), r * cols);
    out.set(b.data.subarray(r * b.cols, (r + 1) * b.cols), r * cols + a.cols);
  }
  return { rows: a.rows, cols, data: out };
}
