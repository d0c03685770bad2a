/**
 * Runs `worker` over a stream with at most `concurrency` items in flight. Workers pull from
 * the stream themselves, so a slow consumer slows the listing instead of buffering it.
 * Stopping (abort signal or `shouldStop`) lets in-flight items finish and pulls no more.
 * A worker that throws stops the pool; the first error is rethrown once the others finish.
 */
export interface PoolOptions {
  concurrency: number;
  signal?: AbortSignal | undefined;
  /** Checked before each pull; true stops the pool as an abort would. */
  shouldStop?: () => boolean;
}

export interface PoolResult {
  /** True when the pool stopped before the stream ended. */
  stopped: boolean;
}

export async function runPool<T>(
  source: AsyncIterable<T>,
  options: PoolOptions,
  worker: (item: T) => Promise<void>,
): Promise<PoolResult> {
  const iterator = source[Symbol.asyncIterator]();
  let failure: { error: unknown } | undefined;
  let ended = false;
  const stopping = () =>
    failure !== undefined || options.signal?.aborted === true || options.shouldStop?.() === true;

  const lane = async () => {
    while (!ended && !stopping()) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (next.done) {
        ended = true;
        return;
      }
      try {
        await worker(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };

  const lanes = Math.max(1, Math.floor(options.concurrency));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (!ended) await iterator.return?.();
  if (failure) throw failure.error;
  return { stopped: !ended };
}
