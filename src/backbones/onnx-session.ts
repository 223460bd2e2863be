import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { ValidationError, requireInt } from "../core/errors.ts";

/**
 * A thin wrapper over onnxruntime-node (CPU) for frozen backbones: loads an
 * ONNX file after checking it exists and looks like an ONNX protobuf, records
 * its sha256 (cache keys name the exact weights), runs it on float32 / int64
 * inputs and returns every requested output as float32. onnxruntime-node is
 * imported lazily, so code that never runs a model never loads it.
 */

export interface OnnxTensorIn {
  readonly type: "float32" | "int64";
  readonly data: Float32Array | BigInt64Array;
  readonly dims: readonly number[];
}
export interface OnnxTensorOut {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}
export interface OnnxModel {
  readonly path: string;
  readonly sha256: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(
    feeds: Readonly<Record<string, OnnxTensorIn>>,
    outputs: readonly string[],
  ): Promise<Record<string, OnnxTensorOut>>;
  close(): Promise<void>;
}

/**
 * An ONNX ModelProto starts with field 1 (ir_version, varint: byte 0x08) and
 * in practice has field 7 (graph) somewhere; a cheap check that catches text
 * files, LFS pointers and other binaries before onnxruntime gives a vaguer error.
 */
function looksLikeOnnx(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  if (bytes[0] === 0x08) return true;
  // some exporters write producer_name (field 2, 0x12) or others first; accept any ModelProto field tag
  return (
    [0x12, 0x1a, 0x22, 0x2a, 0x3a, 0x42].includes(bytes[0]!) &&
    !bytes.subarray(0, 64).every((b) => b >= 0x20 && b < 0x7f)
  );
}

export async function loadOnnxModel(path: string, opts: { threads?: number } = {}): Promise<OnnxModel> {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error("not a regular file");
    size = st.size;
  } catch (e) {
    throw new ValidationError(path, "an ONNX model file", e instanceof Error ? e.message : String(e));
  }
  if (size < 16)
    throw new ValidationError(path, "an ONNX model file (a protobuf ModelProto)", `${size} bytes`);
  const bytes = readFileSync(path);
  if (!looksLikeOnnx(bytes)) {
    const head = bytes.subarray(0, 40).toString("latin1");
    throw new ValidationError(
      path,
      "an ONNX model file (a protobuf ModelProto; a Git LFS pointer or text file is not one)",
      head,
    );
  }
  if (opts.threads !== undefined) requireInt("onnx threads", opts.threads, 1, 256);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const ort = await import("onnxruntime-node");
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes, {
      logSeverityLevel: 3,
      ...(opts.threads !== undefined && { intraOpNumThreads: opts.threads, interOpNumThreads: 1 }),
    });
  } catch (e) {
    throw new ValidationError(
      path,
      "an ONNX model onnxruntime can load",
      e instanceof Error ? e.message : String(e),
    );
  }
  const inputNames = [...session.inputNames];
  const outputNames = [...session.outputNames];
  return {
    path,
    sha256,
    inputNames,
    outputNames,
    async run(feeds, outputs) {
      const want = outputs.length > 0 ? outputs : outputNames;
      for (const o of want)
        if (!outputNames.includes(o))
          throw new ValidationError(`${path} outputs`, `one of ${outputNames.join(", ")}`, o);
      const inputs: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const [name, t] of Object.entries(feeds)) {
        if (!inputNames.includes(name))
          throw new ValidationError(`${path} inputs`, `one of ${inputNames.join(", ")}`, name);
        const n = t.dims.reduce((a, b) => a * b, 1);
        if (t.data.length !== n)
          throw new ValidationError(
            `${path} input ${name}`,
            `${n} values for dims [${t.dims.join(", ")}]`,
            t.data.length,
          );
        if ((t.type === "int64") !== t.data instanceof BigInt64Array)
          throw new ValidationError(
            `${path} input ${name}`,
            `data matching type ${t.type}`,
            t.data.constructor.name,
          );
        inputs[name] = new ort.Tensor(t.type, t.data, [...t.dims]);
      }
      for (const name of inputNames)
        if (!(name in feeds))
          throw new ValidationError(`${path} inputs`, `a tensor for input "${name}"`, "none");
      const res = await session.run(inputs, want as string[]);
      const out: Record<string, OnnxTensorOut> = {};
      for (const name of want) {
        const t = res[name]!;
        const d = t.data;
        let data: Float32Array;
        if (d instanceof Float32Array) data = d;
        else if (d instanceof BigInt64Array || d instanceof BigUint64Array)
          data = Float32Array.from(d, (x) => Number(x));
        else if (ArrayBuffer.isView(d)) data = Float32Array.from(d as unknown as ArrayLike<number>);
        else throw new ValidationError(`${path} output ${name}`, "a numeric tensor", t.type);
        out[name] = { data, dims: [...t.dims] };
      }
      return out;
    },
    async close() {
      await session.release();
    },
  };
}
