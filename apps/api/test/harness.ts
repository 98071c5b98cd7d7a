import type { Config } from "@hookline/config";
import { createLogger, type Logger } from "@hookline/core";
import type { Resolver } from "@hookline/delivery";
import { createTenant, connectDatabase, type Database } from "@hookline/db";
import { createTestDatabase, jsonClient, testConfig, testQueuePrefix, TEST_ADMIN_TOKEN, type JsonRequest } from "@hookline/testing";
import { startApi, type RunningApi } from "../src/server.js";
import type { ContractViolation } from "../src/http/contract-check.js";

export interface Harness {
  readonly api: RunningApi;
  /** The configuration the API runs with; workers of the same test use it too. */
  readonly config: Config;
  /** Direct database access, for asserting what was (not) written. */
  readonly db: Database;
  /** Requests as the file's first tenant. */
  readonly request: JsonRequest;
  readonly tenantId: string;
  readonly apiKey: string;
  readonly adminToken: string;
  /** Creates another tenant and returns a client that speaks as it. */
  newTenant(name?: string): Promise<{ tenantId: string; apiKey: string; request: JsonRequest }>;
  close(): Promise<void>;
}

/** The API in-process on port 0, with its own database and queue prefix; one per test file. */
export interface HarnessOptions {
  /** The API's logger (silent by default); tests that read logs pass their own. */
  readonly logger?: Logger;
  /** Replaces DNS for the API's outbound requests (synchronous webhooks). */
  readonly resolve?: Resolver;
}

export async function startHarness(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const queue = testQueuePrefix();
  const config = testConfig({ databaseUrl: database.url, queuePrefix: queue.prefix, env });
  // Every response of every API test is checked against the OpenAPI document; closing the
  // harness fails the file if one did not match.
  const violations: ContractViolation[] = [];
  const api = await startApi(config, options.logger ?? createLogger({ level: config.logLevel, name: "test-api" }), {
    resolve: options.resolve,
    onContractViolation: (violation) => violations.push(violation),
  });
  const db = connectDatabase({ url: database.url, encryptionKey: config.encryptionKey, poolMax: 2 });

  const newTenant = async (name = "tenant") => {
    const created = await createTenant(db, { name });
    return { tenantId: created.tenant.id, apiKey: created.apiKey, request: jsonClient(api.url, created.apiKey) };
  };
  const first = await newTenant("first");

  return {
    api,
    config,
    db,
    request: first.request,
    tenantId: first.tenantId,
    apiKey: first.apiKey,
    adminToken: TEST_ADMIN_TOKEN,
    newTenant,
    async close() {
      await api.stop();
      await db.close();
      await database.drop();
      await queue.cleanup();
      if (violations.length > 0) {
        const seen = [...new Set(violations.map((v) => `${v.route} → ${v.status}: ${v.problem}`))];
        throw new Error(`responses the OpenAPI document does not describe:\n${seen.join("\n")}`);
      }
    },
  };
}
