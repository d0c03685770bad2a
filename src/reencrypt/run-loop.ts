import { AppError } from '../errors.js';
import { type ListedObject, listObjects } from '../scan/list-objects.js';
import { throttled } from '../scan/throttle.js';
import { runAdaptivePool } from './adaptive-lanes.js';
import { type CheckpointData, checkpointWriter, ListingCursor } from './checkpoint.js';
import { FAILURE_STREAK_LIMIT } from './defaults.js';
import { type ObjectContext, processObject } from './process-object.js';
import type { ObjectOutcome, ReencryptProgress } from './types.js';

export interface LoopOptions {
  checkpointPath: string;
  /** Dry runs neither read nor write the checkpoint. */
  persist: boolean;
  expected?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ReencryptProgress) => void) | undefined;
  onObject?: ((outcome: ObjectOutcome) => void) | undefined;
}

export interface LoopResult {
  /** Stopped by the signal before the end; the checkpoint says where. */
  aborted: boolean;
}

interface Item {
  object: ListedObject;
  /** Place in the listing; undefined for a failure of an earlier run being retried. */
  position?: number;
}

/**
 * The loop: earlier failures first, then the listing from the checkpoint's cursor, through a
 * bounded pool. The checkpoint is saved about once a second and once more at the end, so a
 * re-run redoes at most a second of work, and even that only costs HeadObjects.
 */
export async function runLoop(
  context: ObjectContext,
  checkpoint: CheckpointData,
  options: LoopOptions,
): Promise<LoopResult> {
  const started = Date.now();
  const cursor = new ListingCursor(checkpoint.listing.after);
  const finishedBefore = new Set(checkpoint.finishedAfter);
  // Failures of earlier runs are retried first; until each has its new outcome it stays failed.
  const retrying = new Map(checkpoint.failed.map((failure) => [failure.key, failure]));
  checkpoint.failed = [];
  const finishedEarlier = checkpoint.totals.finished;
  const run = { listed: 0, processed: 0, bytes: 0, done: 0, skipped: 0, failed: 0 };
  let failureStreak = 0;

  const snapshot = (): CheckpointData => ({
    ...checkpoint,
    updatedAt: new Date().toISOString(),
    listing: {
      ...(cursor.after === undefined ? {} : { after: cursor.after }),
      complete: checkpoint.listing.complete,
    },
    finishedAfter: [...finishedBefore, ...cursor.finishedAfter()],
    failed: [...checkpoint.failed, ...retrying.values()],
  });
  const writer = checkpointWriter(options.checkpointPath, snapshot);
  const progress = throttled(options.onProgress, 250);
  const progressNow = (): ReencryptProgress => ({
    phase: 'reencrypting',
    ...run,
    finishedBefore: finishedEarlier,
    ...(options.expected === undefined ? {} : { expected: options.expected }),
    elapsedMs: Date.now() - started,
  });

  async function* items(): AsyncGenerator<Item> {
    for (const key of [...retrying.keys()]) yield { object: { key, size: 0, storageClass: 'STANDARD' } };
    if (checkpoint.listing.complete) return;
    for await (const object of listObjects(context.s3, {
      bucket: context.bucket,
      startAfter: cursor.after,
      step: 'reencrypt',
    })) {
      run.listed += 1;
      await cursor.room();
      const position = cursor.add(object.key);
      if (finishedBefore.delete(object.key)) {
        cursor.finish(position);
        continue;
      }
      yield { object, position };
    }
  }

  const record = (outcome: ObjectOutcome, retried: boolean) => {
    const totals = checkpoint.totals;
    // A retried failure was already counted as handled by the run it failed in.
    if (!retried) totals.finished += 1;
    run.processed += 1;
    run.bytes += outcome.bytes;
    if (outcome.status === 'failed') {
      run.failed += 1;
      checkpoint.failed.push({ key: outcome.key, error: outcome.error });
      failureStreak += 1;
      return;
    }
    failureStreak = 0;
    if (outcome.status === 'skipped') {
      run.skipped += 1;
      const skipped = totals.skipped[outcome.reason] ?? { count: 0, bytes: 0, examples: [] };
      totals.skipped[outcome.reason] = skipped;
      skipped.count += 1;
      skipped.bytes += outcome.bytes;
      if (skipped.examples.length < 5) skipped.examples.push(outcome.key);
      return;
    }
    run.done += 1;
    totals.done.count += 1;
    totals.done.bytes += outcome.bytes;
    totals.done.byAction[outcome.action] = (totals.done.byAction[outcome.action] ?? 0) + 1;
    totals.done.from[outcome.from] = (totals.done.from[outcome.from] ?? 0) + 1;
  };

  let result: { stopped: boolean };
  try {
    result = await runAdaptivePool(items(), context.lanes, { signal: options.signal }, async (item) => {
      const outcome = await processObject(context, item.object);
      if (outcome === 'interrupted') return;
      record(outcome, item.position === undefined);
      if (item.position === undefined) retrying.delete(item.object.key);
      else cursor.finish(item.position);
      options.onObject?.(outcome);
      progress.update(progressNow);
      if (options.persist) writer.maybeSave();
      if (failureStreak >= FAILURE_STREAK_LIMIT) {
        throw new AppError(
          'REENCRYPT_FAILING',
          `the last ${FAILURE_STREAK_LIMIT} objects all failed; stopped. Last error: ${outcome.status === 'failed' ? outcome.error : ''}`,
          {
            hint: 'fix the cause (often a missing permission), then run the same command again: it continues where it stopped',
          },
        );
      }
    });
  } catch (error) {
    if (options.persist) await writer.flush();
    throw error;
  }
  if (!result.stopped) checkpoint.listing.complete = true;
  for (const tally of Object.values(checkpoint.totals.skipped)) tally.examples.sort();
  progress.flush(progressNow);
  const final = snapshot();
  Object.assign(checkpoint, final);
  if (options.persist) await writer.flush();
  return { aborted: result.stopped };
}
