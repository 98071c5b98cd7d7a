import { publicFailure } from "@hookline/core";
import { connectDatabase, describeDatabaseFailure, isDatabaseUnavailable, isTransientConflict, retryOnConflict } from "../src/index.js";
import pg from "pg";
import { freePort, startPostgresServer } from "@hookline/testing";

/** A query through Prisma and one through pg, at `url`, both fail as the database being unavailable. */
async function expectBothUnavailable(url: string): Promise<void> {
  const db = connectDatabase({ url, encryptionKey: Buffer.alloc(32) });
  try {
    const prismaError = await db.prisma.tenant.findFirst().catch((error: unknown) => error);
    const pgError = await db.pool.query("SELECT 1").catch((error: unknown) => error);
    expect(isDatabaseUnavailable(prismaError)).toBe(true);
    expect(isDatabaseUnavailable(pgError)).toBe(true);
  } finally {
    await db.close();
  }
}

describe("isDatabaseUnavailable", () => {
  it("recognises Prisma and pg errors of an unreachable database, and nothing else", async () => {
    await expectBothUnavailable(`postgresql://postgres@127.0.0.1:${await freePort()}/x`);
    expect(isDatabaseUnavailable({ code: "57P01" })).toBe(true);
    // What pg says of a client whose connection died mid-transaction (seen in the chaos suite).
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable({ code: "23505" })).toBe(false);
  });
});

describe("a Postgres with every connection slot taken", () => {
  it("fails new connections in a way isDatabaseUnavailable recognises, from Prisma and from pg", async () => {
    // A server of the test's own: taking every slot of the shared one would fail other files.
    const server = await startPostgresServer();
    const held: pg.Client[] = [];
    try {
      for (;;) {
        const client = new pg.Client({ connectionString: server.url });
        try {
          await client.connect();
          held.push(client);
        } catch (error) {
          expect((error as { code?: string }).code).toBe("53300");
          break;
        }
      }
      await expectBothUnavailable(server.url);
    } finally {
      await Promise.all(held.map((client) => client.end()));
      await server.destroy();
    }
    expect(isDatabaseUnavailable({ code: "53100" })).toBe(true);
  }, 60_000);
});

describe("retryOnConflict", () => {
  it("runs a deadlock's victim again, and lets every other error through at once", async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01" });
    expect(await retryOnConflict(async () => (++calls < 3 ? Promise.reject(deadlock) : "done"))).toBe("done");
    expect(calls).toBe(3);

    calls = 0;
    await expect(retryOnConflict(async () => (calls++, Promise.reject(new Error("syntax error"))))).rejects.toThrow("syntax error");
    expect(calls).toBe(1);
    await expect(retryOnConflict(async () => Promise.reject(deadlock), 2)).rejects.toBe(deadlock);
    // Prisma's name for it, and the pg error wrapped as a cause.
    expect(isTransientConflict({ code: "P2034" })).toBe(true);
    expect(isTransientConflict(new Error("outer", { cause: { code: "40001" } }))).toBe(true);
    expect(isTransientConflict({ code: "23505" })).toBe(false);
  });
});

describe("describeDatabaseFailure", () => {
  it("says why Postgres refused in words of its own, never its message", () => {
    const words = (error: unknown) => publicFailure(error, describeDatabaseFailure);
    const denied = Object.assign(new Error('no pg_hba.conf entry for host "10.1.2.3", user "hookline"'), { code: "28000" });
    expect(words(denied)).toBe("authentication failed");
    expect(words(Object.assign(new Error("sorry, too many clients already"), { code: "53300" }))).toBe("too many connections");
    expect(words(Object.assign(new Error('could not extend file "base/16384/2619"'), { code: "53100" }))).toBe("disk full");
    expect(words(Object.assign(new Error("the database system is starting up"), { code: "57P03" }))).toBe("starting up");
    expect(words(Object.assign(new Error('database "x" does not exist'), { code: "3D000" }))).toBe("database does not exist");
    expect(words(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))).toBe("connection closed");
    expect(words(Object.assign(new Error('relation "secret_table" does not exist'), { code: "42P01" }))).toBe("error");
  });
});
