import { Command, CommanderError } from "commander";
import { registerParams } from "./commands/params.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerRun } from "./commands/run.ts";
import { registerSweep } from "./commands/sweep.ts";
import { registerSweepEval } from "./commands/sweep-noise.ts";
import { registerReport } from "./commands/report.ts";
import { registerNoise } from "./commands/noise.ts";
import { registerHardware } from "./commands/hardware.ts";
import { QmtlError, ValidationError } from "../core/errors.ts";
import { QMTL_VERSION } from "../core/version.ts";
import { setVerbosity, verbosity } from "./verbosity.ts";

const program = new Command();
program
  .name("qmtl")
  .description(
    "Parameter-efficient quantum multi-task learning: an exact differentiable simulator, the QMTL head, its baselines and the paper's experiments",
  )
  .version(QMTL_VERSION)
  .option("-q, --quiet", "no progress or log lines on stderr (results and errors still print)")
  .option("--verbose", "every progress update, and a stack trace with an error")
  .showHelpAfterError()
  .exitOverride()
  .addHelpText(
    "after",
    `
Examples:
  qmtl params --json                      head parameter counts as JSON
  qmtl demo                               one forward/backward pass of every paper circuit
  qmtl run custom --data table.csv --tasks tasks.yaml --heads qmtl,classical
  qmtl run mustard --epochs 5 --folds 0 --quiet
  qmtl <command> --help                   a command's options and examples

Exit codes: 0 ok, 1 failure, 2 usage error (a bad flag, config field or input; nothing was written).
Environment: QMTL_DEBUG=1 prints stack traces (as --verbose). qmtl prints no colour (NO_COLOR is honoured trivially).
Docs: the docs/ folder of the package (getting-started.md, your-own-data.md, config-reference.md).`,
  )
  .hook("preAction", () => {
    const o = program.opts<{ quiet?: boolean; verbose?: boolean }>();
    if (o.quiet && o.verbose) throw new ValidationError("--quiet", "either --quiet or --verbose, not both");
    setVerbosity(o.quiet ? "quiet" : o.verbose ? "verbose" : "normal");
  });

registerParams(program);
registerDemo(program);
registerRun(program);
registerSweep(program);
registerSweepEval(program);
registerReport(program);
registerNoise(program);
registerHardware(program);

/** Exit codes: 0 ok, 1 failure, 2 usage (a bad flag, config field or input). */
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    const ok =
      e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help";
    process.exit(ok ? 0 : 2);
  }
  if (verbosity() === "verbose" && e instanceof Error && !(e instanceof CommanderError))
    console.error(e.stack);
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
  if (process.env["QMTL_DEBUG"] && verbosity() !== "verbose" && e instanceof Error) console.error(e.stack);
  process.exit(1);
}
