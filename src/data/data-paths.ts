import { fileURLToPath } from "node:url";
import { join } from "node:path";

/**
 * Where the data shipped with qmtl lives: `<repo>/data`, found relative to
 * this source file so it works from any working directory. Nothing here
 * reads outside the repository.
 */
export function repoRoot(): string {
  return fileURLToPath(new URL("../../", import.meta.url));
}

/** `<repo>/data/mustard`: the embedded Extended MUStARD files. */
export function defaultMustardDir(): string {
  return join(repoRoot(), "data", "mustard");
}
