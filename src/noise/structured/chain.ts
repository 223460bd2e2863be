import type { NoisyPlan, TaskPlan } from "./plan.ts";

/**
 * Contractions of the chain of site tensors T_i[K][K'][p] (see column.ts) that
 * give each task's reduced state: sites outside the sub-register are traced out
 * (Pauli index 0, since c_I = Tr rho_reduced), the sub-register keeps all 4^S
 * Pauli indices, built from both ends towards the middle (cost ~ 4^(S/2) chi^2 +
 * 4^S chi per task, chi the bond). The reverse pass is the exact adjoint.
 */
export interface ChainState {
  readonly ell: Float64Array[];
  readonly rho: Float64Array[];
  /** per task: left and right half levels */
  readonly hl: Float64Array[][];
  readonly hr: Float64Array[][];
}

function leftStep(prev: Float64Array, cnt: number, t: Float64Array, DL: number, DR: number): Float64Array {
  // out[P*4+p][K'] = sum_K prev[P][K] t[K][K'][p]
  const out = new Float64Array(cnt * 4 * DR);
  for (let P = 0; P < cnt; P++) {
    for (let K = 0; K < DL; K++) {
      const h = prev[P * DL + K]!;
      if (h === 0) continue;
      const base = K * DR * 4;
      for (let Kp = 0; Kp < DR; Kp++) {
        const o = base + Kp * 4;
        out[P * 4 * DR + Kp]! += h * t[o]!;
        out[(P * 4 + 1) * DR + Kp]! += h * t[o + 1]!;
        out[(P * 4 + 2) * DR + Kp]! += h * t[o + 2]!;
        out[(P * 4 + 3) * DR + Kp]! += h * t[o + 3]!;
      }
    }
  }
  return out;
}

function rightStep(prev: Float64Array, cnt: number, t: Float64Array, DL: number, DR: number): Float64Array {
  // out[p*cnt + P][K] = sum_K' t[K][K'][p] prev[P][K']
  const out = new Float64Array(4 * cnt * DL);
  for (let P = 0; P < cnt; P++) {
    for (let K = 0; K < DL; K++) {
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0;
      const base = K * DR * 4;
      for (let Kp = 0; Kp < DR; Kp++) {
        const h = prev[P * DR + Kp]!,
          o = base + Kp * 4;
        a0 += t[o]! * h;
        a1 += t[o + 1]! * h;
        a2 += t[o + 2]! * h;
        a3 += t[o + 3]! * h;
      }
      out[P * DL + K] = a0;
      out[(cnt + P) * DL + K] = a1;
      out[(2 * cnt + P) * DL + K] = a2;
      out[(3 * cnt + P) * DL + K] = a3;
    }
  }
  return out;
}

function traceLeft(ell: Float64Array, t: Float64Array, DL: number, DR: number): Float64Array {
  const out = new Float64Array(DR);
  for (let K = 0; K < DL; K++) {
    const h = ell[K]!;
    if (h === 0) continue;
    for (let Kp = 0; Kp < DR; Kp++) out[Kp]! += h * t[(K * DR + Kp) * 4]!;
  }
  return out;
}

function traceRight(rho: Float64Array, t: Float64Array, DL: number, DR: number): Float64Array {
  const out = new Float64Array(DL);
  for (let K = 0; K < DL; K++) {
    let a = 0;
    for (let Kp = 0; Kp < DR; Kp++) a += t[(K * DR + Kp) * 4]! * rho[Kp]!;
    out[K] = a;
  }
  return out;
}

export function halves(S: number): [number, number] {
  const nl = Math.ceil(S / 2);
  return [nl, S - nl];
}

/** Forward: every task's reduced Pauli vector (4^S, sub-register site 0 most significant). */
export function chainForward(
  plan: NoisyPlan,
  ts: readonly Float64Array[],
): { rdms: Float64Array[]; state: ChainState } {
  const { Q } = plan.layout;
  const { bondL, bondR } = plan;
  const ell: Float64Array[] = [Float64Array.of(1)];
  for (let i = 0; i < Q; i++) ell.push(traceLeft(ell[i]!, ts[i]!, bondL[i]!, bondR[i]!));
  const rho: Float64Array[] = new Array<Float64Array>(Q + 1);
  rho[Q] = Float64Array.of(1);
  for (let i = Q - 1; i >= 0; i--) rho[i] = traceRight(rho[i + 1]!, ts[i]!, bondL[i]!, bondR[i]!);
  const hl: Float64Array[][] = [],
    hr: Float64Array[][] = [];
  const rdms = plan.tasks.map((task) => {
    const a = task.offset,
      b = task.offset + task.size - 1;
    const [nl, nr] = halves(task.size);
    const L = [ell[a]!];
    for (let j = 1; j <= nl; j++) {
      const s = a + j - 1;
      L.push(leftStep(L[j - 1]!, 4 ** (j - 1), ts[s]!, bondL[s]!, bondR[s]!));
    }
    const R = [rho[b + 1]!];
    for (let j = 1; j <= nr; j++) {
      const s = b - j + 1;
      R.push(rightStep(R[j - 1]!, 4 ** (j - 1), ts[s]!, bondL[s]!, bondR[s]!));
    }
    hl.push(L);
    hr.push(R);
    const D = bondR[a + nl - 1]!;
    const cl = 4 ** nl,
      cr = 4 ** nr;
    const out = new Float64Array(cl * cr);
    const lv = L[nl]!,
      rv = R[nr]!;
    for (let pl = 0; pl < cl; pl++)
      for (let pr = 0; pr < cr; pr++) {
        let s = 0;
        for (let k = 0; k < D; k++) s += lv[pl * D + k]! * rv[pr * D + k]!;
        out[pl * cr + pr] = s;
      }
    return out;
  });
  return { rdms, state: { ell, rho, hl, hr } };
}

