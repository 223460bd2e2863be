/**
 * Every value and type that src/index.ts exports has a doc comment at its
 * declaration. Prints the missing ones; exit 1 if any.
 *
 *   npx tsx scripts/api-doc-coverage.ts
 *
 * test/docs/api-docs.test.ts runs the same check.
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** "name (file:line)" of every export of src/index.ts whose declaration has no doc comment. */
export function undocumentedExports(): { total: number; missing: string[] } {
  const entry = join(ROOT, "src", "index.ts");
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(entry)!;
  const mod = checker.getSymbolAtLocation(sf)!;
  const missing: string[] = [];
  const exports = checker.getExportsOfModule(mod);
  for (const sym of exports) {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    const decls = target.getDeclarations() ?? [];
    const documented =
      target.getDocumentationComment(checker).length > 0 ||
      decls.some(
        (d) =>
          ts.getJSDocCommentsAndTags(d).length > 0 ||
          (ts.isVariableDeclaration(d) && ts.getJSDocCommentsAndTags(d.parent.parent).length > 0),
      );
    if (!documented) {
      const d = decls[0];
      const where = d
        ? `${relative(ROOT, d.getSourceFile().fileName)}:${d.getSourceFile().getLineAndCharacterOfPosition(d.getStart()).line + 1}`
        : "?";
      missing.push(`${sym.getName()} (${where})`);
    }
  }
  return { total: exports.length, missing };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { total, missing } = undocumentedExports();
  for (const m of missing) console.error(`no doc comment: ${m}`);
  console.log(`${total - missing.length} of ${total} public exports documented`);
  process.exit(missing.length > 0 ? 1 : 0);
}
