import type { Circuit, Op } from "../../src/circuits/ir.ts";
import { cst, inp, wgt } from "../../src/circuits/ir.ts";
import { parsePauliWord } from "../../src/circuits/pauli.ts";
import { resolveQmtl, qmtlCircuit, type QmtlSpec } from "../../src/circuits/qmtl.ts";
import { hqnnCircuit } from "../../src/circuits/hqnn.ts";
import { defaultReadout } from "../../src/circuits/readout.ts";
import { zeroState, type StateVector } from "../../src/sim/state.ts";
import { expvalPauli, pauliMasks } from "../../src/sim/pauli-ops.ts";
import { sampleExpectations } from "../../src/sim/sampling.ts";
import { compile } from "../../src/sim/simulate.ts";
import { selectKernelBackend, type KernelChoice } from "../../src/sim/wasm/select.ts";
import { adjointExecutor } from "../../src/diff/adjoint.ts";
import { parameterShiftExecutor } from "../../src/diff/parameter-shift.ts";
import { fusedAdjointExecutor, type FusedAdjointOptions } from "../../src/sim/fused/index.ts";
import { qmtlEngine } from "../../src/sim/qmtl-structured/engine.ts";
import { Rng } from "../../src/core/rng.ts";
import type { LibraryRow } from "./catalogue.ts";

/** Circuits, states, executors and the QMTL layout under bad arguments: rows for the catalogue. */
const rows: LibraryRow[] = [];
const add = (category: string, name: string, run: () => unknown, fragment: string, heavy = false): void => {
  rows.push({ name, category, run, expect: { kind: "error", fragment }, heavy });
};

const circuit = (nQubits: number, ops: Op[], extra: Partial<Circuit> = {}): Circuit => ({
  nQubits,
  nInputs: 1,
  nWeights: 1,
  ops,
  observables: [{ factors: [{ pauli: "Z", wire: 0 }] }],
  ...extra,
});
const small = circuit(2, [
  { gate: "RX", wires: [0], params: [inp(0)] },
  { gate: "CNOT", wires: [0, 1], params: [] },
  { gate: "RY", wires: [1], params: [wgt(0)] },
]);
const wide = (n: number): Circuit => {
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) ops.push({ gate: "RY", wires: [i], params: [wgt(0)] });
  for (let i = 0; i + 1 < n; i++) ops.push({ gate: "CNOT", wires: [i, i + 1], params: [] });
  return { nQubits: n, nInputs: 0, nWeights: 1, ops, observables: [{ factors: [{ pauli: "Z", wire: 0 }] }] };
};
const fwd =
  (
    ex: () => { forward(i: Float64Array, w: Float64Array, b: number): Float64Array },
    x: number[],
    w: number[],
    b = 1,
  ) =>
  () =>
    ex().forward(Float64Array.from(x), Float64Array.from(w), b);

