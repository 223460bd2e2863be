import { libraryRows } from "./rows.ts";
import { runLibraryRow } from "./catalogue.ts";

/** Child side of run-catalogue.ts: runs rows from argv[2] on, one JSON line per row, "START i" before each. */
const start = Number(process.argv[2] ?? "0");
for (let i = start; i < libraryRows.length; i++) {
  process.stdout.write(`START ${i}\n`);
  const r = await runLibraryRow(libraryRows[i]!);
  process.stdout.write(`${JSON.stringify({ i, ...r })}\n`);
}
process.stdout.write("DONE\n");
