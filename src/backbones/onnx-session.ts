/**
 * A thin wrapper over onnxruntime-node (CPU): load a model from a local path,
 * run it on named float32/int64 tensors, read named float32 outputs. The
 * model's sha256 identifies it (feature caches key on it). Nothing is
 * downloaded: the CPU binaries ship inside the npm package, and `.npmrc`
 * skips its optional CUDA download.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { QmtlError, ValidationError, requireInt } from "../core/errors.ts";

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
  run(feeds: Readonly<Record<string, OnnxTensorIn>>, outputs: readonly string[]): Promise<Record<string, OnnxTensorOut>>;
  close(): Promise<void>;
}

/** Largest model file read into memory (2 GiB, protobuf's own limit). */
const MAX_MODEL_BYTES = 2 ** 31;

function checkFeed(name: string, t: OnnxTensorIn): void {
  const field = `onnx feed "${name}"`;
  if (t.type !== "float32" && t.type !== "int64") throw new ValidationError(`${field}.type`, '"float32" or "int64"', t.type);
  const want = t.type === "float32" ? Float32Array : BigInt64Array;
  if (!(t.data instanceof want)) throw new ValidationError(`${field}.data`, `a ${want.name} for type ${t.type}`, t.data);
  let n = 1;
  t.dims.forEach((d, i) => { requireInt(`${field}.dims[${i}]`, d, 0); n *= d; });
  if (n !== t.data.length) throw new ValidationError(`${field}.data`, `length ${n} (product of dims ${t.dims.join("x")})`, `length ${t.data.length}`);
}

/** Loads an ONNX model from `path` for CPU inference with `threads` intra-op threads (default 1). */
export async function loadOnnxModel(path: string, opts: { threads?: number } = {}): Promise<OnnxModel> {
  const threads = opts.threads ?? 1;
  requireInt("onnx.threads", threads, 1, 256);
  if (!existsSync(path)) throw new ValidationError("onnx model", `an existing .onnx file`, path);
  const size = statSync(path).size;
  if (size === 0 || size > MAX_MODEL_BYTES) throw new ValidationError(`onnx model ${path}`, `a file of 1 byte to 2 GiB`, `${size} bytes`);
  const bytes = readFileSync(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ["cpu"],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
    });
  } catch (e) {
    throw new QmtlError(`onnx model ${path}: onnxruntime could not load it (${e instanceof Error ? e.message : String(e)})`);
  }
  const inputNames = [...session.inputNames];
  const outputNames = [...session.outputNames];
  let closed = false;
  return {
    path, sha256, inputNames, outputNames,
    async run(feeds, outputs) {
      if (closed) throw new QmtlError(`onnx model ${path}: run after close`);
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        if (!inputNames.includes(name)) throw new ValidationError("onnx feeds", `input names among ${inputNames.join(", ")}`, name);
        checkFeed(name, t);
        ortFeeds[name] = new ort.Tensor(t.type, t.data, [...t.dims]);
      }
      for (const name of inputNames) if (!(name in feeds)) throw new ValidationError("onnx feeds", `a tensor for input "${name}"`);
      if (outputs.length === 0) throw new ValidationError("onnx outputs", "at least one output name");
      for (const name of outputs) {
        if (!outputNames.includes(name)) throw new ValidationError("onnx outputs", `output names among ${outputNames.join(", ")}`, name);
      }
      const res = await session.run(ortFeeds, [...outputs]);
      const out: Record<string, OnnxTensorOut> = {};
      for (const name of outputs) {
        const t = res[name];
        if (t === undefined) throw new QmtlError(`onnx model ${path}: output "${name}" missing from the result`);
        if (t.type !== "float32") throw new ValidationError(`onnx output "${name}"`, "a float32 tensor", t.type);
        out[name] = { data: t.data as Float32Array, dims: [...t.dims] };
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}
