/**
 * qmtl's public API: `import { ... } from "qmtl"`. Everything a user needs to
 * build a head, simulate and differentiate it, train it on their own arrays,
 * evaluate it, and run the paper's experiments or their own. Nothing else
 * lives here; deep imports of internal files are not part of the API.
 */

// errors, randomness, version
export { QmtlError, ValidationError } from "./core/errors.ts";
export { Rng } from "./core/rng.ts";
export { QMTL_VERSION } from "./core/version.ts";

// circuits: the IR, the QMTL head and its presets, the HQNN, readouts, parameter counts (Theorem 1)
export { cst, inp, wgt, type Circuit, type Op, type ParamRef } from "./circuits/ir.ts";
export {
  resolveQmtl,
  qmtlCircuit,
  type QmtlSpec,
  type QmtlTaskSpec,
  type QmtlLayout,
  type QmtlTaskLayout,
  type EncoderOrder,
} from "./circuits/qmtl.ts";
export {
  PRESETS,
  PRESET_NAMES,
  GLUE_TASKS,
  CHEXPERT_TASKS,
  MUSTARD_TASKS,
  type PresetName,
} from "./circuits/presets.ts";
export { hqnnCircuit, hqnnWeightCount, HQNN_INPUTS, type HqnnSpec } from "./circuits/hqnn.ts";
export { stronglyEntanglingOps, stronglyEntanglingWeightCount } from "./circuits/strongly-entangling.ts";
export { defaultReadout, minQubitsFor, type TaskKind } from "./circuits/readout.ts";
export {
  parsePauliWord,
  pauliWordToString,
  groupQubitWise,
  qubitWiseCommute,
  type PauliWord,
} from "./circuits/pauli.ts";
export {
  qmtlCount,
  classicalCount,
  hqnnCount,
  theorem1,
  type HeadCount,
  type ScalingRow,
} from "./circuits/param-count.ts";

// simulators and gradient methods; every executor names its path in `name`
export type { DifferentiableExecutor, Gradients, Tape } from "./sim/executor.ts";
export { qmtlEngine } from "./sim/qmtl-structured/engine.ts";
export { fusedAdjointExecutor, fusedWasmAvailable, type FusedAdjointOptions } from "./sim/fused/index.ts";
export { selectKernelBackend, type KernelChoice } from "./sim/wasm/select.ts";
export { sampleExpectations, type ShotEstimate } from "./sim/sampling.ts";
export { adjointExecutor, type AdjointOptions } from "./diff/adjoint.ts";
export { parameterShiftExecutor } from "./diff/parameter-shift.ts";
export { finiteDiffVjp } from "./diff/finite-diff.ts";

// models
export { buildModel, type MultiTaskModel, type BuildOptions } from "./models/build-model.ts";
export type { ModelSpec, ProjectionSpec, HeadKind, OutputTransform } from "./models/model-spec.ts";
export { layoutTasks, type TaskDef, type TaskInfo } from "./models/task-info.ts";
export {
  savedModel,
  saveModelFile,
  readModelFile,
  loadModel,
  type SavedModel,
  type Standardization,
} from "./models/saved-model.ts";

// training, evaluation, metrics
export {
  train,
  type TrainConfig,
  type TrainEvent,
  type TrainResult,
  type TrainOptions,
} from "./training/trainer.ts";
export { MISSING, subset, validateData, type MultiTaskData } from "./training/dataset.ts";
export { predictLogits, taskMetrics, type TaskMetrics } from "./training/evaluate.ts";
export type { TaskLoss } from "./training/objective.ts";
export {
  accuracy,
  precisionRecallF1,
  matthewsCorrcoef,
  confusionMatrix,
} from "./training/metrics/classification.ts";
export { pearson, spearman } from "./training/metrics/correlation.ts";
export { stratifiedHoldout, stratifiedKFold, type Fold, type Holdout } from "./data/splits.ts";
export { loadFeatureFile, type LoadedFeatures } from "./data/feature-file.ts";

// experiments: the engine, suites, configs, run folders, reports
export type {
  Suite,
  SuiteInputs,
  SuiteSplit,
  SuiteFlag,
  HeadPlan,
  BaseConfig,
  LoadContext,
} from "./experiments/suite.ts";
export { baseConfigFields } from "./experiments/suite.ts";
export {
  runExperiment,
  runExperimentIn,
  loadExperiment,
  experimentCells,
  type ExperimentEvent,
  type RunExperimentOptions,
} from "./experiments/engine.ts";
export { parseSuiteConfig, readConfigFile } from "./experiments/config.ts";
export { prepareRunFolder, readRunMarker, RUN_MARKER, type RunFolderMode } from "./experiments/run-folder.ts";
export { writeReport } from "./experiments/report/write-report.ts";
export { parseExperimentResults, type ExperimentResults } from "./experiments/report/results-types.ts";
export { SUITES, findSuite } from "./datasets/index.ts";
export { mustardSuite, parseMustardConfig, runMustard } from "./datasets/mustard/index.ts";
export { chexpertSuite, type ChexpertConfig } from "./datasets/chexpert/index.ts";
export { glueSuite } from "./datasets/glue/index.ts";

// noise: channels, noise models, exact density-matrix simulation, the noisy structured QMTL executor
export {
  depolarizingAer,
  depolarizingPennyLane,
  bitFlip,
  phaseFlip,
  amplitudeDamping,
  phaseDamping,
  thermalRelaxation,
  type Channel,
} from "./noise/channels.ts";
export { NoiseModel, depolarizingModel, type ReadoutError } from "./noise/noise-model.ts";
export { simulateDensity, measuredExpectation, type DensityMatrix } from "./noise/density-matrix.ts";
export { NoisyQmtlExecutor, type NoisyQmtlOptions } from "./noise/structured/executor.ts";

// hardware: OpenQASM export and import, Qiskit Pauli strings, transpilation to a device
export { circuitToQasm, paramNames } from "./hardware/qasm/export.ts";
export { parseQasm, type ParsedQasm } from "./hardware/qasm/parse.ts";
export { toQiskitPauli, fromQiskitPauli } from "./hardware/observables.ts";
export { expectationsHw } from "./hardware/hw-simulate.ts";
export { transpile, type TranspileOptions, type TranspileResult } from "./hardware/transpile/index.ts";
export { headOfModel } from "./experiments/hardware-study.ts";
