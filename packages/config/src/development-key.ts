import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Env } from "./env-parsers.js";

/** Where a development key lives: HOOKLINE_DEV_KEY_FILE, else ~/.hookline/dev-encryption-key. */
export function developmentKeyPath(env: Env): string {
  return env.HOOKLINE_DEV_KEY_FILE?.trim() || join(homedir(), ".hookline", "dev-encryption-key");
}

/**
 * Development only: the API and every worker must share one key, and it must survive restarts or
 * the secrets already stored could not be read, so it is generated once into a file that all
 * processes of this user read. It is written aside and linked into place, which fails if another
 * process got there first, so processes starting together agree and none reads a half-written file.
 */
export function developmentEncryptionKey(processName: string, env: Env): string {
  const path = developmentKeyPath(env);
  let key: string;
  try {
    key = readFileSync(path, "utf8").trim();
  } catch {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const aside = `${path}.${process.pid}.tmp`;
    writeFileSync(aside, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    try {
      linkSync(aside, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(aside);
    }
    key = readFileSync(path, "utf8").trim();
  }
  process.stderr.write(
    `${processName}: ENCRYPTION_KEY is not set; using the development key in ${path}. ` +
      "Set ENCRYPTION_KEY (openssl rand -base64 32) in production, where it is required.\n",
  );
  return key;
}
