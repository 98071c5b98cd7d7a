import type { Subscription } from "@hookline/sdk";
import { Command } from "commander";
import { addListOptions, contextOf, printList, type ListOptions } from "../context.js";
import type { Column } from "../output.js";
import { listOf } from "./shared.js";

const COLUMNS: readonly Column<Subscription>[] = [
  { header: "id", value: (s) => s.id },
  { header: "endpoint", value: (s) => s.endpoint_id },
  { header: "event types", value: (s) => s.event_types },
  { header: "created", value: (s) => s.created_at },
];

export function subscriptionsCommand(): Command {
  const command = new Command("subscriptions").description("which event types go to which endpoint");

  addListOptions(command.command("list").description("list subscriptions"))
    .option("--endpoint <id>", "only this endpoint's")
    .action(async (options: ListOptions & { endpoint?: string }, self: Command) => {
      const ctx = contextOf(self);
      const list = (await ctx.client()).subscriptions.list({ limit: options.limit, cursor: options.cursor, endpoint_id: options.endpoint });
      await printList(ctx, list, options, COLUMNS);
    });

  command
    .command("get <id>")
    .description("show one subscription")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      ctx.out.record(await (await ctx.client()).subscriptions.get(id));
    });

  command
    .command("create")
    .description("subscribe an endpoint to event types or patterns")
    .requiredOption("--endpoint <id>", "the endpoint")
    .requiredOption("--events <types>", "comma-separated event types or patterns ('payment.*')", listOf)
    .action(async (options: { endpoint: string; events: string[] }, self: Command) => {
      const ctx = contextOf(self);
      ctx.out.record(await (await ctx.client()).subscriptions.create({ endpoint_id: options.endpoint, event_types: options.events }));
    });

  command
    .command("update <id>")
    .description("replace a subscription's event types")
    .requiredOption("--events <types>", "comma-separated event types or patterns", listOf)
    .action(async (id: string, options: { events: string[] }, self: Command) => {
      const ctx = contextOf(self);
      ctx.out.record(await (await ctx.client()).subscriptions.update(id, { event_types: options.events }));
    });

  command
    .command("delete <id>")
    .description("delete a subscription")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      await (await ctx.client()).subscriptions.delete(id);
      ctx.out.deleted("id", id);
    });

  return command;
}
