/**
 * Checkpoint (de)serialisation of a module: parameters and buffers under
 * their dotted qualified names, values as plain number arrays (JSON-safe).
 */
import { ValidationError } from "../core/errors.ts";
import type { Module } from "./module.ts";

export type StateDict = Record<string, number[]>;

interface Entry {
  readonly shape: readonly number[];
  readonly value: Float64Array;
}

function entries(module: Module): Array<[string, Entry]> {
  return [...module.namedParams(), ...module.namedBuffers()];
}

/** All parameters, then all buffers, each as a fresh number array. */
export function stateDict(module: Module): StateDict {
  const out: StateDict = {};
  for (const [name, e] of entries(module)) out[name] = Array.from(e.value);
  return out;
}

export interface LoadStateDictOptions {
  /** Refuse entries the module does not have (default true); missing ones are always refused. */
  strict?: boolean;
}

/**
 * Copies `state` into the module in place. Everything is validated before
 * anything is written, so a failed load leaves the module unchanged. Errors
 * name the entry: `stateDict["0.weight"]: expected 39936 finite numbers (shape [39, 1024]), got length 30`.
 */
export function loadStateDict(module: Module, state: StateDict, options: LoadStateDictOptions = {}): void {
  const own = entries(module);
  const known = new Set(own.map(([n]) => n));
  for (const [name, e] of own) {
    const field = `stateDict[${JSON.stringify(name)}]`;
    const expected = `${e.value.length} finite numbers (shape [${e.shape.join(", ")}])`;
    if (!Object.prototype.hasOwnProperty.call(state, name))
      throw new ValidationError(field, expected, "missing");
    const v: unknown = state[name];
    if (!Array.isArray(v)) throw new ValidationError(field, expected, v);
    if (v.length !== e.value.length) throw new ValidationError(field, expected, `length ${v.length}`);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== "number" || !Number.isFinite(x))
        throw new ValidationError(`${field}[${i}]`, "a finite number", x);
    }
  }
  if (options.strict ?? true) {
    for (const name of Object.keys(state)) {
      if (!known.has(name)) {
        throw new ValidationError(
          `stateDict[${JSON.stringify(name)}]`,
          `one of the module's entries (${[...known].join(", ")})`,
          "an unexpected entry",
        );
      }
    }
  }
  for (const [name, e] of own) e.value.set(state[name] as number[]);
}
