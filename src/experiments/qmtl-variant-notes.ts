/**
 * The notes a suite prints about the QMTL encoder variants it ran: the first
 * block's rotation (qmtl.firstRotation) and the head without encoder CNOTs
 * (qmtl-noent, the paper's Section 6.2 ablation). Shared text so that every
 * suite with these fields says the same thing.
 */
import type { FirstRotation } from "../circuits/qmtl.ts";

/**
 * @param firstRotation the config's qmtl.firstRotation
 * @param heads the heads the run trains
 * @param qubits Q of the QMTL register (how many features the paper's encoder loses)
 * @param latentDim d = Q * L, the projected features the encoder loads
 */
export function qmtlVariantNotes(
  firstRotation: FirstRotation,
  heads: readonly string[],
  qubits: number,
  latentDim: number,
): string[] {
  const out: string[] = [];
  if (heads.some((h) => h === "qmtl" || h === "qmtl-noent")) {
    out.push(
      firstRotation === "rx"
        ? `The first encoding block of the QMTL head acts on |+>^Q, where RX(z) is a global phase: the first Q = ${qubits} of the ${latentDim} projected features cannot influence the output (their gradient is exactly 0). This follows from the circuit as the paper specifies it (qmtl.firstRotation: ry is the variant where every feature reaches the state).`
        : `Encoder variant (qmtl.firstRotation: ry): the first block loads its features with RY, so all ${latentDim} projected features reach the state (the paper's RX on |+>^Q is a global phase); same parameter count.`,
    );
  }
  if (heads.includes("qmtl-noent")) {
    out.push(
      "qmtl-noent (the paper's Section 6.2 ablation): the QMTL head without the encoder's CNOTs, so the encoder prepares a product state; the CNOTs are fixed gates, so the parameter count is the same.",
    );
  }
  return out;
}
