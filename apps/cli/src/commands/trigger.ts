import { HooklineError } from "@hookline/sdk";
import { Command } from "commander";
import { sample } from "openapi-sampler";
import { contextOf } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { describePublished, publishOne } from "./events.js";
import { jsonArgument } from "./shared.js";

/**
 * `hookline trigger payment.created`: publishes an event with sample data made from the event
 * type's JSON Schema (examples and defaults first, then placeholder values), so a receiver or a
 * `hookline listen` session can be exercised without writing a payload by hand.
 */
export function triggerCommand(): Command {
  return new Command("trigger")
    .description("publish a sample event: data from the type's JSON Schema, or --data")
    .argument("<event_type>", "a registered event type")
    .option("--data <json>", "use this data instead: JSON, or @file.json", jsonArgument)
    .option("--object-id <id>", "the object the event is about")
    .action(async (eventType: string, options: { data?: unknown; objectId?: string }, self: Command) => {
      const ctx = contextOf(self);
      const client = await ctx.client();
      let data = options.data;
      if (data === undefined) {
        const type = await client.eventTypes.get(eventType).catch((error: unknown) => {
          if (error instanceof HooklineError && error.status === 404) {
            throw new CliError(
              `${eventType} is not a registered event type: register it (hookline event-types create) or pass --data.`,
              EXIT.notFound,
            );
          }
          throw error;
        });
        data = type.schema && typeof type.schema === "object" ? sample(type.schema as object) : {};
        if (typeof data !== "object" || data === null || Array.isArray(data)) data = {};
      }
      const event = await publishOne(client, eventType, { data, objectId: options.objectId });
      if (ctx.out.json) return ctx.out.record({ ...event, data });
      ctx.out.say(describePublished(event));
      ctx.out.say(JSON.stringify(data, null, 2));
    });
}
