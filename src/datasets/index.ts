/**
 * The table of suites the CLI offers (`qmtl run <name>`). A new dataset is one
 * folder under src/datasets/ whose index exports a Suite, plus one line here.
 */
import type { BaseConfig, Suite } from "../experiments/suite.ts";
import { customSuite } from "./custom/index.ts";
import { glueSuite } from "./glue/index.ts";
import { mustardSuite } from "./mustard/index.ts";
import { chexpertSuite } from "./chexpert/index.ts";

/** Every suite `qmtl run <name>` offers, in help order. */
export const SUITES: ReadonlyArray<Suite<BaseConfig>> = [
  mustardSuite,
  glueSuite,
  chexpertSuite,
  customSuite,
] as unknown as ReadonlyArray<Suite<BaseConfig>>;

/** The suite named `name`, or undefined. */
export function findSuite(name: string): Suite<BaseConfig> | undefined {
  return SUITES.find((s) => s.name === name);
}
