/**
 * The paper's studies as named sweeps (`qmtl sweep --study NAME`), as data:
 * each builds a sweep config over a suite's base config.
 *  - depth (Section 6.1, Fig. 8): L in {2, 3, 4} with L_h = 1, and L_h in
 *    {1, 2, 3} with L = 3; d = Q*L, so the projection's output (latentDim)
 *    changes with L (Q = latentDim / L of the base config: 13 for MUStARD);
 *  - entanglement (Section 6.2, Fig. 9): the QMTL head with and without the
 *    encoder's CNOTs (same parameter count);
 *  - encoder (beyond the paper): the first encoding block's rotation, RX (the
 *    paper's; a global phase on |+>^Q, so the first Q features are lost) vs RY
 *    (every feature reaches the state), same parameter count; needs the
 *    config field qmtl.firstRotation;
 *  - noise (Sections 6.3, 7): each fold's trained QMTL head evaluated under
 *    depolarizing p in {0, 0.01, 0.05, 0.1, 0.2} and every device model
 *    (noise as an axis of evaluation, see noise-axis.ts);
 *  - params (Section 4.2, Theorem 1): no training; see param-study.ts.
 * Every study splits the folds (or seeds) into cells, one per core.
 */
import { ValidationError } from "../../core/errors.ts";
import type { AxisInput, SweepConfigInput } from "./sweep-config.ts";

export const STUDY_NAMES = ["depth", "entanglement", "encoder", "params", "noise"] as const;
export type StudyName = (typeof STUDY_NAMES)[number];

export interface StudyOptions {
  readonly suite: string;
  /** the suite's base config, parsed (defaults filled): latentDim and qmtl.encodingLayers are read */
  readonly base: Record<string, unknown>;
  /**
   * the replicates a cell is cut by: the suite's splits when its config
   * selects them by a `folds` field, else seeds
   */
  readonly replicate: { readonly field: "folds" | "seeds"; readonly values: readonly number[] };
  /** shortened: fewer epochs and folds (say how in the report) */
  readonly quick: boolean;
  /**
   * base fields the user set explicitly (`--set epochs=2`): --quick leaves them as set, and its note in
   * the report says so instead of claiming its own value
   */
  readonly pinned?: readonly string[];
}

/** The paper's depolarizing levels (Section 6.3) with p = 0, and every shipped device model (Section 7). */
export const NOISE_LEVELS = [0, 0.01, 0.05, 0.1, 0.2] as const;
export const NOISE_DEVICES = ["ibm_boston", "ibm_fez", "ibm_marrakesh", "ibm_torino"] as const;

/** What --quick changes: 10 epochs instead of the configured ones, the first three folds. */
export const QUICK = { epochs: 10, folds: 3 } as const;

const quickEpochs = (o: StudyOptions): boolean => o.quick && !(o.pinned ?? []).includes("epochs");

function replicateAxis(o: StudyOptions): AxisInput {
  const vs = o.quick ? o.replicate.values.slice(0, QUICK.folds) : [...o.replicate.values];
  const name = o.replicate.field === "folds" ? "fold" : "seed";
  return { name, field: o.replicate.field, values: vs.map((v) => [v]), labels: vs.map(String) };
}

function qubitsOf(base: Record<string, unknown>): number {
  const latent = base["latentDim"];
  const q = base["qmtl"] as Record<string, unknown> | undefined;
  const L = q?.["encodingLayers"];
  if (typeof latent !== "number" || typeof L !== "number" || latent % L !== 0) {
    throw new ValidationError(
      "base.latentDim",
      "a multiple of qmtl.encodingLayers (d = Q*L) to derive Q for the depth study",
      latent,
    );
  }
  return latent / L;
}

function baseFor(o: StudyOptions, heads: string[]): Record<string, unknown> {
  const b: Record<string, unknown> = { ...o.base, heads };
  delete b["name"];
  if (quickEpochs(o)) b["epochs"] = QUICK.epochs;
  return b;
}

const note = (o: StudyOptions): string[] => {
  if (!o.quick) return [];
  const epochs = quickEpochs(o)
    ? `${QUICK.epochs} epochs instead of ${String(o.base["epochs"])}, and `
    : `${String(o.base["epochs"])} epochs (as set), and `;
  return [`Shortened (--quick): ${epochs}the first ${QUICK.folds} folds (or seeds) only.`];
};

