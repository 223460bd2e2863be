import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeNumberArrays, encodeNumberArrays } from "../../src/training/checkpoint-codec.ts";
import { loadCheckpoint, saveCheckpoint, type TrainCheckpoint } from "../../src/training/checkpoint.ts";
import { checkpointDue } from "../../src/training/trainer.ts";
import { ValidationError } from "../../src/core/errors.ts";

const specials = [0, -0, 1, -1, Math.PI, 1e-300, 5e-324, -1.7976931348623157e308, 0.1 + 0.2];
const long = Array.from({ length: 40 }, (_, i) =>
  i % 3 === 0 ? specials[i % specials.length]! : Math.sin(i) / 7,
);

function checkpoint(): TrainCheckpoint {
  return {
    version: 2,
    epoch: 3,
    updates: 12,
    model: { "0.weight": long, "0.bias": [0.5, -0.25] },
    optimizer: {
      kind: "adam",
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      params: [{ step: 12, expAvg: long.map((x) => x / 3), expAvgSq: long.map((x) => x * x) }],
    },
    scheduler: null,
    early: { best: 0.5, bad: 1 } as unknown as TrainCheckpoint["early"],
    rng: [1, 2, 3, 4, null],
    best: { score: 0.5, epoch: 2, model: { "0.weight": long.map((x) => -x), "0.bias": [1, 2] } },
    history: [],
    stopped: false,
  } as TrainCheckpoint;
}

const sameBits = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe("checkpoint number arrays as float64 bytes", () => {
  it("round-trips bit for bit, including -0, NaN, infinities and subnormals", () => {
    const x = [...long, Number.NaN, Infinity, -Infinity, -0, 5e-324];
    const enc = encodeNumberArrays({ a: x, nested: [{ b: x }], short: [1, 2, 3], words: ["a", "b"] });
    const text = JSON.stringify(enc);
    expect(text).not.toContain("0.1428");
    const back = decodeNumberArrays(JSON.parse(text), "f") as {
      a: number[];
      nested: Array<{ b: number[] }>;
      short: number[];
      words: string[];
    };
    expect(sameBits(back.a, x)).toBe(true);
    expect(sameBits(back.nested[0]!.b, x)).toBe(true);
    expect(back.short).toEqual([1, 2, 3]);
    expect(back.words).toEqual(["a", "b"]);
    // little-endian float64, independent of the host: 1.0 is 00 00 00 00 00 00 f0 3f
    const one = encodeNumberArrays(new Array<number>(16).fill(1)) as { float64: string };
    expect(Buffer.from(one.float64, "base64").subarray(0, 8)).toEqual(
      Buffer.from([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]),
    );
  });

  it("refuses an encoded entry that is not base64 of whole float64 values, naming where", () => {
    expect(() => decodeNumberArrays({ m: { w: { float64: "!!" } } }, "ck.json")).toThrow(/ck\.json m\.w/);
    expect(() => decodeNumberArrays({ m: [{ float64: "AAAA" }] }, "ck.json")).toThrow(ValidationError);
    expect(() => decodeNumberArrays({ m: [{ float64: "AAAA" }] }, "ck.json")).toThrow(/m\[0\].*float64/);
  });
});

describe("checkpoint files", () => {
  it("save writes version 2 with encoded arrays; load gives back the same numbers", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-ckfmt-"));
    try {
      const p = join(dir, "checkpoint.json");
      const c = checkpoint();
      saveCheckpoint(p, c);
      const raw = JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>;
      expect(raw["version"]).toBe(2);
      expect((raw["model"] as Record<string, unknown>)["0.weight"]).toHaveProperty("float64");
      expect((raw["model"] as Record<string, unknown>)["0.bias"]).toEqual([0.5, -0.25]);
      const back = loadCheckpoint(p)!;
      expect(sameBits(back.model["0.weight"]!, long)).toBe(true);
      expect(sameBits(back.best.model!["0.weight"]!, c.best.model!["0.weight"]!)).toBe(true);
      expect(sameBits(back.optimizer.params[0]!.expAvgSq, c.optimizer.params[0]!.expAvgSq)).toBe(true);
      expect(back).toEqual(c);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a version-1 file (plain JSON numbers, sha256 of its JSON) still loads", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-ckfmt-"));
    try {
      const p = join(dir, "checkpoint.json");
      const v1 = { ...checkpoint(), version: 1 };
      const sha = createHash("sha256").update(JSON.stringify(v1)).digest("hex");
      writeFileSync(p, JSON.stringify({ ...v1, sha256: sha }));
      // plain JSON turns -0 into 0: what a version-1 file held, not what was trained
      expect(loadCheckpoint(p)).toEqual({ ...JSON.parse(JSON.stringify(checkpoint())), version: 2 });
      writeFileSync(p, JSON.stringify({ ...v1, epoch: 4, sha256: sha }));
      expect(() => loadCheckpoint(p)).toThrow(/checksum/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an edited encoded array is refused by the checksum", () => {
    const dir = mkdtempSync(join(tmpdir(), "qmtl-ckfmt-"));
    try {
      const p = join(dir, "checkpoint.json");
      saveCheckpoint(p, checkpoint());
      const raw = JSON.parse(readFileSync(p, "utf8")) as { model: Record<string, { float64: string }> };
      const w = raw.model["0.weight"]!;
      w.float64 = (w.float64[0] === "A" ? "B" : "A") + w.float64.slice(1);
      writeFileSync(p, JSON.stringify(raw));
      expect(() => loadCheckpoint(p)).toThrow(/checksum/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("when the trainer writes checkpoints", () => {
  it("first always; then once the time since the last write is 9x that write's duration", () => {
    expect(checkpointDue(null, 0)).toBe(true);
    const last = { end: 1000, ms: 40 };
    expect(checkpointDue(last, 1000 + 40 * 9 - 1)).toBe(false);
    expect(checkpointDue(last, 1000 + 40 * 9)).toBe(true);
  });
});
