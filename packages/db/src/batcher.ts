import type pg from "pg";

/**
 * Group commit, for every statement many callers make at once (the worker's reads and records,
 * the API's key and registry lookups and publishes): calls made while earlier batches are in
 * flight (or in the same tick) are answered together by one `run` over all their inputs. At low load every
 * call is its own batch and waits for nothing; under load batches grow, and one statement does
 * the work of many. At most `maxConcurrent` batches run at once, each on its own connection.
 */
export function batcher<In, Out>(
  run: (inputs: readonly In[]) => Promise<readonly Out[]>,
  options: { maxBatch: number; maxConcurrent: number },
) {
  let queue: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    while (running < options.maxConcurrent && queue.length > 0) {
      const batch = queue.slice(0, options.maxBatch);
      queue = queue.slice(batch.length);
      running++;
      run(batch.map((item) => item.input))
        .then(
          (outputs) => batch.forEach((item, i) => item.resolve(outputs[i] as Out)),
          (error: unknown) => batch.forEach((item) => item.reject(error)),
        )
        .finally(() => {
          running--;
          schedule();
        });
    }
  }

  function schedule(): void {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  }

  return (input: In): Promise<Out> =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule();
    });
}

/**
 * One `make(pool)` per connection pool, made on first use: a batcher every tenant's repositories
 * share (they are built per request, the pool lives as long as the process).
 */
export function perPool<T>(make: (pool: pg.Pool) => T): (pool: pg.Pool) => T {
  const made = new WeakMap<pg.Pool, T>();
  return (pool) => {
    let value = made.get(pool);
    if (value === undefined) {
      value = make(pool);
      made.set(pool, value);
    }
    return value;
  };
}
