import { ValidationError, requireFinite, requireInt } from "../core/errors.ts";
import { cmat, dagger, identity, kron, matmul, scale, type CMatrix } from "../gates/matrix.ts";
import { PAULI } from "../gates/spec.ts";

/**
 * A quantum channel on k qubits in Kraus form: E(rho) = sum_i K_i rho K_i^dag,
 * sum_i K_i^dag K_i = I (checked to 1e-10 on construction). Qubit 0 of a
 * k-qubit channel is the most significant bit of its matrices, as for gates.
 */
export interface Channel {
  readonly name: string;
  readonly nQubits: number;
  readonly kraus: readonly CMatrix[];
}

const I2 = identity(2);
const PAULIS_1Q: readonly CMatrix[] = [I2, PAULI.X, PAULI.Y, PAULI.Z];

function requireProb(field: string, p: number, hi = 1): void {
  requireFinite(field, p);
  if (p < 0 || p > hi) throw new ValidationError(field, `a probability in [0, ${hi}]`, p);
}

/** Builds a channel from Kraus operators, checking sizes and trace preservation. */
export function krausChannel(kraus: readonly CMatrix[], name = "kraus"): Channel {
  if (kraus.length === 0) throw new ValidationError(`${name}.kraus`, "at least one Kraus operator");
  const dim = kraus[0]!.dim;
  const n = Math.round(Math.log2(dim));
  if (1 << n !== dim || n < 1 || n > 3)
    throw new ValidationError(`${name}.kraus[0]`, "a 2x2, 4x4 or 8x8 matrix", `dim ${dim}`);
  const sum = cmat(dim);
  kraus.forEach((k, i) => {
    if (k.dim !== dim) throw new ValidationError(`${name}.kraus[${i}]`, `dim ${dim}`, `dim ${k.dim}`);
    for (let j = 0; j < k.re.length; j++) {
      if (!Number.isFinite(k.re[j]!) || !Number.isFinite(k.im[j]!))
        throw new ValidationError(`${name}.kraus[${i}]`, "finite entries");
    }
    const kk = matmul(dagger(k), k);
    for (let j = 0; j < sum.re.length; j++) {
      sum.re[j]! += kk.re[j]!;
      sum.im[j]! += kk.im[j]!;
    }
  });
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      const want = i === j ? 1 : 0;
      if (Math.abs(sum.re[i * dim + j]! - want) > 1e-10 || Math.abs(sum.im[i * dim + j]!) > 1e-10) {
        throw new ValidationError(`${name}.kraus`, "trace-preserving operators (sum K^dag K = I to 1e-10)");
      }
    }
  }
  return { name, nQubits: n, kraus };
}

/** n-qubit Pauli matrix for a label such as "XZ" (first letter on qubit 0). */
export function pauliMatrix(label: string): CMatrix {
  let m: CMatrix | null = null;
  for (const ch of label) {
    const idx = "IXYZ".indexOf(ch);
    if (idx < 0) throw new ValidationError("pauli label", "letters I, X, Y, Z", label);
    m = m === null ? PAULIS_1Q[idx]! : kron(m, PAULIS_1Q[idx]!);
  }
  if (m === null) throw new ValidationError("pauli label", "a non-empty label", label);
  return m;
}

/** All 4^n Pauli labels on n qubits, "II..I" first, in base-4 order I, X, Y, Z (qubit 0 most significant). */
export function pauliLabels(n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < 4 ** n; k++) {
    let s = "";
    for (let q = n - 1; q >= 0; q--) s += "IXYZ"[Math.floor(k / 4 ** q) % 4];
    out.push(s);
  }
  return out;
}

/** Pauli channel sum_P p_P P rho P; probabilities by label ("I", "X", "XZ", ...), must sum to 1. */
export function pauliChannel(probs: Readonly<Record<string, number>>, name = "pauli"): Channel {
  const labels = Object.keys(probs);
  if (labels.length === 0) throw new ValidationError(`${name}.probs`, "at least one Pauli label");
  const n = labels[0]!.length;
  let total = 0;
  const kraus: CMatrix[] = [];
  for (const l of labels) {
    if (l.length !== n || !/^[IXYZ]+$/.test(l))
      throw new ValidationError(`${name}.probs`, `labels of ${n} letters from I, X, Y, Z`, l);
    const p = probs[l]!;
    requireProb(`${name}.probs.${l}`, p);
    total += p;
    if (p > 0) kraus.push(scale(pauliMatrix(l), Math.sqrt(p)));
  }
  if (Math.abs(total - 1) > 1e-12)
    throw new ValidationError(`${name}.probs`, "probabilities summing to 1", total);
  return krausChannel(kraus, name);
}

/** Largest allowed depolarizing parameter on n qubits: 4^n / (4^n - 1) (the fully Pauli-twirling channel). */
export function maxDepolarizing(n: number): number {
  return 4 ** n / (4 ** n - 1);
}

