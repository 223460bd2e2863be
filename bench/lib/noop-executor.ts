import type { DifferentiableExecutor } from "../../src/sim/executor.ts";

/** An executor that does no work (zero outputs and gradients): what a pool call costs beyond the simulation. */
export function noopExecutor(nInputs: number, nWeights: number, nOutputs: number): DifferentiableExecutor {
  const ex: DifferentiableExecutor = {
    name: "noop",
    nInputs,
    nWeights,
    nOutputs,
    forward: (_x, _w, batch) => new Float64Array(batch * nOutputs),
    record: (_x, _w, batch) => ({
      outputs: new Float64Array(batch * nOutputs),
      backward: () => ({
        gradWeights: new Float64Array(nWeights),
        gradInputs: new Float64Array(batch * nInputs),
      }),
    }),
  };
  return ex;
}
