/**
 * Writes docs/config-reference.md from the zod schemas of every suite in
 * SUITES (src/datasets/index.ts) and the custom suite's tasks file: each field
 * with its type, default, allowed range, the flag that sets it and its doc
 * comment (read from the schema's source with the TypeScript compiler API).
 *
 *   npx tsx scripts/gen-config-reference.ts           # (re)write the page
 *   npx tsx scripts/gen-config-reference.ts --check   # exit 1 if the page is stale
 *
 * test/docs/config-reference.test.ts fails when the committed page differs.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import ts from "typescript";
import { z } from "zod";
import { SUITES } from "../src/datasets/index.ts";
import { tasksFileSchema } from "../src/datasets/custom/tasks-file.ts";
import { registerRun } from "../src/cli/commands/run.ts";
import { writeFileAtomic } from "../src/core/atomic-file.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CONFIG_REFERENCE = join(ROOT, "docs", "config-reference.md");
export const REGENERATE = "npx tsx scripts/gen-config-reference.ts";

type Json = { [k: string]: unknown };

/** Doc comments of object-literal properties, by dotted path inside the outermost object literal. */
function docComments(files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
        const text = docs
          .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
          .join(" ")
          .replace(/\s+/g, " ")
          .trim();
        if (text) {
          const path: string[] = [node.name.text];
          for (let p: ts.Node = node.parent; p; p = p.parent) {
            if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
              path.unshift(p.name.text);
          }
          if (!out.has(path.join("."))) out.set(path.join("."), text);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return out;
}

function tsFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".ts"))
        .sort()
        .map((f) => join(dir, f))
    : [];
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (v: unknown): string => "`" + JSON.stringify(v) + "`";

function typeOf(s: Json): string {
  if (Array.isArray(s["enum"])) return (s["enum"] as unknown[]).map((v) => code(v)).join(" | ");
  if (Array.isArray(s["anyOf"])) return (s["anyOf"] as Json[]).map(typeOf).join(" or ");
  const t = s["type"];
  if (t === "array") return `array of ${typeOf((s["items"] ?? {}) as Json)}`;
  if (t === "object" && s["properties"]) return `{ ${Object.keys(s["properties"] as Json).join(", ")} }`;
  return typeof t === "string" ? t : "any";
}

function rangeOf(s: Json): string {
  const parts: string[] = [];
  const num = (k: string, sym: string): void => {
    const v = s[k];
    if (typeof v === "number" && !(k === "maximum" && v >= Number.MAX_SAFE_INTEGER))
      parts.push(`${sym} ${v}`);
  };
  num("minimum", ">=");
  num("exclusiveMinimum", ">");
  num("maximum", "<=");
  num("exclusiveMaximum", "<");
  if (typeof s["minLength"] === "number" && s["minLength"] !== 0) parts.push("non-empty");
  if (typeof s["pattern"] === "string") parts.push(`matches \`${s["pattern"]}\``);
  if (typeof s["minItems"] === "number") parts.push(`>= ${s["minItems"]} items`);
  if (typeof s["maxItems"] === "number") parts.push(`<= ${s["maxItems"]} items`);
  const items = s["items"] as Json | undefined;
  if (items && typeof items === "object") {
    const r = rangeOf(items);
    if (r) parts.push(`each ${r}`);
  }
  return parts.join(", ");
}

interface Row {
  path: string;
  schema: Json;
  required: boolean;
}

function rows(schema: Json, prefix = ""): Row[] {
  const props = (schema["properties"] ?? {}) as Record<string, Json>;
  const required = new Set((schema["required"] ?? []) as string[]);
  const out: Row[] = [];
  for (const [k, s] of Object.entries(props)) {
    const path = prefix + k;
    out.push({ path, schema: s, required: required.has(k) && s["default"] === undefined });
    if (s["type"] === "object" && s["properties"]) out.push(...rows(s, path + "."));
  }
  return out;
}

type Flags = Map<string, { flag: string; description: string }>;

function fieldTable(schema: Json, docs: Map<string, string>, flags: Flags): string {
  const lines = ["| field | type | default | allowed | flag | what |", "|---|---|---|---|---|---|"];
  for (const r of rows(schema)) {
    const def = r.schema["default"];
    const isObject = r.schema["type"] === "object";
    const f = flags.get(r.path);
    lines.push(
      `| \`${r.path}\` | ${cell(typeOf(r.schema))} | ${r.required ? "**required**" : def === undefined ? "–" : isObject ? "see below" : cell(code(def))} ` +
        `| ${cell(rangeOf(r.schema))} | ${f ? "`" + f.flag + "`" : ""} | ${cell(docs.get(r.path) ?? f?.description ?? "")} |`,
    );
  }
  return lines.join("\n");
}

