import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["**/dist/**", "**/generated/**", "**/node_modules/**"] }, ...tseslint.configs.recommended, {
  rules: {
    "@typescript-eslint/no-explicit-any": "error",
    "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    "@typescript-eslint/consistent-type-imports": "error",
    "no-console": "error",
  },
});
