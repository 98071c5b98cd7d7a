import type { EventType } from "@hookline/sdk";
import { Command } from "commander";
import { addListOptions, contextOf, printList, type ListOptions } from "../context.js";
import type { Column } from "../output.js";
import { jsonArgument } from "./shared.js";

const COLUMNS: readonly Column<EventType>[] = [
  { header: "name", value: (t) => t.name },
  { header: "description", value: (t) => t.description },
  { header: "flags", value: (t) => [t.builtin && "builtin", t.deprecated && "deprecated", t.archived && "archived"].filter(Boolean) },
];

interface TypeOptions {
  readonly description?: string;
  readonly schema?: unknown;
}

export function eventTypesCommand(): Command {
  const command = new Command("event-types").description("the event types a tenant publishes, each with a JSON Schema");

  addListOptions(command.command("list").description("list event types")).action(async (options: ListOptions, self: Command) => {
    const ctx = contextOf(self);
    await printList(ctx, (await ctx.client()).eventTypes.list({ limit: options.limit, cursor: options.cursor }), options, COLUMNS);
  });

  command
    .command("get <name>")
    .description("show an event type with its schema")
    .action(async (name: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      ctx.out.record(await (await ctx.client()).eventTypes.get(name));
    });

  command
    .command("create <name>")
    .description("register an event type; published data is validated against its schema")
    .requiredOption("--description <text>", "what the event means")
    .option("--schema <json>", "JSON Schema of the event's data: JSON, or @schema.json", jsonArgument)
    .action(async (name: string, options: TypeOptions, self: Command) => {
      const ctx = contextOf(self);
      const created = await (
        await ctx.client()
      ).eventTypes.create({
        name,
        description: options.description ?? "",
        ...(options.schema === undefined ? {} : { schema: options.schema as Record<string, unknown> }),
      });
      ctx.out.record(created);
    });

  command
    .command("update <name>")
    .description("change an event type's description or schema")
    .option("--description <text>", "what the event means")
    .option("--schema <json>", "JSON Schema: JSON, or @schema.json", jsonArgument)
    .action(async (name: string, options: TypeOptions, self: Command) => {
      const ctx = contextOf(self);
      const updated = await (
        await ctx.client()
      ).eventTypes.update(name, {
        ...(options.description === undefined ? {} : { description: options.description }),
        ...(options.schema === undefined ? {} : { schema: options.schema as Record<string, unknown> }),
      });
      ctx.out.record(updated);
    });

  command
    .command("delete <name>")
    .description("delete an event type")
    .action(async (name: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      await (await ctx.client()).eventTypes.delete(name);
      ctx.out.deleted("name", name);
    });

  return command;
}
