import { Command, CommanderError } from "commander";
import { registerParams } from "./commands/params.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerRun } from "./commands/run.ts";
import { registerSweep } from "./commands/sweep.ts";
import { registerReport } from "./commands/report.ts";
import { QmtlError } from "../core/errors.ts";

const program = new Command();
program
  .name("qmtl")
  .description("Parameter-efficient quantum multi-task learning: an exact differentiable simulator, the QMTL head, its baselines and the paper's experiments")
  .version("0.1.0")
  .showHelpAfterError()
  .exitOverride();

registerParams(program);
registerDemo(program);
registerRun(program);
registerSweep(program);
registerReport(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof QmtlError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
