/**
 * The address of a `hookline listen` endpoint: not a network address but the name of the channel
 * its deliveries are relayed on to the CLI that listens (see @hookline/queue's listen relay). The
 * API makes it, never a tenant: the SSRF guard's http(s) rule keeps it out of every other endpoint.
 */
export const LISTEN_URL_PREFIX = "hookline-listen://";

export const listenUrl = (channel: string): string => `${LISTEN_URL_PREFIX}${channel}`;

/** The channel of a listen endpoint's URL, or undefined for any other URL. */
export function listenChannel(url: string): string | undefined {
  return url.startsWith(LISTEN_URL_PREFIX) ? url.slice(LISTEN_URL_PREFIX.length) : undefined;
}
