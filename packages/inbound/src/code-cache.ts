/**
 * Compiled workflow code by version id. A version never changes once saved, so an entry is never
 * stale; the cache only bounds its size, dropping the least recently used versions first.
 */
export class CodeCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(versionId: string): string | undefined {
    const code = this.entries.get(versionId);
    if (code !== undefined) {
      // Most recently used last.
      this.entries.delete(versionId);
      this.entries.set(versionId, code);
    }
    return code;
  }

  set(versionId: string, code: string): void {
    if (this.entries.has(versionId) || code.length > this.maxBytes) return;
    this.entries.set(versionId, code);
    this.bytes += code.length;
    for (const [oldest, dropped] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= dropped.length;
    }
  }
}
