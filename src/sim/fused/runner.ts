import type { Gradients } from "../executor.ts";

/**
 * The per-batch loops of the fused executor on one set of kernels
 * (ts-runner.ts: plain TypeScript arrays; wasm-runner.ts: WebAssembly SIMD
 * on the executor's own linear memory). The executor (executor.ts) owns the
 * tape logic and calls these.
 */
export interface FusedRunner {
  readonly kernels: "ts" | "wasm";
  /** bytes of tape a batch needs (batch * (L + 1) states) */
  tapeBytes(batch: number): number;
  /** gives the tape memory to a new tape; returns its token, or null when that much cannot be had (then backward re-runs forward) */
  claimTape(batch: number): object | null;
  ownsTape(token: object): boolean;
  /** outputs of a batch; with `tape`, each sample's layer states, final state and 2x2s go to the tape memory */
  forward(x: Float64Array, w: Float64Array, batch: number, tape: boolean): Float64Array;
  /** gradients of a batch: from the tape memory, or by re-running each sample's forward pass */
  backward(x: Float64Array, w: Float64Array, batch: number, cot: Float64Array, tape: boolean): Gradients;
}

/** A pool of per-call workspaces: one is lent to one call at a time (a nested call gets another). */
export function workspacePool<W>(make: () => W): { take(): W; give(ws: W): void } {
  const free: W[] = [];
  return {
    take: () => free.pop() ?? make(),
    give: (ws) => {
      free.push(ws);
    },
  };
}
