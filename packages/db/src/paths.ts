import { fileURLToPath } from "node:url";

/** prisma/migrations at the repository root; the same from src/ and from dist/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));
