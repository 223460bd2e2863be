/**
 * Files under src/ that a generator writes must equal what it writes now: the
 * unrolled 4x4 complex kernels (bench/gen-flat-cmat4.ts) and the WebAssembly
 * modules built from assembly/ (bench/build-wasm.sh's asc commands). A change
 * to a generator or to assembly/ without regenerating fails here.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const bin = (name: string): string => join(ROOT, "node_modules", ".bin", name);

describe("generated files are up to date", () => {
  it("src/sim/qmtl-structured/flat-cmat4.ts equals bench/gen-flat-cmat4.ts's output", () => {
    const tmp = mkdtempSync(join(tmpdir(), "qmtl-gen-"));
    try {
      execFileSync(bin("tsx"), [join(ROOT, "bench", "gen-flat-cmat4.ts"), join(tmp, "out.ts")], {
        cwd: ROOT,
        stdio: "pipe",
      });
      expect(readFileSync(join(tmp, "out.ts"), "utf8")).toBe(
        readFileSync(join(ROOT, "src/sim/qmtl-structured/flat-cmat4.ts"), "utf8"),
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  const modules: Array<[string, string, string]> = [
    ["assembly/statevector.ts", "src/sim/wasm/statevector.wasm", "2"],
    ["assembly/fused.ts", "src/sim/fused/fused.wasm", "1"],
    ["assembly/structured.ts", "src/sim/qmtl-structured/kernels.wasm", "1"],
    ["assembly/gemm.ts", "src/nn/gemm.wasm", "1"],
  ];
  for (const [source, committed, memory] of modules) {
    it(`${committed} equals a fresh build of ${source}`, () => {
      const tmp = mkdtempSync(join(tmpdir(), "qmtl-wasm-"));
      try {
        execFileSync(
          bin("asc"),
          [
            source,
            "--outFile",
            join(tmp, "out.wasm"),
            "--enable",
            "simd",
            "--enable",
            "bulk-memory",
            "-O3",
            "--noAssert",
            "--runtime",
            "stub",
            "--initialMemory",
            memory,
          ],
          { cwd: ROOT, stdio: "pipe" },
        );
        expect(
          Buffer.compare(readFileSync(join(tmp, "out.wasm")), readFileSync(join(ROOT, committed))),
          `${committed} is stale: run sh bench/build-wasm.sh`,
        ).toBe(0);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});
