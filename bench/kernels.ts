import { tsBackend, type KernelBackend } from "../src/sim/wasm/backend.ts";
import { wasmKernels } from "../src/sim/wasm/select.ts";
import type { WasmState } from "../src/sim/wasm/wasm-backend.ts";
import { bestRate, type Budget } from "./lib/timing.ts";

/**
 * Single-gate kernel throughput: a dense 2x2 unitary applied to each wire in
 * turn of an n-qubit float64 state, TypeScript vs WebAssembly SIMD. A gate
 * reads and writes the whole state (32 * 2^n bytes moved), so its achieved
 * bandwidth is compared with a plain copy of the same buffer (also 32 * 2^n
 * bytes moved): Float64Array.set for TS, memory.copy inside wasm.
 */
export interface KernelRow {
  readonly qubits: number;
  readonly kernels: "ts" | "wasm-simd";
  readonly gatesPerSec: number;
  readonly bytesPerSec: number;
  readonly copyBytesPerSec: number;
  /** bytesPerSec / copyBytesPerSec */
  readonly ofCopy: number;
}

function gateRate(k: KernelBackend, n: number, b: Budget): number {
  const s = k.createState(n);
  const th = 0.3, c = Math.cos(th), sn = Math.sin(th);
  const rate = bestRate(() => { for (let q = 0; q < n; q++) k.apply1q(s, q, c, 0, 0, -sn, 0, -sn, c, 0); }, n, b);
  k.freeState(s);
  return rate;
}

function copyRateTs(n: number, b: Budget): number {
  const a = tsBackend.createState(n), d = tsBackend.createState(n);
  return bestRate(() => { d.re.set(a.re); d.im.set(a.im); }, 1, b);
}

export function benchKernels(qubits: readonly number[], b: Budget, log: (s: string) => void): KernelRow[] {
  const rows: KernelRow[] = [];
  const w = wasmKernels();
  for (const n of qubits) {
    const moved = 32 * (1 << n);
    const tsCopy = copyRateTs(n, b) * moved;
    const tsGates = gateRate(tsBackend, n, b);
    rows.push({ qubits: n, kernels: "ts", gatesPerSec: tsGates, bytesPerSec: tsGates * moved, copyBytesPerSec: tsCopy, ofCopy: (tsGates * moved) / tsCopy });
    if (w !== null) {
      const a = w.createState(n) as WasmState, d = w.createState(n) as WasmState;
      const wCopy = bestRate(() => w.exports.copyF64(d.reAt, a.reAt, 2 << n), 1, b) * moved;
      w.freeState(a);
      w.freeState(d);
      const wGates = gateRate(w, n, b);
      rows.push({ qubits: n, kernels: "wasm-simd", gatesPerSec: wGates, bytesPerSec: wGates * moved, copyBytesPerSec: wCopy, ofCopy: (wGates * moved) / wCopy });
    }
    for (const r of rows.filter((x) => x.qubits === n)) {
      log(`  ${n} qubits ${r.kernels.padEnd(9)}: ${(r.gatesPerSec / 1e3).toFixed(0).padStart(6)}k gates/s  ${(r.bytesPerSec / 1e9).toFixed(2)} GB/s = ${(100 * r.ofCopy).toFixed(0)}% of a copy (${(r.copyBytesPerSec / 1e9).toFixed(2)} GB/s)`);
    }
  }
  return rows;
}
