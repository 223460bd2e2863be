#!/usr/bin/env node
// The qmtl command: runs the built JavaScript in dist/ (`npm run build` writes it; the published
// package ships it). No loader and no dev dependency at run time.
import { existsSync } from "node:fs";
const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error(
    "error: qmtl is not built (dist/cli/main.js is missing): run `npm run build` in the qmtl folder",
  );
  process.exit(1);
}
await import(main.href);
