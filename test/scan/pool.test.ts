import { expect, it } from 'vitest';
import { runPool } from '../../src/scan/pool.js';

async function* counting(total: number, pulled: { count: number }) {
  for (let index = 0; index < total; index += 1) {
    pulled.count += 1;
    yield index;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

it('never has more than `concurrency` items in flight, and pulls only as it goes', async () => {
  const pulled = { count: 0 };
  let inFlight = 0;
  let peak = 0;
  let peakAhead = 0;
  let finished = 0;
  const result = await runPool(counting(100, pulled), { concurrency: 5 }, async () => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    peakAhead = Math.max(peakAhead, pulled.count - finished);
    await tick();
    inFlight -= 1;
    finished += 1;
  });
  expect(result.stopped).toBe(false);
  expect(finished).toBe(100);
  expect(peak).toBe(5);
  // The stream is never read further ahead than the items being worked on.
  expect(peakAhead).toBeLessThanOrEqual(5);
});

it('stops pulling on abort, lets in-flight items finish, and closes the stream', async () => {
  const controller = new AbortController();
  const started: number[] = [];
  const finished: number[] = [];
  let closed = false;
  async function* stream() {
    try {
      for (let index = 0; ; index += 1) yield index;
    } finally {
      closed = true;
    }
  }
  const result = await runPool(stream(), { concurrency: 3, signal: controller.signal }, async (item) => {
    started.push(item);
    if (item === 10) controller.abort();
    await tick();
    finished.push(item);
  });
  expect(result.stopped).toBe(true);
  expect(finished.sort((a, b) => a - b)).toEqual(started.sort((a, b) => a - b));
  expect(started.length).toBeLessThanOrEqual(13);
  expect(closed).toBe(true);
});

it('rethrows the first worker error once the others are done', async () => {
  const finished: number[] = [];
  const failure = await runPool(counting(50, { count: 0 }), { concurrency: 4 }, async (item) => {
    await tick();
    if (item === 6) throw new Error('boom');
    finished.push(item);
  }).catch((error: unknown) => error);
  expect((failure as Error).message).toBe('boom');
  expect(finished.length).toBeLessThan(20);
});
