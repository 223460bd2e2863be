import { ValidationError } from "../../core/errors.ts";
import { HW_GATE_ARITY, isHwGate, paramAngle, type Angle, type HwCircuit, type HwOp } from "../hw-circuit.ts";
import { evalAngle } from "./expr.ts";

/**
 * A parser for the OpenQASM 2/3 subset qmtl writes (and IBM ISA circuits use):
 * header, include, one quantum register (`qreg q[n];` / `qubit[n] q;`) or
 * physical qubits `$n`, classical bits, `input float[64]` parameters, gate
 * definitions, gate calls on single qubits, `measure`, `barrier`. Gate calls use
 * the standard names of src/hardware/hw-circuit.ts; a `gate` definition of another
 * name is expanded inline. Anything else is rejected with the statement named.
 */
export interface ParsedQasm {
  readonly version: 2 | 3;
  readonly circuit: HwCircuit;
  /** declared `input float[64]` names, in declaration order (= flat parameter order) */
  readonly paramNames: readonly string[];
  /** measured qubits in classical-bit order */
  readonly measured: readonly number[];
}

interface GateDef {
  readonly params: readonly string[];
  readonly qargs: readonly string[];
  readonly body: string;
}

export interface ParseOptions {
  /** expand a `gate` definition even when its name is a built-in gate (e.g. ecr); default false */
  readonly expandBuiltins?: boolean;
}

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
}

/** Splits into statements; a `gate ... { ... }` definition is one statement. */
function statements(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    if (i >= src.length) break;
    if (/^gate\s/.test(src.slice(i, i + 5))) {
      const close = src.indexOf("}", i);
      if (close < 0)
        throw new ValidationError("qasm", "a closing '}' for the gate definition", src.slice(i, i + 40));
      out.push(src.slice(i, close + 1).trim());
      i = close + 1;
    } else {
      const semi = src.indexOf(";", i);
      if (semi < 0) throw new ValidationError("qasm", "statements ending with ';'", src.slice(i, i + 40));
      out.push(src.slice(i, semi).trim());
      i = semi + 1;
    }
  }
  return out;
}

