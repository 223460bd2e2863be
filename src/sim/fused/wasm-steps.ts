import { apply2q } from "../kernels.ts";
import { wireStride } from "../state.ts";
import type { MultiStep } from "./schedule.ts";
import { stepMatrix4 } from "./multi-steps.ts";
import type { WasmWorkspace } from "./wasm-workspace.ts";

/**
 * A multi-qubit step that is not part of a permutation run (or its inverse),
 * in place on the workspace's state at byte address `at`. CNOT / CZ / SWAP
 * run in wasm; dense two-qubit unitaries (rare: only `Unitary` ops) run the
 * TypeScript kernel on views of the state, made here so no stale view exists.
 * A float32 state is converted to float64 scratch and back.
 */
export function applyMultiWasm(
  ws: WasmWorkspace,
  at: number,
  n: number,
  s: MultiStep,
  inverse: boolean,
): void {
  const arena = ws.arena,
    ex = arena.ex,
    dim = ws.dim;
  const st = ws.f32 ? ws.a64 : at,
    im = st + 8 * dim;
  if (ws.f32) ex.toF64(st, at, 2 * dim);
  switch (s.kind) {
    case "cnot":
      ex.cnot(st, im, n, wireStride(n, s.control), wireStride(n, s.target));
      break;
    case "cz":
      ex.cz(st, im, n, wireStride(n, s.a), wireStride(n, s.b));
      break;
    case "swap":
      ex.swap(st, im, n, wireStride(n, s.a), wireStride(n, s.b));
      break;
    case "fixed2": {
      const m = stepMatrix4(s, inverse);
      apply2q({ n, re: arena.view(st, dim), im: arena.view(im, dim) }, s.a, s.b, m.re, m.im);
      break;
    }
  }
  if (ws.f32) ex.toF32(at, st, 2 * dim);
}