// ---- circuit IR
add(
  "circuit",
  "unknown gate name",
  () => compile(circuit(2, [{ gate: "FOO" as "H", wires: [0], params: [] }])),
  "unknown gate",
);
add(
  "circuit",
  "lower-case gate name",
  () => adjointExecutor(circuit(2, [{ gate: "rx" as "RX", wires: [0], params: [inp(0)] }])),
  "unknown gate",
);
add(
  "circuit",
  "3x3 Unitary",
  () =>
    compile(
      circuit(2, [
        {
          gate: "Unitary",
          wires: [0],
          params: [],
          matrix: { dim: 3, re: new Float64Array(9), im: new Float64Array(9) },
        },
      ]),
    ),
  "2x2 or 4x4",
);
add(
  "circuit",
  "wire outside the register",
  () => compile(circuit(2, [{ gate: "H", wires: [2], params: [] }])),
  "wires in [0, 1]",
);
add(
  "circuit",
  "fractional wire",
  () => compile(circuit(2, [{ gate: "H", wires: [0.5], params: [] }])),
  "wires in [0, 1]",
);
add(
  "circuit",
  "CNOT on one wire twice",
  () => compile(circuit(2, [{ gate: "CNOT", wires: [1, 1], params: [] }])),
  "distinct wires",
);
add(
  "circuit",
  "RX without its angle",
  () => compile(circuit(2, [{ gate: "RX", wires: [0], params: [] }])),
  "1 parameter",
);
add(
  "circuit",
  "input index out of range",
  () => compile(circuit(2, [{ gate: "RX", wires: [0], params: [inp(4)] }])),
  "input index",
);
add(
  "circuit",
  "negative weight index",
  () => compile(circuit(2, [{ gate: "RX", wires: [0], params: [wgt(-1)] }])),
  "weight index",
);
add(
  "circuit",
  "fractional weight index",
  () => adjointExecutor(circuit(2, [{ gate: "RX", wires: [0], params: [wgt(0.5)] }])),
  "weight index",
);
add("circuit", "zero qubits", () => compile(circuit(0, [], { observables: [] })), "nQubits");
add(
  "circuit",
  "NaN constant angle",
  () => compile(circuit(2, [{ gate: "RX", wires: [0], params: [cst(Number.NaN)] }])),
  "finite",
);
add(
  "circuit",
  "Infinity constant angle",
  () => adjointExecutor(circuit(2, [{ gate: "RY", wires: [0], params: [cst(Infinity)] }])),
  "finite",
);
add(
  "circuit",
  "observable on a wire outside the register",
  () => compile(circuit(2, [], { observables: [{ factors: [{ pauli: "Z", wire: 5 }] }] })),
  "observables[0]",
);
add(
  "circuit",
  "observable with an unknown Pauli letter",
  () => compile(circuit(2, [], { observables: [{ factors: [{ pauli: "W" as "X", wire: 0 }] }] })),
  "Pauli",
);
add("circuit", "no observables", () => adjointExecutor(circuit(2, [], { observables: [] })), "observable");
add("circuit", "negative nInputs", () => compile(circuit(2, [], { nInputs: -1 })), "nInputs");
add("circuit", "27 qubits for the gate-by-gate adjoint", () => adjointExecutor(wide(27)), "qubits");
add("circuit", "40 qubits for parameter shift", () => parameterShiftExecutor(wide(40)), "qubits");
add("pauli", "Pauli word on a wire outside the register", () => parsePauliWord("Z5", 3), "wires in [0, 2]");
add("pauli", "Pauli word with an unknown letter", () => parsePauliWord("Q0", 3), "Pauli factors");
add("pauli", "empty Pauli word", () => parsePauliWord("  ", 3), "a Pauli word");
add("pauli", "Pauli word repeating a wire", () => parsePauliWord("Z0 X0", 3), "each wire at most once");

// ---- states and measurement
const state = (re: number[], im?: number[]): StateVector => ({
  n: Math.log2(re.length),
  re: Float64Array.from(re),
  im: Float64Array.from(im ?? re.map(() => 0)),
});
const z0 = parsePauliWord("Z0", 1);
add(
  "state",
  "expectation on a wire outside the register",
  () => expvalPauli(zeroState(3), pauliMasks({ factors: [{ pauli: "Z", wire: 5 }] }, 3)),
  "wire",
);
add(
  "state",
  "expectation on a negative wire",
  () => expvalPauli(zeroState(3), pauliMasks({ factors: [{ pauli: "X", wire: -1 }] }, 3)),
  "wire",
);
add(
  "state",
  "expectation on the all-zero state",
  () => expvalPauli(state([0, 0]), pauliMasks(z0, 1)),
  "norm",
);
add(
  "state",
  "expectation on a NaN state",
  () => expvalPauli(state([Number.NaN, 0]), pauliMasks(z0, 1)),
  "finite",
);
add(
  "state",
  "expectation on an unnormalised state",
  () => expvalPauli(state([2, 0]), pauliMasks(z0, 1)),
  "norm",
);
add(
  "state",
  "expectation: re and im of different lengths",
  () => expvalPauli({ n: 1, re: new Float64Array(2), im: new Float64Array(1) }, pauliMasks(z0, 1)),
  "length",
);
add("state", "zeroState(27)", () => zeroState(27), "26");
add("state", "zeroState(2.5)", () => zeroState(2.5), "nQubits");
add(
  "state",
  "sampling the all-zero state",
  () => sampleExpectations(state([0, 0]), [z0], 10, new Rng(1)),
  "norm",
);
add(
  "state",
  "sampling a NaN state",
  () => sampleExpectations(state([Number.NaN, 1]), [z0], 10, new Rng(1)),
  "finite",
);
add(
  "state",
  "sampling a word outside the register",
  () => sampleExpectations(zeroState(2), [{ factors: [{ pauli: "Z", wire: 7 }] }], 10, new Rng(1)),
  "wire",
);
add("state", "sampling with 0 shots", () => sampleExpectations(zeroState(2), [z0], 0, new Rng(1)), "shots");
add(
  "state",
  "sampling with 1e12 shots",
  () => sampleExpectations(zeroState(2), [z0], 1e12, new Rng(1)),
  "shots",
  true,
);
add("state", "sampling with no words", () => sampleExpectations(zeroState(2), [], 10, new Rng(1)), "word");

