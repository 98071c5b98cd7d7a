import ipaddr from "ipaddr.js";
import type { EnvReader } from "./env-parsers.js";

/** `ENCRYPTION_KEY`: 32 bytes, written as base64 (44 characters) or hex (64 characters). */
export function parseEncryptionKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return key.length === 32 ? key : undefined;
  }
  return undefined;
}

export function encryptionKey(read: EnvReader, value: string | undefined, production: boolean): Buffer {
  if (value === undefined || value.trim() === "") {
    // Only reached in production: loadConfigOrExit provides a development key otherwise.
    read.problems.push(
      production
        ? "ENCRYPTION_KEY is required when NODE_ENV=production (32 random bytes as base64: `openssl rand -base64 32`)"
        : "ENCRYPTION_KEY is not set (32 random bytes as base64: `openssl rand -base64 32`)",
    );
    return Buffer.alloc(32);
  }
  const key = parseEncryptionKey(value.trim());
  if (!key) {
    read.problems.push("ENCRYPTION_KEY must be 32 bytes written as base64 (44 characters) or hex (64 characters)");
    return Buffer.alloc(32);
  }
  return key;
}

/** `ALLOW_PRIVATE_TARGETS`: addresses or CIDRs the SSRF guard lets through. */
export function allowedTargets(read: EnvReader): string[] {
  const entries = read.list("ALLOW_PRIVATE_TARGETS");
  const invalid = entries.filter((entry) => {
    try {
      if (entry.includes("/")) ipaddr.parseCIDR(entry);
      else ipaddr.parse(entry);
      return false;
    } catch {
      return true;
    }
  });
  if (invalid.length > 0)
    read.problems.push(`ALLOW_PRIVATE_TARGETS must list IP addresses or CIDRs, like "10.0.0.0/8,127.0.0.1" (not: ${invalid.join(", ")})`);
  return entries.filter((entry) => !invalid.includes(entry));
}
