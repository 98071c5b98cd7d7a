import type { Endpoint } from "@hookline/sdk";
import { Command, InvalidArgumentError } from "commander";
import { addListOptions, contextOf, printList, positiveInt, type ListOptions } from "../context.js";
import type { Column } from "../output.js";
import { listOf, parseHeaders, withProgress } from "./shared.js";

const COLUMNS: readonly Column<Endpoint>[] = [
  { header: "id", value: (e) => e.id },
  { header: "name", value: (e) => e.name },
  { header: "status", value: (e) => e.status },
  { header: "url", value: (e) => e.url },
  { header: "created", value: (e) => e.created_at },
];

interface CreateOptions {
  readonly url: string;
  readonly name?: string;
  readonly events?: string[];
  readonly header?: string[];
  readonly timeout?: number;
}

export function endpointsCommand(): Command {
  const command = new Command("endpoints").description("where deliveries go: list, create, pause, resume, delete");

  addListOptions(command.command("list").description("list endpoints")).action(async (options: ListOptions, self: Command) => {
    const ctx = contextOf(self);
    await printList(ctx, (await ctx.client()).endpoints.list({ limit: options.limit, cursor: options.cursor }), options, COLUMNS);
  });

  command
    .command("get <id>")
    .description("show one endpoint")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      ctx.out.record(await (await ctx.client()).endpoints.get(id));
    });

  command
    .command("create")
    .description("register an endpoint (and subscribe it with --events)")
    .requiredOption("--url <url>", "where to deliver (https)")
    .option("--name <name>", "a name to know it by (the URL's host by default)")
    .option("--events <types>", "subscribe to these event types or patterns, comma-separated ('payment.*,order.placed')", listOf)
    .option("--header <name:value>", "a header sent with every delivery (repeatable)", (value: string, all: string[] = []) => [
      ...all,
      value,
    ])
    .option("--timeout <seconds>", "per-attempt timeout", (value) => positiveInt(value, "--timeout"))
    .action(async (options: CreateOptions, self: Command) => {
      const ctx = contextOf(self);
      const client = await ctx.client();
      const endpoint = await client.endpoints.create({
        url: options.url,
        name: options.name ?? new URL(options.url).host,
        ...(options.header ? { headers: parseHeaders(options.header) } : {}),
        ...(options.timeout ? { timeout_seconds: options.timeout } : {}),
      });
      if (options.events) await client.subscriptions.create({ endpoint_id: endpoint.id, event_types: options.events });
      ctx.out.record(endpoint);
    });

  for (const [verb, description] of [
    ["pause", "hold new deliveries until resumed (nothing is dropped)"],
    ["resume", "deliver again, releasing what was held in publish order"],
  ] as const) {
    command
      .command(`${verb} <id>`)
      .description(description)
      .action(async (id: string, _options: object, self: Command) => {
        const ctx = contextOf(self);
        const endpoint = await (await ctx.client()).endpoints[verb](id);
        if (ctx.out.json) ctx.out.record(endpoint);
        else ctx.out.say(`${endpoint.id} is ${endpoint.status}`);
      });
  }

  command
    .command("delete <id>")
    .description("delete an endpoint with its subscriptions and deliveries")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      await (await ctx.client()).endpoints.delete(id);
      ctx.out.deleted("id", id);
    });

  command
    .command("secret <id>")
    .description("print the signing secret (whsec_…); --rotate makes a new one")
    .option("--rotate", "rotate: the old secret keeps signing for the grace period")
    .action(async (id: string, options: { rotate?: boolean }, self: Command) => {
      const ctx = contextOf(self);
      const client = await ctx.client();
      if (options.rotate) {
        const rotated = await client.endpoints.rotateSecret(id);
        ctx.out.record(rotated);
      } else {
        const secret = await client.endpoints.secret(id);
        if (ctx.out.json) ctx.out.record({ secret });
        else ctx.out.say(secret);
      }
    });

  command
    .command("recover <id>")
    .description("send again every failed delivery to the endpoint since a time")
    .requiredOption("--since <time>", "ISO 8601 time, or a duration back from now (90m, 12h, 3d)", parseSince)
    .action(async (id: string, options: { since: string }, self: Command) => {
      const ctx = contextOf(self);
      const client = await ctx.client();
      // The API answers at once and recovers in the background; this waits for the count.
      const { recovered } = await withProgress(ctx.out, `recovering deliveries of ${id} since ${options.since}`, () =>
        client.endpoints.recoverAndWait(id, { since: options.since }),
      );
      if (ctx.out.json) ctx.out.record({ recovered });
      else ctx.out.say(`${recovered} deliveries queued again`);
    });

  return command;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseSince(value: string): string {
  const relative = /^(\d+)([mhd])$/.exec(value);
  if (relative) return new Date(Date.now() - Number(relative[1]) * UNITS[relative[2]!]!).toISOString();
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError(`"${value}" is neither an ISO 8601 time nor a duration like 12h`);
  return new Date(value).toISOString();
}
