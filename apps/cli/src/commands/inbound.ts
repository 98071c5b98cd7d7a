import type { InboundEndpoint, InboundExecution } from "@hookline/sdk";
import { Command } from "commander";
import { addListOptions, contextOf, printList, type ListOptions } from "../context.js";
import type { Column } from "../output.js";

const COLUMNS: readonly Column<InboundEndpoint>[] = [
  { header: "id", value: (e) => e.id },
  { header: "name", value: (e) => e.name },
  { header: "method", value: (e) => e.method },
  { header: "path", value: (e) => e.path },
  { header: "published", value: (e) => e.workflow.published_version ?? "" },
];

const EXECUTION_COLUMNS: readonly Column<InboundExecution>[] = [
  { header: "id", value: (x) => x.id },
  { header: "time", value: (x) => x.created_at },
  { header: "request", value: (x) => `${x.method} ${x.path}${x.query}` },
  { header: "status", value: (x) => x.status },
  { header: "outcome", value: (x) => x.outcome },
  { header: "duration", value: (x) => `${x.duration_ms} ms` },
];

export function inboundCommand(): Command {
  const command = new Command("inbound").description("inbound endpoints: URLs other systems call, answered by your workflow");

  addListOptions(command.command("list").description("list inbound endpoints")).action(async (options: ListOptions, self: Command) => {
    const ctx = contextOf(self);
    await printList(ctx, (await ctx.client()).inbound.list({ limit: options.limit, cursor: options.cursor }), options, COLUMNS);
  });

  command
    .command("get <id>")
    .description("show an inbound endpoint and its URLs")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      const endpoint = await (await ctx.client()).inbound.get(id);
      if (ctx.out.json) return ctx.out.record(endpoint);
      const { urls, ...rest } = endpoint;
      ctx.out.record(rest);
      for (const url of urls) ctx.out.say(`${url.kind.padEnd(8)}${url.url}`);
    });

  addListOptions(command.command("executions <id>").description("the calls an inbound endpoint answered, newest first")).action(
    async (id: string, options: ListOptions, self: Command) => {
      const ctx = contextOf(self);
      const list = (await ctx.client()).inbound.executions(id, { limit: options.limit, cursor: options.cursor });
      await printList(ctx, list, options, EXECUTION_COLUMNS);
    },
  );

  command
    .command("delete <id>")
    .description("delete an inbound endpoint")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      await (await ctx.client()).inbound.delete(id);
      ctx.out.deleted("id", id);
    });

  return command;
}