/** Reverse: from d/d rdm per task to d/d T_i (returned, same layouts as ts). */
export function chainBackward(
  plan: NoisyPlan,
  ts: readonly Float64Array[],
  st: ChainState,
  lambdas: readonly Float64Array[],
): Float64Array[] {
  const { Q } = plan.layout;
  const { bondL, bondR } = plan;
  const dT = ts.map((t) => new Float64Array(t.length));
  const dell = st.ell.map((e) => new Float64Array(e.length));
  const drho = st.rho.map((r) => new Float64Array(r.length));
  plan.tasks.forEach((task: TaskPlan, ti) => {
    const a = task.offset,
      b = task.offset + task.size - 1;
    const [nl, nr] = halves(task.size);
    const L = st.hl[ti]!,
      R = st.hr[ti]!,
      lam = lambdas[ti]!;
    const D = bondR[a + nl - 1]!;
    const cl = 4 ** nl,
      cr = 4 ** nr;
    let gl: Float64Array = new Float64Array(cl * D);
    let gr: Float64Array = new Float64Array(cr * D);
    const lv = L[nl]!,
      rv = R[nr]!;
    for (let pl = 0; pl < cl; pl++)
      for (let pr = 0; pr < cr; pr++) {
        const g = lam[pl * cr + pr]!;
        if (g === 0) continue;
        for (let k = 0; k < D; k++) {
          gl[pl * D + k]! += g * rv[pr * D + k]!;
          gr[pr * D + k]! += g * lv[pl * D + k]!;
        }
      }
    for (let j = nl; j >= 1; j--) {
      const s = a + j - 1,
        DL = bondL[s]!,
        DR = bondR[s]!,
        t = ts[s]!,
        dt = dT[s]!,
        h = L[j - 1]!;
      const cnt = 4 ** (j - 1);
      const ng = new Float64Array(cnt * DL);
      for (let P = 0; P < cnt; P++)
        for (let K = 0; K < DL; K++) {
          const hk = h[P * DL + K]!;
          let acc = 0;
          for (let Kp = 0; Kp < DR; Kp++) {
            const o = (K * DR + Kp) * 4;
            for (let p = 0; p < 4; p++) {
              const g = gl[(P * 4 + p) * DR + Kp]!;
              dt[o + p]! += hk * g;
              acc += t[o + p]! * g;
            }
          }
          ng[P * DL + K] = acc;
        }
      gl = ng;
    }
    for (let k = 0; k < gl.length; k++) dell[a]![k]! += gl[k]!;
    for (let j = nr; j >= 1; j--) {
      const s = b - j + 1,
        DL = bondL[s]!,
        DR = bondR[s]!,
        t = ts[s]!,
        dt = dT[s]!,
        h = R[j - 1]!;
      const cnt = 4 ** (j - 1);
      const ng = new Float64Array(cnt * DR);
      for (let P = 0; P < cnt; P++)
        for (let K = 0; K < DL; K++) {
          for (let p = 0; p < 4; p++) {
            const g = gr[(p * cnt + P) * DL + K]!;
            if (g === 0) continue;
            for (let Kp = 0; Kp < DR; Kp++) {
              const o = (K * DR + Kp) * 4 + p;
              dt[o]! += g * h[P * DR + Kp]!;
              ng[P * DR + Kp]! += t[o]! * g;
            }
          }
        }
      gr = ng;
    }
    for (let k = 0; k < gr.length; k++) drho[b + 1]![k]! += gr[k]!;
  });
  for (let i = Q - 1; i >= 0; i--) {
    const DL = bondL[i]!,
      DR = bondR[i]!,
      t = ts[i]!,
      dt = dT[i]!,
      e = st.ell[i]!,
      g = dell[i + 1]!,
      de = dell[i]!;
    for (let K = 0; K < DL; K++) {
      let acc = 0;
      for (let Kp = 0; Kp < DR; Kp++) {
        const o = (K * DR + Kp) * 4;
        dt[o]! += e[K]! * g[Kp]!;
        acc += t[o]! * g[Kp]!;
      }
      de[K]! += acc;
    }
  }
  for (let i = 0; i < Q; i++) {
    const DL = bondL[i]!,
      DR = bondR[i]!,
      t = ts[i]!,
      dt = dT[i]!,
      r = st.rho[i + 1]!,
      g = drho[i]!,
      dr = drho[i + 1]!;
    for (let K = 0; K < DL; K++) {
      const gk = g[K]!;
      if (gk === 0) continue;
      for (let Kp = 0; Kp < DR; Kp++) {
        const o = (K * DR + Kp) * 4;
        dt[o]! += gk * r[Kp]!;
        dr[Kp]! += t[o]! * gk;
      }
    }
  }
  return dT;
}
