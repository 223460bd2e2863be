/**
 * The number arrays of a checkpoint file (model, best model, optimizer moments) as raw float64 bytes.
 *
 * A MUStARD QMTL checkpoint holds ~166,000 numbers; as JSON decimals it was 3.8 MB and ~100 ms per write
 * (number-to-text twice, once for the checksum), written after every epoch: 39% of a warm MUStARD run.
 * As little-endian float64 in base64 it is 1.9 MB, exact to the bit (also -0, NaN and infinities, which
 * JSON decimals lose or cannot hold), and encoding is a byte copy. In the file an encoded array is `{ "float64": "<base64>" }`;
 * arrays shorter than MIN_LENGTH, or holding anything but numbers, stay JSON arrays.
 */
import { endianness } from "node:os";
import { ValidationError } from "../core/errors.ts";

const MIN_LENGTH = 16;
const KEY = "float64";

function isNumberArray(x: readonly unknown[]): x is readonly number[] {
  for (let i = 0; i < x.length; i++) if (typeof x[i] !== "number") return false;
  return true;
}

const LITTLE_ENDIAN = endianness() === "LE";

function encodeArray(x: readonly number[]): { float64: string } {
  const values = Float64Array.from(x);
  let bytes = new Uint8Array(values.buffer);
  if (!LITTLE_ENDIAN) {
    bytes = new Uint8Array(x.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < x.length; i++) view.setFloat64(i * 8, x[i]!, true);
  }
  return { [KEY]: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64") } as {
    float64: string;
  };
}

/** A deep copy of `value` with every number array of MIN_LENGTH or more entries encoded. */
export function encodeNumberArrays(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length >= MIN_LENGTH && isNumberArray(value)) return encodeArray(value);
    return value.map(encodeNumberArrays);
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeNumberArrays(v);
    return out;
  }
  return value;
}

function isEncoded(x: object): x is { float64: string } {
  const keys = Object.keys(x);
  return keys.length === 1 && keys[0] === KEY;
}

/**
 * The inverse of encodeNumberArrays. `where` names the file in errors: an encoded entry whose text is
 * not base64 of whole float64 values is refused with its path in the document.
 */
export function decodeNumberArrays(value: unknown, where: string, path = ""): unknown {
  if (Array.isArray(value)) return value.map((v, i) => decodeNumberArrays(v, where, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return value;
  if (isEncoded(value)) {
    const text = value.float64;
    if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
      throw new ValidationError(`${where} ${path}`, "base64 text of float64 values", text);
    const buf = Buffer.from(text, "base64");
    if (buf.length % 8 !== 0)
      throw new ValidationError(
        `${where} ${path}`,
        "a whole number of float64 values",
        `${buf.length} bytes`,
      );
    if (LITTLE_ENDIAN) return Array.from(new Float64Array(Uint8Array.from(buf).buffer));
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    const out = new Array<number>(buf.length / 8);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = decodeNumberArrays(v, where, path ? `${path}.${k}` : k);
  return out;
}
