import { expect, it } from 'vitest';
import {
  formatReencryptProgress,
  formatScanProgress,
  progressReporter,
} from '../../src/reencrypt/progress.js';
import { scriptedUi } from '../helpers/scripted-ui.js';

const base = {
  listed: 1000,
  processed: 250,
  bytes: 2_500_000,
  done: 200,
  skipped: 49,
  failed: 1,
  finishedBefore: 0,
};

it('shows a bar, count, bytes, rate and ETA once the total is known', () => {
  expect(formatReencryptProgress({ ...base, phase: 'reencrypting', expected: 1000, elapsedMs: 5000 })).toBe(
    '[#####---------------] 250/1,000 objects · 2.5 MB · 50 objects/s · 500 KB/s · ETA 15s · 200 re-encrypted, 49 skipped, 1 failed',
  );
  expect(formatReencryptProgress({ ...base, phase: 'reencrypting', elapsedMs: 5000 })).toBe(
    '250 objects · 2.5 MB · 50 objects/s · 500 KB/s · 200 re-encrypted, 49 skipped, 1 failed',
  );
  expect(formatReencryptProgress({ ...base, phase: 'counting', elapsedMs: 1 })).toBe(
    'Counting objects: 1,000 so far',
  );
  expect(
    formatScanProgress({
      phase: 'inspecting',
      listed: 10,
      listedBytes: 0,
      inspected: 5,
      toInspect: 10,
      elapsedMs: 1,
    }),
  ).toBe('Inspecting [##########----------] 5/10 objects');
});

it('writes a progress line through the spinner at most once per interval', () => {
  const events: string[] = [];
  const { ui } = scriptedUi([]);
  ui.spinner = () => ({
    start: (message) => events.push(`start ${message}`),
    stop: (message) => events.push(`stop ${message}`),
    error: (message) => events.push(`error ${message}`),
  });
  let now = 0;
  const reporter = progressReporter(ui, (value: number) => `at ${value}`, {
    title: 'Working',
    intervalMs: 1000,
    now: () => now,
  });
  reporter.onProgress(1);
  now = 999;
  reporter.onProgress(2);
  now = 1000;
  reporter.onProgress(3);
  reporter.done('Finished');
  reporter.onProgress(4);
  expect(events).toEqual(['start Working', 'stop at 3', 'start at 3', 'stop Finished']);
});
