import { ValidationError } from "../core/errors.ts";

/**
 * A reader for NumPy's .npy format (numpy.lib.format, versions 1.0-3.0):
 *   "\x93NUMPY" | major u8 | minor u8 | header length (u16 LE in v1, u32 LE in v2/v3)
 *   | header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, d), }
 *   | raw data.
 * Supported dtypes: little-endian float32 / float64 ('<f4', '<f8') for
 * numbers, and fixed-width strings ('<U<n>' UTF-32, '|S<n>' bytes) for id
 * lists. Object arrays (which need pickle) are refused.
 */

export type NpyArray =
  | { readonly kind: "float"; readonly dtype: "float32" | "float64"; readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly kind: "string"; readonly dtype: string; readonly shape: readonly number[]; readonly data: readonly string[] };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, field: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ValidationError(field, "a .npy file (starting with \\x93NUMPY)", `${bytes.length} bytes without that magic`);
  }
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new ValidationError(field, "a complete .npy header", `${bytes.length} bytes`);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new ValidationError(`${field} (npy version)`, "format version 1, 2 or 3", major);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new ValidationError(`${field} (npy header)`, `${headerLen} header bytes`, `a file of ${bytes.length} bytes`);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header, field);
  if (fortranOrder) throw new ValidationError(`${field} (npy fortran_order)`, "C order (fortran_order False); save with np.ascontiguousarray", true);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(dataStart);
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);

  if (descr === "<f4" || descr === "<f8") {
    const size = descr === "<f4" ? 4 : 8;
    if (body.length !== count * size) {
      throw new ValidationError(`${field} (npy data)`, `${count * size} bytes for shape (${shape.join(", ")}) ${descr}`, `${body.length} bytes`);
    }
    const data = new Float64Array(count);
    if (size === 4) for (let i = 0; i < count; i++) data[i] = dv.getFloat32(4 * i, true);
    else for (let i = 0; i < count; i++) data[i] = dv.getFloat64(8 * i, true);
    return { kind: "float", dtype: size === 4 ? "float32" : "float64", shape, data };
  }
  const str = /^([<|])([US])(\d+)$/.exec(descr);
  if (str) {
    const isUnicode = str[2] === "U";
    const width = Number(str[3]);
    const itemBytes = isUnicode ? 4 * width : width;
    if (body.length !== count * itemBytes) {
      throw new ValidationError(`${field} (npy data)`, `${count * itemBytes} bytes for shape (${shape.join(", ")}) ${descr}`, `${body.length} bytes`);
    }
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      let s = "";
      if (isUnicode) {
        for (let c = 0; c < width; c++) {
          const cp = dv.getUint32(i * itemBytes + 4 * c, true);
          if (cp === 0) break;
          s += String.fromCodePoint(cp);
        }
      } else {
        const chunk = body.subarray(i * itemBytes, (i + 1) * itemBytes);
        const end = chunk.indexOf(0);
        s = new TextDecoder("utf-8").decode(end === -1 ? chunk : chunk.subarray(0, end));
      }
      out.push(s);
    }
    return { kind: "string", dtype: descr, shape, data: out };
  }
  const hint = descr.startsWith(">") ? " (big-endian data: convert with arr.astype('<f4'))" : descr === "|O" ? " (object arrays need pickle, which qmtl does not read)" : "";
  throw new ValidationError(`${field} (npy dtype)`, `float32 or float64 little-endian ('<f4', '<f8') or a string array${hint}`, descr);
}

function parseHeader(header: string, field: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) {
    throw new ValidationError(`${field} (npy header)`, "a dict with 'descr', 'fortran_order' and 'shape'", header.trim());
  }
  const dims = (shape[1] as string)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ""));
      if (!Number.isInteger(n) || n < 0) throw new ValidationError(`${field} (npy shape)`, "non-negative integer dimensions", header.trim());
      return n;
    });
  return { descr: descr[1] as string, fortranOrder: fortran[1] === "True", shape: dims };
}
