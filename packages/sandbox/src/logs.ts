import type { LogLine } from "./types.js";

/**
 * The execution log of one invocation: lines are kept until logBytes (UTF-8) are used; the line
 * that crosses the limit is cut, a marker line says so, and everything after is dropped.
 */
export class LogCollector {
  readonly lines: LogLine[] = [];
  truncated = false;
  private bytes = 0;

  constructor(
    private readonly limitBytes: number,
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {}

  add(level: LogLine["level"], message: string): void {
    if (this.truncated) return;
    const at = Math.round(this.now() - this.startedAt);
    const size = Buffer.byteLength(message, "utf8");
    if (this.bytes + size <= this.limitBytes) {
      this.bytes += size;
      this.lines.push({ level, message, at });
      return;
    }
    const room = this.limitBytes - this.bytes;
    // A cut in the middle of a character decodes to U+FFFD, which is acceptable for a log line cut short.
    if (room > 0) this.lines.push({ level, message: Buffer.from(message, "utf8").subarray(0, room).toString("utf8"), at });
    this.bytes = this.limitBytes;
    this.truncated = true;
    this.lines.push({
      level: "warn",
      message: `[log truncated: the limit of ${this.limitBytes} bytes (logBytes) was reached; later output was dropped]`,
      at,
    });
  }
}
