import { intFlag } from "../flags.ts";
import type { Command } from "commander";
import { PRESETS, PRESET_NAMES } from "../../circuits/presets.ts";
import { resolveQmtl, qmtlCircuit } from "../../circuits/qmtl.ts";
import { hqnnCircuit } from "../../circuits/hqnn.ts";
import { qmtlEngine } from "../../sim/qmtl-structured/engine.ts";
import { adjointExecutor } from "../../diff/adjoint.ts";
import { Rng } from "../../core/rng.ts";
import type { DifferentiableExecutor } from "../../sim/executor.ts";
import { table } from "../format.ts";
import { groupQubitWise } from "../../circuits/pauli.ts";
import type { Circuit } from "../../circuits/ir.ts";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "one forward and backward pass of every paper circuit, with both simulator paths and their agreement, and the measurement settings (qubit-wise-commuting groups) each needs",
    )
    .option("--seed <n>", "seed for inputs and weights", "0")
    .option("--json", "print the rows as JSON instead of a table")
    .addHelpText("after", "\nExamples:\n  qmtl demo\n  qmtl demo --seed 7 --json")
    .action((opts: { seed: string; json?: boolean }) => {
      const rng = new Rng(intFlag("--seed", opts.seed, 0, 0xffffffff));
      const rows: Array<Array<string | number>> = [];
      const run = (
        label: string,
        circuit: Circuit,
        a: DifferentiableExecutor,
        b: DifferentiableExecutor,
      ): void => {
        const B = 4;
        const x = Float64Array.from({ length: B * a.nInputs }, () => rng.range(-Math.PI, Math.PI));
        const w = Float64Array.from({ length: a.nWeights }, () => rng.range(0, 2 * Math.PI));
        const cot = Float64Array.from({ length: B * a.nOutputs }, () => rng.range(-1, 1));
        const t0 = performance.now();
        const ta = a.record(x, w, B),
          ga = ta.backward(cot);
        const ms = performance.now() - t0;
        const tb = b.record(x, w, B),
          gb = tb.backward(cot);
        const diff = Math.max(
          maxDiff(ta.outputs, tb.outputs),
          maxDiff(ga.gradWeights, gb.gradWeights),
          maxDiff(ga.gradInputs, gb.gradInputs),
        );
        rows.push([
          label,
          a.nInputs,
          a.nWeights,
          a.nOutputs,
          groupQubitWise(circuit.observables).length,
          a.name,
          `${ms.toFixed(1)} ms`,
          diff.toExponential(1),
        ]);
      };
      for (const p of PRESET_NAMES) {
        const lay = resolveQmtl(PRESETS[p]);
        const c = qmtlCircuit(lay);
        run(`QMTL ${p} (Q=${lay.Q})`, c, qmtlEngine(lay), adjointExecutor(c));
      }
      for (const q of [4, 10, 13]) {
        const c = hqnnCircuit({ qubits: q });
        run(`HQNN ${q} qubits`, c, adjointExecutor(c), adjointExecutor(c));
      }
      if (opts.json) {
        const keys = [
          "circuit",
          "inputs",
          "weights",
          "outputs",
          "settings",
          "engine",
          "ms",
          "maxAbsDiff",
        ] as const;
        console.log(
          JSON.stringify(
            rows.map((r) =>
              Object.fromEntries(keys.map((k, j) => [k, j >= 6 ? parseFloat(String(r[j])) : r[j]])),
            ),
            null,
            2,
          ),
        );
        return;
      }
      console.log(
        table(
          [
            "circuit",
            "inputs",
            "weights",
            "outputs",
            "settings",
            "engine",
            "fwd+bwd B=4",
            "max |diff| vs gate-by-gate",
          ],
          rows,
        ),
      );
    });
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
