import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliError, EXIT } from "./exit-codes.js";

/**
 * Where `hookline login` keeps the URL and key, and `hookline listen` its session so a restarted
 * CLI picks up what was held meanwhile: one JSON file in the user's config directory, readable by
 * the user alone (0600 in a 0700 directory), since it holds an API key and a signing secret.
 */
export interface SavedListen {
  readonly id: string;
  readonly secret: string;
  readonly event_types: readonly string[];
  readonly forward_to: string;
}

export interface StoredConfig {
  readonly url?: string;
  readonly api_key?: string;
  /** Listen sessions by API URL (one per Hookline a user listens to). */
  readonly listen?: Readonly<Record<string, SavedListen>>;
}

export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOOKLINE_CONFIG_DIR) return env.HOOKLINE_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || (process.platform === "win32" && env.APPDATA) || join(homedir(), ".config");
  return join(base, "hookline");
}

export class ConfigStore {
  readonly file: string;

  constructor(private readonly directory = configDirectory()) {
    this.file = join(directory, "config.json");
  }

  async read(): Promise<StoredConfig> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
    try {
      return JSON.parse(text) as StoredConfig;
    } catch {
      throw new CliError(`${this.file} is not valid JSON: fix it or remove it and run \`hookline login\` again.`, EXIT.config);
    }
  }

  async update(change: (current: StoredConfig) => StoredConfig): Promise<void> {
    const next = change(await this.read());
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writeFile(this.file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    // writeFile's mode applies only when it creates the file; an older file is narrowed too.
    await chmod(this.file, 0o600);
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

/** The API to talk to: flags first, then HOOKLINE_URL / HOOKLINE_API_KEY, then what `login` saved. */
export interface Connection {
  readonly url: string;
  readonly apiKey: string;
}

export async function resolveConnection(
  store: ConfigStore,
  flags: { url?: string | undefined; apiKey?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  const saved = await store.read();
  const url = flags.url ?? env.HOOKLINE_URL ?? saved.url;
  const apiKey = flags.apiKey ?? env.HOOKLINE_API_KEY ?? saved.api_key;
  if (!url || !apiKey) {
    throw new CliError("Not logged in: run `hookline login`, or set HOOKLINE_URL and HOOKLINE_API_KEY.", EXIT.config);
  }
  return { url: url.replace(/\/+$/, ""), apiKey };
}
