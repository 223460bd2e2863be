import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { warnToStderr, type Warn } from "./warn.ts";

/**
 * Picks the TensorFlow.js backend for the frozen backbones: the WebAssembly
 * backend (its .wasm binaries read from node_modules, never fetched), or the
 * plain-JS cpu backend when wasm cannot start. wasm is ~16x faster here
 * (about 41 vs 2.5 USE-lite texts/s on 2 cores) with embeddings equal to 5e-7.
 */

export type TfBackendName = "wasm" | "cpu";

let wasmPathsSet = false;

/** Directory holding tfjs-backend-wasm's .wasm binaries. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
}

/**
 * Makes `preferred` the active backend (idempotent). If wasm fails to start,
 * warns and falls back to cpu. Returns the backend actually in use.
 */
export async function useTfBackend(
  preferred: TfBackendName = "wasm",
  warn: Warn = warnToStderr,
  wasmDir: string = wasmBinaryDir(),
): Promise<TfBackendName> {
  if (tf.getBackend() === preferred) return preferred;
  if (preferred === "wasm") {
    try {
      if (!wasmPathsSet) {
        setWasmPaths(`${wasmDir}/`);
        wasmPathsSet = true;
      }
      if (await tf.setBackend("wasm")) {
        await tf.ready();
        return "wasm";
      }
      warn("the TensorFlow.js wasm backend did not start; using the cpu backend (about 16x slower)");
    } catch (e) {
      warn(
        `the TensorFlow.js wasm backend failed (${e instanceof Error ? e.message : String(e)}); using the cpu backend (about 16x slower)`,
      );
    }
  }
  if (!(await tf.setBackend("cpu")))
    throw new Error("TensorFlow.js: neither the wasm nor the cpu backend could start");
  await tf.ready();
  return "cpu";
}
