import { createInterface } from "node:readline/promises";
import { Hookline } from "@hookline/sdk";
import { Command } from "commander";
import { contextOf, type GlobalOptions } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError(`${question.replace(/: $/, "")} is required (no terminal to ask on).`, EXIT.usage);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question(question)).trim();
  } finally {
    prompt.close();
  }
}

export function loginCommand(): Command {
  return new Command("login")
    .description("save the API's URL and a key (in the user's config directory, readable only by you)")
    .option("--url <url>", "the API, e.g. http://localhost:3000 (asked when not given)")
    .action(async (options: { url?: string }, self: Command) => {
      const ctx = contextOf(self);
      const flags = self.optsWithGlobals<GlobalOptions>();
      const given = options.url ?? flags.apiUrl ?? process.env.HOOKLINE_URL ?? (await ask("Hookline URL (http://localhost:3000): "));
      const url = given.replace(/\/+$/, "") || "http://localhost:3000";
      const apiKey = flags.apiKey ?? process.env.HOOKLINE_API_KEY ?? (await ask("API key: "));
      if (!apiKey) throw new CliError("An API key is required.", EXIT.usage);
      try {
        new URL(url);
      } catch {
        throw new CliError(`"${url}" is not a URL.`, EXIT.usage);
      }
      // Checked before it is saved: a typo is caught now, not at the next command.
      await new Hookline({ baseUrl: url, apiKey, maxRetries: 0 }).endpoints.list({ limit: 1 }).page();
      await ctx.store.update((current) => ({ ...current, url, api_key: apiKey }));
      ctx.out.say(`logged in to ${url}; saved in ${ctx.store.file}`);
    });
}

export function logoutCommand(): Command {
  return new Command("logout").description("forget the saved URL and key").action(async (_options: object, self: Command) => {
    const ctx = contextOf(self);
    await ctx.store.update(({ url: _url, api_key: _key, ...rest }) => rest);
    ctx.out.say("logged out");
  });
}
