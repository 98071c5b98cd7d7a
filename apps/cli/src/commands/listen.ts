import { HooklineError, type Hookline } from "@hookline/sdk";
import { Command } from "commander";
import type { SavedListen } from "../config-store.js";
import { contextOf, type CommandContext } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { eventTypeOf, forwardToLocal, type LocalAnswer } from "../listen/forward.js";
import { holdStream, type StreamedDelivery } from "../listen/stream.js";
import { listOf } from "./shared.js";

interface ListenOptions {
  readonly forwardTo: string;
  readonly events?: string[];
}

/**
 * `hookline listen --forward-to http://localhost:4000/webhooks`: a temporary endpoint whose
 * deliveries stream to this process over a connection it opened to the API (no tunnel), each
 * posted to the local URL signed as a real delivery, its answer reported back as the attempt's.
 * The session is saved, so a CLI that was killed and started again gets what was published
 * meanwhile (the endpoint held it); stopping with Ctrl-C deletes it.
 */
export function listenCommand(): Command {
  return new Command("listen")
    .description("receive deliveries on a local URL: no tunnel, signed as real ones")
    .requiredOption("--forward-to <url>", "the local URL to post each delivery to", localUrl)
    .option("--events <types>", "event types or patterns, comma-separated ('payment.*'); every event by default", listOf)
    .action(async (options: ListenOptions, self: Command) => {
      const ctx = contextOf(self);
      await listen(ctx, options);
    });
}

function localUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--forward-to: "${value}" is not a URL`, EXIT.usage);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError("--forward-to must be http(s)", EXIT.usage);
  return url.toString();
}

const sameTypes = (a: readonly string[], b: readonly string[]) => [...a].sort().join(",") === [...b].sort().join(",");

async function openSession(
  ctx: CommandContext,
  client: Hookline,
  url: string,
  options: ListenOptions,
): Promise<{ session: SavedListen; resumed: boolean }> {
  const saved = (await ctx.store.read()).listen?.[url];
  if (saved && saved.forward_to === options.forwardTo && (!options.events || sameTypes(saved.event_types, options.events))) {
    try {
      await client.listen.get(saved.id);
      return { session: saved, resumed: true };
    } catch (error) {
      if (!(error instanceof HooklineError && error.status === 404)) throw error;
    }
  }
  const created = await client.listen.create(options.events ? { event_types: options.events } : {});
  const session: SavedListen = { id: created.id, secret: created.secret, event_types: created.event_types, forward_to: options.forwardTo };
  await ctx.store.update((current) => ({ ...current, listen: { ...current.listen, [url]: session } }));
  return { session, resumed: false };
}

async function listen(ctx: CommandContext, options: ListenOptions): Promise<void> {
  const connection = await ctx.connection();
  const client = await ctx.client();
  const { session, resumed } = await openSession(ctx, client, connection.url, options);
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const print = (line: Record<string, unknown>, text: string) =>
    ctx.out.json ? process.stdout.write(`${JSON.stringify(line)}\n`) : ctx.out.say(text);
  print(
    { ready: false, session: session.id, secret: session.secret, event_types: session.event_types, forward_to: options.forwardTo, resumed },
    [
      `${resumed ? "Resuming" : "Started"} listen session ${session.id} for ${session.event_types.join(", ")}`,
      `Forwarding to ${options.forwardTo}`,
      `Signing secret: ${session.secret} (verify deliveries with it, as from any endpoint)`,
      "Ctrl-C ends the session.",
    ].join("\n"),
  );

  const handle = async (delivery: StreamedDelivery) => {
    const answer: LocalAnswer = await forwardToLocal(options.forwardTo, delivery);
    const type = eventTypeOf(delivery.body);
    const outcome = answer.status_code === undefined ? `error: ${answer.error}` : String(answer.status_code);
    print(
      {
        time: new Date().toISOString(),
        delivery_id: delivery.delivery_id,
        event_type: type,
        status_code: answer.status_code ?? null,
        error: answer.error ?? null,
        duration_ms: answer.duration_ms,
      },
      `${new Date().toISOString().slice(11, 19)}  ${type}  → ${outcome}  ${answer.duration_ms} ms  ${delivery.delivery_id}`,
    );
    try {
      await client.listen.report(session.id, answer);
    } catch (error) {
      // The attempt then times out on the server and is retried on the endpoint's schedule.
      process.stderr.write(`could not report ${delivery.delivery_id}'s answer: ${(error as Error).message}\n`);
    }
  };

  let interrupted = 0;
  const stop = () => {
    // A second Ctrl-C leaves at once, keeping the session (a restart resumes it).
    if (++interrupted > 1) process.exit(EXIT.failure);
    stopping.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  try {
    await holdStream(
      connection,
      session.id,
      {
        onReady: () => print({ ready: true, session: session.id }, "Connected: waiting for deliveries."),
        onDelivery: (delivery) => {
          const work = handle(delivery).finally(() => inFlight.delete(work));
          inFlight.add(work);
        },
        onDisconnect: (reason, delayMs) =>
          process.stderr.write(`disconnected (${reason}); reconnecting in ${Math.round(delayMs / 100) / 10} s\n`),
      },
      stopping.signal,
    );
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  // Stopped: the answers in flight are reported, then the session and its endpoint go.
  await Promise.allSettled([...inFlight]);
  await client.listen.delete(session.id).catch((error: unknown) => {
    if (!(error instanceof HooklineError && error.status === 404)) throw error;
  });
  await ctx.store.update(({ listen: sessions = {}, ...rest }) => {
    const { [connection.url]: _ended, ...others } = sessions;
    return { ...rest, listen: others };
  });
  print({ ended: true, session: session.id }, `Session ${session.id} ended.`);
}
