// Entry point run once before a Jest run (see scripts/jest-global-setup.mjs).
import { prepareTestTemplate } from "./postgres.js";

const template = await prepareTestTemplate();
process.stdout.write(`test template database: ${template}\n`);
