import tseslint from "typescript-eslint";

/** Only @hookline/db touches the database: the Prisma client, the pg pool and the generated types. */
const DATABASE_ONLY = "Only @hookline/db touches Prisma or the pg pool: call a repository or a function of @hookline/db instead.";

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
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "pg", message: DATABASE_ONLY }],
          patterns: [{ group: ["@prisma/*", "**/generated/prisma/**", "@hookline/db/src/**"], message: DATABASE_ONLY }],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='prisma']", message: DATABASE_ONLY },
        { selector: "MemberExpression[property.name='pool']", message: DATABASE_ONLY },
      ],
    },
  },
);
