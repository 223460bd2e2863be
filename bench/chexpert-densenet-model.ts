/**
 * Writes an ONNX model with DenseNet-121's exact architecture (torchvision densenet121: growth 32, blocks
 * 6/12/24/16, bn_size 4, 1024-d pooled features, 1000 classes; 7.98 M parameters) and RANDOM weights, so the
 * feature-extraction speed of the paper's backbone can be measured here without its weights
 * (npx tsx bench/chexpert-densenet-model.ts OUT.onnx). Batch norm runs in inference form (random statistics);
 * the pooled features are graph output "pooled" [N, 1024, 1, 1], the logits "logits" [N, 1000].
 * Not a pretrained model: for timing only.
 */
import { writeFileSync } from "node:fs";
import onnxProto from "onnx-proto";
import { Rng } from "../src/core/rng.ts";

const { onnx } = onnxProto;
const out = process.argv[2] ?? "densenet121-random.onnx";
const rng = new Rng(121);
const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
const inits: InstanceType<typeof onnx.TensorProto>[] = [];
let params = 0;
let k = 0;
const fresh = (p: string): string => `${p}_${k++}`;

function tensor(name: string, dims: number[], fill: (i: number) => number): string {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = fill(i);
  params += n;
  inits.push(onnx.TensorProto.create({ name, dims, dataType: 1, rawData: new Uint8Array(data.buffer) }));
  return name;
}
function node(opType: string, input: string[], attrs: Record<string, number | number[]> = {}): string {
  const o = fresh(opType.toLowerCase());
  const attribute = Object.entries(attrs).map(([name, v]) =>
    Array.isArray(v)
      ? onnx.AttributeProto.create({ name, ints: v, type: onnx.AttributeProto.AttributeType.INTS })
      : onnx.AttributeProto.create({ name, f: v, type: onnx.AttributeProto.AttributeType.FLOAT }),
  );
  nodes.push(onnx.NodeProto.create({ opType, input, output: [o], attribute }));
  return o;
}
function conv(x: string, cin: number, cout: number, kk: number, stride = 1, pad = 0): string {
  const std = Math.sqrt(2 / (cin * kk * kk));
  const w = tensor(fresh("w"), [cout, cin, kk, kk], () => rng.normal() * std);
  return node("Conv", [x, w], {
    kernel_shape: [kk, kk],
    strides: [stride, stride],
    pads: [pad, pad, pad, pad],
  });
}
function bnRelu(x: string, c: number): string {
  const s = tensor(fresh("g"), [c], () => 1 + 0.1 * rng.normal());
  const b = tensor(fresh("b"), [c], () => 0.1 * rng.normal());
  const m = tensor(fresh("m"), [c], () => 0.1 * rng.normal());
  const v = tensor(fresh("v"), [c], () => 1 + 0.1 * rng.uniform());
  params -= 2 * c; // running statistics are buffers, not parameters
  return node("Relu", [node("BatchNormalization", [x, s, b, m, v], { epsilon: 1e-5 })]);
}

let x = conv("input", 3, 64, 7, 2, 3);
x = bnRelu(x, 64);
x = node("MaxPool", [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
let c = 64;
[6, 12, 24, 16].forEach((layers, bi) => {
  for (let l = 0; l < layers; l++) {
    const y = conv(bnRelu(conv(bnRelu(x, c), c, 128, 1), 128), 128, 32, 3, 1, 1);
    const cat = fresh("concat");
    nodes.push(
      onnx.NodeProto.create({
        opType: "Concat",
        input: [x, y],
        output: [cat],
        attribute: [
          onnx.AttributeProto.create({ name: "axis", i: 1, type: onnx.AttributeProto.AttributeType.INT }),
        ],
      }),
    );
    x = cat;
    c += 32;
  }
  if (bi < 3) {
    x = node("AveragePool", [conv(bnRelu(x, c), c, c / 2, 1)], { kernel_shape: [2, 2], strides: [2, 2] });
    c /= 2;
  }
});
const pooledIn = bnRelu(x, c);
nodes.push(onnx.NodeProto.create({ opType: "GlobalAveragePool", input: [pooledIn], output: ["pooled"] }));
const flat = node("Flatten", ["pooled"]);
const fcW = tensor("fc_w", [1000, c], () => rng.normal() * 0.01);
const fcB = tensor("fc_b", [1000], () => 0);
nodes.push(
  onnx.NodeProto.create({
    opType: "Gemm",
    input: [flat, fcW, fcB],
    output: ["logits"],
    attribute: [
      onnx.AttributeProto.create({ name: "transB", i: 1, type: onnx.AttributeProto.AttributeType.INT }),
    ],
  }),
);
const vi = (name: string, dims: (number | string)[]) =>
  onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: 1,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
const model = onnx.ModelProto.create({
  irVersion: 8,
  producerName: "qmtl bench (random DenseNet-121)",
  opsetImport: [{ domain: "", version: 13 }],
  graph: {
    name: "densenet121_random",
    node: nodes,
    initializer: inits,
    input: [vi("input", ["N", 3, "H", "W"])],
    output: [vi("pooled", ["N", c, 1, 1]), vi("logits", ["N", 1000])],
  },
});
writeFileSync(out, onnx.ModelProto.encode(model).finish());
console.log(`wrote ${out}: ${nodes.length} nodes, ${params} parameters, ${c}-d pooled features`);
