import type { Command } from "commander";
import { datasetCounts, scalingTable } from "../../experiments/param-table.ts";
import { table } from "../format.ts";
import { intOption } from "../options.ts";

export function registerParams(program: Command): void {
  program
    .command("params")
    .description("head parameter counts for the paper's datasets (Fig. 4) and Theorem 1's scaling table")
    .option("--max-tasks <T>", "largest T in the scaling table", "100")
    .option("--S <n>", "qubits per task sub-register (Theorem 1)", "1")
    .option("--L <n>", "encoding blocks (Theorem 1)", "3")
    .option("--Lh <n>", "task block depth (Theorem 1)", "1")
    .option("--r <n>", "outputs per task (Theorem 1)", "2")
    .option(
      "--k-theta <n>",
      "trainable angles per qubit per task layer (3 for Rot; the paper's example uses 1)",
      "1",
    )
    .option("--json", "print JSON instead of tables")
    .addHelpText(
      "after",
      "\nExamples:\n  qmtl params\n  qmtl params --max-tasks 20 --S 2 --r 3\n  qmtl params --json > counts.json",
    )
    .action((opts: Record<string, string | boolean>) => {
      const maxT = intOption(opts, "maxTasks", "--max-tasks", 1, 100000);
      const S = intOption(opts, "S", "--S", 1),
        L = intOption(opts, "L", "--L", 1),
        Lh = intOption(opts, "Lh", "--Lh", 0);
      const r = intOption(opts, "r", "--r", 1),
        k = intOption(opts, "kTheta", "--k-theta", 1);
      const counts = datasetCounts();
      const scaling = scalingTable(maxT, S, L, Lh, r, k);
      if (opts.json) {
        console.log(
          JSON.stringify({ datasets: counts, theorem1: { S, L, Lh, r, kTheta: k, rows: scaling } }, null, 2),
        );
        return;
      }
      for (const c of counts) {
        console.log(`\n${c.dataset}: d = ${c.d}, Q = ${c.Q}, outputs per task = [${c.outputs.join(", ")}]`);
        const q = c.heads[0]!.params;
        console.log(
          table(
            ["head", "params", "extras", "vs QMTL", "breakdown"],
            c.heads.map((h) => [h.head, h.params, h.extras, `${(h.params / q).toFixed(2)}x`, h.detail]),
          ),
        );
        for (const n of c.notes) console.log(`  note: ${n}`);
      }
      console.log(`\nTheorem 1 (Q = S T, d = Q L): S=${S} L=${L} Lh=${Lh} r=${r} k_theta=${k}`);
      const shown = scaling.filter((row) => row.T <= 10 || row.T % 10 === 0);
      console.log(
        table(
          ["T", "d", "P_C classical", "P_Q quantum", "P_Q/P_C", "(L+kLh)/(LrT)"],
          shown.map((s) => [s.T, s.d, s.classical, s.quantum, s.ratio, s.asymptoticRatio]),
        ),
      );
    });
}
