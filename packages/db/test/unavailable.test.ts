import { connectDatabase, isDatabaseUnavailable } from "../src/index.js";
import { freePort } from "@hookline/testing";

describe("isDatabaseUnavailable", () => {
  it("recognises Prisma and pg errors of an unreachable database, and nothing else", async () => {
    const db = connectDatabase({ url: `postgresql://postgres@127.0.0.1:${await freePort()}/x`, encryptionKey: Buffer.alloc(32) });
    try {
      const prismaError = await db.prisma.tenant.findFirst().catch((error: unknown) => error);
      const pgError = await db.pool.query("SELECT 1").catch((error: unknown) => error);
      expect(isDatabaseUnavailable(prismaError)).toBe(true);
      expect(isDatabaseUnavailable(pgError)).toBe(true);
    } finally {
      await db.close();
    }
    expect(isDatabaseUnavailable({ code: "57P01" })).toBe(true);
    // What pg says of a client whose connection died mid-transaction (seen in the chaos suite).
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable({ code: "23505" })).toBe(false);
  });
});
