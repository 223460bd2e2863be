/**
 * Generates src/sim/qmtl-structured/flat-cmat4.ts: the m = 4 (L = 3, the paper's heads)
 * complex matrix products of flat-cmat.ts, unrolled over the inner index and
 * the columns with the right operand held in locals (measured ~1.4x faster
 * than the generic loops in V8). Run: npx tsx bench/gen-flat-cmat4.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Spec {
  name: string;
  doc: string;
  /** element (row, k) of A: conj-transposed reads A[k, row] */
  aH: boolean;
  /** element (k, col) of B: conj-transposed reads B[col, k] */
  bH: boolean;
  mode: "to" | "acc" | "accScaled";
}

const specs: Spec[] = [
  { name: "mulNN4", doc: "Y = A B", aH: false, bH: false, mode: "to" },
  { name: "mulNH4", doc: "Y = A B^dag", aH: false, bH: true, mode: "to" },
  { name: "mulHN4", doc: "Y = A^dag B", aH: true, bH: false, mode: "to" },
  { name: "mulNNAcc4", doc: "Y += s A B", aH: false, bH: false, mode: "accScaled" },
  { name: "mulNHAcc4", doc: "Y += A B^dag", aH: false, bH: true, mode: "acc" },
  { name: "mulHNAcc4", doc: "Y += A^dag B", aH: true, bH: false, mode: "acc" },
];

function gen(s: Spec): string {
  const L: string[] = [];
  const params =
    s.mode === "accScaled"
      ? "s: number, y: F64, yo: number, a: F64, ao: number, b: F64, bo: number"
      : "y: F64, yo: number, a: F64, ao: number, b: F64, bo: number";
  L.push(`/** ${s.doc} (4 x 4) */`);
  L.push(`export function ${s.name}(${params}): void {`);
  // B element (k, c) into locals
  for (let k = 0; k < 4; k++) {
    const parts: string[] = [];
    for (let c = 0; c < 4; c++) {
      const off = s.bH ? 2 * (c * 4 + k) : 2 * (k * 4 + c);
      parts.push(`b${k}${c}r = b[bo + ${off}]!, b${k}${c}i = ${s.bH ? "-" : ""}b[bo + ${off + 1}]!`);
    }
    L.push(`  const ${parts.join(", ")};`);
  }
  L.push("  for (let r = 0; r < 4; r++) {");
  const aParts: string[] = [];
  for (let k = 0; k < 4; k++) {
    const base = s.aH ? `ao + 2 * r + ${8 * k}` : `ao + 8 * r + ${2 * k}`;
    aParts.push(`a${k}r = a[${base}]!, a${k}i = ${s.aH ? "-" : ""}a[${base} + 1]!`);
  }
  L.push(`    const ${aParts.join(", ")};`);
  L.push("    const q = yo + 8 * r;");
  for (let c = 0; c < 4; c++) {
    const re = [0, 1, 2, 3].map((k) => `a${k}r * b${k}${c}r - a${k}i * b${k}${c}i`).join(" + ");
    const im = [0, 1, 2, 3].map((k) => `a${k}r * b${k}${c}i + a${k}i * b${k}${c}r`).join(" + ");
    const op = s.mode === "to" ? "=" : "+=";
    const bang = s.mode === "to" ? "" : "!";
    const wrap = (e: string): string => (s.mode === "accScaled" ? `s * (${e})` : e);
    L.push(`    y[q + ${2 * c}]${bang} ${op} ${wrap(re)};`);
    L.push(`    y[q + ${2 * c + 1}]${bang} ${op} ${wrap(im)};`);
  }
  L.push("  }");
  L.push("}");
  return L.join("\n");
}

