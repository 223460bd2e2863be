export {
  tsBackend,
  applyStepOn,
  applyStepInverseOn,
  applyRotationOn,
  type KernelBackend,
} from "./backend.ts";
export { WasmState, loadWasmKernels, type WasmKernels } from "./wasm-backend.ts";
export { selectKernelBackend, wasmKernels, wasmUnavailableReason, type KernelChoice } from "./select.ts";
