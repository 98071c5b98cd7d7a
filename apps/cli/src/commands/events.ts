import { readFileSync } from "node:fs";
import type { Hookline, PublishEventParams } from "@hookline/sdk";
import { Command } from "commander";
import { contextOf, type CommandContext } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { DELIVERY_COLUMNS } from "./deliveries.js";
import { jsonArgument } from "./shared.js";

/** The API's largest batch. */
const BATCH_SIZE = 500;

interface PublishOptions {
  readonly data?: unknown;
  readonly objectId?: string;
  readonly idempotencyKey?: string;
  readonly file?: string;
}

export function eventsCommand(): Command {
  const command = new Command("events").description("publish events and see where they went");

  command
    .command("publish [event_type]")
    .description("publish one event, or many from --file (one JSON event per line)")
    .option("--data <json>", "the event's data: JSON, or @file.json", jsonArgument)
    .option("--object-id <id>", "the object the event is about")
    .option("--idempotency-key <key>", "the same key within the window returns the first event")
    .option("--file <path>", "newline-delimited JSON, each line {event_type, data, …}; published in batches of 500")
    .action(async (eventType: string | undefined, options: PublishOptions, self: Command) => {
      const ctx = contextOf(self);
      if (options.file) return publishFile(ctx, options.file);
      if (!eventType) throw new CliError("publish needs an event type (or --file).", EXIT.usage);
      const event = await publishOne(await ctx.client(), eventType, options);
      if (ctx.out.json) ctx.out.record(event);
      else ctx.out.say(describePublished(event));
    });

  command
    .command("get <id>")
    .description("show an event and its deliveries")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      const event = await (await ctx.client()).events.get(id);
      if (ctx.out.json) return ctx.out.record(event);
      const { deliveries, ...rest } = event;
      ctx.out.record(rest);
      ctx.out.say("");
      ctx.out.list(deliveries, DELIVERY_COLUMNS);
    });

  return command;
}

/** `published evt_… (type) to 2 endpoints`, for people. */
export const describePublished = (event: { id: string; event_type: string; deliveries: number }): string =>
  `published ${event.id} (${event.event_type}) to ${event.deliveries} endpoint${event.deliveries === 1 ? "" : "s"}`;

export async function publishOne(client: Hookline, eventType: string, options: PublishOptions) {
  const data = options.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new CliError("--data must be a JSON object.", EXIT.usage);
  return client.events.publish(
    { event_type: eventType, data: data as Record<string, unknown>, ...(options.objectId ? { object_id: options.objectId } : {}) },
    options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
  );
}

async function publishFile(ctx: CommandContext, path: string): Promise<void> {
  const lines = readFileSync(path === "-" ? 0 : path, "utf8")
    .split("\n")
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line.length > 0);
  const events = lines.map(({ line, number }): PublishEventParams => {
    try {
      return JSON.parse(line) as PublishEventParams;
    } catch {
      throw new CliError(`${path}:${number} is not JSON`, EXIT.usage);
    }
  });
  const client = await ctx.client();
  let published = 0;
  let replayed = 0;
  for (let start = 0; start < events.length; start += BATCH_SIZE) {
    ctx.out.progress(`publishing ${published}/${events.length}`);
    const results = await client.events.publishBatch(events.slice(start, start + BATCH_SIZE));
    published += results.length;
    replayed += results.filter((result) => result.replayed).length;
  }
  ctx.out.progress(`publishing ${published}/${events.length}`);
  ctx.out.done();
  if (ctx.out.json) ctx.out.record({ published, replayed });
  else ctx.out.say(`published ${published} events${replayed ? ` (${replayed} were already published)` : ""}`);
}
