import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  KNOWN_DEVICES,
  deviceDataDir,
  gateCalibration,
  loadDevice,
  parseDevice,
  resolveDeviceName,
  summarizeDevice,
  usableCoupler,
  usableNeighbours,
  median,
} from "../../src/devices/index.ts";
import { ValidationError } from "../../src/core/errors.ts";

// Reference numbers below were read out of data/ibm/*.json by hand (python3 json + statistics.median).
describe("loadDevice", () => {
  it("parses ibm_boston qubit, gate and conf values in SI units", () => {
    const d = loadDevice("ibm_boston");
    expect(d.name).toBe("ibm_boston");
    expect(d.version).toBe("1.0.4");
    expect(d.lastUpdate).toBe("2026-04-17T12:19:24+02:00");
    expect(d.processor).toBe("Heron r3");
    expect(d.numQubits).toBe(156);
    expect(d.basisGates).toEqual(["cz", "id", "rz", "sx", "x"]);
    expect(d.twoQubitGate).toBe("cz");
    expect(d.dt).toBeCloseTo(4e-9, 20);
    const q5 = d.qubits[5]!;
    expect(q5.t1).toBeCloseTo(285.37396234972886e-6, 18);
    expect(q5.t2).toBeCloseTo(604.9117355095445e-6, 18);
    expect(q5.readoutError).toBe(0.00390625);
    expect(q5.probMeas0Prep1).toBe(0.00390625);
    expect(q5.probMeas1Prep0).toBe(0.00390625);
    expect(q5.readoutLength).toBeCloseTo(2200e-9, 18);
    expect(q5.frequency).toBeUndefined();
    expect(q5.operational).toBe(true);
    const sx7 = gateCalibration(d, "sx", [7])!;
    expect(sx7.error).toBe(0.00016474156564161613);
    expect(sx7.length).toBeCloseTo(32e-9, 18);
    expect(gateCalibration(d, "cz", [3, 4])!.error).toBe(0.0009253259230917465);
    expect(gateCalibration(d, "cz", [3, 4])!.length).toBeCloseTo(68e-9, 18);
    expect(gateCalibration(d, "cz", [0, 2])).toBeUndefined();
  });

  it("marks the couplers with gate_error 1 unusable and keeps the rest", () => {
    const b = loadDevice("boston");
    expect(b.couplingMap.length).toBe(352);
    expect(b.unusableCouplers).toEqual([[84, 85]]);
    expect(b.usableCouplers.length).toBe(175);
    expect(usableCoupler(b, 85, 84)).toBeUndefined();
    expect(usableCoupler(b, 4, 3)!.error).toBe(0.0009253259230917465);
    const f = loadDevice("ibm_fez");
    expect(f.unusableCouplers).toEqual([
      [27, 28],
      [31, 32],
      [32, 33],
      [68, 69],
      [80, 81],
      [106, 107],
      [139, 155],
    ]);
    expect(f.usableCouplers.length).toBe(169);
    // qubit 32 of fez has couplers only to 31 and 33, both flagged: it is isolated
    expect(usableNeighbours(f, 32)).toEqual([]);
    expect(usableNeighbours(f, 31)).toEqual([18, 30]);
    expect(usableNeighbours(b, 0)).toEqual([1]);
    const t = loadDevice("ibm_torino");
    expect(t.numQubits).toBe(133);
    expect(t.usableCouplers.length + t.unusableCouplers.length).toBe(150);
  });

  it("rejects unknown names listing the known ones", () => {
    expect(() => loadDevice("ibm_kyiv")).toThrow(ValidationError);
    expect(() => loadDevice("ibm_kyiv")).toThrow(/ibm_boston, ibm_fez, ibm_marrakesh, ibm_torino/);
    expect(resolveDeviceName("marrakesh")).toBe("ibm_marrakesh");
    expect(KNOWN_DEVICES.length).toBe(4);
  });

  it("loads every shipped device", () => {
    for (const n of KNOWN_DEVICES) expect(loadDevice(n).qubits.length).toBe(loadDevice(n).numQubits);
  });
});

describe("parseDevice validation", () => {
  const raw = (name: string, kind: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(deviceDataDir(), name, `${kind}_${name}.json`), "utf8")) as Record<
      string,
      unknown
    >;

  it("names the qubit and record that is missing", () => {
    const props = raw("boston", "props");
    const qubits = props.qubits as Array<Array<{ name: string }>>;
    qubits[7] = qubits[7]!.filter((r) => r.name !== "T2");
    expect(() => parseDevice(props, raw("boston", "conf"), "x")).toThrow(/qubits\[7\]\.T2/);
  });

  it("rejects a coupling-map entry outside the device and a mismatched backend name", () => {
    const conf = raw("fez", "conf");
    (conf.coupling_map as number[][])[3] = [0, 999];
    expect(() => parseDevice(raw("fez", "props"), conf, "x")).toThrow(/coupling_map\[3\]/);
    expect(() => parseDevice(raw("fez", "props"), raw("boston", "conf"), "x")).toThrow(/backend_name/);
  });

  it("flags couplers touching a non-operational qubit and converts frequency units", () => {
    const props = raw("boston", "props");
    const qubits = props.qubits as Array<Array<Record<string, unknown>>>;
    qubits[3]!.push(
      { name: "operational", value: 0, unit: "" },
      { name: "frequency", value: 4.8, unit: "GHz" },
    );
    const d = parseDevice(props, raw("boston", "conf"), "x");
    expect(d.qubits[3]!.operational).toBe(false);
    expect(d.qubits[3]!.frequency).toBeCloseTo(4.8e9, 3);
    expect(d.unusableCouplers).toContainEqual([3, 4]);
    expect(d.unusableCouplers).toContainEqual([2, 3]);
  });
});

describe("summarizeDevice", () => {
  it("gives the medians read out of the snapshots", () => {
    const b = summarizeDevice(loadDevice("ibm_boston"));
    expect(b.median2qError).toBeCloseTo(0.0012707829701427975, 15);
    expect(b.median2qErrorAll).toBeCloseTo(0.0012747211439835399, 15);
    expect(b.median1qError).toBeCloseTo(0.00014470700669960387, 15);
    expect(b.medianT1).toBeCloseTo(292.4356506254793e-6, 15);
    expect(b.medianT2).toBeCloseTo(352.96959961159655e-6, 15);
    expect(b.medianReadoutError).toBe(0.005126953125);
    const f = summarizeDevice(loadDevice("ibm_fez"));
    expect(f.median2qError).toBeCloseTo(0.0038150866361409963, 15);
    expect(f.median2qErrorAll).toBeCloseTo(0.0039033828523107883, 15);
    expect(f.medianT1).toBeCloseTo(144.85526609546145e-6, 15);
    expect(f.medianT2).toBeCloseTo(87.95068681159161e-6, 15);
    // The paper quotes ~1.15e-3 (boston) and ~2.55e-3 (fez) at its run time; these snapshots
    // are other calibrations, but keep the paper's ordering: boston has the lower 2q error.
    expect(b.median2qError).toBeLessThan(f.median2qError);
  });

  it("median of even and odd lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
