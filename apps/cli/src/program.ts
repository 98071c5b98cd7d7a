import { Command } from "commander";
import { deliveriesCommand } from "./commands/deliveries.js";
import { endpointsCommand } from "./commands/endpoints.js";
import { eventTypesCommand } from "./commands/event-types.js";
import { eventsCommand } from "./commands/events.js";
import { inboundCommand } from "./commands/inbound.js";
import { listenCommand } from "./commands/listen.js";
import { loginCommand, logoutCommand } from "./commands/login.js";
import { subscriptionsCommand } from "./commands/subscriptions.js";
import { triggerCommand } from "./commands/trigger.js";
import { CLI_VERSION } from "./version.js";

/** Every command and its help; main.ts runs it and turns failures into exit codes. */
export function createProgram(): Command {
  const program = new Command("hookline")
    .description("Hookline from a terminal: endpoints, events, deliveries, and `listen` to receive deliveries locally")
    .version(CLI_VERSION)
    .option("--api-url <url>", "the API (default: HOOKLINE_URL, then what `hookline login` saved)")
    .option("--api-key <key>", "a tenant API key (default: HOOKLINE_API_KEY, then the saved one)")
    .option("--json", "print JSON for scripts instead of tables")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 failure, 2 usage, 3 not logged in or key refused, 4 not found, 5 input refused, 6 API unavailable, 7 rate limited.",
    );
  for (const command of [
    loginCommand(),
    logoutCommand(),
    endpointsCommand(),
    subscriptionsCommand(),
    eventsCommand(),
    deliveriesCommand(),
    eventTypesCommand(),
    inboundCommand(),
    triggerCommand(),
    listenCommand(),
  ]) {
    program.addCommand(command);
  }
  // Settings set on the program do not reach commands made apart and added: apply them to all.
  const visit = (command: Command) => {
    command.exitOverride().showHelpAfterError("(run with --help for usage)");
    command.commands.forEach(visit);
  };
  visit(program);
  return program;
}
