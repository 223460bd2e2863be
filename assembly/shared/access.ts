// Loads and stores of f64 and f64x2 at an element index of an array at a byte
// address: the one memory access pattern of the statevector modules.

@inline export function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline export function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

@inline export function vld(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 3));
}

@inline export function vst(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 3), v);
}
