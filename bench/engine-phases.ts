/**
 * Where the structured engine's time goes per sample: every phase of one
 * sample's forward and backward pass run on its own, many times over the same
 * frame (CPU time, best of windows), for the paper heads:
 *   npx tsx bench/engine-phases.ts [glue|chexpert|mustard ...]
 * Per-batch work (preparation, head-weight gradients) is listed per batch.
 */
import { cpuUsage, argv } from "node:process";
import { PRESETS, type PresetName } from "../src/circuits/presets.ts";
import { resolveQmtl } from "../src/circuits/qmtl.ts";
import { makePlan } from "../src/sim/qmtl-structured/plan.ts";
import { prepareFactors, buildFactors, factorGradients } from "../src/sim/qmtl-structured/encoder-factors.ts";
import {
  chainBoundaries,
  leftSandwich,
  leftStep,
  rightStep,
  leftStepBack,
  leftSandwichBack,
  rightStepBack,
} from "../src/sim/qmtl-structured/chains.ts";
import { blockForward, blockBackward } from "../src/sim/qmtl-structured/blocks.ts";
import { prepareHeads, readout, readoutBack, headGradients } from "../src/sim/qmtl-structured/heads.ts";
import { Rng } from "../src/core/rng.ts";

const cpu = (): number => {
  const u = cpuUsage();
  return u.user + u.system;
};
function us(fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t = cpu();
    let n = 0;
    do {
      fn();
      n++;
    } while (cpu() - t < 3e4);
    best = Math.min(best, (cpu() - t) / n);
  }
  return best;
}

export function enginePhases(preset: PresetName): Array<[string, number]> {
  const lay = resolveQmtl(PRESETS[preset]);
  const p = makePlan(lay);
  const rng = new Rng(1);
  const z = Float64Array.from({ length: lay.nInputs }, () => rng.range(-3, 3));
  const w = Float64Array.from({ length: lay.nWeights }, () => rng.range(-3, 3));
  const cot = Float64Array.from({ length: lay.nOutputs }, () => rng.range(-1, 1));
  const sh = prepareFactors(lay, w),
    heads = prepareHeads(lay, w);
  const fr = new Float64Array(p.size),
    cf = new Float64Array(p.size),
    tmp = new Float64Array(2 * p.bs),
    out = new Float64Array(lay.nOutputs);
  const gw = new Float64Array(lay.nWeights),
    gi = new Float64Array(lay.nInputs);
  const rc = heads.map((h) => new Float64Array(h.nOut * 2 * h.dim * h.dim));
  const left = (): void => {
    for (let i = 0; i <= p.oLast; i++) {
      leftSandwich(p, fr, i);
      if (i < p.oLast) leftStep(p, fr, i);
    }
  };
  const right = (): void => {
    for (let i = p.Q - 1; i >= p.e0; i--) rightStep(p, fr, i);
  };
  const blocks = (): void => {
    for (const bp of p.blocks) blockForward(p, bp, fr);
  };
  const reads = (): void => {
    for (const bp of p.blocks) readout(heads[bp.task]!, fr, bp.rho, out, lay.tasks[bp.task]!.outputOffset);
  };
  buildFactors(p, sh, z, 0, fr);
  chainBoundaries(p, fr);
  left();
  right();
  blocks();
  reads();
  const rows: Array<[string, number]> = [];
  rows.push(["forward: factors (W, D per site)", us(() => buildFactors(p, sh, z, 0, fr))]);
  rows.push(["forward: left chain", us(left)]);
  rows.push(["forward: right chain", us(right)]);
  rows.push(["forward: task blocks (reduced density matrices)", us(blocks)]);
  rows.push(["forward: readout", us(reads)]);
  rows.push(["backward: clear cotangent frame", us(() => cf.fill(0, 0, p.cotSize))]);
  // backward phases run on a cotangent frame they keep accumulating into: fine for timing
  rows.push([
    "backward: readout",
    us(() => {
      for (const bp of p.blocks)
        readoutBack(
          heads[bp.task]!,
          cot,
          lay.tasks[bp.task]!.outputOffset,
          fr,
          bp.rho,
          cf,
          bp.rho,
          rc[bp.task]!,
        );
    }),
  ]);
  rows.push([
    "backward: task blocks",
    us(() => {
      for (const bp of p.blocks) blockBackward(p, bp, fr, cf, tmp);
    }),
  ]);
  rows.push([
    "backward: left chain",
    us(() => {
      for (let i = p.oLast; i >= 0; i--) {
        if (i < p.oLast) leftStepBack(p, fr, cf, i);
        leftSandwichBack(p, fr, cf, i, tmp);
      }
    }),
  ]);
  rows.push([
    "backward: right chain",
    us(() => {
      for (let i = p.e0; i < p.Q; i++) rightStepBack(p, fr, cf, i, tmp);
    }),
  ]);
  rows.push(["backward: factor gradients", us(() => factorGradients(p, sh, z, 0, fr, cf, gw, gi))]);
  rows.push([
    "per batch: preparation (factors + heads)",
    us(() => {
      prepareFactors(lay, w);
      prepareHeads(lay, w);
    }),
  ]);
  rows.push([
    "per batch: head-weight gradients",
    us(() => heads.forEach((h, t) => headGradients(h, rc[t]!, gw))),
  ]);
  return rows;
}

if (import.meta.url === `file://${argv[1]}`) {
  for (const pr of (argv.slice(2).length > 0 ? argv.slice(2) : ["glue", "mustard"]) as PresetName[]) {
    const rows = enginePhases(pr);
    const perSample = rows.filter(([n]) => !n.startsWith("per batch")).reduce((a, [, v]) => a + v, 0);
    console.log(`${pr}: ${perSample.toFixed(1)} us per sample in phases`);
    for (const [n, v] of rows)
      console.log(
        `  ${n.padEnd(50)} ${v.toFixed(2).padStart(8)} us${n.startsWith("per batch") ? "" : `  ${((100 * v) / perSample).toFixed(0).padStart(3)}%`}`,
      );
  }
}