// ---- executors
const adj = () => adjointExecutor(small);
add("executor", "adjoint: NaN input angle", fwd(adj, [Number.NaN], [0.1]), "inputs[0]");
add("executor", "adjoint: Infinity weight", fwd(adj, [0.1], [Infinity]), "weights[0]");
add("executor", "adjoint: inputs too short", fwd(adj, [], [0.1]), "inputs");
add("executor", "adjoint: too many weights", fwd(adj, [0.1], [0.1, 0.2]), "weights");
add("executor", "adjoint: batch 0", fwd(adj, [], [0.1], 0), "batch");
add("executor", "adjoint: batch 1.5", fwd(adj, [0.1], [0.1], 1.5), "batch");
add(
  "executor",
  "adjoint: cotangent of the wrong length",
  () => adj().record(Float64Array.of(0.1), Float64Array.of(0.2), 1).backward(new Float64Array(3)),
  "cotangent",
);
add(
  "executor",
  "adjoint: NaN cotangent",
  () => adj().record(Float64Array.of(0.1), Float64Array.of(0.2), 1).backward(Float64Array.of(Number.NaN)),
  "cotangent",
);
add(
  "executor",
  "parameter shift: NaN input angle",
  fwd(() => parameterShiftExecutor(small), [Number.NaN], [0.1]),
  "inputs[0]",
);
add(
  "executor",
  "adjoint: plain number array for inputs",
  () => adj().forward([0.1] as unknown as Float64Array, Float64Array.of(0.1), 1),
  "Float64Array",
);
add("executor", "unknown kernel choice", () => selectKernelBackend("gpu" as KernelChoice), "kernels");
const fused =
  (c: Circuit, o: FusedAdjointOptions = {}) =>
  () =>
    fusedAdjointExecutor(c, o);
add("executor", "fused: 27 qubits", fused(wide(27)), "qubits", true);
add("executor", "fused: 30 qubits", fused(wide(30)), "qubits", true);
add("executor", "fused: 33 qubits (1 << 33 wraps)", fused(wide(33)), "qubits", true);
add(
  "executor",
  "fused: NaN checkpointBytes",
  fused(small, { checkpointBytes: Number.NaN }),
  "checkpointBytes",
);
add("executor", "fused: precision float16", fused(small, { precision: "float16" as "float32" }), "precision");
add("executor", "fused: kernels gpu", fused(small, { kernels: "gpu" as "ts" }), "kernels");
add("executor", "fused: NaN input", fwd(fused(small), [Number.NaN], [0.1]), "inputs[0]");
add(
  "executor",
  "fused: unknown gate",
  fused(circuit(2, [{ gate: "CCX" as "CNOT", wires: [0, 1], params: [] }])),
  "unknown gate",
);
add(
  "executor",
  "fused: NaN constant angle",
  fused(circuit(2, [{ gate: "RZ", wires: [0], params: [cst(Number.NaN)] }])),
  "finite",
);
add("circuit", "hqnn: 30 qubits", () => hqnnCircuit({ qubits: 30 }), "hqnn.qubits");
add("circuit", "hqnn: 0 repetitions", () => hqnnCircuit({ qubits: 4, repetitions: 0 }), "hqnn.repetitions");

