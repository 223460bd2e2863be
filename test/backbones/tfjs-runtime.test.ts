import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useTfBackend } from "../../src/backbones/tfjs-runtime.ts";

// Runs in its own process (vitest pool "forks"), so breaking wasm here does not affect other files.
describe("TF.js backend selection", () => {
  it("falls back to cpu with a warning when the wasm binaries cannot be found", async () => {
    const warnings: string[] = [];
    const got = await useTfBackend("wasm", (w) => warnings.push(w), "/nonexistent/wasm-dir");
    expect(got).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/wasm backend .*using the cpu backend/);
  });
});