/**
 * Qiskit Aer's convention, `depolarizing_error(lam, n)`:
 * E(rho) = (1 - lam) rho + lam Tr(rho) I / 2^n, lam in [0, 4^n / (4^n - 1)].
 * Non-identity Pauli expectations on the n qubits scale by exactly (1 - lam).
 */
export function depolarizingAer(lam: number, nQubits = 1): Channel {
  requireInt("depolarizing.nQubits", nQubits, 1, 2);
  requireProb("depolarizing.lam", lam, maxDepolarizing(nQubits));
  const labels = pauliLabels(nQubits);
  const d2 = 4 ** nQubits;
  const probs: Record<string, number> = {};
  for (const l of labels) probs[l] = l === labels[0] ? 1 - lam + lam / d2 : lam / d2;
  return pauliChannel(probs, `depolarizingAer(${lam}, ${nQubits})`);
}

/**
 * PennyLane's `DepolarizingChannel(p)` on one qubit: (1 - p) rho + p/3 (X rho X + Y rho Y + Z rho Z).
 * The same channel as depolarizingAer(lam) with p = 3 lam / 4.
 */
export function depolarizingPennyLane(p: number): Channel {
  requireProb("DepolarizingChannel.p", p);
  return pauliChannel({ I: 1 - p, X: p / 3, Y: p / 3, Z: p / 3 }, `depolarizingPennyLane(${p})`);
}

/** Aer lam -> PennyLane p for one qubit. */
export const aerToPennyLaneP = (lam: number): number => (3 * lam) / 4;
/** PennyLane p -> Aer lam for one qubit. */
export const pennyLaneToAerLam = (p: number): number => (4 * p) / 3;

/** Bit flip: X with probability p. */
export function bitFlip(p: number): Channel {
  requireProb("bitFlip.p", p);
  return pauliChannel({ I: 1 - p, X: p }, `bitFlip(${p})`);
}

/** Phase flip: Z with probability p. */
export function phaseFlip(p: number): Channel {
  requireProb("phaseFlip.p", p);
  return pauliChannel({ I: 1 - p, Z: p }, `phaseFlip(${p})`);
}

/** Amplitude damping |1> -> |0> with probability gamma (PennyLane's AmplitudeDamping). */
export function amplitudeDamping(gamma: number): Channel {
  requireProb("amplitudeDamping.gamma", gamma);
  const k0 = cmat(2),
    k1 = cmat(2);
  k0.re[0] = 1;
  k0.re[3] = Math.sqrt(1 - gamma);
  k1.re[1] = Math.sqrt(gamma);
  return krausChannel([k0, k1], `amplitudeDamping(${gamma})`);
}

/** Phase damping: coherences scale by sqrt(1 - gamma) (PennyLane's PhaseDamping). */
export function phaseDamping(gamma: number): Channel {
  requireProb("phaseDamping.gamma", gamma);
  const k0 = cmat(2),
    k1 = cmat(2);
  k0.re[0] = 1;
  k0.re[3] = Math.sqrt(1 - gamma);
  k1.re[3] = Math.sqrt(gamma);
  return krausChannel([k0, k1], `phaseDamping(${gamma})`);
}

/**
 * Thermal relaxation over `time` with T1, T2 (T2 <= 2 T1), as Aer's
 * `thermal_relaxation_error(t1, t2, time, excited_state_population)`:
 * populations relax to (1 - pe, pe) at rate 1/T1, coherences decay by exp(-time/T2).
 * Times in any one unit; T1 = Infinity (or T2 = Infinity) means no relaxation of that kind.
 */
export function thermalRelaxation(t1: number, t2: number, time: number, excitedPop = 0): Channel {
  for (const [f, v] of [
    ["t1", t1],
    ["t2", t2],
  ] as const) {
    if (!(v > 0))
      throw new ValidationError(`thermalRelaxation.${f}`, "a positive time (Infinity allowed)", v);
  }
  requireFinite("thermalRelaxation.time", time);
  if (time < 0) throw new ValidationError("thermalRelaxation.time", "a time >= 0", time);
  requireProb("thermalRelaxation.excitedPop", excitedPop);
  if (t2 > 2 * t1) throw new ValidationError("thermalRelaxation.t2", `T2 <= 2 T1 = ${2 * t1}`, t2);
  const pReset = 1 - Math.exp(-time / t1);
  const coh = Math.exp(-time / t2);
  // Choi matrix of the channel (Aer's construction), then Kraus by eigen-decomposition of a 4x4 real
  // symmetric matrix: rows/cols |00>,|01>,|10>,|11> of sum_ij |i><j| (x) E(|i><j|).
  const p0 = 1 - excitedPop,
    p1 = excitedPop;
  const choi = [
    [1 - p1 * pReset, 0, 0, coh],
    [0, p1 * pReset, 0, 0],
    [0, 0, p0 * pReset, 0],
    [coh, 0, 0, 1 - p0 * pReset],
  ];
  return krausChannel(krausFromRealChoi(choi), `thermalRelaxation(${t1}, ${t2}, ${time})`);
}

