import { Hookline, type Page, type PageIterator } from "@hookline/sdk";
import { InvalidArgumentError, type Command } from "commander";
import { ConfigStore, resolveConnection, type Connection } from "./config-store.js";
import { createOutput, type Column, type Output } from "./output.js";

/** The options every command takes (declared once on the program). */
export interface GlobalOptions {
  readonly apiUrl?: string;
  readonly apiKey?: string;
  readonly json?: boolean;
}

/** What a command's action gets: the output, and the API once it needs one. */
export interface CommandContext {
  readonly out: Output;
  readonly store: ConfigStore;
  connection(): Promise<Connection>;
  client(): Promise<Hookline>;
}

export function contextOf(command: Command, store = new ConfigStore()): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const out = createOutput({ json: options.json === true });
  let connection: Promise<Connection> | undefined;
  const connect = () => (connection ??= resolveConnection(store, { url: options.apiUrl, apiKey: options.apiKey }));
  return {
    out,
    store,
    connection: connect,
    async client() {
      const { url, apiKey } = await connect();
      return new Hookline({ baseUrl: url, apiKey });
    },
  };
}

/** Options of every `list`: one page by default (with how to get the next), or `--all`. */
export interface ListOptions {
  readonly limit?: number;
  readonly cursor?: string;
  readonly all?: boolean;
}

export function addListOptions(command: Command): Command {
  return command
    .option("--limit <n>", "items per page (1-100)", (value) => positiveInt(value, "--limit"))
    .option("--cursor <cursor>", "start at this cursor (printed after a page that has more)")
    .option("--all", "every page, not only the first");
}

export async function printList<T extends object>(
  ctx: CommandContext,
  list: PageIterator<T>,
  options: ListOptions,
  columns: readonly Column<T>[],
): Promise<void> {
  let page: Page<T>;
  if (options.all) {
    const items: T[] = [];
    for await (const current of list.pages()) {
      items.push(...current.items);
      ctx.out.progress(`${items.length} fetched…`);
    }
    ctx.out.done();
    page = { items, nextCursor: undefined };
  } else {
    page = await list.page();
  }
  ctx.out.list(page.items, columns);
  if (page.nextCursor !== undefined) process.stderr.write(`more: --cursor ${page.nextCursor} (or --all)\n`);
}

export function positiveInt(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${flag} must be a positive integer`);
  return parsed;
}
