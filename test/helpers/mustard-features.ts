import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.ts";
import { loadMustard, mustardIds, taskLabels } from "../../src/datasets/mustard/dataset.ts";

export interface MustardFeatureOptions {
  /** feature columns (at least 6); default 12 */
  readonly cols?: number;
  /** noise seed; default 7 */
  readonly seed?: number;
  /** folder to write into; default a fresh temp folder */
  readonly dir?: string;
  /** file name; default mustard-features.json */
  readonly fileName?: string;
  /** write the rows in reverse dataset order (the loader must reorder them by id) */
  readonly shuffled?: boolean;
}

/**
 * Writes a small user feature file for the real 690 Extended MUStARD items,
 * `{ "ids": [...], "features": [[...], ...] }`, and returns its path. Columns
 * 0-1 carry the sarcasm label, 2-3 implicit and explicit sentiment, 4-5
 * implicit and explicit emotion (each as a signal plus seeded Gaussian noise);
 * the remaining columns are pure noise. Values are deliberately off-centre and
 * on different scales so that standardisation matters. Deterministic in its
 * options.
 */
export function writeMustardFeatures(options: MustardFeatureOptions = {}): string {
  const cols = options.cols ?? 12;
  if (!Number.isInteger(cols) || cols < 6)
    throw new Error(`writeMustardFeatures: cols must be an integer >= 6, got ${cols}`);
  const ds = loadMustard();
  const ids = mustardIds(ds);
  const sarcasm = taskLabels(ds, "sarcasm");
  const sentI = taskLabels(ds, "sentiment_implicit");
  const sentE = taskLabels(ds, "sentiment_explicit");
  const emoI = taskLabels(ds, "emotion_implicit");
  const emoE = taskLabels(ds, "emotion_explicit");
  const rng = new Rng(options.seed ?? 7);
  const rows: number[][] = ids.map((_, i) => {
    const signal = [
      2 * sarcasm[i]! - 1,
      1 - 2 * sarcasm[i]!,
      sentI[i]! - 1,
      sentE[i]! - 1,
      (emoI[i]! - 4) / 2,
      (emoE[i]! - 4) / 2,
    ];
    return Array.from({ length: cols }, (_, c) => {
      const s = c < signal.length ? signal[c]! : 0;
      const scale = 1 + (c % 4);
      // 6 significant digits keep the file small; the value stays a plain finite number
      return Number((3 + scale * (s + 0.8 * rng.normal())).toPrecision(6));
    });
  });
  const order = ids.map((_, i) => i);
  if (options.shuffled) order.reverse();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "qmtl-features-"));
  const path = join(dir, options.fileName ?? "mustard-features.json");
  writeFileSync(
    path,
    JSON.stringify({ ids: order.map((i) => ids[i]!), features: order.map((i) => rows[i]!) }),
  );
  return path;
}
