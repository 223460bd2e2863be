import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadCnnBackbone,
  mobilenetV2Dir,
  mobilenetV2Spec,
  type CnnBackbone,
} from "../../src/backbones/onnx-cnn.ts";
import { exposeTensor } from "../../src/backbones/onnx-expose.ts";
import { imagenetPreprocess, preprocessImage } from "../../src/backbones/image-preprocess.ts";
import { loadOnnxModel } from "../../src/backbones/onnx-session.ts";

const MODEL = join(mobilenetV2Dir(), "mobilenetv2-12-int8.onnx");
const FINCH = join(mobilenetV2Dir(), "test_image_finch.jpeg");

/** a float initializer's single value, read independently of onnxruntime */
function scalarInit(name: string): number {
  const m = onnxProto.onnx.ModelProto.decode(readFileSync(MODEL));
  const t = m.graph!.initializer!.find((i) => i.name === name)!;
  if (t.floatData && t.floatData.length) return t.floatData[0]!;
  if (t.int32Data && t.int32Data.length) return t.int32Data[0]!;
  const raw = t.rawData!;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return t.dataType === 1 ? view.getFloat32(0, true) : view.getUint8(0);
}

describe("MobileNetV2 ONNX backbone (shipped)", () => {
  let b: CnnBackbone;
  let x: Float32Array;
  beforeAll(async () => {
    b = await loadCnnBackbone(mobilenetV2Spec(), { cacheDir: mkdtempSync(join(tmpdir(), "qmtl-onnx-")) });
    x = new Float32Array(3 * 224 * 224);
    await preprocessImage(FINCH, readFileSync(FINCH), imagenetPreprocess(), false, x);
  });
  afterAll(async () => {
    await b.close();
  });

  it("known answer: the finch image's top-1 ImageNet class is 12 (house finch)", async () => {
    const r = await b.session.run({ input: { type: "float32", data: x, dims: [1, 3, 224, 224] } }, [
      "output",
    ]);
    const o = r["output"]!.data;
    expect(r["output"]!.dims).toEqual([1, 1000]);
    let best = 0;
    for (let i = 1; i < 1000; i++) if (o[i]! > o[best]!) best = i;
    expect(best).toBe(12);
  });

  it("exposes the 1280-d pooled features, dequantised: every value is scale * (q - zero point) for a uint8 q", async () => {
    expect(b.edit).toBe("dequantize+output");
    const f = await b.embed(x, 1);
    expect(f.dim).toBe(1280);
    const scale = scalarInit("464_scale"),
      zp = scalarInit("464_zero_point");
    expect(scale).toBeGreaterThan(0);
    let nonzero = 0;
    for (const v of f.data) {
      const q = v / scale + zp;
      expect(Math.abs(q - Math.round(q))).toBeLessThan(1e-3);
      expect(Math.round(q)).toBeGreaterThanOrEqual(0);
      expect(Math.round(q)).toBeLessThanOrEqual(255);
      if (v !== 0) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(100);
  });

  it("gives the same features for the same image in a batch of two, and different ones for another image", async () => {
    const two = new Float32Array(2 * x.length);
    two.set(x, 0);
    const flipped = new Float32Array(x.length);
    await preprocessImage(FINCH, readFileSync(FINCH), imagenetPreprocess(), true, flipped);
    two.set(flipped, x.length);
    const one = await b.embed(x, 1);
    const both = await b.embed(two, 2);
    expect(Array.from(both.data.subarray(0, 1280))).toEqual(Array.from(one.data));
    let diff = 0;
    for (let i = 0; i < 1280; i++) diff += Math.abs(both.data[1280 + i]! - one.data[i]!);
    expect(diff).toBeGreaterThan(0);
  });

  it("names the graph's last tensors when the feature tensor does not exist", () => {
    expect(() => exposeTensor(readFileSync(MODEL), "pool5")).toThrow(
      /backbone.featureTensor: expected a tensor of the graph \(the last nodes produce: .*output/,
    );
    expect(() => exposeTensor(new Uint8Array([1, 2, 3]), "x")).toThrow(/onnx model/);
    const same = exposeTensor(readFileSync(MODEL), "output", null);
    expect(same.edit).toBe("none");
  });

  it("the session wrapper checks feeds and output names", async () => {
    const m = await loadOnnxModel(MODEL);
    expect(m.sha256).toBe("cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f");
    expect(m.inputNames).toEqual(["input"]);
    await expect(
      m.run({ input: { type: "float32", data: new Float32Array(5), dims: [1, 3, 224, 224] } }, ["output"]),
    ).rejects.toThrow(/150528 values/);
    await expect(
      m.run({ input: { type: "float32", data: x, dims: [1, 3, 224, 224] } }, ["nope"]),
    ).rejects.toThrow(/outputs: expected one of output/);
    await expect(m.run({}, ["output"])).rejects.toThrow(/a tensor for input "input"/);
    await m.close();
    await expect(loadOnnxModel("/nonexistent/model.onnx")).rejects.toThrow(/expected an ONNX model file/);
  });

  it("decodes a real grayscale radiograph through the CheXpert recipe", async () => {
    const png = await sharp({
      create: { width: 40, height: 30, channels: 3, background: { r: 10, g: 200, b: 90 } },
    })
      .png()
      .toBuffer();
    const out = new Float32Array(3 * 224 * 224);
    await preprocessImage(
      "mem.png",
      png,
      { ...imagenetPreprocess(), resize: "stretch", grayscale: true },
      false,
      out,
    );
    const f = await b.embed(out, 1);
    expect(f.dim).toBe(1280);
  });
});
