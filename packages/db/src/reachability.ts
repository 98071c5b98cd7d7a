import pg from "pg";
import { EXIT_CODES, type Dependency } from "@hookline/core";
import { sqlState } from "./database-errors.js";

/** Where a Postgres URL points, without its credentials: `db.internal:5432/hookline`. */
function postgresAddress(url: string): string {
  const target = new URL(url);
  // A socket directory given as `?host=/var/run/postgresql` leaves the URL's host empty.
  const host = target.hostname || target.searchParams.get("host") || "localhost";
  return `${host}:${target.port || "5432"}${target.pathname}`;
}

/**
 * Postgres as a dependency a process waits for at start (see ensureStartable). A wrong password
 * (SQLSTATE class 28) and a missing database (3D000) are failures no wait will mend; a server
 * still starting up (57P03) or out of connection slots (53300) may answer soon.
 */
export function postgresDependency(url: string, options: { readonly databaseMayBeMissing?: boolean } = {}): Dependency {
  return {
    name: "Postgres",
    address: postgresAddress(url),
    exitCode: EXIT_CODES.postgresUnreachable,
    async probe(timeoutMs) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
      // A connection lost after the probe must not become an unhandled error event.
      client.on("error", () => undefined);
      try {
        await client.connect();
        await client.query("SELECT 1");
      } catch (error) {
        // The server answered: the migrator is about to create the database.
        if (options.databaseMayBeMissing && sqlState(error) === "3D000") return;
        throw error;
      } finally {
        void client.end().catch(() => undefined);
      }
    },
    isPermanent: (error) => {
      const code = sqlState(error);
      return code !== undefined && (code.startsWith("28") || code === "3D000");
    },
  };
}
