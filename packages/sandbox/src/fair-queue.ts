/**
 * Per-tenant FIFO queues served round-robin across tenants, with a cap on how many of one
 * tenant's items may be running at once. One tenant's backlog (of endless loops, say) never
 * stands in front of another tenant's next item: each turn goes to the next tenant in the ring
 * that has something waiting and is under its cap.
 */
export class FairQueue<T> {
  private readonly queues = new Map<string, T[]>();
  /** Tenants with waiting items, in the order they are next served. */
  private ring: string[] = [];
  private readonly running = new Map<string, number>();

  constructor(
    private readonly maxRunningPerKey: number,
    private readonly maxWaitingPerKey: number,
  ) {}

  /** False when the key already has maxWaitingPerKey items waiting. */
  push(key: string, item: T): boolean {
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = [];
      this.queues.set(key, queue);
      this.ring.push(key);
    }
    if (queue.length >= this.maxWaitingPerKey) return false;
    queue.push(item);
    return true;
  }

  /** The next item to run, counted as running for its key until done(key); undefined when none may run now. */
  next(): { key: string; item: T } | undefined {
    for (let i = 0; i < this.ring.length; i++) {
      const key = this.ring[i] as string;
      if ((this.running.get(key) ?? 0) >= this.maxRunningPerKey) continue;
      const queue = this.queues.get(key) as T[];
      const item = queue.shift() as T;
      this.running.set(key, (this.running.get(key) ?? 0) + 1);
      // Served: to the back of the ring, or out of it when nothing else waits.
      this.ring.splice(i, 1);
      if (queue.length > 0) this.ring.push(key);
      else this.queues.delete(key);
      return { key, item };
    }
    return undefined;
  }

  done(key: string): void {
    const count = (this.running.get(key) ?? 0) - 1;
    if (count > 0) this.running.set(key, count);
    else this.running.delete(key);
  }

  waiting(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  /** Removes and returns every waiting item. */
  drain(): T[] {
    const items = [...this.queues.values()].flat();
    this.queues.clear();
    this.ring = [];
    return items;
  }

  get runningCount(): number {
    let total = 0;
    for (const count of this.running.values()) total += count;
    return total;
  }
}
