/**
 * The layering of qmtl, checked by `npm run lint:layers`.
 * Dependencies point down: cli -> datasets -> experiments -> training -> models ->
 * (diff, sim, nn) -> circuits -> gates -> core. data and backbones use only core;
 * hardware -> noise -> devices (calibration snapshots) -> core.
 */
const layers = {
  core: [],
  gates: ["core"],
  circuits: ["core", "gates"],
  sim: ["core", "gates", "circuits"],
  diff: ["core", "gates", "circuits", "sim"],
  devices: ["core"],
  noise: ["core", "gates", "circuits", "sim", "diff", "devices"],
  hardware: ["core", "gates", "circuits", "sim", "noise", "devices"],
  nn: ["core"],
  data: ["core"],
  backbones: ["core", "data"],
  models: ["core", "gates", "circuits", "sim", "diff", "nn"],
  training: ["core", "nn", "models", "data"],
  experiments: [
    "core",
    "gates",
    "circuits",
    "sim",
    "diff",
    "nn",
    "models",
    "training",
    "data",
    "backbones",
    "noise",
    "hardware",
    "devices",
  ],
  // one folder per dataset suite; generic experiments code never imports it
  datasets: [
    "core",
    "gates",
    "circuits",
    "sim",
    "diff",
    "nn",
    "models",
    "training",
    "data",
    "backbones",
    "experiments",
    "noise",
    "hardware",
    "devices",
  ],
  cli: [
    "core",
    "gates",
    "circuits",
    "sim",
    "diff",
    "nn",
    "models",
    "training",
    "data",
    "backbones",
    "experiments",
    "datasets",
    "noise",
    "hardware",
    "devices",
  ],
};
const names = Object.keys(layers);
const forbidden = names.map((from) => {
  const disallowed = names.filter((to) => to !== from && !layers[from].includes(to));
  return {
    name: `layer-${from}`,
    comment: `src/${from} may import only from: ${layers[from].join(", ") || "(nothing)"}`,
    severity: "error",
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${disallowed.join("|")})/` },
  };
});
forbidden.push({
  name: "no-circular",
  severity: "error",
  from: {},
  to: { circular: true },
});
forbidden.push({
  name: "no-shared-at-runtime",
  comment: "the product must never read ../shared",
  severity: "error",
  from: { path: "^src/" },
  to: { path: "shared/" },
});
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