// ---- the QMTL layout and the structured engine
const spec = (o: Partial<QmtlSpec> = {}): QmtlSpec => ({
  encodingLayers: 3,
  headLayers: 2,
  tasks: [
    { name: "a", kind: "binary" },
    { name: "b", kind: "multiclass", numClasses: 3 },
  ],
  ...o,
});
const layout =
  (o: Partial<QmtlSpec> = {}) =>
  () =>
    resolveQmtl(spec(o));
const engine =
  (o: Partial<QmtlSpec> = {}) =>
  () =>
    qmtlEngine(resolveQmtl(spec(o)));
add("qmtl", "no tasks", layout({ tasks: [] }), "tasks");
add("qmtl", "encodingLayers 0", layout({ encodingLayers: 0 }), "encodingLayers");
add("qmtl", "headLayers -1", layout({ headLayers: -1 }), "headLayers");
add(
  "qmtl",
  "duplicate task names",
  layout({
    tasks: [
      { name: "a", kind: "binary" },
      { name: "a", kind: "binary" },
    ],
  }),
  "unique task name",
);
add("qmtl", "unknown task kind", layout({ tasks: [{ name: "a", kind: "ordinal" as "binary" }] }), "kind");
add(
  "qmtl",
  "numClasses 1",
  layout({ tasks: [{ name: "a", kind: "multiclass", numClasses: 1 }] }),
  "numClasses",
);
add(
  "qmtl",
  "numClasses 2.5",
  layout({ tasks: [{ name: "a", kind: "multiclass", numClasses: 2.5 }] }),
  "numClasses",
);
add(
  "qmtl",
  "numClasses 1e6",
  layout({ tasks: [{ name: "a", kind: "multiclass", numClasses: 1e6 }] }),
  "numClasses",
  true,
);
add(
  "qmtl",
  "default readout for 1e6 classes",
  () => defaultReadout({ kind: "multiclass", numClasses: 1e6 }),
  "numClasses",
  true,
);
add("qmtl", "qubits not the sum of sub-registers", layout({ qubits: 7 }), "qubits");
add("qmtl", "inputDim not Q*L", layout({ inputDim: 10 }), "inputDim");
add(
  "qmtl",
  "observable count does not match classes",
  layout({ tasks: [{ name: "a", kind: "multiclass", numClasses: 3, observables: ["Z0", "Z1"] }] }),
  "3 observables",
);
add(
  "qmtl",
  "sub-register of 0 qubits",
  layout({ tasks: [{ name: "a", kind: "binary", qubits: 0 }] }),
  "qubits",
);
add("qmtl", "empty task name", layout({ tasks: [{ name: "", kind: "binary" }] }), "name");
add(
  "qmtl",
  "observable beyond the sub-register",
  layout({ tasks: [{ name: "a", kind: "binary", qubits: 1, observables: ["Z3"] }] }),
  "observables",
);
add(
  "qmtl",
  "14-qubit sub-register in the structured engine",
  engine({
    tasks: [
      { name: "a", kind: "binary", qubits: 14 },
      { name: "b", kind: "binary" },
    ],
  }),
  "memory",
  true,
);
add(
  "qmtl",
  "encodingLayers 40 in the structured engine",
  engine({ encodingLayers: 40 }),
  "encodingLayers",
  true,
);
add("qmtl", "headLayers 1e9", layout({ headLayers: 1e9 }), "headLayers", true);
add("qmtl", "encodingLayers 1e8 (Q*L inputs)", layout({ encodingLayers: 1e8 }), "encodingLayers", true);
add(
  "qmtl",
  "27 qubits as a gate-level circuit",
  () => qmtlCircuit(resolveQmtl(spec({ tasks: [{ name: "a", kind: "binary", qubits: 27 }] }))),
  "qubits",
  true,
);
add(
  "qmtl",
  "structured engine: NaN input",
  fwd(
    engine(),
    Array.from({ length: 9 }, (_, i) => (i === 4 ? Number.NaN : 0.1)),
    Array.from({ length: resolveQmtl(spec()).nWeights }, () => 0.1),
  ),
  "inputs[4]",
);

export const simRows: readonly LibraryRow[] = rows;
