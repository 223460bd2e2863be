import { ValidationError } from "../../core/errors.ts";
import { combine, constAngle, shiftAngle, type Angle } from "../hw-circuit.ts";

/**
 * Angle expressions of OpenQASM gate arguments, evaluated to affine angles:
 * numbers (with exponents), pi / π, declared parameter names, + - * / and
 * parentheses. A product or quotient must have a constant side (a device
 * angle is affine in its parameters); anything else is rejected by name.
 */
type Tok = { kind: "num"; v: number } | { kind: "id"; v: string } | { kind: "op"; v: string };

function tokenize(src: string, where: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_π][A-Za-z0-9_]*)|([-+*/()]))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m)
      throw new ValidationError(
        where,
        "an angle expression of numbers, pi, parameter names, + - * / ( )",
        src,
      );
    if (m[1] !== undefined) out.push({ kind: "num", v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: "id", v: m[2] });
    else out.push({ kind: "op", v: m[3]! });
    i = re.lastIndex;
  }
  return out;
}

export function evalAngle(src: string, env: ReadonlyMap<string, Angle>, where: string): Angle {
  const toks = tokenize(src, where);
  let pos = 0;
  const fail = (why: string): never => {
    throw new ValidationError(where, why, src);
  };
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === "op" && t.v === v;
  };
  const expr = (): Angle => {
    let a = term();
    while (isOp("+") || isOp("-")) {
      const sign = (toks[pos++] as { v: string }).v === "+" ? 1 : -1;
      a = combine(a, term(), 1, sign);
    }
    return a;
  };
  const term = (): Angle => {
    let a = factor();
    while (isOp("*") || isOp("/")) {
      const op = (toks[pos++] as { v: string }).v;
      const b = factor();
      if (op === "*") {
        if (b.terms.length === 0) a = shiftAngle(a, 0, b.c);
        else if (a.terms.length === 0) a = shiftAngle(b, 0, a.c);
        else fail("an affine angle (a product of two parameters is not)");
      } else {
        if (b.terms.length > 0) fail("division by a constant only");
        if (b.c === 0) fail("no division by zero");
        a = shiftAngle(a, 0, 1 / b.c);
      }
    }
    return a;
  };
  const factor = (): Angle => {
    if (isOp("-")) {
      pos++;
      return shiftAngle(factor(), 0, -1);
    }
    if (isOp("+")) {
      pos++;
      return factor();
    }
    const t = toks[pos++];
    if (t === undefined) return fail("a complete expression");
    if (t.kind === "num") return constAngle(t.v);
    if (t.kind === "id") {
      if (t.v === "pi" || t.v === "π") return constAngle(Math.PI);
      const a = env.get(t.v);
      if (!a) return fail(`declared names only (unknown "${t.v}")`);
      return a;
    }
    if (t.v === "(") {
      const a = expr();
      if (!isOp(")")) fail("a closing parenthesis");
      pos++;
      return a;
    }
    return fail(`an operand, not "${t.v}"`);
  };
  const a = expr();
  if (pos !== toks.length) fail("one expression");
  return a;
}
