// WebAssembly SIMD kernels of the structured QMTL engine (src/sim/qmtl-structured/wasm-kernels.ts) on
// byte addresses into the engine's linear memory: the m = 4 complex matrix products of flat-cmat4.ts
// (structured-parts/products.ts), the two-valued diagonal sandwiches and four-way dots of
// flat-cmat4.ts / flat-cvec.ts (structured-parts/elementwise.ts), and whole task blocks, forward and
// backward, of blocks.ts (structured-parts/blocks.ts). Build: sh bench/build-wasm.sh.
import { mNN, mNH, mHN, mNNAcc, mNHAcc, mHNAcc } from "./structured-parts/products";

/** Y = A B */
export function mulNN4(y: usize, a: usize, b: usize): void {
  mNN(y, a, b);
}
/** Y = A B^dag */
export function mulNH4(y: usize, a: usize, b: usize): void {
  mNH(y, a, b);
}
/** Y = A^dag B */
export function mulHN4(y: usize, a: usize, b: usize): void {
  mHN(y, a, b);
}
/** Y += s A B */
export function mulNNAcc4(s: f64, y: usize, a: usize, b: usize): void {
  mNNAcc(s, y, a, b);
}
/** Y += A B^dag */
export function mulNHAcc4(y: usize, a: usize, b: usize): void {
  mNHAcc(y, a, b);
}
/** Y += A^dag B */
export function mulHNAcc4(y: usize, a: usize, b: usize): void {
  mHNAcc(y, a, b);
}

export { dsandTo4, dsandAcc4, dsandGrad4, cdot4, cdot4Back } from "./structured-parts/elementwise";
export { blockForward, blockBackward } from "./structured-parts/blocks";
export { chainsForward, chainsBackward } from "./structured-parts/chains";
export { readout, readoutBack } from "./structured-parts/readout";
