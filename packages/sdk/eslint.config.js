import root from "../../eslint.config.js";

/**
 * The repository's rules, and one more for the SDK: src runs in browsers too, so no Node
 * built-ins (tsconfig.build.json, without Node's types, also catches bare `crypto` or `fs`). It
 * takes the place of the root's no-restricted-imports (the database layer), which the SDK, with
 * no dependency on it, cannot break.
 */
export default [
  ...root,
  {
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*"], message: "The SDK runs in browsers too: use fetch and globalThis.crypto (WebCrypto)." }] },
      ],
    },
  },
];
