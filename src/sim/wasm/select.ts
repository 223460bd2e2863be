import { ValidationError } from "../../core/errors.ts";
import { tsBackend, type KernelBackend } from "./backend.ts";
import { loadWasmKernels, type WasmKernels } from "./wasm-backend.ts";

/** Which kernels to run: "auto" (WebAssembly when it loads, else TypeScript), "ts" or "wasm" (an error when it cannot load). */
export type KernelChoice = "auto" | "ts" | "wasm";

let wasm: WasmKernels | null | undefined;
let wasmError = "";

/** The WebAssembly kernels, loaded once per thread; null where they cannot run (no SIMD, file missing). */
export function wasmKernels(): WasmKernels | null {
  if (wasm === undefined) {
    try {
      wasm = loadWasmKernels();
    } catch (e) {
      wasm = null;
      wasmError = e instanceof Error ? e.message : String(e);
    }
  }
  return wasm;
}

/** Why wasmKernels() returned null ("" if it did not). */
export function wasmUnavailableReason(): string {
  wasmKernels();
  return wasmError;
}

/**
 * Picks the statevector kernels at run time: "auto" (the default) takes the
 * WebAssembly SIMD kernels when this runtime can instantiate them and the
 * TypeScript ones otherwise. "wasm" throws if they are unavailable. The
 * choice is an explicit option only (no environment variable is read).
 */
export function selectKernelBackend(choice: KernelChoice = "auto"): KernelBackend {
  if (choice !== "auto" && choice !== "ts" && choice !== "wasm")
    throw new ValidationError("kernels", '"auto", "ts" or "wasm"', choice);
  if (choice === "ts") return tsBackend;
  const k = wasmKernels();
  if (k !== null) return k;
  if (choice === "wasm") throw new Error(`WebAssembly kernels unavailable: ${wasmError}`);
  return tsBackend;
}
