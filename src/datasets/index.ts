/**
 * The table of suites the CLI offers (`qmtl run <name>`). A new dataset is one
 * folder under src/datasets/ whose index exports a Suite, plus one line here.
 */
import type { Suite, BaseConfig } from "../experiments/suite.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- suites differ in their config type
export const SUITES: ReadonlyArray<Suite<any>> = [];

export function findSuite(name: string): Suite<BaseConfig> | undefined {
  return SUITES.find((s) => s.name === name) as Suite<BaseConfig> | undefined;
}
