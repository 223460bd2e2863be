/**
 * The transpiled-circuit noise emulation (src/hardware/noisy): zero noise equals the
 * exact logical values; the density-matrix path equals a brute-force Kraus reference
 * written here; trajectories converge to it; single gates match analytic contractions;
 * relaxation events equal the noise layer's Aer thermal-relaxation channel.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.ts";
import type { DeviceCalibration } from "../../src/devices/calibration.ts";
import { loadDevice } from "../../src/devices/load.ts";
import { usableNeighbours } from "../../src/devices/lookup.ts";
import { cmat, dagger, identity, kron, matmul, type CMatrix } from "../../src/gates/matrix.ts";
import { PRESETS } from "../../src/circuits/presets.ts";
import { qmtlCircuit, resolveQmtl } from "../../src/circuits/qmtl.ts";
import type { PauliWord } from "../../src/circuits/pauli.ts";
import {
  amplitudeDamping,
  composeChannels,
  depolarizingAer,
  phaseFlip,
  thermalRelaxation,
  type Channel,
} from "../../src/noise/channels.ts";
import { channelPtm } from "../../src/noise/ptm.ts";
import { constAngle, type HwCircuit, type HwOp } from "../../src/hardware/hw-circuit.ts";
import { hwOpMatrix } from "../../src/hardware/hw-simulate.ts";
import { transpile } from "../../src/hardware/transpile/index.ts";
import {
  emulateNoisy,
  noisyProgram,
  relaxParams,
  runDensity,
  runTrajectories,
  type NoisyProgram,
} from "../../src/hardware/noisy/index.ts";
import { flat, logicalExpvals, randomValues } from "./heads.ts";

const fez = loadDevice("ibm_fez");

/** The device with every error rate zero and no relaxation. */
function noiseless(dev: DeviceCalibration): DeviceCalibration {
  return {
    ...dev,
    qubits: dev.qubits.map((q) => ({
      ...q,
      t1: Infinity,
      t2: Infinity,
      probMeas1Prep0: 0,
      probMeas0Prep1: 0,
    })),
    gates: dev.gates.map((g) => ({ ...g, ...(g.error !== undefined ? { error: 0 } : {}) })),
  };
}

/** The device with much larger errors (so that every channel matters at test precision). */
function amplified(dev: DeviceCalibration): DeviceCalibration {
  return {
    ...dev,
    qubits: dev.qubits.map((q) => ({
      ...q,
      t1: q.t1 / 50,
      t2: q.t2 / 50,
      probMeas1Prep0: Math.min(0.2, q.probMeas1Prep0 * 5),
      probMeas0Prep1: Math.min(0.2, q.probMeas0Prep1 * 5),
    })),
    gates: dev.gates.map((g) => ({
      ...g,
      ...(g.error !== undefined ? { error: Math.min(0.3, g.error * 20) } : {}),
    })),
  };
}

/** A chain of k physical qubits joined by usable couplers. */
function chain(dev: DeviceCalibration, k: number, start: number): number[] {
  const out = [start];
  while (out.length < k) {
    const next = usableNeighbours(dev, out[out.length - 1]!).find((q) => !out.includes(q));
    if (next === undefined) throw new Error("no chain");
    out.push(next);
  }
  return out;
}

/** A random ISA circuit (rz, sx, x, cz on a chain) with random Pauli words. */
function randomIsa(dev: DeviceCalibration, k: number, nOps: number, seed: number): HwCircuit {
  const rng = new Rng(seed);
  const qs = chain(dev, k, 3 + seed);
  const ops: HwOp[] = [];
  for (let i = 0; i < nOps; i++) {
    const r = rng.uniform();
    const q = qs[rng.int(k)]!;
    if (r < 0.35) ops.push({ gate: "rz", qubits: [q], angles: [constAngle(rng.range(-3, 3))] });
    else if (r < 0.65) ops.push({ gate: "sx", qubits: [q], angles: [] });
    else if (r < 0.75) ops.push({ gate: "x", qubits: [q], angles: [] });
    else {
      const j = rng.int(k - 1);
      ops.push({
        gate: "cz",
        qubits: rng.uniform() < 0.5 ? [qs[j]!, qs[j + 1]!] : [qs[j + 1]!, qs[j]!],
        angles: [],
      });
    }
  }
  const letters = ["X", "Y", "Z"] as const;
  const observables: PauliWord[] = [];
  for (let w = 0; w < 4; w++) {
    const a = qs[rng.int(k)]!,
      b = qs[rng.int(k)]!;
    const factors = [{ pauli: letters[rng.int(3)]!, wire: a }];
    if (b !== a) factors.push({ pauli: letters[rng.int(3)]!, wire: b });
    observables.push({ factors });
  }
  observables.push({ factors: qs.map((q) => ({ pauli: "Z" as const, wire: q })) });
  return { nQubits: dev.numQubits, nInputs: 0, nWeights: 0, ops, observables };
}

