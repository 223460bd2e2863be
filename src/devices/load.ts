import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ValidationError } from "../core/errors.ts";
import { parseDevice, type DeviceCalibration } from "./calibration.ts";

/**
 * The calibration snapshots shipped in `<repo>/data/ibm/<short>/{props,conf}_<short>.json`
 * (copies of Qiskit's fake-backend data; see data/ibm/PROVENANCE.md). Nothing
 * outside the repository is read.
 */
export const KNOWN_DEVICES = ["ibm_boston", "ibm_fez", "ibm_marrakesh", "ibm_torino"] as const;
export type KnownDevice = (typeof KNOWN_DEVICES)[number];

/** `<repo>/data/ibm`, found relative to this source file. */
export function deviceDataDir(): string {
  return fileURLToPath(new URL("../../data/ibm/", import.meta.url));
}

/** Accepts "ibm_boston" or "boston"; returns the canonical "ibm_boston" or throws listing the known names. */
export function resolveDeviceName(name: string): KnownDevice {
  const canon = name.startsWith("ibm_") ? name : `ibm_${name}`;
  const hit = KNOWN_DEVICES.find((d) => d === canon);
  if (!hit) throw new ValidationError("device", `one of ${KNOWN_DEVICES.join(", ")}`, name);
  return hit;
}

const loaded = new Map<string, DeviceCalibration>();

/** Loads and validates a shipped snapshot by name (cached; the result is read-only). */
export function loadDevice(name: string): DeviceCalibration {
  const canon = resolveDeviceName(name);
  const hit = loaded.get(canon);
  if (hit) return hit;
  const short = canon.slice(4);
  const dir = join(deviceDataDir(), short);
  const dev = loadDeviceFiles(join(dir, `props_${short}.json`), join(dir, `conf_${short}.json`));
  if (dev.name !== canon)
    throw new ValidationError(`data/ibm/${short}: backend_name`, `"${canon}"`, dev.name);
  loaded.set(canon, dev);
  return dev;
}

/** Loads a snapshot from any props/conf pair in the Qiskit fake-backend format. */
export function loadDeviceFiles(propsPath: string, confPath: string): DeviceCalibration {
  return parseDevice(readJson(propsPath), readJson(confPath), propsPath.replace(/\/props_[^/]*$/, ""));
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ValidationError(path, "a readable calibration JSON file", (e as Error).message);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValidationError(path, "valid JSON", (e as Error).message);
  }
}
