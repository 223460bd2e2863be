/**
 * Hand-written float64 layers vs @tensorflow/tfjs (wasm and cpu backends,
 * float32) on forward+backward of Linear(in->h) + ReLU + Linear(h->out):
 *  - "mustard": 1024->39->39 at batch 16, the MUStARD classical projection,
 *    the largest classical piece qmtl trains;
 *  - "head": 30->30->3 at batch 32, the size of a CheXpert/GLUE task head.
 * Run: npx tsx bench/nn-layers.ts [iterations]
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Rng } from "../src/core/rng.ts";
import { Linear } from "../src/nn/linear.ts";
import { ReLU } from "../src/nn/relu.ts";
import { Sequential } from "../src/nn/sequential.ts";

const iters = Number(process.argv[2] ?? 2000);
const configs = [
  { name: "mustard", B: 16, D_IN: 1024, H: 39, OUT: 39 },
  { name: "head", B: 32, D_IN: 30, H: 30, OUT: 3 },
];
const results: Record<string, number> = {};

function randomArray(n: number, rng: Rng): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.range(-1, 1);
  return v;
}

function time(label: string, fn: () => void, n: number): number {
  for (let i = 0; i < Math.min(1000, n); i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  console.log(`${label.padEnd(64)} ${us.toFixed(1).padStart(9)} us/iter`);
  return us;
}

async function benchConfig(cfg: {
  name: string;
  B: number;
  D_IN: number;
  H: number;
  OUT: number;
}): Promise<void> {
  const { name, B, D_IN, H, OUT } = cfg;
  const rng = new Rng(0);
  const x = randomArray(B * D_IN, rng);
  const r = randomArray(B * OUT, rng);

  // --- hand-written ---
  const net = new Sequential([new Linear(D_IN, H, rng), new ReLU(H), new Linear(H, OUT, rng)]);
  const ctx = { training: true, rng: new Rng(1) };
  results[`${name} hand-written float64`] = time(
    `${name} hand-written float64 fwd+bwd (+zeroGrad)`,
    () => {
      net.zeroGrad();
      net.forward(x, B, ctx);
      net.backward(r);
    },
    iters,
  );

  // --- tfjs ---
  async function benchTf(backend: "wasm" | "cpu"): Promise<void> {
    const ok = await tf.setBackend(backend);
    if (!ok) {
      console.log(`tfjs ${backend}: backend unavailable`);
      return;
    }
    await tf.ready();
    const [w1, w2] = net.params().filter((p) => p.shape.length === 2);
    const [b1, b2] = net.params().filter((p) => p.shape.length === 1);
    if (!w1 || !w2 || !b1 || !b2) throw new Error("unexpected params");
    const xt = tf.tensor2d(Float32Array.from(x), [B, D_IN]);
    const rt = tf.tensor2d(Float32Array.from(r), [B, OUT]);
    const W1 = tf.variable(tf.tensor2d(Float32Array.from(w1.value), [H, D_IN]));
    const B1 = tf.variable(tf.tensor1d(Float32Array.from(b1.value)));
    const W2 = tf.variable(tf.tensor2d(Float32Array.from(w2.value), [OUT, H]));
    const B2 = tf.variable(tf.tensor1d(Float32Array.from(b2.value)));
    const f = (xin: tf.Tensor, a: tf.Tensor, ab: tf.Tensor, c: tf.Tensor, cb: tf.Tensor): tf.Scalar => {
      const h = tf.relu(tf.add(tf.matMul(xin, a, false, true), ab));
      const y = tf.add(tf.matMul(h, c, false, true), cb);
      return tf.sum(tf.mul(y, rt));
    };
    const g = tf.grads((xin: tf.Tensor, a: tf.Tensor, ab: tf.Tensor, c: tf.Tensor, cb: tf.Tensor) =>
      f(xin, a, ab, c, cb),
    );
    // correctness against the float64 layers (float32 tolerance)
    net.zeroGrad();
    net.forward(x, B, ctx);
    const dx = net.backward(r);
    const tg = tf.tidy(() => g([xt, W1, B1, W2, B2]));
    const dxT = await (tg[0] as tf.Tensor).data();
    const dw1 = await (tg[1] as tf.Tensor).data();
    let maxErr = 0;
    for (let i = 0; i < dx.length; i++) maxErr = Math.max(maxErr, Math.abs(dx[i] - (dxT[i] as number)));
    for (let i = 0; i < dw1.length; i++) maxErr = Math.max(maxErr, Math.abs(w1.grad[i] - (dw1[i] as number)));
    tg.forEach((t) => t.dispose());
    console.log(`${name} tfjs ${backend}: max |grad difference| vs float64 = ${maxErr.toExponential(2)}`);
    results[`${name} tfjs ${backend} float32 (grads, no readback)`] = time(
      `${name} tfjs ${backend} fwd+bwd, gradients left on the backend`,
      () => {
        const out = tf.tidy(() => g([xt, W1, B1, W2, B2]));
        out.forEach((t) => t.dispose());
      },
      iters,
    );
    results[`${name} tfjs ${backend} float32 (grads + dataSync readback)`] = time(
      `${name} tfjs ${backend} fwd+bwd + dataSync of all 5 gradients`,
      () => {
        const out = tf.tidy(() => g([xt, W1, B1, W2, B2]));
        for (const t of out) t.dataSync();
        out.forEach((t) => t.dispose());
      },
      iters,
    );
    [xt, rt, W1, B1, W2, B2].forEach((t) => t.dispose());
  }

  await benchTf("wasm");
  await benchTf("cpu");
}

for (const c of configs) await benchConfig(c);
console.log(JSON.stringify({ node: process.version, iters, usPerIter: results }, null, 2));
