/**
 * Calibration snapshots of IBM Quantum devices (layer `devices`, imports only core).
 * Public API, kept stable for the noise and hardware layers:
 *   loadDevice(name) / loadDeviceFiles / parseDevice -> DeviceCalibration
 *   summarizeDevice(dev) -> DeviceSummary; gateCalibration / usableCoupler / usableNeighbours lookups.
 */
export * from "./calibration.ts";
export * from "./load.ts";
export * from "./lookup.ts";
export * from "./summary.ts";
