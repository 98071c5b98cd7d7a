import type { Attempt, Delivery, DeliveryStatus } from "@hookline/sdk";
import { Command, Option } from "commander";
import { addListOptions, contextOf, printList, type ListOptions } from "../context.js";
import type { Column } from "../output.js";

export const DELIVERY_COLUMNS: readonly Column<Delivery>[] = [
  { header: "id", value: (d) => d.id },
  { header: "event", value: (d) => d.event_id },
  { header: "status", value: (d) => d.status },
  { header: "attempts", value: (d) => d.attempt_count },
  { header: "last status", value: (d) => d.last_status_code ?? d.last_error ?? "" },
  { header: "created", value: (d) => d.created_at },
];

const ATTEMPT_COLUMNS: readonly Column<Attempt>[] = [
  { header: "#", value: (a) => a.attempt_number },
  { header: "started", value: (a) => a.started_at },
  { header: "status", value: (a) => a.status_code ?? a.error_kind ?? "" },
  { header: "duration", value: (a) => `${a.duration_ms} ms` },
  { header: "error", value: (a) => a.error_message ?? "" },
];

const STATUSES: readonly DeliveryStatus[] = ["pending", "held", "succeeded", "failed"] as DeliveryStatus[];

export function deliveriesCommand(): Command {
  const command = new Command("deliveries").description("what was sent where, its attempts, and retrying a failed one");

  addListOptions(command.command("list").description("list an endpoint's deliveries, newest first"))
    .requiredOption("--endpoint <id>", "the endpoint")
    .addOption(new Option("--status <status>", "only deliveries in this state").choices(STATUSES))
    .action(async (options: ListOptions & { endpoint: string; status?: DeliveryStatus }, self: Command) => {
      const ctx = contextOf(self);
      const list = (await ctx.client()).deliveries.list(options.endpoint, {
        limit: options.limit,
        cursor: options.cursor,
        status: options.status,
      });
      await printList(ctx, list, options, DELIVERY_COLUMNS);
    });

  command
    .command("get <id>")
    .description("show a delivery and every attempt")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      const delivery = await (await ctx.client()).deliveries.get(id);
      if (ctx.out.json) return ctx.out.record(delivery);
      const { attempts, ...rest } = delivery;
      ctx.out.record(rest);
      ctx.out.say("");
      ctx.out.list(attempts, ATTEMPT_COLUMNS);
    });

  command
    .command("retry <id>")
    .description("attempt a failed delivery once more, now (same webhook-id)")
    .action(async (id: string, _options: object, self: Command) => {
      const ctx = contextOf(self);
      const delivery = await (await ctx.client()).deliveries.retry(id);
      if (ctx.out.json) ctx.out.record(delivery);
      else ctx.out.say(`${delivery.id} queued again (${delivery.status})`);
    });

  return command;
}
