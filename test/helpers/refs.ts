import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export interface RefFile {
  config: string;
  Q: number;
  L: number;
  sizes: number[];
  subregisters: number[][];
  observables: string[];
  inputs_z: number[][];
  params: number[];
  outputs: number[][];
  grad_params: number[][];
  grad_z: number[][];
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadRef(name: "glue" | "mustard"): RefFile {
  return JSON.parse(
    readFileSync(join(here, "..", "fixtures", "refs", `refs_${name}.json`), "utf8"),
  ) as RefFile;
}

export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