const jsonSchema = (s: z.ZodType): Json => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Json;

/** The flags of `qmtl run <suite>`, by the config field they set. */
function suiteFlags(
  name: string,
  schemaFields: Set<string>,
  suiteFlagFields: ReadonlyArray<{ flag: string; field: string }>,
): Flags {
  const program = new Command();
  registerRun(program);
  const cmd = program.commands.find((c) => c.name() === "run")!.commands.find((c) => c.name() === name)!;
  const out = new Map<string, { flag: string; description: string }>();
  for (const o of cmd.options) {
    const field = suiteFlagFields.find((f) => f.flag.split(" ")[0] === o.long)?.field ?? o.attributeName();
    if (o.long && schemaFields.has(field) && !out.has(field))
      out.set(field, { flag: o.long, description: o.description });
  }
  return out;
}

export function renderConfigReference(): string {
  const baseDocs = docComments([join(ROOT, "src", "experiments", "suite.ts")]);
  const parts: string[] = [
    "# Configuration reference",
    "",
    "<!-- GENERATED by scripts/gen-config-reference.ts from the suites' zod schemas: do not edit by hand. -->",
    `<!-- Regenerate with \`${REGENERATE}\`; test/docs/config-reference.test.ts fails when this page is stale. -->`,
    "",
    "`qmtl run <suite> --config file.yaml` reads a YAML or JSON object with the fields below; a flag given on the",
    "command line overrides the same field of the file, and a field in neither takes its default. Unknown keys,",
    "wrong types, out-of-range and empty values are rejected with the field's name (exit code 2) before anything is",
    "written. Dotted fields are nested objects (`qmtl.encodingLayers` is `qmtl: { encodingLayers: 3 }`).",
    "",
    ...SUITES.map((s) => `- [\`${s.name}\`](#suite-${s.name}): ${s.title}`),
    "- [the custom suite's tasks file](#tasks-file)",
    "",
  ];
  for (const suite of SUITES) {
    const schema = jsonSchema(suite.schema as unknown as z.ZodType);
    const docs = docComments(tsFiles(join(ROOT, "src", "datasets", suite.name)));
    for (const [k, v] of baseDocs) if (!docs.has(k)) docs.set(k, v);
    const fields = new Set(rows(schema).map((r) => r.path));
    const flags = suiteFlags(suite.name, fields, suite.flags);
    parts.push(
      `<a id="suite-${suite.name}"></a>`,
      "",
      `## \`qmtl run ${suite.name}\`: ${suite.title}`,
      "",
      suite.summary,
      "",
      `Heads: ${suite.headIds.map((h) => "`" + h + "`").join(", ")}. Source: \`${relative(
        ROOT,
        join(ROOT, "src", "datasets", suite.name),
      )
        .split("\\")
        .join("/")}/\`.`,
      "",
      fieldTable(schema, docs, flags),
      "",
    );
  }
  const tasksDocs = docComments([join(ROOT, "src", "datasets", "custom", "tasks-file.ts")]);
  const tschema = jsonSchema(tasksFileSchema);
  const taskItem = ((tschema["properties"] as Record<string, Json>)["tasks"]!["items"] ?? {}) as Json;
  parts.push(
    '<a id="tasks-file"></a>',
    "",
    "## The custom suite's tasks file (`--tasks tasks.yaml`)",
    "",
    "Top level:",
    "",
    fieldTable(tschema, tasksDocs, new Map()),
    "",
    "Each entry of `tasks`:",
    "",
    fieldTable(taskItem, tasksDocs, new Map()),
    "",
    "`split` is exactly one of `{ column: <name> }` (rows marked `train` / `val` / `test`), `{ kfold: k }` (2 <= k <= 20, stratified) or `{ holdout: f }` (0 < f < 0.9, a stratified test fraction).",
    "",
  );
  return parts.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const page = renderConfigReference();
  if (process.argv.includes("--check")) {
    const now = existsSync(CONFIG_REFERENCE) ? readFileSync(CONFIG_REFERENCE, "utf8") : "";
    if (now !== page) {
      console.error(`docs/config-reference.md is stale: run \`${REGENERATE}\``);
      process.exit(1);
    }
  } else {
    writeFileAtomic(CONFIG_REFERENCE, page);
    console.log(`wrote ${relative(process.cwd(), CONFIG_REFERENCE)}`);
  }
}
