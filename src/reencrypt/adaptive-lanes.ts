/*
 * How many requests re-encryption keeps in flight, learnt from the endpoint as TCP learns a
 * path: start small, double each round while every request succeeds (slow start), then add
 * one lane per round (additive increase); halve on SlowDown or 503 (multiplicative decrease),
 * once per round, since every request in flight at that moment will say the same.
 *
 * S3 documents 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per
 * partitioned prefix, and partitions by prefix only as load grows: a run cannot know its
 * prefixes' partitions, so it holds every request to the smaller figure, as if the bucket were
 * one prefix. The lane ceiling stays under the SDK's 50 sockets per host, past which lanes only
 * queue inside the client.
 */

export const S3_WRITES_PER_SECOND_PER_PREFIX = 3_500;
export const DEFAULT_MAX_LANES = 48;
export const DEFAULT_INITIAL_LANES = 8;

export interface LaneOptions {
  initial?: number;
  max?: number;
  min?: number;
  /** Requests per second for the whole run (S3's per-prefix write limit by default). */
  perSecond?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AdaptiveLanes {
  limit: number;
  readonly max: number;
  private readonly min: number;
  /** Slow start ends at the first decrease (TCP's ssthresh). */
  private slowStart = true;
  private successes = 0;
  /** Completions to let pass before another decrease: the round in flight at the last one. */
  private quiet = 0;
  private readonly interval: number;
  private nextSlot = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** For the report and the bench: the highest limit reached, and how often it was cut. */
  peak: number;
  decreases = 0;

  constructor(options: LaneOptions = {}) {
    this.max = Math.max(1, options.max ?? DEFAULT_MAX_LANES);
    this.min = Math.max(1, Math.min(options.min ?? 1, this.max));
    this.limit = Math.min(this.max, Math.max(this.min, options.initial ?? DEFAULT_INITIAL_LANES));
    this.peak = this.limit;
    this.interval = 1000 / (options.perSecond ?? S3_WRITES_PER_SECOND_PER_PREFIX);
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? sleepFor;
  }

  /** Waits for the request's slot under the rate limit. */
  async pace(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.interval;
    if (slot > now) await this.sleep(slot - now);
  }

  succeeded(): void {
    if (this.quiet > 0) this.quiet -= 1;
    this.successes += 1;
    if (this.successes < this.limit) return;
    this.successes = 0;
    this.limit = Math.min(this.max, this.slowStart ? this.limit * 2 : this.limit + 1);
    this.peak = Math.max(this.peak, this.limit);
  }

  throttled(): void {
    if (this.quiet > 0) {
      this.quiet -= 1;
      return;
    }
    this.slowStart = false;
    this.decreases += 1;
    this.quiet = this.limit;
    this.successes = 0;
    this.limit = Math.max(this.min, Math.floor(this.limit / 2));
  }
}

/**
 * Runs `worker` over a stream with at most `lanes.limit` items in flight, re-read before each
 * pull, so the pool grows and shrinks as the limit moves. Like runPool: workers pull as they
 * go (memory follows the lanes, not the bucket), a stop lets in-flight items finish, and the
 * first worker error is rethrown once the others are done.
 */
export async function runAdaptivePool<T>(
  source: AsyncIterable<T>,
  lanes: AdaptiveLanes,
  options: { signal?: AbortSignal | undefined },
  worker: (item: T) => Promise<void>,
): Promise<{ stopped: boolean }> {
  const iterator = source[Symbol.asyncIterator]();
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let ended = false;
  const stopping = () => failure !== undefined || options.signal?.aborted === true;
  while (!stopping()) {
    while (running.size >= lanes.limit && !stopping()) await Promise.race(running);
    if (stopping()) break;
    let next: IteratorResult<T>;
    try {
      next = await iterator.next();
    } catch (error) {
      failure ??= { error };
      break;
    }
    if (next.done) {
      ended = true;
      break;
    }
    const task = worker(next.value).catch((error: unknown) => {
      failure ??= { error };
    });
    running.add(task);
    void task.finally(() => running.delete(task));
  }
  await Promise.all(running);
  if (!ended) await iterator.return?.();
  if (failure) throw failure.error;
  return { stopped: !ended };
}
