import { writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { CliRow } from "./catalogue.ts";

/**
 * CLI rows of the catalogue that this branch owns (`qmtl demo --seed`); the
 * run-folder, flag and config rows belong with the experiment CLI and use
 * the same CliRow shape and runCliRow.
 */
export const QMTL_COMMAND: readonly string[] = [
  process.execPath,
  "--import",
  pathToFileURL(resolve("node_modules/tsx/dist/loader.mjs")).href,
  resolve("src/cli/main.ts"),
];

/** A user's folder with files that no command may touch. */
export function userFiles(sandbox: string): void {
  mkdirSync(join(sandbox, "thesis"), { recursive: true });
  writeFileSync(join(sandbox, "thesis", "chapter1.tex"), "\\chapter{One}\n");
  writeFileSync(join(sandbox, "report.md"), "# my own report\n");
  writeFileSync(join(sandbox, "results.json"), '{"mine": true}\n');
}

const demo = (name: string, seed: string, fragment: string): CliRow => ({
  name,
  category: "cli-demo",
  argv: ["demo", "--seed", seed],
  setup: userFiles,
  expect: { exitCode: 2, fragment },
});

export const cliRows: readonly CliRow[] = [
  demo("demo --seed abc", "abc", "--seed: expected an integer"),
  demo("demo --seed ''", "", "--seed: expected a non-empty value"),
  demo("demo --seed 1.5", "1.5", "--seed: expected an integer"),
  demo("demo --seed -1", "-1", "--seed: expected an integer"),
  demo("demo --seed 1e300", "1e300", "--seed: expected an integer"),
];
