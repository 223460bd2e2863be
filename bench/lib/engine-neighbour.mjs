// A worker that runs the structured engine's record + backward (new weights every call) in a loop until
// told to stop: the neighbour a pool worker really has. Plain JavaScript bootstrap; tsx loads the engine.
import { workerData } from "node:worker_threads";
const { register } = await import("tsx/esm/api");
register();
const { runNeighbour } = await import("./engine-neighbour-loop.ts");
runNeighbour(workerData);
