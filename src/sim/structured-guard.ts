import type { QmtlLayout } from "../circuits/qmtl.ts";
import { requireAllocation } from "../core/limits.ts";

/**
 * The structured QMTL engine's memory, estimated from the layout before the
 * engine plans anything (qmtlEngine calls this first). Per sample it keeps a
 * frame with, per site, bond blocks of 2 m^2 doubles (m = 2^(L-1)), per task
 * S_t-qubit environment chains of up to 4^j bond blocks (j < S_t), the
 * task's reduced density matrix (2 * 4^S doubles), and per task head
 * matrices of 2 * 4^S doubles per output. The estimate is a lower bound of
 * what makePlan lays out (in float arithmetic, so huge layouts cannot wrap
 * like 1 << 40 does), times two: a frame and its cotangent.
 */
export function structuredEngineDoubles(layout: QmtlLayout): number {
  const m = 2 ** (layout.L - 1);
  const bs = 2 * m * m;
  let doubles = 8 * layout.Q * bs;
  for (const t of layout.tasks) {
    const dim2 = 4 ** t.size;
    doubles += bs * 2 * ((dim2 - 1) / 3) + 2 * dim2 * (2 * t.nOutputs + 4);
  }
  return 2 * doubles;
}

/** Throws a ValidationError naming the sub-register or encodingLayers when one sample's frames exceed the memory limit. */
export function checkStructuredLayout(layout: QmtlLayout): void {
  const doubles = structuredEngineDoubles(layout);
  const widest = layout.tasks.reduce((a, t) => Math.max(a, t.size), 0);
  const field = 4 ** widest >= 4 ** (layout.L - 1) ? "tasks[].qubits" : "encodingLayers";
  requireAllocation(
    field,
    doubles,
    8,
    `one sample of the structured QMTL engine (encodingLayers ${layout.L}, widest task sub-register ${widest} qubits; memory grows as 4^qubits * 4^encodingLayers)`,
  );
}
