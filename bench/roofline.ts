import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bestRate, type Budget } from "./lib/timing.ts";

/**
 * What bounds a one-qubit gate pass in 128-bit WebAssembly SIMD: the same
 * pass over wires of stride >= 2 with 16 (dense complex 2x2), 12 (dense with
 * 3-multiply complex products), 8 (real 2x2, the rotations' count) and 0
 * (pair swap: loads and stores only) multiplies per amplitude pair, against
 * memory.copy of the same state. Compiled from assembly/roofline-probes.ts with the
 * project's AssemblyScript at bench time into .cache/roofline.wasm.
 */
export interface RooflineRow {
  readonly qubits: number;
  readonly probe: "dense" | "denseGauss" | "real" | "loadStore";
  readonly multipliesPerPair: number;
  readonly gatesPerSec: number;
  readonly bytesPerSec: number;
  readonly copyBytesPerSec: number;
  readonly ofCopy: number;
  /** nanoseconds per two amplitude pairs (one f64x2 iteration) */
  readonly nsPerIteration: number;
}

interface Probes {
  readonly memory: { readonly buffer: ArrayBuffer };
  dense(re: number, im: number, n: number, s: number, ...m: number[]): void;
  denseGauss(re: number, im: number, n: number, s: number, ...m: number[]): void;
  real(re: number, im: number, n: number, s: number, a: number, b: number, c: number, d: number): void;
  loadStore(re: number, im: number, n: number, s: number): void;
  copy(dst: number, src: number, count: number): void;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WA = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

function compile(): Probes {
  const root = fileURLToPath(new URL("..", import.meta.url));
  mkdirSync(`${root}/.cache`, { recursive: true });
  const out = `${root}/.cache/roofline.wasm`;
  execFileSync(
    process.execPath,
    [
      `${root}/node_modules/assemblyscript/bin/asc.js`,
      `${root}/assembly/roofline-probes.ts`,
      "--outFile",
      out,
      "--enable",
      "simd",
      "--enable",
      "bulk-memory",
      "-O3",
      "--noAssert",
      "--runtime",
      "stub",
      "--initialMemory",
      "64",
    ],
    { stdio: "inherit" },
  );
  return new WA.Instance(new WA.Module(readFileSync(out)), {}).exports as unknown as Probes;
}

export function benchRoofline(qubits: readonly number[], b: Budget, log: (s: string) => void): RooflineRow[] {
  const m = compile();
  const rows: RooflineRow[] = [];
  const c = Math.cos(0.3),
    s = Math.sin(0.3);
  for (const n of qubits) {
    const dim = 1 << n,
      re = 65536,
      im = re + 8 * dim,
      dst = im + 8 * dim;
    const f = new Float64Array(m.memory.buffer, re, 2 * dim);
    for (let i = 0; i < 2 * dim; i++) f[i] = Math.sin(i) / dim;
    const moved = 32 * dim;
    const copy = bestRate(() => m.copy(dst, re, 2 * dim), 1, b) * moved;
    const probes: Array<[RooflineRow["probe"], number, (st: number) => void]> = [
      ["dense", 16, (st) => m.dense(re, im, n, st, c, 0.1, -0.2, -s, 0.2, -s, c, -0.1)],
      ["denseGauss", 12, (st) => m.denseGauss(re, im, n, st, c, 0.1, -0.2, -s, 0.2, -s, c, -0.1)],
      ["real", 8, (st) => m.real(re, im, n, st, c, -s, s, c)],
      ["loadStore", 0, (st) => m.loadStore(re, im, n, st)],
    ];
    for (const [probe, muls, fn] of probes) {
      // wires of stride 2 .. 2^(n-1): n - 1 gates per sweep
      const g = bestRate(
        () => {
          for (let st = 2; st < dim; st *= 2) fn(st);
        },
        n - 1,
        b,
      );
      const row: RooflineRow = {
        qubits: n,
        probe,
        multipliesPerPair: muls,
        gatesPerSec: g,
        bytesPerSec: g * moved,
        copyBytesPerSec: copy,
        ofCopy: (g * moved) / copy,
        nsPerIteration: 1e9 / (g * (dim / 4)),
      };
      rows.push(row);
      log(
        `  ${n} qubits ${probe.padEnd(10)} (${String(muls).padStart(2)} mul/pair): ${(g / 1e3).toFixed(0).padStart(6)}k gates/s  ${(row.bytesPerSec / 1e9).toFixed(1).padStart(5)} GB/s = ${(100 * row.ofCopy).toFixed(0).padStart(3)}% of a copy, ${row.nsPerIteration.toFixed(2)} ns per 2 pairs`,
      );
    }
  }
  return rows;
}
