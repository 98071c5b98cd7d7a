// The chaos suite (`npm run chaos`): scenarios one at a time, each with its own Postgres, Redis,
// API, workers and receivers as processes.
import base from "./jest.config.js";

/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ["<rootDir>/tests/chaos"],
  testMatch: ["**/test/**/*.chaos.ts"],
  globalSetup: undefined,
  maxWorkers: 1,
  testTimeout: 600_000,
};
