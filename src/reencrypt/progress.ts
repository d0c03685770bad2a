import type { ScanProgress } from '../scan/scan-bucket.js';
import { formatBytes, formatCount, formatDuration } from '../scan/units.js';
import type { Ui } from '../ui/ui.js';
import type { ReencryptProgress } from './types.js';

const BAR_WIDTH = 20;

function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/** One line: bar (when the total is known), count, bytes, rate, ETA, and the outcomes so far. */
export function formatReencryptProgress(progress: ReencryptProgress): string {
  if (progress.phase === 'counting') return `Counting objects: ${formatCount(progress.listed)} so far`;
  if (progress.phase === 'manifest') {
    return `Writing the Batch Operations manifests: ${formatCount(progress.listed)} objects listed`;
  }
  const seconds = progress.elapsedMs / 1000;
  const rate = seconds > 0 ? progress.processed / seconds : 0;
  const parts: string[] = [];
  const total =
    progress.expected === undefined ? undefined : Math.max(0, progress.expected - progress.finishedBefore);
  if (total !== undefined && total > 0) {
    parts.push(
      `${bar(progress.processed / total)} ${formatCount(progress.processed)}/${formatCount(total)} objects`,
    );
  } else parts.push(`${formatCount(progress.processed)} objects`);
  parts.push(formatBytes(progress.bytes));
  parts.push(`${formatCount(rate)} objects/s`);
  if (seconds > 0) parts.push(`${formatBytes(progress.bytes / seconds)}/s`);
  if (total !== undefined && rate > 0 && progress.processed < total) {
    parts.push(`ETA ${formatDuration(((total - progress.processed) / rate) * 1000)}`);
  }
  parts.push(
    `${formatCount(progress.done)} re-encrypted, ${formatCount(progress.skipped)} skipped, ${formatCount(progress.failed)} failed`,
  );
  return parts.join(' · ');
}

export function formatScanProgress(progress: ScanProgress): string {
  if (progress.phase === 'listing') {
    return `Listing: ${formatCount(progress.listed)} objects, ${formatBytes(progress.listedBytes)}`;
  }
  const total = progress.toInspect;
  return total
    ? `Inspecting ${bar(progress.inspected / total)} ${formatCount(progress.inspected)}/${formatCount(total)} objects`
    : `Inspecting: ${formatCount(progress.inspected)} objects`;
}

export interface ProgressReporter<T> {
  onProgress(progress: T): void;
  /** Ends the spinner with a final line. */
  done(message: string): void;
  failed(message: string): void;
}

/**
 * Turns progress callbacks into spinner text. Ui's spinner has no "update message", so every
 * `intervalMs` the current line is written out (stop) and the spinner restarted with it: a
 * terminal shows a spinner plus a line every few seconds, a log gets one line per interval.
 */
export function progressReporter<T>(
  ui: Ui,
  format: (progress: T) => string,
  options: { title: string; intervalMs?: number; now?: () => number },
): ProgressReporter<T> {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5_000;
  const spinner = ui.spinner();
  spinner.start(options.title);
  let last = now();
  let running = true;
  return {
    onProgress(progress) {
      if (!running || now() - last < interval) return;
      last = now();
      const line = format(progress);
      spinner.stop(line);
      spinner.start(line);
    },
    done(message) {
      if (running) spinner.stop(message);
      running = false;
    },
    failed(message) {
      if (running) spinner.error(message);
      running = false;
    },
  };
}