/** Kraus operators from a 4x4 real symmetric PSD Choi matrix (1 qubit), via Jacobi eigen-decomposition. */
function krausFromRealChoi(choi: number[][]): CMatrix[] {
  const { values, vectors } = jacobiEigen(choi);
  const out: CMatrix[] = [];
  values.forEach((lam, k) => {
    if (lam < -1e-12)
      throw new ValidationError("thermalRelaxation", "a completely positive channel (T2 <= 2 T1)");
    if (lam <= 1e-15) return;
    const m = cmat(2);
    const s = Math.sqrt(lam);
    // Choi index (i, o): vec entry i*2 + o = <o|K|i>
    for (let i = 0; i < 2; i++) for (let o = 0; o < 2; o++) m.re[o * 2 + i] = s * vectors[i * 2 + o]![k]!;
    out.push(m);
  });
  return out;
}

/** Eigen-decomposition of a small real symmetric matrix by cyclic Jacobi rotations. */
export function jacobiEigen(a0: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = a0.length;
  const a = a0.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!,
            akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!,
            aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!,
            vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((r, i) => r[i]!), vectors: v };
}

/**
 * An equivalent Kraus list of at most d^2 operators: pivoted Cholesky of the
 * Choi matrix J = sum_K vec(K) vec(K)^dag, vec(K)[i d + o] = K[o][i].
 */
export function reduceKraus(kraus: readonly CMatrix[]): CMatrix[] {
  const d = kraus[0]!.dim,
    n = d * d;
  if (kraus.length <= n) return [...kraus];
  const jr = new Float64Array(n * n),
    ji = new Float64Array(n * n);
  for (const k of kraus) {
    for (let a = 0; a < n; a++) {
      const ar = k.re[(a % d) * d + Math.floor(a / d)]!,
        ai = k.im[(a % d) * d + Math.floor(a / d)]!;
      if (ar === 0 && ai === 0) continue;
      for (let b = 0; b < n; b++) {
        const br = k.re[(b % d) * d + Math.floor(b / d)]!,
          bi = -k.im[(b % d) * d + Math.floor(b / d)]!;
        jr[a * n + b]! += ar * br - ai * bi;
        ji[a * n + b]! += ar * bi + ai * br;
      }
    }
  }
  let scaleMax = 0;
  for (let a = 0; a < n; a++) scaleMax = Math.max(scaleMax, jr[a * n + a]!);
  const out: CMatrix[] = [];
  for (let step = 0; step < n; step++) {
    let piv = -1,
      pv = 0;
    for (let a = 0; a < n; a++)
      if (jr[a * n + a]! > pv) {
        pv = jr[a * n + a]!;
        piv = a;
      }
    if (piv < 0 || pv <= 1e-15 * scaleMax) break;
    const s = Math.sqrt(pv);
    // column l = J[:, piv] / sqrt(J[piv, piv])
    const lr = new Float64Array(n),
      li = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      lr[a] = jr[a * n + piv]! / s;
      li[a] = ji[a * n + piv]! / s;
    }
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        // J -= l l^dag
        jr[a * n + b]! -= lr[a]! * lr[b]! + li[a]! * li[b]!;
        ji[a * n + b]! -= li[a]! * lr[b]! - lr[a]! * li[b]!;
      }
    const m = cmat(d);
    for (let a = 0; a < n; a++) {
      m.re[(a % d) * d + Math.floor(a / d)] = lr[a]!;
      m.im[(a % d) * d + Math.floor(a / d)] = li[a]!;
    }
    out.push(m);
  }
  return out;
}

/** a (x) b: channel a on the first qubits, b on the next (Aer's `a.expand(b)` reversed: a is the high bits). */
export function tensorChannels(a: Channel, b: Channel): Channel {
  const kraus: CMatrix[] = [];
  for (const ka of a.kraus) for (const kb of b.kraus) kraus.push(kron(ka, kb));
  return krausChannel(reduceKraus(kraus), `${a.name} (x) ${b.name}`);
}

/** b after a (both on the same qubits). */
export function composeChannels(a: Channel, b: Channel): Channel {
  if (a.nQubits !== b.nQubits)
    throw new ValidationError("compose", `channels on equal qubit counts`, `${a.nQubits} and ${b.nQubits}`);
  const kraus: CMatrix[] = [];
  for (const ka of a.kraus) for (const kb of b.kraus) kraus.push(matmul(kb, ka));
  return krausChannel(reduceKraus(kraus), `${b.name} . ${a.name}`);
}
