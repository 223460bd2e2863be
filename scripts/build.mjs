// npm run build: TypeScript to dist/ (relative .ts imports rewritten to .js), then the files tsc does not
// copy (WebAssembly modules, plain .mjs worker bootstraps). dist/ is generated: it is wiped first.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")],
  { stdio: "inherit" },
);
const copy = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) copy(p);
    else if (/\.(wasm|mjs)$/.test(name)) cpSync(p, join(dist, relative(join(root, "src"), p)));
  }
};
copy(join(root, "src"));
