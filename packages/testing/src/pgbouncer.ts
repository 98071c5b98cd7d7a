import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_SERVER_URL } from "./postgres.js";
import { freePort } from "./services.js";

/**
 * A PgBouncer of its own for one test file, in front of the test Postgres, on a free loopback
 * port: the connection pooler most managed Postgres sits behind. Debian ships 1.18, which keeps no
 * prepared statements across transactions in transaction mode.
 */
export interface PgBouncer {
  /** `DATABASE_URL` for `database` through the pooler. */
  urlFor(database: string): string;
  readonly port: number;
  /** What it logged (connections, errors); for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  readonly poolMode?: "session" | "transaction";
  /** Server connections per database and user: small, so that clients really share them. */
  readonly poolSize?: number;
}

const BINARY_PATHS = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];

function findBinary(): string | undefined {
  return BINARY_PATHS.find((path) => existsSync(path));
}

/** The Debian package when it is missing and we may install it (as root, as CI runs). */
function pgbouncerBinary(): string {
  const found = findBinary();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error("pgbouncer is not installed (apt-get install -y pgbouncer)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "-qq", "pgbouncer"], { env, encoding: "utf8" });
  if (install().status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], { env, encoding: "utf8" });
    const retried = install();
    if (retried.status !== 0) throw new Error(`apt-get install pgbouncer failed: ${retried.stderr}`);
  }
  const installed = findBinary();
  if (!installed) throw new Error("pgbouncer was installed but its binary is not where Debian puts it");
  return installed;
}

/** PgBouncer refuses to run as root; as root it runs as the `postgres` system user, as Postgres does. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startPgBouncer(options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  const server = new URL(TEST_SERVER_URL);
  const user = decodeURIComponent(server.username) || "postgres";
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "hookline-pgbouncer-"));
  const logFile = join(dir, "pgbouncer.log");
  // Every database of the test server, as the same user; the test server trusts local connections,
  // so the pooler trusts its clients too (the user must still be listed in the auth file).
  writeFileSync(join(dir, "users.txt"), `"${user}" ""\n`);
  writeFileSync(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port || "5432"}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(dir, "users.txt")}`,
      `pool_mode = ${options.poolMode ?? "transaction"}`,
      `default_pool_size = ${options.poolSize ?? 2}`,
      "max_client_conn = 500",
      `logfile = ${logFile}`,
      "",
    ].join("\n"),
  );
  const owner = runAs();
  if (owner) for (const file of ["", "users.txt", "pgbouncer.ini"]) chownSync(join(dir, file), owner.uid, owner.gid);
  const child: ChildProcess = spawn(binary, [join(dir, "pgbouncer.ini")], { stdio: "ignore", ...owner });
  // Not left behind by a test run that ends without its afterAll.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const said = log();
      await stop();
      throw new Error(`pgbouncer did not start on port ${port}:\n${said}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    urlFor: (database) => `postgresql://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    log,
    stop,
  };
}
