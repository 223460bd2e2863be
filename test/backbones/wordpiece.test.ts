import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.ts";
import {
  defaultBertVocabPath,
  loadWordPieceVocab,
  WordPieceTokenizer,
} from "../../src/backbones/wordpiece.ts";

/**
 * Expected ids: Hugging Face's tokenizers.js (@huggingface/tokenizers 0.2.0, a port of the Rust
 * `tokenizers` BertNormalizer + BertPreTokenizer + WordPiece, installed outside the project only to
 * produce these numbers) configured as bert-base-uncased (lowercase, strip accents, Chinese chars,
 * clean text, max 100 chars per word, [CLS]/[SEP] template) over the same vocab.txt. Spot checks by
 * hand: "hello" = 7592, "," = 1010, "." = 1012, [CLS] = 101, [SEP] = 102, [UNK] = 100.
 */
const CASES: { a: string; b?: string; ids: number[] }[] = [
  { a: "Hello, world!", ids: [101, 7592, 1010, 2088, 999, 102] },
  {
    a: "The quick brown fox jumps over the lazy dog.",
    ids: [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102],
  },
  { a: "unaffable", ids: [101, 14477, 20961, 3468, 102] },
  {
    a: "Héllo naïve café, Ångström résumé!",
    ids: [101, 7592, 15743, 7668, 1010, 17076, 15687, 13746, 999, 102],
  },
  {
    a: "¿Qué tal? Él está aquí.",
    ids: [101, 1094, 10861, 21368, 1029, 3449, 9765, 2050, 1037, 15549, 1012, 102],
  },
  {
    a: "I don't think it's 3.14 -- it's π ≈ 3.1416...",
    ids: [
      101, 1045, 2123, 1005, 1056, 2228, 2009, 1005, 1055, 1017, 1012, 2403, 1011, 1011, 2009, 1005, 1055,
      1170, 1606, 1017, 1012, 15471, 2575, 1012, 1012, 1012, 102,
    ],
  },
  { a: "我爱北京天安门", ids: [101, 1855, 100, 1781, 1755, 1811, 1820, 100, 102] },
  { a: "Tokyo 東京 is big", ids: [101, 5522, 1879, 1755, 2003, 2502, 102] },
  { a: "Emoji 😀 and ☃ snowman", ids: [101, 7861, 29147, 2072, 100, 1998, 100, 4586, 2386, 102] },
  { a: "a".repeat(101) + " ok", ids: [101, 100, 7929, 102] },
  {
    a: "a".repeat(100),
    ids: [
      101, 13360, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057,
      11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057,
      11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057, 11057,
      11057, 11057, 11057, 11057, 11057, 2050, 102,
    ],
  },
  {
    a: "supercalifragilisticexpialidocious antidisestablishmentarianism",
    ids: [
      101, 3565, 9289, 10128, 29181, 24411, 4588, 10288, 19312, 21273, 10085, 6313, 3424, 10521, 4355, 7875,
      13602, 3672, 12199, 2964, 102,
    ],
  },
  {
    a: "  tabs\tand\nnew lines\u00a0and\u200bzero width  ",
    ids: [101, 21628, 2015, 1998, 2047, 3210, 1998, 6290, 2080, 9381, 102],
  },
  {
    a: "e-mail: someone@example.com; URL https://gluebenchmark.com/tasks",
    ids: [
      101, 1041, 1011, 5653, 1024, 2619, 1030, 2742, 1012, 4012, 1025, 24471, 2140, 16770, 1024, 1013, 1013,
      25238, 10609, 2818, 10665, 1012, 4012, 1013, 8518, 102,
    ],
  },
  {
    a: "hide new secretions from the parental units ",
    ids: [101, 5342, 2047, 3595, 8496, 2013, 1996, 18643, 3197, 102],
  },
  {
    a: "A man with a hard hat is dancing.",
    b: "A man wearing a hard hat is dancing.",
    ids: [
      101, 1037, 2158, 2007, 1037, 2524, 6045, 2003, 5613, 1012, 102, 1037, 2158, 4147, 1037, 2524, 6045,
      2003, 5613, 1012, 102,
    ],
  },
  {
    a: "What came into force after the new constitution was herald?",
    b: "As of that day, the new constitution heralding the Second Republic came into force.",
    ids: [
      101, 2054, 2234, 2046, 2486, 2044, 1996, 2047, 4552, 2001, 9536, 1029, 102, 2004, 1997, 2008, 2154,
      1010, 1996, 2047, 4552, 9536, 2075, 1996, 2117, 3072, 2234, 2046, 2486, 1012, 102,
    ],
  },
  {
    a: "Rock 'n' roll NEVER dies!!!",
    b: "\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \ufb01 ligature",
    ids: [101, 2600, 1005, 1050, 1005, 4897, 2196, 8289, 999, 999, 999, 102, 100, 1984, 8018, 11244, 102],
  },
];

