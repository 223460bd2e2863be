/**
 * A CSV (or TSV) table with a header row, read whole: column names and rows of
 * strings. Parsing is csv-parse's (quotes, embedded separators and newlines, a
 * UTF-8 byte-order mark); a malformed file is a ValidationError naming the
 * file and line, never a partial table.
 */
import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { ValidationError } from "../core/errors.ts";

export interface Table {
  readonly path: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Reads `path` as a table; `.tsv` files are tab-separated, others comma-separated. */
export function readTable(path: string, field = path): Table {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error("not a regular file");
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ValidationError(field, "a readable CSV file", `${path} (${e instanceof Error ? e.message : String(e)})`);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter: extname(path).toLowerCase() === ".tsv" ? "\t" : ",", skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ValidationError(path, "a well-formed CSV table (a header row, then rows with as many fields)", msg.replace(/\s+/g, " "));
  }
  if (records.length === 0) throw new ValidationError(path, "a CSV table with a header row (the file is empty)");
  const columns = records[0]!;
  const seen = new Set<string>();
  columns.forEach((c, j) => {
    if (c.length === 0) throw new ValidationError(`${path}: column ${j + 1}`, "a non-empty column name in the header");
    if (seen.has(c)) throw new ValidationError(`${path}: column ${JSON.stringify(c)}`, "distinct column names in the header");
    seen.add(c);
  });
  if (records.length === 1) throw new ValidationError(path, "at least one data row after the header");
  return { path, columns, rows: records.slice(1) };
}

/** The index of a named column; an unknown name is an error listing the columns. */
export function columnIndex(table: Table, name: string, field: string): number {
  const j = table.columns.indexOf(name);
  if (j < 0) {
    const shown = table.columns.slice(0, 12).join(", ") + (table.columns.length > 12 ? ", ..." : "");
    throw new ValidationError(field, `a column of ${table.path} (${shown})`, name);
  }
  return j;
}
