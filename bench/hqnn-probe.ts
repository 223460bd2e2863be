/**
 * HQNN-13 (the MUStARD baseline) on the fused statevector path, batch 16, float64 and float32: us per
 * sample (npx tsx bench/hqnn-probe.ts).
 */
import { hqnnCircuit } from "../src/circuits/hqnn.ts";
import { fusedAdjointExecutor } from "../src/sim/fused/index.ts";
for (const prec of ["float64", "float32"] as const) {
  const c = hqnnCircuit({ qubits: 13 });
  const ex = fusedAdjointExecutor(c, prec === "float32" ? { precision: "float32", kernels: "wasm" } : {});
  const B = 16;
  const x = Float64Array.from({ length: B * 3 }, (_, i) => Math.sin(i));
  const cot = Float64Array.from({ length: B * 13 }, (_, i) => Math.cos(i));
  let k = 0;
  const w = () => Float64Array.from({ length: 39 }, (_, i) => Math.cos(i + k++));
  for (let i = 0; i < 30; i++) ex.record(x, w(), B).backward(cot);
  let tf = 0,
    tb = 0;
  const N = 60;
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const tp = ex.record(x, w(), B);
    const t1 = performance.now();
    tp.backward(cot);
    tf += t1 - t0;
    tb += performance.now() - t1;
  }
  console.log(
    prec,
    `fwd ${((tf / N / B) * 1000).toFixed(0)} us/sample, bwd ${((tb / N / B) * 1000).toFixed(0)} us/sample, ${((N * B) / ((tf + tb) / 1000)).toFixed(0)} samples/s`,
  );
}
