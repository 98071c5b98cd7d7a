import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/** Why an address was refused, named for the operator: `loopback`, `private`, `rfc6052`, …. */
export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly rule: string };

export interface AddressPolicy {
  /** Classifies one IP address (v4, v6 or v4-mapped v6). Anything that is not an IP is refused. */
  check(address: string): AddressVerdict;
  /** For a URL: its host when the host is an IP literal, else undefined (decided at connect time). */
  literalHost(url: string): string | undefined;
}

/**
 * The one range ipaddr.js files under `unicast` that must still not be reached from a webhook
 * sender: IPv4-compatible IPv6 (::a.b.c.d), deprecated, but some stacks still route it to IPv4.
 */
const EXTRA_BLOCKED: readonly (readonly [string, string])[] = [["::/96", "ipv4Compatible"]];

/** A CIDR, or a single address as its own /32 or /128. */
function parseCidr(text: string): Cidr {
  if (text.includes("/")) return ipaddr.parseCIDR(text);
  const address = ipaddr.parse(text);
  return [address, address.kind() === "ipv4" ? 32 : 128];
}

function matches(address: Address, cidr: Cidr): boolean {
  return address.kind() === cidr[0].kind() && address.match(cidr as never);
}

/**
 * The SSRF guard's rule: only public unicast addresses, unless an operator's allowlist says
 * otherwise. Classification is ipaddr.js's; IPv4 hidden in IPv6 as a mapped address is judged as
 * the IPv4 it is, and the translation forms (NAT64, 6to4, Teredo) are refused outright because
 * whatever they lead to is decided by a gateway we cannot see.
 */
export function createAddressPolicy(allowCidrs: readonly string[]): AddressPolicy {
  const allowed = allowCidrs.map(parseCidr);
  const extra = EXTRA_BLOCKED.map(([cidr, rule]) => [ipaddr.parseCIDR(cidr), rule] as const);

  function check(text: string): AddressVerdict {
    const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
    // Zone ids (fe80::1%eth0) name an interface, which is never a public target.
    if (!ipaddr.isValid(bare) || bare.includes("%")) return { allowed: false, rule: "notAnAddress" };
    let address: Address = ipaddr.parse(bare);
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
    if (allowed.some((cidr) => matches(address, cidr))) return { allowed: true };
    const range = address.range();
    if (range !== "unicast") return { allowed: false, rule: range };
    const hit = extra.find(([cidr]) => matches(address, cidr));
    return hit ? { allowed: false, rule: hit[1] } : { allowed: true };
  }

  return {
    check,
    literalHost(url) {
      // WHATWG URL parsing already turns 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
      const host = new URL(url).hostname;
      const bare = host.startsWith("[") ? host.slice(1, -1) : host;
      return ipaddr.isValid(bare) && /^[\d.]+$|:/.test(bare) ? bare : undefined;
    },
  };
}

/** The error a refused connection fails with; the attempt log shows it as `blocked_address`. */
export class BlockedAddressError extends Error {
  readonly code = "EHOOKLINE_BLOCKED";

  constructor(host: string, address: string, rule: string) {
    super(
      `refused to connect to ${address}${host === address ? "" : ` (resolved from ${host})`}: the address is ${rule}, ` +
        "not public; add it to ALLOW_PRIVATE_TARGETS to allow it",
    );
    this.name = "BlockedAddressError";
  }
}
