/**
 * How much the command says on stderr, from the global --quiet / --verbose.
 * quiet: no progress or log lines (errors and the command's results on stdout
 * still print); verbose: every progress update and a stack trace with errors.
 */
export type Verbosity = "quiet" | "normal" | "verbose";

let level: Verbosity = "normal";

export function setVerbosity(v: Verbosity): void {
  level = v;
}

export function verbosity(): Verbosity {
  return level;
}
