import type { Command } from "commander";
import { createProgram } from "../src/program.js";

function allCommands(command: Command, path: string[] = []): { path: string; command: Command }[] {
  return command.commands.flatMap((sub) => [
    { path: [...path, sub.name()].join(" "), command: sub },
    ...allCommands(sub, [...path, sub.name()]),
  ]);
}

describe("the command tree", () => {
  const program = createProgram();
  const commands = allCommands(program);

  it("has the verbs users reach for every day", () => {
    const paths = commands.map((c) => c.path);
    for (const verb of [
      "login",
      "endpoints list",
      "endpoints get",
      "endpoints create",
      "endpoints pause",
      "endpoints resume",
      "endpoints delete",
      "endpoints secret",
      "subscriptions list",
      "subscriptions create",
      "events publish",
      "events get",
      "deliveries list",
      "deliveries get",
      "deliveries retry",
      "event-types list",
      "event-types create",
      "inbound list",
      "inbound get",
      "trigger",
      "listen",
    ]) {
      expect(paths).toContain(verb);
    }
  });

  it.each(commands.map((c) => [c.path, c.command] as const))("%s has a description and help", (_path, command) => {
    expect(command.description().length).toBeGreaterThan(10);
    expect(command.helpInformation()).toContain("Usage:");
  });
});
