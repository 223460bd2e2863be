/**
 * Fenced code blocks of the Markdown docs, with the directives that tell the
 * docs test how to run them. A directive is an HTML comment on the line right
 * before the fence (blank lines between are allowed):
 *
 *   <!-- qmtl-docs: skip (why) -->        not run (user data, another language, long runs)
 *   <!-- qmtl-docs: write <file> -->      the block's text is written to <file> in the page's folder
 *   <!-- qmtl-docs: args <flags> (why) --> appended to every `qmtl run` line of the block (shortens runs)
 *   <!-- qmtl-docs: first <n> (why) -->   only the block's first n qmtl command lines run
 *   <!-- qmtl-docs: cwd repo -->          the block runs in the repository root, not the page's folder
 *
 * Used by test/docs/code-blocks.test.ts.
 */
export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  readonly skip?: string;
  readonly write?: string;
  readonly args?: string;
  readonly first?: number;
  readonly cwdRepo?: boolean;
}

const DIRECTIVE = /^<!--\s*qmtl-docs:\s*(skip|write|args|first|cwd)\b\s*(.*?)\s*-->$/;

/** Splits a directive's value from its trailing "(reason)". */
function value(rest: string): string {
  return rest.replace(/\s*\([^()]*\)\s*$/, "").trim();
}

export function extractBlocks(markdown: string, file: string): DocBlock[] {
  const lines = markdown.split("\n");
  const out: DocBlock[] = [];
  let pending: Partial<DocBlock> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const d = DIRECTIVE.exec(line.trim());
    if (d) {
      const [, kind, rest] = d as unknown as [string, string, string];
      if (kind === "skip") pending = { ...pending, skip: rest.replace(/^\(|\)$/g, "") || "marked skip" };
      else if (kind === "write") pending = { ...pending, write: value(rest) };
      else if (kind === "args") pending = { ...pending, args: value(rest) };
      else if (kind === "first") pending = { ...pending, first: Number(value(rest)) };
      else if (kind === "cwd") pending = { ...pending, cwdRepo: value(rest) === "repo" };
      continue;
    }
    const fence = /^(\s*)(```+|~~~+)\s*([\w+-]*)/.exec(line);
    if (fence) {
      const [, indent, marks, lang] = fence as unknown as [string, string, string, string];
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !lines[j]!.trimStart().startsWith(marks); j++)
        body.push(lines[j]!.slice(indent.length));
      out.push({ file, line: i + 1, lang: lang.toLowerCase(), code: body.join("\n") + "\n", ...pending });
      pending = {};
      i = j;
      continue;
    }
    if (line.trim() !== "") pending = {};
  }
  return out;
}

/** The lines of a shell block that are qmtl commands (`qmtl ...` or `npx qmtl ...`). */
export function qmtlLines(code: string): string[] {
  return code.split("\n").filter((l) => /^\s*(npx\s+)?qmtl(\s|$)/.test(l));
}

/** A qmtl command line as the test runs it: the launcher by path, extra args before any trailing comment. */
export function commandFor(line: string, launcher: string, args?: string): string {
  const cmd = line.split(/\s+#/)[0]!;
  let c = cmd.trim().replace(/^(npx\s+)?qmtl\b/, `node ${JSON.stringify(launcher)}`);
  if (args && /\brun\s+\S+/.test(c)) c += " " + args;
  return c;
}
