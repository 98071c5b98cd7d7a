import root from "../../eslint.config.js";

/** The repository's rules, and one more for the SDK: src runs in browsers too, so no Node built-ins. */
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