/** The sweep config of a named training study. */
export function studySweep(name: StudyName, o: StudyOptions): SweepConfigInput {
  const rep = replicateAxis(o);
  const sweepName = `study-${name}-${o.suite}${o.quick ? "-quick" : ""}`;
  switch (name) {
    case "depth": {
      // a suite whose config has no latentDim (GLUE) derives d = Q*L from the tasks present itself
      const Q = "latentDim" in o.base ? qubitsOf(o.base) : null;
      const L = (vs: number[]): AxisInput => ({
        name: "L",
        field: "qmtl.encodingLayers",
        values: vs,
        ...(Q !== null ? { linked: { latentDim: vs.map((v) => Q * v) } } : {}),
      });
      const Lh = (vs: number[]): AxisInput => ({ name: "Lh", field: "qmtl.headLayers", values: vs });
      return {
        suite: o.suite,
        name: sweepName,
        base: baseFor(o, ["qmtl"]),
        grids: [
          [L([2, 3, 4]), Lh([1]), rep],
          [L([3]), Lh([1, 2, 3]), rep],
        ],
        study: {
          name,
          title: "Depth ablation (paper Section 6.1, Fig. 8)",
          plots: [
            { title: "Encoding depth L (L_h = 1)", x: "L", fixed: { Lh: "1" } },
            { title: "Task-block depth L_h (L = 3)", x: "Lh", fixed: { L: "3" } },
          ],
          claims: [
            {
              id: "depth-L3-best",
              text: "L = 3 is the best encoding depth (with L_h = 1): L = 2 is worse, L = 4 adds little or nothing.",
            },
            {
              id: "depth-Lh-little",
              text: "Deeper task blocks (L_h = 2, 3 with L = 3) change performance little.",
            },
          ],
          notes: [
            Q !== null
              ? `d = Q*L with Q = ${Q}: the projection's output (latentDim) is ${[2, 3, 4].map((v) => Q * v).join(", ")} for L = 2, 3, 4.`
              : `d = Q*L: the suite derives Q from the tasks present, so the projection's output follows L.`,
            ...note(o),
          ],
        },
      };
    }
    case "entanglement":
      return {
        suite: o.suite,
        name: sweepName,
        base: baseFor(o, ["qmtl"]),
        axes: [
          {
            name: "encoder",
            field: "heads",
            values: [["qmtl"], ["qmtl-noent"]],
            labels: ["entangled", "product"],
          },
          rep,
        ],
        study: {
          name,
          title: "Entanglement ablation (paper Section 6.2, Fig. 9)",
          plots: [{ title: "Encoder CNOTs on (entangled) vs off (product state)", x: "encoder", fixed: {} }],
          claims: [
            {
              id: "entanglement-helps",
              text: "The entangled encoder has the higher mean on every task (accuracy and F1, or each task's primary metric where the suite selects by them).",
            },
          ],
          notes: [
            "Both variants have the same number of trainable parameters: the CNOTs are fixed gates.",
            ...note(o),
          ],
        },
      };
    case "encoder":
      return {
        suite: o.suite,
        name: sweepName,
        base: baseFor(o, ["qmtl"]),
        axes: [{ name: "first", field: "qmtl.firstRotation", values: ["rx", "ry"] }, rep],
        study: {
          name,
          title: "Encoder variant (beyond the paper): the first encoding block's rotation",
          plots: [{ title: "First encoding block: RX (paper) vs RY", x: "first", fixed: {} }],
          claims: [
            {
              id: "encoder-variant",
              text: "Loading the first block with RY (every feature reaches the state) changes the results beyond the std over folds.",
            },
          ],
          notes: [
            "On |+>^Q, RX(z) is a global phase: with the paper's encoder the first Q features have no effect. RY on |+> rotates off the X axis, so every feature reaches the state; the parameter count is the same.",
            ...note(o),
          ],
        },
      };
    case "params":
      throw new ValidationError(
        "--study params",
        "the parameter study, which trains nothing (runParamStudy)",
      );
    case "noise":
      return {
        suite: o.suite,
        name: sweepName,
        base: baseFor(o, ["qmtl"]),
        axes: [rep],
        noise: { levels: [...NOISE_LEVELS], devices: [...NOISE_DEVICES] },
        study: {
          name,
          title: "Noise sensitivity (paper Sections 6.3 and 7, Figs. 10 and 11)",
          plots: [],
          claims: [
            {
              id: "noise-graceful",
              text: "Performance stays close to the ideal simulation at p = 0.01 and degrades progressively as p increases.",
            },
            {
              id: "noise-device-order",
              text: "ibm_boston performs closer to the ideal simulation than ibm_fez.",
            },
          ],
          notes: [
            "Noise is an axis of evaluation: each fold's trained QMTL head (its best checkpoint) is evaluated again, exactly (no shot noise), with depolarizing noise p1 = p2 = p after every gate (Qiskit Aer's convention) and under the calibrated device models of data/ibm; nothing is retrained.",
            "p = 0 runs the noiseless circuit through the noisy simulator: it must equal the training run's own test metrics.",
            "The paper evaluates one checkpoint (CheXpert, first fold); here every fold's checkpoint, so the spread is over folds.",
            ...note(o),
          ],
        },
      };
  }
}
