import { ValidationError } from "../../core/errors.ts";
import { RuntimeError } from "./errors.ts";

/**
 * Primitive Unified Blocs (PUBs) for the V2 primitives, in the JSON the REST API
 * takes (IBM "Estimator with the REST API"; qiskit-ibm-runtime's RuntimeEncoder
 * writes the same tuples as lists):
 *   Estimator: [circuit, observables, parameter_values | null, precision?]
 *   Sampler:   [circuit, parameter_values | null, shots?]
 * The circuit is an OpenQASM 3 string of an ISA circuit. Observables are
 * {Pauli string: coefficient} dicts (little-endian strings, one character per
 * circuit qubit); K observables are sent with shape (K, 1) so they broadcast
 * against B parameter rows (shape (B, P)) to evs of shape (K, B).
 */
export type EstimatorPub = [string, Array<Array<Record<string, number>>>, number[][] | null, number?];
export type SamplerPub = [string, number[][] | null, number?];

export function estimatorPub(
  qasm: string,
  paulis: readonly string[],
  values: readonly (readonly number[])[] | null,
  precision?: number,
): EstimatorPub {
  if (paulis.length === 0) throw new ValidationError("observables", "at least one Pauli string");
  if (precision !== undefined && !(precision > 0))
    throw new ValidationError("precision", "a positive number", precision);
  const obs = paulis.map((p) => [{ [p]: 1 }]);
  const vals = values ? values.map((r) => [...r]) : null;
  checkValues(vals);
  return precision !== undefined ? [qasm, obs, vals, precision] : [qasm, obs, vals];
}

export function samplerPub(
  qasm: string,
  values: readonly (readonly number[])[] | null,
  shots?: number,
): SamplerPub {
  if (shots !== undefined && (!Number.isInteger(shots) || shots < 1))
    throw new ValidationError("shots", "a positive integer", shots);
  const vals = values ? values.map((r) => [...r]) : null;
  checkValues(vals);
  return shots !== undefined ? [qasm, vals, shots] : [qasm, vals];
}

function checkValues(v: number[][] | null): void {
  if (!v) return;
  if (v.length === 0) throw new ValidationError("parameter_values", "at least one row");
  const P = v[0]!.length;
  v.forEach((r, i) => {
    if (r.length !== P) throw new ValidationError(`parameter_values[${i}]`, `${P} values`, r.length);
    r.forEach((x, j) => {
      if (!Number.isFinite(x))
        throw new ValidationError(`parameter_values[${i}][${j}]`, "a finite number", x);
    });
  });
}

/** The `params` of an Estimator job. */
export function estimatorParams(
  pubs: EstimatorPub[],
  options?: Record<string, unknown>,
): Record<string, unknown> {
  return { pubs, version: 2, ...(options ? { options } : {}) };
}

/** The `params` of a Sampler job. */
export function samplerParams(
  pubs: SamplerPub[],
  options?: Record<string, unknown>,
): Record<string, unknown> {
  return { pubs, version: 2, ...(options ? { options } : {}) };
}

function pubResults(res: Record<string, unknown>, nPubs: number): Array<Record<string, unknown>> {
  const r = res.results;
  if (!Array.isArray(r) || r.length !== nPubs)
    throw new RuntimeError(
      `results: expected ${nPubs} PUB results, got ${Array.isArray(r) ? r.length : typeof r}`,
    );
  return r.map((x, i) => {
    const d = (x as { data?: unknown }).data;
    if (typeof d !== "object" || d === null) throw new RuntimeError(`results[${i}].data: missing`);
    return d as Record<string, unknown>;
  });
}

/** Flattens a nested numeric array (row-major) and checks its length. */
function flatNumbers(x: unknown, n: number, where: string): Float64Array {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "number") out.push(v);
    else throw new RuntimeError(`${where}: expected numbers`);
  };
  walk(x);
  if (out.length !== n) throw new RuntimeError(`${where}: expected ${n} values, got ${out.length}`);
  return Float64Array.from(out);
}

/** Estimator evs and stds per PUB, each K x B row-major (B = 1 without parameter rows). */
export function parseEstimatorResults(
  res: Record<string, unknown>,
  shapes: ReadonlyArray<{ K: number; B: number }>,
): Array<{ evs: Float64Array; stds: Float64Array }> {
  return pubResults(res, shapes.length).map((d, i) => {
    const { K, B } = shapes[i]!;
    return {
      evs: flatNumbers(d.evs, K * B, `results[${i}].data.evs`),
      stds:
        d.stds === undefined
          ? new Float64Array(K * B)
          : flatNumbers(d.stds, K * B, `results[${i}].data.stds`),
    };
  });
}

/** Sampler samples of register `creg` per PUB: B rows of hex strings. */
export function parseSamplerResults(
  res: Record<string, unknown>,
  creg: string,
  shapes: ReadonlyArray<{ B: number; shots: number }>,
): string[][][] {
  return pubResults(res, shapes.length).map((d, i) => {
    const reg = d[creg] as { samples?: unknown } | undefined;
    const s = reg?.samples;
    if (!Array.isArray(s)) throw new RuntimeError(`results[${i}].data.${creg}.samples: missing`);
    const { B, shots } = shapes[i]!;
    const rows = B === 1 && s.every((x) => typeof x === "string") ? [s as string[]] : (s as unknown[]);
    if (rows.length !== B) throw new RuntimeError(`results[${i}].data.${creg}.samples: expected ${B} rows`);
    return rows.map((row, b) => {
      if (!Array.isArray(row) || row.length !== shots || !row.every((x) => typeof x === "string")) {
        throw new RuntimeError(`results[${i}].data.${creg}.samples[${b}]: expected ${shots} hex strings`);
      }
      return row as string[];
    });
  });
}
