/** Just the goals of issue 18 (npx tsx bench/goals-only.ts [--quick]); the engine's wall-clock rate comes with the full bench. */
import { benchGoals } from "./goals.ts";
await benchGoals([], process.argv.includes("--quick"), (s) => console.log(s));
