import { ValidationError, requireInt } from "../core/errors.ts";
import type { Op } from "./ir.ts";
import { wgt } from "./ir.ts";

/**
 * PennyLane's StronglyEntanglingLayers with its default ranges: layer l applies
 * Rot(w[l,k,0], w[l,k,1], w[l,k,2]) on wire k, then, on 2+ wires, CNOT(k, (k+r) mod n)
 * for every k with r = (l mod (n-1)) + 1. Weights are laid out [layer][wire][3]
 * from `weightOffset`.
 */
export function stronglyEntanglingOps(wires: readonly number[], layers: number, weightOffset: number): Op[] {
  requireInt("stronglyEntangling.layers", layers, 0);
  requireInt("stronglyEntangling.weightOffset", weightOffset, 0);
  if (wires.length === 0) throw new ValidationError("stronglyEntangling.wires", "at least one wire", "none");
  wires.forEach((w, i) => requireInt(`stronglyEntangling.wires[${i}]`, w, 0));
  if (new Set(wires).size !== wires.length)
    throw new ValidationError("stronglyEntangling.wires", "distinct wires", wires.join(","));
  const n = wires.length;
  const ops: Op[] = [];
  for (let l = 0; l < layers; l++) {
    for (let k = 0; k < n; k++) {
      const base = weightOffset + (l * n + k) * 3;
      ops.push({ gate: "Rot", wires: [wires[k]!], params: [wgt(base), wgt(base + 1), wgt(base + 2)] });
    }
    if (n > 1) {
      const r = (l % (n - 1)) + 1;
      for (let k = 0; k < n; k++)
        ops.push({ gate: "CNOT", wires: [wires[k]!, wires[(k + r) % n]!], params: [] });
    }
  }
  return ops;
}

/** Weights of `layers` strongly entangling layers on `nWires` wires (3 Rot angles per wire per layer). */
export function stronglyEntanglingWeightCount(nWires: number, layers: number): number {
  return 3 * nWires * layers;
}
