/**
 * `qmtl run <suite> --help` shows each suite's own defaults for the generic
 * flags (read from its config schema), and --validate-every parses into the
 * config's { epochs: n } / { updates: n } form.
 */
import { describe, expect, it } from "vitest";
import { Command } from "commander";
import { registerRun, rawConfig } from "../../src/cli/commands/run.ts";
import { SUITES } from "../../src/datasets/index.ts";
import { ValidationError } from "../../src/core/errors.ts";

function suiteHelp(name: string): string {
  const program = new Command("qmtl");
  registerRun(program);
  const run = program.commands.find((c) => c.name() === "run")!;
  const cmd = run.commands.find((c) => c.name() === name)!;
  // commander wraps long lines: join them so a flag's text reads as one line
  return cmd.helpInformation().replace(/\n {20,}/g, " ");
}

const suite = (name: string) => SUITES.find((s) => s.name === name)!;

describe("qmtl run <suite> --help: generic flags show the suite's defaults", () => {
  it("glue: five seeds, 15 epochs, lr 0.0005, validation auto", () => {
    const h = suiteHelp("glue");
    expect(h).toMatch(/--seeds <list>\s+comma-separated seeds \(default: 0,1,2,3,4\)/);
    expect(h).toMatch(/--epochs <n>\s+training epochs \(default: 15\)/);
    expect(h).toMatch(/--lr <x>\s+learning rate[^\n]*\(default: 0\.0005\)/);
    expect(h).toMatch(/--validate-every <interval>[^\n]*\(default: auto\)/);
    expect(h).not.toMatch(/default: 0\)/);
  });

  it("mustard: seed 0, 50 epochs, validation every epoch", () => {
    const h = suiteHelp("mustard");
    expect(h).toMatch(/--seeds <list>\s+comma-separated seeds \(default: 0\)/);
    expect(h).toMatch(/--epochs <n>\s+training epochs \(default: 50\)/);
    expect(h).toMatch(/--validate-every <interval>[^\n]*\(default: epochs:1\)/);
  });

  it("chexpert: validation every two epochs, 30 epochs", () => {
    const h = suiteHelp("chexpert");
    expect(h).toMatch(/--validate-every <interval>[^\n]*\(default: epochs:2\)/);
    expect(h).toMatch(/--epochs <n>\s+training epochs \(default: 30\)/);
    expect(h).toMatch(/--name <name>[^\n]*\(default: chexpert\)/);
  });
});

describe("--validate-every", () => {
  it("epochs:N and updates:N become the config's object; auto stays auto", () => {
    expect(rawConfig(suite("chexpert"), { validateEvery: "epochs:3" })["validateEvery"]).toEqual({
      epochs: 3,
    });
    expect(rawConfig(suite("glue"), { validateEvery: "updates:40" })["validateEvery"]).toEqual({
      updates: 40,
    });
    expect(rawConfig(suite("glue"), { validateEvery: "auto" })["validateEvery"]).toBe("auto");
  });

  it("a bare number, zero, a negative or an empty value is refused in one line", () => {
    for (const v of ["3", "epochs:0", "updates:-2", "", "weeks:2"]) {
      expect(() => rawConfig(suite("chexpert"), { validateEvery: v }), v).toThrow(ValidationError);
      try {
        rawConfig(suite("chexpert"), { validateEvery: v });
      } catch (e) {
        expect((e as Error).message.startsWith("--validate-every: expected")).toBe(true);
        expect((e as Error).message.includes("\n")).toBe(false);
      }
    }
  });
});
