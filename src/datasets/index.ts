/**
 * The table of suites the CLI offers (`qmtl run <name>`). A new dataset is one
 * folder under src/datasets/ whose index exports a Suite, plus one line here.
 */
import type { BaseConfig, Suite } from "../experiments/suite.ts";
import { customSuite } from "./custom/index.ts";
import { mustardSuite } from "./mustard/index.ts";

export const SUITES: ReadonlyArray<Suite<BaseConfig>> = [mustardSuite, customSuite] as unknown as ReadonlyArray<Suite<BaseConfig>>;

export function findSuite(name: string): Suite<BaseConfig> | undefined {
  return SUITES.find((s) => s.name === name);
}