/** Splits "a, f(b, c), d" at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0,
    start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last.length > 0 || out.length > 0) out.push(last);
  return out;
}

/** Parses OpenQASM 2 or 3 (the subset qmtl writes and IBM's ISA circuits use) into a hardware-form circuit. */
export function parseQasm(src: string, opts: ParseOptions = {}): ParsedQasm {
  const stmts = statements(stripComments(src));
  const head = /^OPENQASM\s+(\d+)(?:\.(\d+))?$/.exec(stmts[0] ?? "");
  if (!head)
    throw new ValidationError("qasm", "a first statement 'OPENQASM 2.0' or 'OPENQASM 3.0'", stmts[0] ?? "");
  const version = Number(head[1]);
  if (version !== 2 && version !== 3) throw new ValidationError("qasm.version", "2 or 3", version);
  const env = new Map<string, Angle>();
  const paramNames: string[] = [];
  const defs = new Map<string, GateDef>();
  const ops: HwOp[] = [];
  const measured: Array<[number, number]> = [];
  let reg: { name: string; size: number } | null = null;
  let creg: string | null = null;
  let maxPhysical = -1;

  const qubit = (arg: string, where: string, local?: ReadonlyMap<string, number>): number => {
    if (local?.has(arg)) return local.get(arg)!;
    const phys = /^\$(\d+)$/.exec(arg);
    if (phys) {
      const q = Number(phys[1]);
      maxPhysical = Math.max(maxPhysical, q);
      return q;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]$/.exec(arg);
    if (!m || !reg || m[1] !== reg.name)
      throw new ValidationError(where, `a qubit ${reg ? `${reg.name}[i]` : "$n"}`, arg);
    const q = Number(m[2]);
    if (q >= reg.size) throw new ValidationError(where, `an index below ${reg.size}`, arg);
    return q;
  };

  const call = (
    stmt: string,
    where: string,
    scope: ReadonlyMap<string, Angle>,
    local?: ReadonlyMap<string, number>,
  ): void => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^]*)\))?\s+([^]+)$/.exec(stmt);
    if (!m) throw new ValidationError(where, "a gate call 'name(args) qubits'", stmt);
    const name = m[1]!;
    const args = m[2] !== undefined ? splitArgs(m[2]) : [];
    const qs = splitArgs(m[3]!).map((a) => qubit(a, where, local));
    const angles = args.map((a) => evalAngle(a, scope, where));
    const def = defs.get(name);
    if (def && (!isHwGate(name) || opts.expandBuiltins)) {
      if (def.params.length !== angles.length || def.qargs.length !== qs.length) {
        throw new ValidationError(
          where,
          `${def.params.length} argument(s) and ${def.qargs.length} qubit(s) for ${name}`,
          stmt,
        );
      }
      const inner = new Map(def.params.map((p, i) => [p, angles[i]!] as [string, Angle]));
      const qmap = new Map(def.qargs.map((p, i) => [p, qs[i]!] as [string, number]));
      for (const s of statements(def.body)) call(s, `${where} (in gate ${name})`, inner, qmap);
      return;
    }
    if (!isHwGate(name))
      throw new ValidationError(
        where,
        "a standard gate (h x y z s sdg t tdg sx sxdg rx ry rz cx cz swap ecr) or a defined gate",
        name,
      );
    const ar = HW_GATE_ARITY[name];
    if (ar.angles !== angles.length || ar.qubits !== qs.length) {
      throw new ValidationError(where, `${ar.angles} angle(s) and ${ar.qubits} qubit(s) for ${name}`, stmt);
    }
    ops.push({ gate: name, qubits: qs, angles });
  };

  stmts.slice(1).forEach((stmt, k) => {
    const where = `qasm statement ${k + 2} "${stmt.length > 50 ? stmt.slice(0, 47) + "..." : stmt}"`;
    let m: RegExpExecArray | null;
    if (/^include\s+"[^"]+"$/.test(stmt)) return;
    if ((m = /^gate\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*([^{]*)\{([^]*)\}$/.exec(stmt))) {
      defs.set(m[1]!, {
        params: m[2] ? splitArgs(m[2]) : [],
        qargs: splitArgs(m[3]!.trim()),
        body: m[4]!,
      });
      return;
    }
    if (
      (m = /^qreg\s+([A-Za-z_]\w*)\[(\d+)\]$/.exec(stmt)) ||
      (m = /^qubit\[(\d+)\]\s+([A-Za-z_]\w*)$/.exec(stmt))
    ) {
      if (reg) throw new ValidationError(where, "a single quantum register");
      const [name, size] = stmt.startsWith("qreg") ? [m[1]!, Number(m[2])] : [m[2]!, Number(m[1])];
      reg = { name, size };
      return;
    }
    if (
      (m = /^creg\s+([A-Za-z_]\w*)\[(\d+)\]$/.exec(stmt)) ||
      (m = /^bit\[(\d+)\]\s+([A-Za-z_]\w*)$/.exec(stmt))
    ) {
      creg = stmt.startsWith("creg") ? m[1]! : m[2]!;
      return;
    }
    if ((m = /^input\s+float\[64\]\s+([A-Za-z_]\w*)$/.exec(stmt))) {
      if (version !== 3) throw new ValidationError(where, "no inputs in OpenQASM 2");
      if (env.has(m[1]!)) throw new ValidationError(where, "each input declared once", m[1]);
      env.set(m[1]!, paramAngle(paramNames.length));
      paramNames.push(m[1]!);
      return;
    }
    if (/^barrier\b/.test(stmt)) {
      // no operation, but a physical qubit it names counts toward the circuit's width
      for (const a of splitArgs(stmt.slice(7).trim())) if (/^\$\d+$/.test(a)) qubit(a, where);
      return;
    }
    if (
      (m = /^([A-Za-z_]\w*)\[(\d+)\]\s*=\s*measure\s+(\S+)$/.exec(stmt)) ||
      (m = /^measure\s+(\S+)\s*->\s*([A-Za-z_]\w*)\[(\d+)\]$/.exec(stmt))
    ) {
      const isV3 = stmt.includes("=");
      const [c, bit, q] = isV3 ? [m[1]!, Number(m[2]), m[3]!] : [m[2]!, Number(m[3]), m[1]!];
      if (c !== creg)
        throw new ValidationError(where, `the declared classical register ${creg ?? "(none)"}`, c);
      measured.push([bit, qubit(q, where)]);
      return;
    }
    call(stmt, where, env);
  });
  const nQubits = reg ? (reg as { size: number }).size : maxPhysical + 1;
  if (nQubits < 1) throw new ValidationError("qasm", "a qubit register or $n qubits");
  const nIn = paramNames.findIndex((n) => !n.startsWith("in_"));
  const nInputs = nIn < 0 ? paramNames.length : nIn;
  const split = paramNames.slice(nInputs).every((n) => n.startsWith("w_"));
  measured.sort((a, b) => a[0] - b[0]);
  return {
    version: version as 2 | 3,
    circuit: {
      nQubits,
      nInputs: split ? nInputs : paramNames.length,
      nWeights: split ? paramNames.length - nInputs : 0,
      ops,
      observables: [],
    },
    paramNames,
    measured: measured.map((x) => x[1]),
  };
}
