import { expect, it } from 'vitest';
import { AdaptiveLanes, runAdaptivePool } from '../../src/reencrypt/adaptive-lanes.js';

it('doubles per round while requests succeed, then adds one per round after a decrease, and halves once per round', () => {
  const lanes = new AdaptiveLanes({ initial: 4, max: 40 });
  const round = () => {
    for (let i = lanes.limit; i > 0; i -= 1) lanes.succeeded();
  };
  round();
  expect(lanes.limit).toBe(8);
  round();
  expect(lanes.limit).toBe(16);
  // Every request in flight sees the same SlowDown: one halving for the round.
  for (let i = 0; i < 16; i += 1) lanes.throttled();
  expect(lanes.limit).toBe(8);
  expect(lanes.decreases).toBe(1);
  round();
  expect(lanes.limit).toBe(9);
  round();
  expect(lanes.limit).toBe(10);
  for (let i = 0; i < 40; i += 1) round();
  expect(lanes.limit).toBe(40);
});

it('paces requests under the per-prefix rate', async () => {
  let now = 0;
  const waits: number[] = [];
  const lanes = new AdaptiveLanes({
    perSecond: 3_500,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  for (let i = 0; i < 7; i += 1) await lanes.pace();
  // 7 requests at once: the seventh waits 6/3500 of a second.
  expect(waits.at(-1)).toBeCloseTo((6 * 1000) / 3_500, 5);
  now = 10_000;
  waits.length = 0;
  await lanes.pace();
  expect(waits).toEqual([]);
});

it('keeps at most the current limit in flight, as it moves', async () => {
  const lanes = new AdaptiveLanes({ initial: 2, max: 16 });
  let inFlight = 0;
  let highest = 0;
  const seen: number[] = [];
  async function* numbers() {
    for (let i = 0; i < 200; i += 1) yield i;
  }
  await runAdaptivePool(numbers(), lanes, {}, async (item) => {
    inFlight += 1;
    highest = Math.max(highest, inFlight);
    expect(inFlight).toBeLessThanOrEqual(lanes.max);
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight -= 1;
    seen.push(item);
    lanes.succeeded();
  });
  expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  expect(highest).toBe(16);
});
