import tseslint from "typescript-eslint";

/** Only @hookline/db touches the database: the Prisma client, the pg pool and the generated types. */
const DATABASE_ONLY = "Only @hookline/db touches Prisma or the pg pool: call a repository or a function of @hookline/db instead.";
const DATABASE_IMPORTS = {
  paths: [{ name: "pg", message: DATABASE_ONLY }],
  patterns: [{ group: ["@prisma/*", "**/generated/prisma/**", "@hookline/db/src/**"], message: DATABASE_ONLY }],
};

/** Spans are made through @hookline/core's Tracing; only @hookline/telemetry holds the SDK, which apps start. */
const TELEMETRY_ONLY =
  "Make spans through @hookline/core's Tracing (given to you, or undefined when tracing is off); the SDK lives in @hookline/telemetry.";
const restricted = (opentelemetry) => [
  "error",
  {
    ...DATABASE_IMPORTS,
    patterns: [...DATABASE_IMPORTS.patterns, ...(opentelemetry ? [{ group: opentelemetry, message: TELEMETRY_ONLY }] : [])],
  },
];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/generated/**", "**/node_modules/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
    },
  },
  {
    // Production code of every package but the database layer (and the test helpers, which make
    // and drop databases). Tests and the benchmark may read the tables directly to check them.
    files: ["apps/*/src/**/*.ts", "packages/*/src/**/*.ts"],
    ignores: ["packages/db/**", "packages/testing/**"],
    rules: {
      "no-restricted-imports": restricted(["@opentelemetry/*"]),
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='prisma']", message: DATABASE_ONLY },
        { selector: "MemberExpression[property.name='pool']", message: DATABASE_ONLY },
      ],
    },
  },
  // Core wraps the API (tracing.ts); telemetry starts the SDK.
  { files: ["packages/core/src/**/*.ts"], rules: { "no-restricted-imports": restricted(["@opentelemetry/*", "!@opentelemetry/api"]) } },
  { files: ["packages/telemetry/src/**/*.ts"], rules: { "no-restricted-imports": restricted(undefined) } },
);
