/** The fused-block statevector adjoint: the generic adjoint's results, several times faster. */
export {
  fusedAdjointExecutor,
  fusedAdjointRecipe,
  DEFAULT_CHECKPOINT_BYTES,
  type FusedAdjointOptions,
} from "./executor.ts";
export { compileSchedule, PERM_MAX_QUBITS, type Schedule, type Block, type Item } from "./schedule.ts";
export {
  resolveFusedKernels,
  fusedWasmAvailable,
  fusedWasmUnavailableReason,
  type FusedKernelChoice,
} from "./wasm-module.ts";
