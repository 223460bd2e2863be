import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import {
  SentencePieceTokenizer,
  loadSentencePieceVocab,
  repairPieceScores,
  type SentencePieceVocab,
} from "../../src/backbones/sentencepiece.ts";
import { defaultUseLiteDir } from "../../src/backbones/use-lite-files.ts";

const RESERVED: [string, number][] = [
  ["<unk>", 0],
  ["<s>", 0],
  ["</s>", 0],
  ["x1", 0],
  ["x2", 0],
  ["x3", 0],
];

/** All segmentations of `s` into vocabulary pieces (no unknowns), best total score. */
function bruteForceBest(s: string, vocab: SentencePieceVocab): number {
  const pieces = new Map<string, number>();
  vocab.slice(6).forEach(([p, sc]) => pieces.set(p, sc));
  const best = (i: number): number => {
    if (i === s.length) return 0;
    let b = -Infinity;
    for (let j = i + 1; j <= s.length; j++) {
      const sc = pieces.get(s.slice(i, j));
      if (sc !== undefined) b = Math.max(b, sc + best(j));
    }
    return b;
  };
  return best(0);
}

describe("SentencePieceTokenizer (toy vocabulary)", () => {
  const vocab: SentencePieceVocab = [
    ...RESERVED,
    ["▁", -2],
    ["a", -3],
    ["b", -3.5],
    ["c", -4],
    ["ab", -4.2],
    ["bc", -4.6],
    ["abc", -9],
    ["▁a", -2.5],
    ["▁ab", -6],
    ["ca", -5.1],
  ];
  const tok = new SentencePieceTokenizer(vocab);
  const score = (ids: number[]): number => ids.reduce((s, id) => s + (vocab[id]?.[1] as number), 0);

  it("finds the highest-scoring segmentation (checked by brute force on random strings)", () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const len = 1 + rng.int(8);
      const s = Array.from({ length: len }, () => "abc"[rng.int(3)]).join("");
      const ids = tok.encode(s);
      const normalized = SentencePieceTokenizer.normalize(s);
      expect(ids.map((id) => vocab[id]?.[0]).join("")).toBe(normalized);
      expect(score(ids)).toBeCloseTo(bruteForceBest(normalized, vocab), 10);
    }
  });

  it("normalises whitespace and adds the dummy prefix", () => {
    expect(SentencePieceTokenizer.normalize("  a \t b\n")).toBe("▁a▁b");
    expect(SentencePieceTokenizer.normalize("   ")).toBe("");
    expect(tok.encode("")).toEqual([]);
    expect(tok.encode(" abc ")).toEqual(tok.encode("abc"));
  });

  it("maps uncovered characters to id 0 and merges runs of them", () => {
    const ids = tok.encode("a zz c");
    // ▁a ▁ <unk: zz> ▁ c
    expect(ids).toEqual([13, 6, 0, 6, 9]);
  });
});

describe("SentencePieceTokenizer (USE-lite vocabulary)", () => {
  const vocab = loadSentencePieceVocab(join(defaultUseLiteDir(), "vocab.json"));
  const tok = new SentencePieceTokenizer(vocab);
  const pieces = (s: string): string[] => tok.encode(s).map((id) => vocab[id]?.[0] as string);

  // Goldens from the reference implementation (Python sentencepiece 0.2.2) given
  // the same pieces and repaired scores as a unigram ModelProto, with the input
  // NFKC-normalised and its whitespace collapsed. On all 3,644 MUStARD texts
  // (utterances, joined contexts, context lines; 76,652 tokens) the two agree.
  const goldens: [string, number[]][] = [
    ["Hello world.", [341, 4125, 311, 6]],
    [
      "It's just a privilege to watch your mind at work.",
      [75, 13, 7, 67, 11, 7104, 10, 879, 37, 633, 38, 171, 6],
    ],
    ["naïve café ☃☃ 日本", [1216, 0, 105, 976, 209, 1133, 30, 0, 30, 0]],
    ["at 3:30 :) :-) http://x.com", [38, 216, 4177, 658, 6600, 290, 255, 152, 6, 167]],
    [
      'Oh, yeah. Because nothing says "I love you" like a 12-hour D&D marathon!',
      [
        1392, 8, 1879, 6, 1198, 587, 399, 51, 109, 241, 19, 94, 60, 11, 575, 24, 6443, 239, 531, 150, 2519,
        1361, 175, 78,
      ],
    ],
    [
      "\uff26\uff35\uff2c\uff2c\u3000\uff57\uff49\uff44\uff54\uff48\u2026 and ligature \ufb01",
      [189, 4664, 277, 7916, 91, 12, 30, 3994, 4129, 1480],
    ],
  ];

  it("matches reference SentencePiece ids", () => {
    for (const [text, ids] of goldens) expect(tok.encode(text), text).toEqual(ids);
    expect(pieces("Hello world.")).toEqual(["\u2581H", "ello", "\u2581world", "."]);
  });

  it("treats newlines and tabs as spaces", () => {
    expect(tok.encode("a\nb\tc")).toEqual(tok.encode("a b c"));
  });

  it("repairs the nine corrupt colon-piece scores so the vocabulary is sorted again", () => {
    const raw = [0, 0, 0, 0, 0, 0, -1, -2, null, -3, 30, -4, -5] as (number | null)[];
    const r = repairPieceScores(raw);
    expect(r.repaired).toEqual([8, 10]);
    expect(r.scores.slice(6)).toEqual([-1, -2, -2.5, -3, -3.5, -4, -5]);
    const scores = vocab.slice(6).map((e) => e[1]);
    scores.forEach((s, i) => {
      if (i > 0) expect(s).toBeLessThanOrEqual(scores[i - 1] as number);
    });
    const colon = vocab.findIndex((e) => e[0] === ":");
    expect(colon).toBe(57);
    expect(vocab[57]?.[1]).toBeLessThan(vocab[56]?.[1] as number);
    expect(vocab[57]?.[1]).toBeGreaterThan(vocab[58]?.[1] as number);
    expect(pieces("at 3:30")).toEqual(["▁at", "▁3", ":30"]);
  });
});
