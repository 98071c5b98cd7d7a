import { createHash, randomBytes } from "node:crypto";
import type { SecretCipher } from "@hookline/core";

/**
 * The secrets of integrations: trigger tokens (the unguessable part of a trigger URL), instance
 * API keys and organization keys (sealed to show, hashed to check), secret config values
 * (sealed, each bound to its instance and name).
 */

/** 256 random bits: a trigger URL cannot be guessed. */
export const newTriggerToken = (): string => randomBytes(32).toString("base64url");

/** A generated API key for a flow secured by the customer. */
export const newApiKey = (): string => `ak_${randomBytes(32).toString("base64url")}`;

export const hashKey = (key: string): Buffer => createHash("sha256").update(key, "utf8").digest();

const apiKeyContext = (instanceId: string, flow: string) => `instance:${instanceId}:api_key:${flow}`;
const configContext = (instanceId: string, name: string) => `instance:${instanceId}:config:${name}`;
const organizationKeyContext = (integrationId: string, flow: string) => `integration:${integrationId}:organization_key:${flow}`;

export const sealApiKey = (cipher: SecretCipher, instanceId: string, flow: string, key: string) =>
  cipher.seal(key, apiKeyContext(instanceId, flow));
export const openApiKey = (cipher: SecretCipher, instanceId: string, flow: string, sealed: string) =>
  cipher.open(sealed, apiKeyContext(instanceId, flow));

export const sealConfig = (cipher: SecretCipher, instanceId: string, name: string, value: string) =>
  cipher.seal(value, configContext(instanceId, name));
export const openConfig = (cipher: SecretCipher, instanceId: string, name: string, sealed: string) =>
  cipher.open(sealed, configContext(instanceId, name));

export const sealOrganizationKey = (cipher: SecretCipher, integrationId: string, flow: string, key: string) =>
  cipher.seal(key, organizationKeyContext(integrationId, flow));
export const openOrganizationKey = (cipher: SecretCipher, integrationId: string, flow: string, sealed: string) =>
  cipher.open(sealed, organizationKeyContext(integrationId, flow));

/** A config value as an instance row stores it. */
export interface StoredConfigValue {
  readonly value: string;
  readonly secret: boolean;
}

/** The config of an instance as its flows see it: secret values opened. */
export function openInstanceConfig(cipher: SecretCipher, instanceId: string, stored: unknown): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [name, entry] of Object.entries((stored ?? {}) as Record<string, StoredConfigValue>)) {
    config[name] = entry.secret ? openConfig(cipher, instanceId, name, entry.value) : entry.value;
  }
  return config;
}
