// One Jest run over every workspace, in ESM mode (got and the generated Prisma client are ESM).
// @swc/jest strips types only; `npm run typecheck` is what checks them.
const swc = [
  "@swc/jest",
  {
    jsc: { parser: { syntax: "typescript" }, target: "es2023", keepClassNames: true },
    module: { type: "es6" },
    sourceMaps: "inline",
  },
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/apps", "<rootDir>/packages", "<rootDir>/tests"],
  testMatch: ["**/test/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  extensionsToTreatAsEsm: [".ts"],
  transform: { "^.+\\.ts$": swc },
  // Source imports say `./x.js` (NodeNext); under Jest they resolve to the `.ts` file.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testEnvironmentOptions: { customExportConditions: ["hookline-source", "node", "node-addons"] },
  globalSetup: "<rootDir>/scripts/jest-global-setup.mjs",
  testTimeout: 30_000,
};
