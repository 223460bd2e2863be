import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { parseMustardConfig } from "../../src/datasets/mustard/index.ts";
import { readConfigFile } from "../../src/experiments/config.ts";

describe("experiment config files", () => {
  it("the shipped paper config parses and equals the defaults but for its name and its spelled-out folds and backbone", () => {
    const path = fileURLToPath(new URL("../../configs/mustard-paper.yaml", import.meta.url));
    const cfg = parseMustardConfig(readConfigFile(path), path);
    expect({ ...cfg, name: "mustard" }).toEqual({
      ...parseMustardConfig({}),
      folds: [0, 1, 2, 3, 4],
      backbone: "use",
    });
  });
  it("rejects unknown keys, wrong types and out-of-range values, naming each field", () => {
    let message = "";
    try {
      parseMustardConfig({ epochz: 3, lr: -1, folds: [7], projection: { hidden: ["a"] } }, "my.yaml");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("epochz");
    expect(message).toContain("my.yaml.lr");
    expect(message).toContain("my.yaml.folds.0");
    expect(message).toContain("my.yaml.projection.hidden.0");
  });
  it("checks the simulator settings: threads and hqnnPrecision", () => {
    expect(parseMustardConfig({ threads: 2, hqnnPrecision: "float32" })).toMatchObject({
      threads: 2,
      hqnnPrecision: "float32",
    });
    expect(() => parseMustardConfig({ threads: 0 }, "c")).toThrow(/c\.threads/);
    expect(() => parseMustardConfig({ threads: 1.5 }, "c")).toThrow(/c\.threads/);
    expect(() => parseMustardConfig({ hqnnPrecision: "float16" }, "c")).toThrow(/c\.hqnnPrecision/);
  });
});