/** Two-valued diagonal scalings (see flat-cmat.ts quadrant) for m = 4: quadrants are 2 x 2. */
function genDsand(): string {
  const L: string[] = [];
  const weights = [
    "  const p0r = d1[d1o]!, p0i = d1[d1o + 1]!, p1r = d1[d1o + 2]!, p1i = d1[d1o + 3]!;",
    "  const q0r = d2[d2o]!, q0i = -d2[d2o + 1]!, q1r = d2[d2o + 2]!, q1i = -d2[d2o + 3]!;",
  ];
  for (const acc of [false, true]) {
    const name = acc ? "dsandAcc4" : "dsandTo4";
    L.push(`/** Y ${acc ? "+" : ""}= D1 X D2^dag, two-valued diagonals (4 x 4) */`);
    L.push(
      `export function ${name}(y: F64, yo: number, x: F64, xo: number, d1: F64, d1o: number, d2: F64, d2o: number): void {`,
    );
    L.push(...weights);
    for (let q1 = 0; q1 < 2; q1++)
      for (let q2 = 0; q2 < 2; q2++) {
        L.push(
          `  const w${q1}${q2}r = p${q1}r * q${q2}r - p${q1}i * q${q2}i, w${q1}${q2}i = p${q1}r * q${q2}i + p${q1}i * q${q2}r;`,
        );
      }
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < 4; c++) {
        const w = `w${r >> 1}${c >> 1}`,
          o = 2 * (r * 4 + c);
        L.push(
          `  { const xr = x[xo + ${o}]!, xi = x[xo + ${o + 1}]!; y[yo + ${o}]${acc ? "! +" : " "}= ${w}r * xr - ${w}i * xi; y[yo + ${o + 1}]${acc ? "! +" : " "}= ${w}r * xi + ${w}i * xr; }`,
        );
      }
    L.push("}");
    L.push("");
  }
  L.push(
    "/** cotangents of the two values of d1 and d2 in Y = D1 X D2^dag (4 x 4), see flat-cmat.ts dsandGrad */",
  );
  L.push(
    "export function dsandGrad4(yb: F64, ybo: number, x: F64, xo: number, d1: F64, d1o: number, d2: F64, d2o: number, g1: F64, g1o: number, g2: F64, g2o: number): void {",
  );
  for (let q1 = 0; q1 < 2; q1++)
    for (let q2 = 0; q2 < 2; q2++) {
      const terms: string[] = [];
      for (let r = 2 * q1; r < 2 * q1 + 2; r++)
        for (let c = 2 * q2; c < 2 * q2 + 2; c++) terms.push(String(2 * (r * 4 + c)));
      const re = terms
        .map((o) => `yb[ybo + ${o}]! * x[xo + ${o}]! + yb[ybo + ${o} + 1]! * x[xo + ${o} + 1]!`)
        .join(" + ");
      const im = terms
        .map((o) => `yb[ybo + ${o} + 1]! * x[xo + ${o}]! - yb[ybo + ${o}]! * x[xo + ${o} + 1]!`)
        .join(" + ");
      L.push(`  const t${q1}${q2}r = ${re};`);
      L.push(`  const t${q1}${q2}i = ${im};`);
    }
  L.push("  const p0r = d1[d1o]!, p0i = d1[d1o + 1]!, p1r = d1[d1o + 2]!, p1i = d1[d1o + 3]!;");
  L.push("  const q0r = d2[d2o]!, q0i = d2[d2o + 1]!, q1r = d2[d2o + 2]!, q1i = d2[d2o + 3]!;");
  for (let q1 = 0; q1 < 2; q1++) {
    const re = [0, 1].map((q2) => `t${q1}${q2}r * q${q2}r - t${q1}${q2}i * q${q2}i`).join(" + ");
    const im = [0, 1].map((q2) => `t${q1}${q2}r * q${q2}i + t${q1}${q2}i * q${q2}r`).join(" + ");
    L.push(`  g1[g1o + ${2 * q1}]! += ${re};`);
    L.push(`  g1[g1o + ${2 * q1 + 1}]! += ${im};`);
  }
  for (let q2 = 0; q2 < 2; q2++) {
    const re = [0, 1].map((q1) => `t${q1}${q2}r * p${q1}r + t${q1}${q2}i * p${q1}i`).join(" + ");
    const im = [0, 1].map((q1) => `t${q1}${q2}r * p${q1}i - t${q1}${q2}i * p${q1}r`).join(" + ");
    L.push(`  g2[g2o + ${2 * q2}]! += ${re};`);
    L.push(`  g2[g2o + ${2 * q2 + 1}]! += ${im};`);
  }
  L.push("}");
  return L.join("\n");
}

const header = `/**
 * GENERATED by bench/gen-flat-cmat4.ts: do not edit. The m = 4 complex
 * matrix products and two-valued diagonal scalings of flat-cmat.ts
 * (interleaved re/im, row-major), unrolled; outputs must not alias inputs.
 */
type F64 = Float64Array;
`;

const out = header + "\n" + specs.map(gen).join("\n\n") + "\n\n" + genDsand() + "\n";
const target =
  process.argv[2] ?? fileURLToPath(new URL("../src/sim/qmtl-structured/flat-cmat4.ts", import.meta.url));
writeFileSync(target, out);
console.log(`wrote ${target}`);