/** Embeds a k-qubit operator on `wires` of an n-qubit register (wire 0 most significant). */
function embed(m: CMatrix, wires: readonly number[], n: number): CMatrix {
  const D = 1 << n,
    d = m.dim;
  const out = cmat(D);
  const sub = (x: number): number =>
    wires.reduce((a, w, i) => a | (((x >> (n - 1 - w)) & 1) << (wires.length - 1 - i)), 0);
  const rest = (x: number): number => wires.reduce((a, w) => a & ~(1 << (n - 1 - w)), x);
  for (let r = 0; r < D; r++)
    for (let c = 0; c < D; c++) {
      if (rest(r) !== rest(c)) continue;
      out.re[r * D + c] = m.re[sub(r) * d + sub(c)]!;
      out.im[r * D + c] = m.im[sub(r) * d + sub(c)]!;
    }
  return out;
}

function applyKraus(rho: CMatrix, ch: Channel, wires: readonly number[], n: number): CMatrix {
  let acc: CMatrix | null = null;
  for (const k of ch.kraus) {
    const K = embed(k, wires, n);
    const t = matmul(matmul(K, rho), dagger(K));
    if (!acc) acc = t;
    else for (let i = 0; i < t.re.length; i++) ((acc.re[i]! += t.re[i]!), (acc.im[i]! += t.im[i]!));
  }
  return acc!;
}

