import { tsBackend, type KernelBackend } from "../src/sim/wasm/backend.ts";
import { wasmKernels } from "../src/sim/wasm/select.ts";
import type { WasmState } from "../src/sim/wasm/wasm-backend.ts";
import type { StateVector } from "../src/sim/state.ts";
import { bestRate, type Budget } from "./lib/timing.ts";

/**
 * Single-gate kernel throughput, TypeScript vs WebAssembly SIMD, for the
 * kernels the paper's circuits are made of: a dense 2x2 (fused blocks, fixed
 * gates), RX, RY, RZ (every rotation) and CNOT, each applied on every wire in
 * turn of an n-qubit float64 state (CNOT on the ring (w, w+1 mod n)).
 *
 * Bytes moved per gate: a one-qubit gate reads and writes every amplitude
 * (re + im: 32 * 2^n bytes); CNOT reads and writes the half whose control bit
 * is 1 (16 * 2^n bytes). The achieved bandwidth is compared with a plain copy
 * of the same state (32 * 2^n bytes moved; cache resident at these sizes):
 * Float64Array.set for TS, memory.copy inside wasm.
 */
export const GATES = ["dense2x2", "RX", "RY", "RZ", "CNOT"] as const;
export type GateKernel = (typeof GATES)[number];

export interface KernelRow {
  readonly qubits: number;
  readonly gate: GateKernel;
  readonly kernels: "ts" | "wasm-simd";
  readonly gatesPerSec: number;
  readonly bytesPerSec: number;
  readonly copyBytesPerSec: number;
  /** bytesPerSec / copyBytesPerSec */
  readonly ofCopy: number;
}

const TH = 0.3,
  C = Math.cos(TH),
  S = Math.sin(TH);

function sweep(k: KernelBackend, gate: GateKernel, s: StateVector, n: number): void {
  switch (gate) {
    case "dense2x2":
      for (let q = 0; q < n; q++) k.apply1q(s, q, C, 0.1, -0.2, -S, 0.2, -S, C, -0.1);
      break;
    case "RX":
      for (let q = 0; q < n; q++) k.applyRX(s, q, C, S);
      break;
    case "RY":
      for (let q = 0; q < n; q++) k.applyRY(s, q, C, S);
      break;
    case "RZ":
      for (let q = 0; q < n; q++) k.applyRZ(s, q, C, S);
      break;
    case "CNOT":
      for (let q = 0; q < n; q++) k.applyCNOT(s, q, (q + 1) % n);
      break;
  }
}

function gateRate(k: KernelBackend, gate: GateKernel, n: number, b: Budget): number {
  const s = k.createState(n);
  const rate = bestRate(() => sweep(k, gate, s, n), n, b);
  k.freeState(s);
  return rate;
}

function copyRateTs(n: number, b: Budget): number {
  const a = tsBackend.createState(n),
    d = tsBackend.createState(n);
  return bestRate(
    () => {
      d.re.set(a.re);
      d.im.set(a.im);
    },
    1,
    b,
  );
}

function copyRateWasm(n: number, b: Budget): number {
  const w = wasmKernels()!;
  const a = w.createState(n) as WasmState,
    d = w.createState(n) as WasmState;
  const r = bestRate(() => w.exports.copyF64(d.reAt, a.reAt, 2 << n), 1, b);
  w.freeState(a);
  w.freeState(d);
  return r;
}

export function benchKernels(qubits: readonly number[], b: Budget, log: (s: string) => void): KernelRow[] {
  const rows: KernelRow[] = [];
  const w = wasmKernels();
  for (const n of qubits) {
    const copyBytes = 32 * (1 << n);
    const tsCopy = copyRateTs(n, b) * copyBytes;
    const wCopy = w === null ? 0 : copyRateWasm(n, b) * copyBytes;
    for (const gate of GATES) {
      const moved = (gate === "CNOT" ? 16 : 32) * (1 << n);
      const backends: Array<[KernelBackend, "ts" | "wasm-simd", number]> = [[tsBackend, "ts", tsCopy]];
      if (w !== null) backends.push([w, "wasm-simd", wCopy]);
      for (const [k, name, copy] of backends) {
        const g = gateRate(k, gate, n, b);
        const row: KernelRow = {
          qubits: n,
          gate,
          kernels: name,
          gatesPerSec: g,
          bytesPerSec: g * moved,
          copyBytesPerSec: copy,
          ofCopy: (g * moved) / copy,
        };
        rows.push(row);
        log(
          `  ${n} qubits ${gate.padEnd(8)} ${name.padEnd(9)}: ${(g / 1e3).toFixed(0).padStart(6)}k gates/s  ${(row.bytesPerSec / 1e9).toFixed(1).padStart(5)} GB/s = ${(100 * row.ofCopy).toFixed(0).padStart(3)}% of a copy (${(copy / 1e9).toFixed(0)} GB/s)`,
        );
      }
    }
  }
  return rows;
}
