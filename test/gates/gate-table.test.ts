import { describe, expect, it } from "vitest";
import { GATES, PAULI, rot, rx, ry, rz, type GateName } from "../../src/gates/spec.ts";
import { dagger, identity, matmul, maxAbsDiff, scale, type CMatrix } from "../../src/gates/matrix.ts";

const names = Object.keys(GATES) as GateName[];

describe("gate table: one validator for every gate", () => {
  for (const name of names) {
    it(`${name} is unitary and, if parametric, its generator gives the derivative`, () => {
      const spec = GATES[name];
      const params = Array.from({ length: spec.params }, (_, i) => 0.3 + 0.7 * i);
      const u = spec.matrix(params);
      expect(u.dim).toBe(1 << spec.wires);
      expect(maxAbsDiff(matmul(dagger(u), u), identity(u.dim))).toBeLessThan(1e-14);
      if (spec.generator) {
        const a = 0.731,
          h = 1e-6;
        const fd = scale(addScaled(spec.matrix([a + h]), spec.matrix([a - h]), -1), 1 / (2 * h));
        // dU/da = -i/2 G U
        const analytic = scale(matmul(PAULI[spec.generator], spec.matrix([a])), 0, -0.5);
        expect(maxAbsDiff(fd, analytic)).toBeLessThan(1e-9);
      }
    });
  }

  it("Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi) (PennyLane)", () => {
    const [p, t, o] = [0.4, -1.3, 2.2];
    expect(maxAbsDiff(rot(p, t, o), matmul(rz(o), matmul(ry(t), rz(p))))).toBeLessThan(1e-15);
  });

  it("RX(a) = exp(-i a X / 2) matches cos/sin form", () => {
    const a = 1.1;
    const expected: CMatrix = addScaled(
      scale(identity(2), Math.cos(a / 2)),
      scale(PAULI.X, 0, -Math.sin(a / 2)),
      1,
    );
    expect(maxAbsDiff(rx(a), expected)).toBeLessThan(1e-15);
  });
});

function addScaled(a: CMatrix, b: CMatrix, s: number): CMatrix {
  const out = { dim: a.dim, re: a.re.slice(), im: a.im.slice() };
  for (let k = 0; k < a.re.length; k++) {
    out.re[k]! += s * b.re[k]!;
    out.im[k]! += s * b.im[k]!;
  }
  return out;
}