/** Brute force: every event as full 2^n x 2^n Kraus operators, then Tr(rho (x)_i (a_i I + b_i Z_i)). */
function bruteForce(prog: NoisyProgram, params: ArrayLike<number>): Float64Array {
  const n = prog.n,
    D = 1 << n;
  const out = new Float64Array(prog.words.length);
  for (const s of prog.settings) {
    let rho = cmat(D);
    rho.re[0] = 1;
    for (const ev of s.events) {
      if (ev.kind === "gate")
        rho = applyKraus(rho, { name: "u", nQubits: 1, kraus: [hwOpMatrix(ev.op, params)] }, ev.op.qubits, n);
      else if (ev.kind === "depolarizing")
        rho = applyKraus(rho, depolarizingAer(ev.lam, ev.wires.length), ev.wires, n);
      else {
        rho = applyKraus(rho, amplitudeDamping(ev.gamma), [ev.wire], n);
        rho = applyKraus(rho, phaseFlip(ev.pz), [ev.wire], n);
      }
    }
    for (const m of s.setting.members) {
      let op = identity(1);
      const wires: number[] = [];
      for (const f of prog.words[m]!.factors) {
        const i = s.setting.basis.findIndex(([q]) => q === f.wire);
        const a = s.p01[i]! - s.p10[i]!,
          b = 1 - s.p01[i]! - s.p10[i]!;
        const z = cmat(2);
        z.re[0] = a + b;
        z.re[3] = a - b;
        op = wires.length === 0 ? z : kron(op, z);
        wires.push(s.measure[i]!);
      }
      const O = embed(op, wires, n);
      let tr = 0;
      for (let i = 0; i < D; i++)
        for (let j = 0; j < D; j++)
          tr += rho.re[i * D + j]! * O.re[j * D + i]! - rho.im[i * D + j]! * O.im[j * D + i]!;
      out[m] = tr;
    }
  }
  return out;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe("noisy emulation of transpiled circuits", () => {
  it("with every error rate zero equals the logical circuit (density and trajectories, 1e-10)", () => {
    const dev = noiseless(fez);
    const small = qmtlCircuit(resolveQmtl({ ...PRESETS.mustard, tasks: PRESETS.mustard.tasks.slice(0, 3) }));
    for (const [c, method] of [
      [small, "density"],
      [small, "trajectories"],
      [qmtlCircuit(resolveQmtl(PRESETS.mustard)), "trajectories"],
    ] as const) {
      const t = transpile(c, dev);
      const rows = [0, 1].map((s) => randomValues(c, 40 + s));
      const e = emulateNoisy(
        t.circuit,
        dev,
        rows.map((r) => flat(r.inputs, r.weights)),
        { method, trajectories: 2 },
      );
      expect(e.method).toBe(method);
      rows.forEach((r, b) => {
        const want = logicalExpvals(c, r.inputs, r.weights);
        expect(maxDiff(e.values.subarray(b * want.length, (b + 1) * want.length), want)).toBeLessThan(1e-10);
      });
      if (e.stderr) expect(Math.max(...e.stderr)).toBeLessThan(1e-10);
    }
  });

  it("density matrix equals a brute-force Kraus reference on random circuits (1e-10)", () => {
    const dev = amplified(fez);
    for (let seed = 0; seed < 4; seed++) {
      const isa = randomIsa(dev, 3, 24, seed);
      for (const o of [{}, { idle: false }, { relaxation: false, readout: false }]) {
        const prog = noisyProgram(isa, dev, o);
        const want = bruteForce(prog, []);
        const got = runDensity(prog, []);
        expect(maxDiff(got, want), `seed ${seed} ${JSON.stringify(o)}`).toBeLessThan(1e-10);
        // the noise is large enough to matter
        const clean = runDensity(noisyProgram(isa, noiseless(fez)), []);
        expect(maxDiff(got, clean)).toBeGreaterThan(1e-3);
      }
    }
  });

  it("trajectories converge to the density matrix within 4 standard errors, reproducibly", () => {
    const dev = amplified(fez);
    const isa = randomIsa(dev, 3, 30, 7);
    const prog = noisyProgram(isa, dev);
    const exact = runDensity(prog, []);
    const r = runTrajectories(prog, [], 3000, new Rng(2026));
    for (let k = 0; k < exact.length; k++) {
      expect(r.stderr[k]!).toBeGreaterThan(0);
      expect(Math.abs(r.values[k]! - exact[k]!), `word ${k}`).toBeLessThan(4 * r.stderr[k]!);
    }
    const again = runTrajectories(prog, [], 3000, new Rng(2026));
    expect(Array.from(again.values)).toEqual(Array.from(r.values));
    const other = runTrajectories(prog, [], 3000, new Rng(2027));
    expect(maxDiff(other.values, r.values)).toBeGreaterThan(0);
  });

  it("single gates match the analytic depolarizing contraction and relaxation", () => {
    const [a, b] = chain(fez, 2, 10);
    const isa: HwCircuit = {
      nQubits: fez.numQubits,
      nInputs: 0,
      nWeights: 0,
      ops: [
        { gate: "x", qubits: [a!], angles: [] },
        { gate: "x", qubits: [b!], angles: [] },
        { gate: "cz", qubits: [a!, b!], angles: [] },
      ],
      observables: [
        {
          factors: [
            { pauli: "Z", wire: a! },
            { pauli: "Z", wire: b! },
          ],
        },
      ],
    };
    const err = (g: string, qs: number[]): number =>
      fez.gates.find(
        (x) =>
          x.gate === g && (x.qubits.join() === qs.join() || x.qubits.join() === [...qs].reverse().join()),
      )!.error!;
    const lam2 = (4 / 3) * err("cz", [a!, b!]);
    const want = (1 - 2 * err("x", [a!])) * (1 - 2 * err("x", [b!])) * (1 - lam2);
    const prog = noisyProgram(isa, fez, { relaxation: false, readout: false });
    expect(Math.abs(runDensity(prog, [])[0]! - want)).toBeLessThan(1e-12);
    expect(want).toBeLessThan(1 - 1e-3);
    // one x with relaxation over its length: Z -> -(1 - lam), then amplitude damping
    const one: HwCircuit = {
      ...isa,
      ops: [isa.ops[0]!],
      observables: [{ factors: [{ pauli: "Z", wire: a! }] }],
    };
    const cal = fez.gates.find((x) => x.gate === "x" && x.qubits[0] === a)!;
    const q = fez.qubits[a!]!;
    const rel = thermalRelaxation(q.t1, Math.min(q.t2, 2 * q.t1), cal.length!);
    const p = channelPtm(rel);
    const fAvg = (p[0]! + p[5]! + p[10]! + p[15]!) / 4;
    const r = 1 - (2 * fAvg + 1) / 3;
    const lam = (2 * (cal.error! - r)) / (2 * (1 - r) - 1);
    const gamma = 1 - Math.exp(-cal.length! / q.t1);
    const z = -(1 - lam);
    const got = runDensity(noisyProgram(one, fez, { readout: false }), [])[0]!;
    expect(Math.abs(got - (1 - (1 - gamma) * (1 - z)))).toBeLessThan(1e-12);
  });

  it("relaxation events are the noise layer's thermal relaxation channel (PTM, 1e-12)", () => {
    for (const [t1, t2, t] of [
      [100e-6, 80e-6, 1e-6],
      [50e-6, 100e-6, 3e-6],
      [200e-6, 30e-6, 0.5e-6],
    ] as const) {
      const { gamma, pz } = relaxParams(t1, t2, t);
      const ours = channelPtm(composeChannels(amplitudeDamping(gamma), phaseFlip(pz)));
      const aer = channelPtm(thermalRelaxation(t1, t2, t));
      expect(maxDiff(ours, aer)).toBeLessThan(1e-12);
    }
  });

  it("refuses bad options with one line", () => {
    const isa = randomIsa(fez, 3, 5, 1);
    expect(() => emulateNoisy(isa, fez, [[]], { trajectories: 1, method: "trajectories" })).toThrow(
      /trajectories/,
    );
    expect(() => emulateNoisy(isa, fez, [[]], { method: "exact" as "density" })).toThrow(/method/);
    expect(() => emulateNoisy(isa, fez, [[]], { method: "density", maxDensityQubits: 2 })).toThrow(
      /at most 2 active qubits/,
    );
    expect(() => noisyProgram(isa, fez, { relaxation: false, idle: true })).toThrow(/idle/);
    const bad: HwCircuit = { ...isa, ops: [{ gate: "h", qubits: [isa.ops[0]!.qubits[0]!], angles: [] }] };
    expect(() => noisyProgram(bad, fez)).toThrow(/native gate/);
  });
});