describe("WordPiece (bert-base-uncased)", () => {
  const tok = loadWordPieceVocab();

  it("loads the shipped vocabulary (30,522 tokens, the official sha256)", () => {
    expect(tok.tokens).toHaveLength(30522);
    expect(tok.vocabSha256).toBe("07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3");
    expect([tok.padId, tok.unkId, tok.clsId, tok.sepId]).toEqual([0, 100, 101, 102]);
    expect(defaultBertVocabPath()).toContain(join("data", "models", "bert-base-uncased-tokenizer"));
  });

  it.each(CASES)("encodes %j like the reference tokenizer", (c) => {
    const e = tok.encode(c.a, c.b ?? null, 512);
    expect(Array.from(e.ids)).toEqual(c.ids);
    expect(e.length).toBe(c.ids.length);
    expect(Array.from(e.mask)).toEqual(c.ids.map(() => 1));
    // token types: 0 through the first [SEP], 1 after it
    const firstSep = c.ids.indexOf(102);
    expect(Array.from(e.typeIds)).toEqual(c.ids.map((_, i) => (c.b !== undefined && i > firstSep ? 1 : 0)));
  });

  it("splits accents, punctuation and CJK in the basic tokenizer", () => {
    expect(tok.basicTokens("Ca\u0301fe\u0301, 東京!")).toEqual(["cafe", ",", "東", "京", "!"]);
    expect(tok.wordPieces("unaffable")).toEqual(["una", "##ffa", "##ble"]);
    expect(tok.wordPieces("a".repeat(101))).toEqual(["[UNK]"]);
  });

  it("pads to a fixed width with [PAD], mask 0", () => {
    const e = tok.encode("Hello, world!", null, 128, 10);
    expect(Array.from(e.ids)).toEqual([101, 7592, 1010, 2088, 999, 102, 0, 0, 0, 0]);
    expect(Array.from(e.mask)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(() => tok.encode("Hello, world!", null, 128, 5)).toThrow(ValidationError);
  });

  it("truncates a single text to maxLength, keeping [CLS] and [SEP]", () => {
    const e = tok.encode("The quick brown fox jumps over the lazy dog.", null, 6);
    expect(Array.from(e.ids)).toEqual([101, 1996, 4248, 2829, 4419, 102]);
  });

  it("truncates a pair longest-first, from the second text when equal (Hugging Face's rule)", () => {
    // a = 6 pieces, b = 3 pieces; maxLength 8 leaves 5 for both: a loses 3 (6->3 ties b at 3), then b loses 1
    const a = "one two three four five six",
      b = "seven eight nine";
    const e = tok.encode(a, b, 8);
    const ia = tok.ids(a),
      ib = tok.ids(b);
    expect(Array.from(e.ids)).toEqual([101, ...ia.slice(0, 3), 102, ...ib.slice(0, 2), 102]);
    expect(Array.from(e.typeIds)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    const f = tok.encode(a, b, 9);
    expect(Array.from(f.ids)).toEqual([101, ...ia.slice(0, 3), 102, ...ib, 102]);
    expect(() => tok.encode(a, b, 2)).toThrow(ValidationError);
  });

  it("rejects a vocabulary without the special tokens, or a missing file", () => {
    expect(() => new WordPieceTokenizer(["a", "b", "[UNK]"])).toThrow(/\[CLS\]/);
    expect(() => loadWordPieceVocab("/nonexistent/vocab.txt")).toThrow(ValidationError);
  });
});
