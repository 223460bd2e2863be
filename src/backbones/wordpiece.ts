import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError, requireInt } from "../core/errors.ts";
import { repoRoot } from "../data/data-paths.ts";

/**
 * BERT's tokenizer (Devlin et al., 2019; the algorithm of Google's
 * tokenization.py and Hugging Face's BertTokenizer), for bert-base-uncased:
 *   basic: drop NUL, U+FFFD and control characters, map whitespace to " ",
 *     put spaces around CJK ideographs, NFC, split on whitespace, lower-case,
 *     strip accents (NFD, drop Mn), split off every punctuation character;
 *   WordPiece: greedy longest match from the vocabulary, continuation pieces
 *     prefixed "##"; a word longer than 100 characters or with any part not
 *     in the vocabulary becomes [UNK].
 * Encoding adds [CLS] / [SEP], token types (0 for the first text, 1 for the
 * second of a pair), truncation ("longest first" for pairs) and padding.
 */

export interface WordPieceOptions {
  readonly lowerCase?: boolean;
  /** characters per word above which the word is [UNK] (BERT: 100) */
  readonly maxCharsPerWord?: number;
}

export interface EncodedText {
  readonly ids: Int32Array;
  readonly typeIds: Int32Array;
  /** 1 for real tokens, 0 for padding */
  readonly mask: Int32Array;
  /** real tokens (mask = 1) */
  readonly length: number;
}

/** `<repo>/data/models/bert-base-uncased-tokenizer`. */
export function defaultBertVocabPath(): string {
  return join(repoRoot(), "data", "models", "bert-base-uncased-tokenizer", "vocab.txt");
}

export class WordPieceTokenizer {
  readonly vocab: ReadonlyMap<string, number>;
  readonly tokens: readonly string[];
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  /** sha256 of the vocabulary text */
  readonly vocabSha256: string;
  private readonly lowerCase: boolean;
  private readonly maxChars: number;

  constructor(tokens: readonly string[], options: WordPieceOptions = {}, vocabSha256?: string) {
    this.tokens = tokens;
    const m = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (!m.has(t)) m.set(t, i);
    });
    this.vocab = m;
    const need = (t: string): number => {
      const id = m.get(t);
      if (id === undefined)
        throw new ValidationError(
          "vocab",
          `a WordPiece vocabulary containing ${t}`,
          `${tokens.length} tokens without it`,
        );
      return id;
    };
    this.unkId = need("[UNK]");
    this.clsId = need("[CLS]");
    this.sepId = need("[SEP]");
    this.padId = need("[PAD]");
    this.lowerCase = options.lowerCase ?? true;
    this.maxChars = options.maxCharsPerWord ?? 100;
    requireInt("maxCharsPerWord", this.maxChars, 1);
    this.vocabSha256 = vocabSha256 ?? createHash("sha256").update(tokens.join("\n")).digest("hex");
  }

  /** The basic tokenizer's words (before WordPiece). */
  basicTokens(text: string): string[] {
    let clean = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
      if (isWhitespace(ch)) clean += " ";
      else if (isCjk(cp)) clean += ` ${ch} `;
      else clean += ch;
    }
    const out: string[] = [];
    for (let word of clean.normalize("NFC").split(" ")) {
      if (word.length === 0) continue;
      if (this.lowerCase)
        word = word
          .toLowerCase()
          .normalize("NFD")
          .replace(/\p{Mn}/gu, "");
      let cur = "";
      for (const ch of word) {
        if (isPunctuation(ch)) {
          if (cur.length > 0) out.push(cur);
          out.push(ch);
          cur = "";
        } else cur += ch;
      }
      if (cur.length > 0) out.push(cur);
    }
    return out;
  }

  /** WordPiece pieces of one basic token. */
  wordPieces(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > this.maxChars) return ["[UNK]"];
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (start < end) {
        const sub = (start > 0 ? "##" : "") + chars.slice(start, end).join("");
        if (this.vocab.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (found === null) return ["[UNK]"];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  tokenize(text: string): string[] {
    return this.basicTokens(text).flatMap((w) => this.wordPieces(w));
  }

  /** Token ids of a text, without special tokens. */
  ids(text: string): number[] {
    return this.tokenize(text).map((t) => this.vocab.get(t) ?? this.unkId);
  }

  /**
   * `[CLS] a [SEP]` or `[CLS] a [SEP] b [SEP]`, truncated to `maxLength`
   * (pairs: a token at a time from the longer text, from b when equal, as
   * Hugging Face's "longest_first"), padded to `padTo` (default: no padding).
   */
  encode(a: string, b: string | null = null, maxLength = 128, padTo?: number): EncodedText {
    requireInt("maxLength", maxLength, b === null ? 2 : 3);
    let ta = this.ids(a);
    let tb = b === null ? null : this.ids(b);
    const special = tb === null ? 2 : 3;
    let excess = ta.length + (tb?.length ?? 0) + special - maxLength;
    if (excess > 0 && tb === null) ta = ta.slice(0, ta.length - excess);
    else if (excess > 0 && tb !== null) {
      let la = ta.length,
        lb = tb.length;
      for (; excess > 0; excess--) {
        if (la > lb) la--;
        else lb--;
      }
      ta = ta.slice(0, la);
      tb = tb.slice(0, lb);
    }
    const seq = [this.clsId, ...ta, this.sepId, ...(tb === null ? [] : [...tb, this.sepId])];
    const width = padTo ?? seq.length;
    if (width < seq.length)
      throw new ValidationError("padTo", `at least the encoded length ${seq.length}`, width);
    const ids = new Int32Array(width).fill(this.padId);
    const typeIds = new Int32Array(width);
    const mask = new Int32Array(width);
    ids.set(seq);
    mask.fill(1, 0, seq.length);
    if (tb !== null) typeIds.fill(1, ta.length + 2, seq.length);
    return { ids, typeIds, mask, length: seq.length };
  }
}

/** Reads a vocab.txt (one token per line, id = line index). */
export function loadWordPieceVocab(
  path: string = defaultBertVocabPath(),
  options: WordPieceOptions = {},
): WordPieceTokenizer {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ValidationError(
      path,
      "a readable WordPiece vocab.txt",
      e instanceof Error ? e.message : String(e),
    );
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const tokens = lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (tokens.length < 5)
    throw new ValidationError(
      path,
      "a WordPiece vocab.txt with one token per line",
      `${tokens.length} lines`,
    );
  return new WordPieceTokenizer(tokens, options, createHash("sha256").update(text).digest("hex"));
}

function isWhitespace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || /^\p{Zs}$/u.test(ch);
}

function isControl(ch: string): boolean {
  if (ch === "\t" || ch === "\n" || ch === "\r") return false;
  return /^\p{C}$/u.test(ch);
}

function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
    return true;
  return /^\p{P}$/u.test(ch);
}

/** The CJK Unified Ideograph blocks BERT splits character by character. */
function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}
