/**
 * The package as a user installs it: `npm pack`, install the tarball into an
 * empty project without dev dependencies, then import it by name from plain
 * JavaScript (the README's library example and a forward/backward pass of the
 * MUStARD preset head), run its command, and type-check a TypeScript consumer
 * against the shipped types. No tsx, no source tree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const NPM_ENV = {
  ...process.env,
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};
let tmp: string;
let project: string;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, {
    cwd,
    env: NPM_ENV,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
  });
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "qmtl-pack-"));
  if (!existsSync(join(ROOT, "dist", "index.js"))) run("npm", ["run", "--silent", "build"], ROOT);
  const packed = JSON.parse(
    run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], ROOT),
  ) as Array<{ filename: string; size: number }>;
  const tarball = join(tmp, packed[0]!.filename);
  project = join(tmp, "consumer");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }),
  );
  // install scripts are skipped as the project's own .npmrc does (onnxruntime-node would fetch CUDA binaries)
  run(
    "npm",
    ["install", tarball, "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
    project,
  );
}, 600_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the packed package, installed without dev dependencies", () => {
  it("pulls no dev dependency and ships the built JavaScript, not the sources", () => {
    const mods = readdirSync(join(project, "node_modules"));
    for (const dev of ["tsx", "vitest", "typescript", "assemblyscript", "dependency-cruiser"])
      expect(mods).not.toContain(dev);
    const pkg = join(project, "node_modules", "qmtl");
    expect(existsSync(join(pkg, "dist", "index.js"))).toBe(true);
    expect(existsSync(join(pkg, "dist", "index.d.ts"))).toBe(true);
    expect(existsSync(join(pkg, "src"))).toBe(false);
  });

  it("imports by name from plain JavaScript: the MUStARD preset head forward and backward", () => {
    writeFileSync(
      join(project, "head.mjs"),
      `
import { resolveQmtl, qmtlEngine, PRESETS, Rng } from "qmtl";
const layout = resolveQmtl(PRESETS.mustard);
const ex = qmtlEngine(layout);
const rng = new Rng(0), batch = 2;
const x = Float64Array.from({ length: batch * layout.nInputs }, () => rng.range(-1, 1));
const w = Float64Array.from({ length: layout.nWeights }, () => rng.range(-1, 1));
const tape = ex.record(x, w, batch);
const g = tape.backward(new Float64Array(batch * layout.nOutputs).fill(1));
console.log(JSON.stringify({ Q: layout.Q, outputs: tape.outputs.length === batch * layout.nOutputs, grads: g.gradWeights.length === layout.nWeights, nOutputs: layout.nOutputs, finite: [...tape.outputs, ...g.gradWeights].every(Number.isFinite) }));
`,
    );
    const out = JSON.parse(run(process.execPath, ["head.mjs"], project)) as Record<string, unknown>;
    expect(out).toEqual({ Q: 13, outputs: true, grads: true, nOutputs: 25, finite: true });
  });

  it("runs the README's library example", () => {
    copyFileSync(join(ROOT, "examples", "readme-quickstart.mjs"), join(project, "quickstart.mjs"));
    const out = JSON.parse(
      run(process.execPath, ["quickstart.mjs"], project).trim().split("\n").pop()!,
    ) as Record<string, Record<string, number>>;
    expect(out["sign"]!["accuracy"]).toBeGreaterThan(0.8);
    expect(out["level"]!["accuracy"]).toBeGreaterThan(0.5);
  });

  it("runs its command: qmtl --version and qmtl params", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string })
      .version;
    expect(run("npx", ["--no-install", "qmtl", "--version"], project).trim()).toBe(version);
    expect(run("npx", ["--no-install", "qmtl", "params"], project)).toMatch(/Theorem 1/);
  });

  it("type-checks a TypeScript consumer against the shipped types", () => {
    writeFileSync(
      join(project, "consumer.ts"),
      `
import { buildModel, Rng, type ModelSpec, type MultiTaskModel } from "qmtl";
const spec: ModelSpec = { head: "classical", inputDim: 4, latentDim: 2, tasks: [{ name: "t", kind: "binary" }],
  projection: { hidden: [], activation: "relu", dropout: 0, batchNorm: false } };
const m: MultiTaskModel = buildModel(spec, new Rng(0));
const n: number = m.nOutputs;
export { n };
`,
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["consumer.ts"],
      }),
    );
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project], project);
    writeFileSync(
      join(project, "bad.ts"),
      `import { buildModel } from "qmtl";\nconst x: string = buildModel;\nexport { x };\n`,
    );
    writeFileSync(
      join(project, "tsconfig.bad.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["bad.ts"],
      }),
    );
    expect(() =>
      run(
        process.execPath,
        [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(project, "tsconfig.bad.json")],
        project,
      ),
    ).toThrow();
  });
});
