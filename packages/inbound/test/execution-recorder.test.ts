import { createLogger, newId } from "@hookline/core";
import { connectDatabase, createTenant, tenantScope, type ExecutionRow } from "@hookline/db";
import { TEST_ENCRYPTION_KEY, useTestDatabase } from "@hookline/testing";
import { createExecutionRecorder } from "../src/index.js";

const database = useTestDatabase();
const logger = createLogger({ level: "silent", name: "test" });

async function endpointAndEnvironment(name: string) {
  const { tenant } = await createTenant(database.db, { name });
  const scope = tenantScope(database.db, tenant.id);
  const endpoint = await scope.inboundEndpoints.create({ name, path: `/${name}`, method: "POST", accessLevel: "none", brandIds: [] });
  if ("outcome" in endpoint) throw new Error("clash");
  const [environment] = await scope.environments.all();
  return { tenantId: tenant.id, endpointId: endpoint.id, environmentId: environment!.id };
}

const row = (ids: { tenantId: string; endpointId: string; environmentId: string }, message = "hello"): ExecutionRow => ({
  id: newId("execution"),
  tenant_id: ids.tenantId,
  endpoint_id: ids.endpointId,
  environment_id: ids.environmentId,
  workflow_version: 1,
  method: "POST",
  path: "/x",
  query: "",
  request_headers: { "content-type": "text/plain" },
  body_size: 0,
  body_head: "",
  status: 200,
  duration_ms: 1,
  outcome: "ok",
  logs: [{ level: "log", message, at: 0 }],
  logs_truncated: false,
  error: null,
  published_event_ids: [],
  created_at: new Date().toISOString(),
});

const stored = async (id: string) => (await database.db.pool.query(`SELECT id FROM executions WHERE id = $1`, [id])).rowCount;

describe("the execution recorder", () => {
  it("writes what is pending when closed: a clean shutdown loses no execution", async () => {
    const ids = await endpointAndEnvironment("close");
    // A flush interval longer than the test: only close() can write it.
    const recorder = createExecutionRecorder({ db: database.db, logger, flushEveryMs: 600_000 });
    const execution = row(ids);
    recorder.record(execution);
    expect(await stored(execution.id)).toBe(0);
    await recorder.close();
    expect(await stored(execution.id)).toBe(1);
  });

  it("writes many executions in one group, and skips one whose endpoint is gone instead of failing the group", async () => {
    const ids = await endpointAndEnvironment("group");
    const gone = await endpointAndEnvironment("gone");
    const recorder = createExecutionRecorder({ db: database.db, logger, flushEveryMs: 600_000 });
    const rows = Array.from({ length: 50 }, (_, i) => row(ids, `line ${i}`));
    const orphan = row(gone);
    await tenantScope(database.db, gone.tenantId).inboundEndpoints.delete(gone.endpointId);
    for (const r of [...rows.slice(0, 25), orphan, ...rows.slice(25)]) recorder.record(r);
    await recorder.flush();
    const { rows: written } = await database.db.pool.query<{ id: string }>(`SELECT id FROM executions WHERE tenant_id = $1`, [
      ids.tenantId,
    ]);
    expect(written.map((w) => w.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(await stored(orphan.id)).toBe(0);
  });

  it("keeps executions while the database is unreachable and writes them once it answers", async () => {
    const ids = await endpointAndEnvironment("outage");
    // A pool to a port nothing listens on, then the real one: the recorder only sees `pool`.
    const down = connectDatabase({
      url: "postgresql://postgres@127.0.0.1:1/none",
      encryptionKey: Buffer.from(TEST_ENCRYPTION_KEY, "base64"),
    });
    const target = { pool: down.pool };
    const recorder = createExecutionRecorder({ db: target, logger, flushEveryMs: 600_000 });
    const execution = row(ids);
    recorder.record(execution);
    await recorder.flush();
    expect(await stored(execution.id)).toBe(0);
    await down.close();
    target.pool = database.db.pool;
    await recorder.close();
    expect(await stored(execution.id)).toBe(1);
  });
});
