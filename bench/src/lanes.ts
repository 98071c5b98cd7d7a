/** Runs `loop` on `concurrency` lanes until `durationMs` passed; returns the units the lanes completed. */
export async function lanes(concurrency: number, durationMs: number, loop: () => Promise<number>): Promise<number> {
  const deadline = performance.now() + durationMs;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        // Not `done += await loop()`: that reads `done` before the await and loses other lanes' counts.
        const finished = await loop();
        done += finished;
      }
    }),
  );
  return done;
}
