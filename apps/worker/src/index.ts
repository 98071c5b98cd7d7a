export { startWorker, type RunningWorker, type WorkerDependencies, type WorkerOptions, type Processor } from "./worker.js";
export { processDelivery } from "./deliver.processor.js";
export { startSweeper, type SweeperOptions } from "./sweeper.js";
export { startHealthServer } from "./health-server.js";
