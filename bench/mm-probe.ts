/**
 * Probe (issue 18): the 4 x 4 complex product Y = A B in three unrolled shapes, against the
 * generated mulNN4 (B in 32 locals, rows of A in a loop): one output column at a time (B column
 * in locals), two columns at a time, and all four (the same shape as mulNN4, built at run time).
 * CPU ns per product, best of 12 rounds: npx tsx bench/mm-probe.ts
 */
import { mulNN4 } from "../src/sim/qmtl-structured/flat-cmat4.ts";
type F64 = Float64Array;
function gen(cols: number): (y: F64, yo: number, a: F64, ao: number, b: F64, bo: number) => void {
  const L: string[] = [];
  for (let c0 = 0; c0 < 4; c0 += cols) {
    const bl: string[] = [];
    for (let k = 0; k < 4; k++)
      for (let c = c0; c < c0 + cols; c++)
        bl.push(`b${k}${c}r = b[bo + ${2 * (k * 4 + c)}], b${k}${c}i = b[bo + ${2 * (k * 4 + c) + 1}]`);
    L.push(`{ const ${bl.join(", ")};`);
    L.push(
      `for (let r = 0; r < 4; r++) { const a0r = a[ao + 8 * r], a0i = a[ao + 8 * r + 1], a1r = a[ao + 8 * r + 2], a1i = a[ao + 8 * r + 3], a2r = a[ao + 8 * r + 4], a2i = a[ao + 8 * r + 5], a3r = a[ao + 8 * r + 6], a3i = a[ao + 8 * r + 7]; const q = yo + 8 * r;`,
    );
    for (let c = c0; c < c0 + cols; c++) {
      const re = [0, 1, 2, 3].map((k) => `a${k}r * b${k}${c}r - a${k}i * b${k}${c}i`).join(" + ");
      const im = [0, 1, 2, 3].map((k) => `a${k}r * b${k}${c}i + a${k}i * b${k}${c}r`).join(" + ");
      L.push(`y[q + ${2 * c}] = ${re}; y[q + ${2 * c + 1}] = ${im};`);
    }
    L.push("} }");
  }
  return new Function("y", "yo", "a", "ao", "b", "bo", L.join("\n")) as never;
}
const v1 = gen(1),
  v2 = gen(2),
  v4 = gen(4);
const N = 4096,
  buf = Float64Array.from({ length: N * 32 + 64 }, (_, i) => Math.sin(i)),
  out = new Float64Array(N * 32);
const ref = new Float64Array(32),
  got = new Float64Array(32);
mulNN4(ref, 0, buf, 0, buf, 32);
v2(got, 0, buf, 0, buf, 32);
console.log("check", Math.max(...ref.map((x, i) => Math.abs(x - got[i]!))));
const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const cands: Array<[string, typeof v1]> = [
  ["current", mulNN4],
  ["1col", v1],
  ["2col", v2],
  ["4col(fn)", v4],
];
const best = new Map<string, number>();
for (let r = 0; r < 12; r++)
  for (const [n, f] of cands) {
    const t = cpu();
    for (let rep = 0; rep < 20; rep++)
      for (let i = 0; i < N - 2; i++) f(out, i * 32, buf, i * 32, buf, (i + 1) * 32);
    const ns = ((cpu() - t) * 1000) / (20 * (N - 2));
    best.set(n, Math.min(best.get(n) ?? Infinity, ns));
  }
for (const [n, v] of best) console.log(n, v.toFixed(1), "ns");
