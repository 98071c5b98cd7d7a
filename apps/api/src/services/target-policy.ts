import { AppError, type FieldProblem } from "@hookline/core";
import type { AddressPolicy } from "@hookline/delivery";

/** Checks the URLs a tenant gives us before they are stored. */
export type TargetCheck = (urls: Readonly<Record<string, string | undefined>>) => void;

/**
 * The SSRF guard's early half: a URL whose host is a literal address we would refuse (or
 * `localhost`, which always is one) is a 400 naming the rule and the setting that overrides it.
 * Host names are judged when a delivery connects, since what they resolve to can change.
 */
export function targetCheck(policy: AddressPolicy): TargetCheck {
  function problem(field: string, url: string): FieldProblem | undefined {
    const host = new URL(url).hostname;
    const isLocalhost = host === "localhost" || host.endsWith(".localhost");
    const literal = isLocalhost ? "127.0.0.1" : policy.literalHost(url);
    if (literal === undefined) return undefined;
    const verdict = policy.check(literal);
    if (verdict.allowed) return undefined;
    return {
      field,
      message:
        `points at ${isLocalhost ? `${host} (${literal})` : literal}, a ${verdict.rule} address that deliveries may not reach; ` +
        "an operator can allow it with ALLOW_PRIVATE_TARGETS",
    };
  }

  return (urls) => {
    const problems = Object.entries(urls).flatMap(([field, url]) => {
      const found = url === undefined ? undefined : problem(field, url);
      return found ? [found] : [];
    });
    if (problems.length > 0) throw AppError.validation(problems, "The target address is not allowed.");
  };
}
