/**
 * The string formats the contract's schemas name (`format: "http-url"`, …), defined once so that
 * the API that validates requests and any client that checks them first agree on what passes.
 * Register them with ajv as `ajv.addFormat(name, { type: "string", validate })`.
 */
export const STRING_FORMATS = {
  /** An absolute http or https URL with a host. */
  "http-url": {
    message: "must be an absolute http or https URL",
    validate(value: string): boolean {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
  },
  /** A Standard Webhooks secret: `whsec_` then base64 of 24 to 64 random bytes. */
  "webhook-secret": {
    message: "must be whsec_ followed by the base64 encoding of 24 to 64 bytes",
    validate(value: string): boolean {
      const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
      if (!match?.[1] || match[1].length % 4 !== 0) return false;
      const bytes = Buffer.from(match[1], "base64").length;
      return bytes >= 24 && bytes <= 64;
    },
  },
} as const;

export type StringFormat = keyof typeof STRING_FORMATS;

/** Messages for the standard formats the schemas use (validated by ajv-formats). */
export const STANDARD_FORMAT_MESSAGES: Record<string, string> = {
  "date-time": "must be an ISO-8601 date-time, like 2030-01-01T00:00:00Z",
};
