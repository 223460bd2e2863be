/**
 * Exposing an inner tensor of an ONNX graph as a graph output, so a CNN's
 * pooled features (the layer before its classifier) can be read by name.
 * onnxruntime returns only graph outputs, so the graph is edited: the model
 * is decoded with onnx-proto (the ONNX protobuf schema for protobufjs), one
 * output is appended (with a DequantizeLinear node first when the tensor is
 * a quantized uint8/int8 one, as in int8 models from onnx.quantize), and the
 * model is encoded again. Nothing else in the graph changes.
 */
import onnxProto from "onnx-proto";
import { ValidationError } from "../core/errors.ts";

const { onnx } = onnxProto;

export interface Dequantize {
  /** initializer (or tensor) holding the scale */
  readonly scale: string;
  /** initializer (or tensor) holding the zero point */
  readonly zeroPoint: string;
}

export interface ExposeResult {
  /** the edited model, or the input itself when nothing had to change */
  readonly bytes: Uint8Array;
  /** the graph output that now carries the (float) tensor */
  readonly outputName: string;
  /** what was done, for provenance: "none", "output", or "dequantize+output" */
  readonly edit: "none" | "output" | "dequantize+output";
}

/** The suffix onnx.quantize gives the uint8 version of tensor X: X_quantized, with X_scale and X_zero_point. */
function conventionalDequantize(name: string, known: Set<string>): Dequantize | null {
  if (!name.endsWith("_quantized")) return null;
  const base = name.slice(0, -"_quantized".length);
  const scale = `${base}_scale`,
    zeroPoint = `${base}_zero_point`;
  return known.has(scale) && known.has(zeroPoint) ? { scale, zeroPoint } : null;
}

/**
 * Returns a model whose graph has `tensor` as a float output. `dequantize`
 * names the scale and zero point when the tensor is quantized; "auto" (the
 * default) uses onnx.quantize's naming (X_quantized, X_scale, X_zero_point)
 * when it applies, and none otherwise.
 */
export function exposeTensor(
  model: Uint8Array,
  tensor: string,
  dequantize: Dequantize | "auto" | null = "auto",
): ExposeResult {
  let m: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    m = onnx.ModelProto.decode(model);
  } catch (e) {
    throw new ValidationError(
      "onnx model",
      "an ONNX ModelProto",
      `undecodable bytes (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const g = m.graph;
  if (!g) throw new ValidationError("onnx model", "a model with a graph");
  const nodes = (g.node ??= []);
  const outputs = (g.output ??= []);
  const names = (xs: readonly { name?: string | null }[] | null | undefined): string[] =>
    (xs ?? []).map((x) => x.name ?? "");
  const produced = nodes.flatMap((n) => n.output ?? []);
  const known = new Set<string>([...produced, ...names(g.initializer), ...names(g.input)]);
  if (!known.has(tensor)) {
    const outs = nodes
      .slice(-6)
      .flatMap((n) => n.output ?? [])
      .join(", ");
    throw new ValidationError(
      "backbone.featureTensor",
      `a tensor of the graph (the last nodes produce: ${outs})`,
      tensor,
    );
  }
  const dq = dequantize === "auto" ? conventionalDequantize(tensor, known) : dequantize;
  if (dq === null && outputs.some((o) => o.name === tensor))
    return { bytes: model, outputName: tensor, edit: "none" };
  if (dq !== null) {
    for (const name of [dq.scale, dq.zeroPoint]) {
      if (!known.has(name)) throw new ValidationError("backbone.dequantize", "tensors of the graph", name);
    }
  }
  let outputName = tensor;
  if (dq !== null) {
    outputName = `${tensor}__qmtl_dequantized`;
    nodes.push(
      onnx.NodeProto.create({
        opType: "DequantizeLinear",
        name: `${outputName}_node`,
        input: [tensor, dq.scale, dq.zeroPoint],
        output: [outputName],
      }),
    );
  }
  // element type 1 = FLOAT; the shape is left for onnxruntime to infer
  outputs.push(onnx.ValueInfoProto.create({ name: outputName, type: { tensorType: { elemType: 1 } } }));
  return {
    bytes: onnx.ModelProto.encode(m).finish(),
    outputName,
    edit: dq !== null ? "dequantize+output" : "output",
  };
}
