// Small typed readers for environment variables. Each records a problem instead of throwing,
// so that a bad configuration is reported whole, once, at boot.

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string, rule?: { minLength: number }): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && rule && value.length < rule.minLength) {
      this.problems.push(`${name} must be at least ${rule.minLength} characters long`);
      return undefined;
    }
    return value;
  }

  int(name: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < range.min || parsed > range.max) {
      this.problems.push(`${name} must be an integer from ${range.min} to ${range.max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  optionalInt(name: string, range: { min: number; max: number }): number | undefined {
    if (this.raw(name) === undefined) return undefined;
    return this.int(name, range.min, range);
  }

  /** A duration in seconds; fractions allowed (tests use short ones). */
  seconds(name: string, fallback: number, range: { min: number; max: number }): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || parsed < range.min || parsed > range.max) {
      this.problems.push(`${name} must be a number of seconds from ${range.min} to ${range.max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  /** The one way booleans are read: true/false, 1/0, yes/no, on/off. */
  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (["true", "1", "yes", "on"].includes(value)) return true;
    if (["false", "0", "no", "off"].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(", ")} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    const value = this.raw(name) ?? fallback;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.problems.push(`${name} must be a URL (${protocols.join(" or ")})`);
      return fallback;
    }
    if (!protocols.includes(parsed.protocol)) {
      this.problems.push(`${name} must use ${protocols.join(" or ")} (got "${parsed.protocol}")`);
      return fallback;
    }
    return value;
  }

  /** A URL when set, undefined when not; a trailing slash is dropped (paths are appended to it). */
  optionalUrl(name: string, protocols: readonly string[]): string | undefined {
    if (this.raw(name) === undefined) return undefined;
    return this.url(name, "http://invalid", protocols).replace(/\/+$/, "");
  }

  /** A comma-separated list of whole seconds, for example "5,300,1800". */
  secondsList(name: string, fallback: readonly number[]): number[] {
    const value = this.raw(name);
    if (value === undefined) return [...fallback];
    const parts = value.split(",").map((part) => part.trim());
    if (parts.length === 0 || parts.some((part) => !/^\d+(\.\d+)?$/.test(part))) {
      this.problems.push(`${name} must be a comma-separated list of seconds, like "5,300,1800" (got "${value}")`);
      return [...fallback];
    }
    return parts.map(Number);
  }

  /** A comma-separated list of non-empty strings; empty or unset is the empty list. */
  list(name: string): string[] {
    const value = this.raw(name);
    return value === undefined
      ? []
      : value
          .split(",")
          .map((part) => part.trim())
          .filter((part) => part !== "");
  }
}
