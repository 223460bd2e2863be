/**
 * The lowercase word/punctuation tokenizer used with the GloVe subset. It
 * follows the Penn Treebank conventions of NLTK's word_tokenize, which the
 * subset's vocabulary was built with (it holds "n't", "'s", "gon", "na"):
 * - NFKC, lowercase, curly apostrophes as "'";
 * - clitics split off: do|n't, it|'s, we|'re, i|'ve, you|'ll, he|'d, i|'m;
 * - gonna -> gon na, wanna -> wan na, gotta -> got ta, cannot -> can not;
 * - every other non-alphanumeric character is its own token ("..." is one).
 */

const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}]+)*|'[\p{L}]+|\.\.\.|[^\s\p{L}\p{N}]/gu;
const CLITIC = /^(.+?)(n't|'s|'re|'ve|'ll|'d|'m)$/u;
const SPLIT_WORDS: Readonly<Record<string, readonly string[]>> = {
  gonna: ["gon", "na"],
  wanna: ["wan", "na"],
  gotta: ["got", "ta"],
  cannot: ["can", "not"],
};

export function wordTokens(text: string): string[] {
  const norm = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/gu, "'");
  const out: string[] = [];
  for (const m of norm.matchAll(TOKEN)) {
    let tok = m[0];
    const parts: string[] = [];
    // A word can carry more than one clitic ("wouldn't've"): peel from the end.
    for (let c = CLITIC.exec(tok); c && !tok.startsWith("'"); c = CLITIC.exec(tok)) {
      parts.unshift(c[2] as string);
      tok = c[1] as string;
    }
    const split = SPLIT_WORDS[tok];
    if (split) out.push(...split);
    else out.push(tok);
    out.push(...parts);
  }
  return out;
}
