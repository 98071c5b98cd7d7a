/** The CLI as a library: tests and embedders run a command line and get its exit code. */
export { run } from "./run.js";
export { createProgram } from "./program.js";
export { EXIT, type ExitCode } from "./exit-codes.js";
export { ConfigStore, configDirectory, type StoredConfig } from "./config-store.js";
