// Minimal typings for the parts of the `quantum-circuit` npm package (dev dependency) the tests use.
declare module "quantum-circuit" {
  export default class QuantumCircuit {
    constructor(numQubits?: number);
    numQubits: number;
    state: Record<string, { re: number; im: number }>;
    importQASM(input: string, errorCallback: (errors: unknown[]) => void, compatibilityMode?: boolean): void;
    run(): void;
  }
}
