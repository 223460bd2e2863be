import { PRESETS, type PresetName } from "../circuits/presets.ts";
import { resolveQmtl } from "../circuits/qmtl.ts";
import {
  classicalCount,
  hqnnCount,
  qmtlCount,
  theorem1,
  type HeadCount,
  type ScalingRow,
} from "../circuits/param-count.ts";

/** Head parameter counts for the paper's three datasets (its Fig. 4), every variant. */
export interface DatasetCounts {
  readonly dataset: PresetName;
  readonly d: number;
  readonly Q: number;
  readonly outputs: number[];
  readonly heads: HeadCount[];
  readonly notes: string[];
}

/** Extra scalars per dataset, as the paper's Appendix B describes them. */
const EXTRAS: Record<PresetName, { n: number; note: string }> = {
  glue: { n: 2, note: "QMTL adds an STS-B affine y = beta + gamma z (2 scalars)" },
  chexpert: { n: 5, note: "QMTL adds a learnable logit temperature per task (5 scalars)" },
  mustard: { n: 0, note: "no extra scalars: logits straight from expectation values" },
};

export function datasetCounts(): DatasetCounts[] {
  return (Object.keys(PRESETS) as PresetName[]).map((name) => {
    const layout = resolveQmtl(PRESETS[name]);
    const d = layout.nInputs;
    const outputs = layout.tasks.map((t) => t.nOutputs);
    const extra = EXTRAS[name];
    return {
      dataset: name,
      d,
      Q: layout.Q,
      outputs,
      heads: [
        qmtlCount(layout, extra.n),
        classicalCount(d, outputs),
        hqnnCount(d, 4, outputs),
        hqnnCount(d, layout.Q, outputs),
      ],
      notes: [extra.note, "HQNN extras: one trainable output scale"],
    };
  });
}

/** Theorem 1 for T = 1..maxT under Q = S T, d = S T L. */
export function scalingTable(
  maxT: number,
  S: number,
  L: number,
  Lh: number,
  r: number,
  kTheta: number,
): ScalingRow[] {
  return Array.from({ length: maxT }, (_, i) => theorem1(i + 1, S, L, Lh, r, kTheta));
}
