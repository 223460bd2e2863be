import type { EncoderOrder, FirstRotation } from "../circuits/qmtl.ts";
import type { TaskDef } from "./task-info.ts";

/** The head on top of the projection: "qmtl", "classical" (one linear layer per task) or "hqnn". */
export type HeadKind = "qmtl" | "classical" | "hqnn";
/** A per-task readout after the head: none, a learnable logit temperature, or an affine y = beta + gamma z (regression). */
export type OutputTransform = "none" | "temperature" | "affine";

/** The trainable projection from the backbone feature to the head input (the paper's shallow dense network). */
export interface ProjectionSpec {
  /** hidden layer widths; [] = a single Linear(D, d) */
  readonly hidden: readonly number[];
  readonly activation: "relu" | "tanh";
  readonly dropout: number;
  readonly batchNorm: boolean;
}

/** The QMTL head's settings (paper Section 4.1). */
export interface QmtlHeadSpec {
  readonly encodingLayers: number;
  readonly headLayers: number;
  readonly entangle?: boolean;
  readonly encoderOrder?: EncoderOrder;
  /** data rotation of the first encoding block (default "rx", the paper; "ry": every feature reaches the state) */
  readonly firstRotation?: FirstRotation;
  /** optional sub-register sizes per task (default from the readout rule) */
  readonly qubits?: readonly number[];
}

/** The HQNN baseline's settings. */
export interface HqnnHeadSpec {
  readonly qubits: number;
  readonly repetitions?: number;
  /** simulator state precision (default float64; float32 needs the WebAssembly passes) */
  readonly precision?: "float64" | "float32";
}

/** What every model has, whatever its head. */
interface ModelBase {
  /** backbone feature size D */
  readonly inputDim: number;
  /** head input size d (Q*L for QMTL) */
  readonly latentDim: number;
  readonly tasks: readonly TaskDef[];
  readonly projection: ProjectionSpec;
  /** per task, by name: a learnable temperature on the logits or an affine y = beta + gamma z */
  readonly outputTransforms?: Readonly<Record<string, OutputTransform>>;
}

/**
 * A model: projection, head, output transforms. One case per head kind, each
 * with exactly the settings it needs, so a head without its settings (or a
 * switch that misses a head) does not compile.
 */
export type ModelSpec =
  | (ModelBase & { readonly head: "qmtl"; readonly qmtl: QmtlHeadSpec })
  | (ModelBase & { readonly head: "classical" })
  | (ModelBase & { readonly head: "hqnn"; readonly hqnn: HqnnHeadSpec });

/** The ModelSpec of one head kind. */
export type ModelSpecOf<H extends HeadKind> = Extract<ModelSpec, { readonly head: H }>;
