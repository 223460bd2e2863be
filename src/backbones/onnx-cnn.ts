/**
 * A frozen image CNN exported to ONNX, read from a local path: images in
 * (preprocessed float32 NCHW), the feature tensor chosen by name out (the
 * pooled layer before the classifier), flattened to one row per image. The
 * default is the shipped ImageNet MobileNetV2 (int8, ONNX Model Zoo) with
 * its 1280-d global-average-pooled features, dequantised; a DenseNet-121
 * export works the same way with its own tensor name (docs/decisions/chexpert.md).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-file.ts";
import { QmtlError, ValidationError } from "../core/errors.ts";
import { repoRoot } from "../data/data-paths.ts";
import { checkPreprocess, imagenetPreprocess, type ImagePreprocess } from "./image-preprocess.ts";
import { loadOnnxModel, type OnnxModel } from "./onnx-session.ts";
import { exposeTensor, type Dequantize } from "./onnx-expose.ts";

export interface CnnBackboneSpec {
  /** short name for reports and cache files ("mobilenetv2", "densenet121") */
  readonly name: string;
  readonly modelPath: string;
  /** the image input (default: the model's first input) */
  readonly inputName?: string;
  /** the tensor whose values are the features */
  readonly featureTensor: string;
  /** how to dequantise a quantized feature tensor ("auto": onnx.quantize naming; null: it is float) */
  readonly dequantize?: Dequantize | "auto" | null;
  /** the network input size and normalisation */
  readonly preprocess: ImagePreprocess;
  /** the feature size the tensor must have (checked on the first batch), if known */
  readonly featureDim?: number;
}

/** `<repo>/data/models/mobilenetv2-12-int8/`: the shipped model and its known-answer image. */
export function mobilenetV2Dir(): string {
  return join(repoRoot(), "data", "models", "mobilenetv2-12-int8");
}

/** The shipped MobileNetV2: 224 x 224 input, 1280-d pooled features (tensor 464_quantized, dequantised). */
export function mobilenetV2Spec(preprocess: ImagePreprocess = imagenetPreprocess(224)): CnnBackboneSpec {
  return {
    name: "mobilenetv2",
    modelPath: join(mobilenetV2Dir(), "mobilenetv2-12-int8.onnx"),
    inputName: "input",
    featureTensor: "464_quantized",
    dequantize: "auto",
    preprocess,
    featureDim: 1280,
  };
}

export interface CnnBackbone {
  readonly spec: CnnBackboneSpec;
  /** sha256 of the model file as given (before the graph edit) */
  readonly modelSha256: string;
  /** model hash + feature tensor: what feature caches key on */
  readonly modelId: string;
  readonly inputName: string;
  /** the graph output carrying the features (after the edit) */
  readonly outputName: string;
  readonly edit: "none" | "output" | "dequantize+output";
  /** the session (for other outputs, such as the classifier's logits) */
  readonly session: OnnxModel;
  /** features of `n` preprocessed images (n * 3 * size * size floats): n rows of featureDim */
  embed(images: Float32Array, n: number): Promise<{ data: Float32Array; dim: number }>;
  close(): Promise<void>;
}

/** Bump when exposeTensor's output changes, so edited models cached on disk are rebuilt. */
const EDIT_VERSION = 1;

/** The edited model's file: `<cacheDir>/onnx/<model sha>-<tensor>-v<edit>.onnx` (written atomically once). */
function editedModelPath(cacheDir: string, sha: string, tensor: string): string {
  return join(
    cacheDir,
    "onnx",
    `${sha.slice(0, 16)}-${tensor.replace(/[^A-Za-z0-9_.-]/g, "_")}-v${EDIT_VERSION}.onnx`,
  );
}

/**
 * Loads a CNN backbone. When the feature tensor is not already a graph
 * output, the edited model is written under `cacheDir` (a derived file,
 * rebuilt from the original whenever missing) and loaded from there.
 */
export async function loadCnnBackbone(
  spec: CnnBackboneSpec,
  opts: { threads?: number; cacheDir: string },
): Promise<CnnBackbone> {
  checkPreprocess(spec.preprocess);
  if (!existsSync(spec.modelPath))
    throw new ValidationError("backbone.model", "an existing ONNX file", spec.modelPath);
  const original = readFileSync(spec.modelPath);
  const modelSha256 = createHash("sha256").update(original).digest("hex");
  const exposed = exposeTensor(original, spec.featureTensor, spec.dequantize ?? "auto");
  let path = spec.modelPath;
  if (exposed.edit !== "none") {
    path = editedModelPath(opts.cacheDir, modelSha256, spec.featureTensor);
    const want = createHash("sha256").update(exposed.bytes).digest("hex");
    const have = existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") : null;
    if (have !== want) writeFileAtomic(path, exposed.bytes);
  }
  const session = await loadOnnxModel(path, { threads: opts.threads ?? 1 });
  const inputName = spec.inputName ?? session.inputNames[0];
  if (inputName === undefined || !session.inputNames.includes(inputName)) {
    await session.close();
    throw new ValidationError(
      "backbone.inputName",
      `an input of the model (${session.inputNames.join(", ")})`,
      inputName,
    );
  }
  const s = spec.preprocess.size;
  const outputName = exposed.outputName;
  return {
    spec,
    modelSha256,
    modelId: `${modelSha256}:${spec.featureTensor}`,
    inputName,
    outputName,
    edit: exposed.edit,
    session,
    async embed(images, n) {
      if (images.length !== n * 3 * s * s)
        throw new ValidationError(
          "backbone.embed.images",
          `n * 3 * ${s} * ${s} floats`,
          `length ${images.length}`,
        );
      const res = await session.run({ [inputName]: { type: "float32", data: images, dims: [n, 3, s, s] } }, [
        outputName,
      ]);
      const t = res[outputName]!;
      if (t.dims[0] !== n)
        throw new QmtlError(
          `backbone ${spec.name}: feature tensor has batch ${String(t.dims[0])}, expected ${n}`,
        );
      const dim = t.data.length / n;
      if (spec.featureDim !== undefined && dim !== spec.featureDim) {
        throw new ValidationError(
          `backbone ${spec.name}.featureTensor`,
          `${spec.featureDim} values per image`,
          `${dim} (dims ${t.dims.join("x")})`,
        );
      }
      for (let i = 0; i < t.data.length; i++) {
        if (!Number.isFinite(t.data[i]))
          throw new QmtlError(`backbone ${spec.name}: non-finite feature at image ${Math.floor(i / dim)}`);
      }
      return { data: t.data, dim };
    },
    close: () => session.close(),
  };
}
