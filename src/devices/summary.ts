import type { DeviceCalibration } from "./calibration.ts";

/**
 * Device-wide medians for reports. Errors unitless, times in seconds.
 * `median2qError` is over usable undirected couplers; `median2qErrorAll` is over
 * every native-2q entry in the props file, bad couplers (error 1) included, which is
 * what a plain median of the file gives (IBM lists each CZ once per direction).
 */
export interface DeviceSummary {
  readonly name: string;
  readonly version: string;
  readonly lastUpdate: string;
  readonly processor: string;
  readonly numQubits: number;
  readonly twoQubitGate: "cz" | "ecr";
  readonly usableCouplers: number;
  readonly unusableCouplers: number;
  readonly median1qError: number;
  readonly median1qLength: number;
  readonly median2qError: number;
  readonly median2qErrorAll: number;
  readonly median2qLength: number;
  readonly medianT1: number;
  readonly medianT2: number;
  readonly medianReadoutError: number;
  readonly medianReadoutLength: number;
}

/** Median of a non-empty list (mean of the two middle values for even length); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function summarizeDevice(dev: DeviceCalibration): DeviceSummary {
  const sx = dev.gates.filter((g) => g.gate === "sx");
  const twoQ = dev.gates.filter((g) => g.gate === dev.twoQubitGate && g.qubits.length === 2);
  const num = (xs: Array<number | undefined>): number[] => xs.filter((x): x is number => x !== undefined);
  return {
    name: dev.name,
    version: dev.version,
    lastUpdate: dev.lastUpdate,
    processor: dev.processor,
    numQubits: dev.numQubits,
    twoQubitGate: dev.twoQubitGate,
    usableCouplers: dev.usableCouplers.length,
    unusableCouplers: dev.unusableCouplers.length,
    median1qError: median(num(sx.map((g) => g.error))),
    median1qLength: median(num(sx.map((g) => g.length))),
    median2qError: median(dev.usableCouplers.map((c) => c.error)),
    median2qErrorAll: median(num(twoQ.map((g) => g.error))),
    median2qLength: median(dev.usableCouplers.map((c) => c.length)),
    medianT1: median(dev.qubits.map((q) => q.t1)),
    medianT2: median(dev.qubits.map((q) => q.t2)),
    medianReadoutError: median(dev.qubits.map((q) => q.readoutError)),
    medianReadoutLength: median(dev.qubits.map((q) => q.readoutLength)),
  };
}
