/**
 * Fonts for rasterising the figures: resvg draws no text without a font, so
 * a known sans-serif font file is looked up in the usual system folders
 * (DejaVu Sans first, the font the width table below describes); failing
 * that, resvg is asked to load every system font.
 */
import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";

interface FontCandidate {
  family: string;
  files: string[];
}

const CANDIDATES: FontCandidate[] = [
  { family: "DejaVu Sans", files: ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] },
  { family: "Liberation Sans", files: ["LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"] },
  { family: "Arial", files: ["Arial.ttf", "arial.ttf", "Arial Bold.ttf", "arialbd.ttf"] },
  { family: "Noto Sans", files: ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"] },
  { family: "Helvetica", files: ["Helvetica.ttc"] },
];

function fontDirs(): string[] {
  const home = homedir();
  return [
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    join(home, ".fonts"),
    join(home, ".local/share/fonts"),
    "/Library/Fonts",
    "/System/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "C:\\Windows\\Fonts",
  ];
}

function walk(dir: string, depth: number, found: Map<string, string>): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      continue;
    }
    if (isDir) {
      if (depth > 0) walk(p, depth - 1, found);
    } else if (!found.has(basename(p))) {
      found.set(basename(p), p);
    }
  }
}

export interface FontChoice {
  /** the family resvg uses for sans-serif text, or null when left to resvg's system lookup */
  family: string | null;
  /** font files loaded explicitly */
  files: string[];
  loadSystemFonts: boolean;
}

let cached: FontChoice | undefined;

/** Looks for a known sans-serif font file under `dirs`. */
export function chooseFont(dirs: readonly string[] = fontDirs()): FontChoice {
  const found = new Map<string, string>();
  for (const d of dirs) walk(d, 4, found);
  let choice: FontChoice = { family: null, files: [], loadSystemFonts: true };
  for (const c of CANDIDATES) {
    const files = c.files.map((f) => found.get(f)).filter((p): p is string => p !== undefined);
    if (files.length > 0) {
      choice = { family: c.family, files, loadSystemFonts: false };
      break;
    }
  }
  return choice;
}

/** The font the PNGs are drawn with (looked up once per process). */
export function defaultFont(): FontChoice {
  cached ??= chooseFont();
  return cached;
}

/** resvg options: white background, `zoom` times the SVG's size, the chosen font. */
export function resvgOptions(zoom = 2, font: FontChoice = defaultFont()): ResvgRenderOptions {
  const fontOpts: NonNullable<ResvgRenderOptions["font"]> = {
    loadSystemFonts: font.loadSystemFonts,
    fontFiles: font.files,
    defaultFontSize: 12,
  };
  if (font.family !== null) {
    fontOpts.defaultFontFamily = font.family;
    fontOpts.sansSerifFamily = font.family;
  }
  return { background: "white", fitTo: { mode: "zoom", value: zoom }, font: fontOpts, logLevel: "off" };
}

/** Rasterises an SVG string to PNG bytes. */
export function svgToPng(svg: string, zoom = 2, font?: FontChoice): Uint8Array {
  const png = new Resvg(svg, resvgOptions(zoom, font)).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

// Advance widths of DejaVu Sans in em, for vega's layout (it cannot measure text without a canvas).
const WIDTHS: Record<string, number> = {
  " ": 0.318,
  ".": 0.318,
  ",": 0.318,
  ":": 0.337,
  ";": 0.337,
  "(": 0.39,
  ")": 0.39,
  "[": 0.39,
  "]": 0.39,
  "-": 0.361,
  "+": 0.838,
  "×": 0.838,
  "±": 0.838,
  "=": 0.838,
  "%": 0.95,
  "/": 0.337,
  "'": 0.275,
  '"': 0.46,
  _: 0.5,
  "!": 0.4,
  "?": 0.531,
  "|": 0.337,
  "&": 0.78,
  "#": 0.838,
  "<": 0.838,
  ">": 0.838,
  "–": 0.5,
  "—": 1.0,
  a: 0.613,
  b: 0.635,
  c: 0.55,
  d: 0.635,
  e: 0.615,
  f: 0.352,
  g: 0.635,
  h: 0.634,
  i: 0.278,
  j: 0.278,
  k: 0.579,
  l: 0.278,
  m: 0.974,
  n: 0.634,
  o: 0.612,
  p: 0.635,
  q: 0.635,
  r: 0.411,
  s: 0.521,
  t: 0.392,
  u: 0.634,
  v: 0.592,
  w: 0.818,
  x: 0.592,
  y: 0.592,
  z: 0.525,
  A: 0.684,
  B: 0.686,
  C: 0.698,
  D: 0.77,
  E: 0.632,
  F: 0.575,
  G: 0.775,
  H: 0.752,
  I: 0.295,
  J: 0.295,
  K: 0.656,
  L: 0.557,
  M: 0.863,
  N: 0.748,
  O: 0.787,
  P: 0.603,
  Q: 0.787,
  R: 0.695,
  S: 0.635,
  T: 0.611,
  U: 0.732,
  V: 0.684,
  W: 0.989,
  X: 0.685,
  Y: 0.611,
  Z: 0.685,
};

/** Width in pixels of `text` at `fontSize` in DejaVu Sans (bold about 10% wider). */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += WIDTHS[ch] ?? (ch >= "0" && ch <= "9" ? 0.636 : 0.62);
  return em * fontSize * (bold ? 1.1 : 1);
}
