import { Command, CommanderError } from "commander";
import { registerParams } from "./commands/params.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerRun } from "./commands/run.ts";
import { registerSweep } from "./commands/sweep.ts";
import { registerReport } from "./commands/report.ts";
import { registerNoise } from "./commands/noise.ts";
import { registerHardware } from "./commands/hardware.ts";
import { QmtlError, ValidationError } from "../core/errors.ts";
import { QMTL_VERSION } from "../core/version.ts";

const program = new Command();
program
  .name("qmtl")
  .description("Parameter-efficient quantum multi-task learning: an exact differentiable simulator, the QMTL head, its baselines and the paper's experiments")
  .version(QMTL_VERSION)
  .showHelpAfterError()
  .exitOverride();

registerParams(program);
registerDemo(program);
registerRun(program);
registerSweep(program);
registerReport(program);
registerNoise(program);
registerHardware(program);

/** Exit codes: 0 ok, 1 failure, 2 usage (a bad flag, config field or input). */
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    const ok = e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help";
    process.exit(ok ? 0 : 2);
  }
  if (e instanceof ValidationError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  if (e instanceof QmtlError) {
    console.error(`error: ${e.message}`);
    process.exit(1);
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === "string" && typeof err.path === "string") {
    // a file-system fault the code did not anticipate: one line naming the file
    console.error(`error: ${err.path}: ${err.code} (${err.syscall ?? "file access"} failed)`);
    process.exit(1);
  }
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env["QMTL_DEBUG"] && e instanceof Error) console.error(e.stack);
  process.exit(1);
}
