import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { AwsError } from '../errors.js';
import { classifyHead, isArchived } from '../scan/classify.js';
import { type HeadResult, headObject } from '../scan/head-object.js';
import type { ListedObject } from '../scan/list-objects.js';
import type { AdaptiveLanes } from './adaptive-lanes.js';
import { type CopyResult, copyInPlace, multipartCopyInPlace } from './copy-object.js';
import { type FirstWriteGate, isRefusal, RoleNeededError } from './first-write.js';
import { COPY_OBJECT_LIMIT, type ObjectRef } from './object-requests.js';
import type { PathChoice } from './path-choice.js';
import type { ObjectAction, ObjectOutcome } from './types.js';
import { transientOf, type UpdateEncryption, type UpdateResult } from './update-encryption.js';

export interface ObjectContext {
  s3: S3Client;
  bucket: string;
  keyArn: string;
  dryRun: boolean;
  update: UpdateEncryption;
  /** The first copy of a run is sent alone: a refused caller stops there. */
  copyGate: FirstWriteGate;
  paths: PathChoice;
  lanes: AdaptiveLanes;
  /** Who runs this, for the message naming the role to run as. */
  caller?: string | undefined;
  multipartThreshold: number;
  partSize?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The object the probe already re-wrapped: the loop counts it without sending again. */
  probed?: { key: string; bytes: number };
  /** HeadObjects the probe made on its way, used once by the loop instead of asking again. */
  inspectedEarly: Map<string, HeadResult>;
  /** Objects this run changed so far, for an honest "nothing was written". */
  written: { count: number };
  /** Noncurrent versions may only change in place: never copied (a copy makes a new current version). */
  noncurrent?: boolean;
}

/** 'interrupted': a stop came in the middle of a multipart copy; the object is unchanged and not finished. */
export type ProcessResult = ObjectOutcome | 'interrupted';

const RETRIES = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One object (or one noncurrent version). Per-object problems come back as a `failed`
 * outcome; only what must stop the whole run (an endpoint that corrupts data, a caller S3
 * refuses) is thrown. Transient errors are sent again after a pause, and slow the lanes.
 */
export async function processObject(
  context: ObjectContext,
  listed: ListedObject & { versionId?: string },
): Promise<ProcessResult> {
  for (let attempt = 0; ; attempt += 1) {
    const result = await processOnce(context, listed, 0);
    if (!('transient' in result)) {
      context.lanes.succeeded();
      return result.outcome;
    }
    if (result.transient.throttle) context.lanes.throttled();
    if (attempt >= RETRIES) {
      return { key: listed.key, status: 'failed', error: result.transient.error.message, bytes: listed.size };
    }
    await sleep(Math.min(5_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
}

type Once = { outcome: ProcessResult } | { transient: { error: AwsError; throttle: boolean } };

async function processOnce(
  context: ObjectContext,
  listed: ListedObject & { versionId?: string },
  attempt: number,
): Promise<Once> {
  const { key } = listed;
  const ref: ObjectRef = {
    bucket: context.bucket,
    key,
    keyArn: context.keyArn,
    ...(listed.versionId ? { versionId: listed.versionId } : {}),
  };
  const done = (outcome: ProcessResult): Once => ({ outcome });
  // Without UpdateObjectEncryption an archived object cannot be changed: skip it unread.
  if (!context.update.available && isArchived(listed.storageClass)) {
    return done({ key, status: 'skipped', reason: 'archived', bytes: listed.size });
  }
  let inspected: HeadResult | undefined;
  let refusal: AwsError | undefined;
  let tried = false;
  if (!context.dryRun) {
    // A failed probe elsewhere in the pool stops even work decided before it.
    context.update.assertSafe();
    context.copyGate.assertOpen();
    if (context.probed?.key === key && !listed.versionId) {
      const { bytes } = context.probed;
      context.probed = undefined;
      return done({ key, status: 'done', action: 'update-encryption', from: 'sse-s3-or-sse-kms', bytes });
    }
    const early = listed.versionId ? undefined : context.inspectedEarly.get(key);
    if (early) {
      context.inspectedEarly.delete(key);
      inspected = early;
    } else if (context.update.available && context.paths.optimistic) {
      await context.lanes.pace();
      const sent = await context.update.update(ref);
      tried = sent.kind !== 'unavailable';
      const settled = settle(context, listed, sent, 'sse-s3-or-sse-kms');
      if (settled) return settled;
      if (sent.kind === 'refused') {
        refusal = sent.error;
        inspected = sent.head;
      }
    }
  }
  if (!inspected) await context.lanes.pace();
  inspected ??= await headObject(context.s3, context.bucket, key, 'reencrypt', listed.versionId);
  if (inspected.kind === 'gone') return done({ key, status: 'skipped', reason: 'gone', bytes: 0 });
  if (inspected.kind === 'sse-c')
    return done({ key, status: 'skipped', reason: 'sse-c', bytes: listed.size });
  if (inspected.kind === 'error') {
    const transient = transientOf(inspected.error);
    if (transient) return { transient: { error: inspected.error, ...transient } };
    return done({ key, status: 'failed', error: inspected.error.message, bytes: listed.size });
  }
  const head = inspected.head;
  const bytes = head.ContentLength ?? listed.size;
  const { encryption: from } = classifyHead(head, context.keyArn);
  const updatable = from === 'sse-s3' || from === 'sse-kms-other-key';
  context.paths.learn(updatable || from === 'sse-kms-this-key');
  const skip = (reason: Extract<ObjectOutcome, { status: 'skipped' }>['reason']) =>
    done({ key, status: 'skipped', reason, bytes });
  if (from === 'sse-kms-this-key') return skip('already-on-key');
  if (from === 'dsse-kms') return skip('dsse-kms');
  if (from === 'sse-c') return skip('sse-c');
  if (from === 'other' || from === 'unreadable') return skip('unsupported-encryption');

  const archived = isArchived(head.StorageClass, head.ArchiveStatus);
  const copyAction: ObjectAction = bytes > context.multipartThreshold ? 'multipart-copy' : 'copy';
  const canUpdate = context.update.available && updatable && refusal === undefined;
  if (context.dryRun) {
    if (!canUpdate && (archived || context.noncurrent))
      return skip(archived ? 'archived' : 'noncurrent-copy-only');
    return done({
      key,
      status: 'would-change',
      action: canUpdate ? 'update-encryption' : copyAction,
      from,
      bytes,
    });
  }
  if (canUpdate && !tried) {
    await context.lanes.pace();
    const sent = await context.update.update(ref);
    const settled = settle(context, listed, sent, from, bytes);
    if (settled) return settled;
    if (sent.kind === 'refused') refusal = sent.error;
  }
  if (archived) return skip('archived');
  if (context.noncurrent) {
    // A copy would make a new current version: the old one keeps its old encryption.
    // Refused although it could take it (Object Lock, a key it may not use): a failure to see.
    return refusal && updatable
      ? done({ key, status: 'failed', error: `UpdateObjectEncryption refused: ${refusal.message}`, bytes })
      : skip('noncurrent-copy-only');
  }
  await context.lanes.pace();
  const copied = await context.copyGate.run(
    () => copy(context, ref, head, copyAction),
    async (result) => {
      if (result.kind === 'failed' && isRefusal(result.error)) {
        throw new RoleNeededError('CopyObject', key, result.error, context.caller, context.written.count);
      }
      return result.kind === 'copied' ? 'passed' : 'unknown';
    },
  );
  switch (copied.kind) {
    case 'copied':
      context.written.count += 1;
      return done({ key, status: 'done', action: copyAction, from, bytes });
    case 'interrupted':
      return done('interrupted');
    case 'changed':
      // Someone wrote the object meanwhile; its new version is judged afresh, once.
      if (attempt === 0) return processOnce(context, listed, 1);
      return done({
        key,
        status: 'failed',
        error: 'the object kept changing during the copy (412 PreconditionFailed)',
        bytes,
      });
    case 'failed': {
      const transient = transientOf(copied.error);
      if (transient) return { transient: { error: copied.error, ...transient } };
      const why = refusal ? `UpdateObjectEncryption refused (${refusal.message}), then ` : '';
      return done({ key, status: 'failed', error: `${why}${copied.error.message}`, bytes });
    }
  }
}

/**
 * Before any write: the first object UpdateObjectEncryption could take (SSE-S3 or SSE-KMS,
 * found by HeadObject among the first `limit` listed) gets the run's first, lone
 * UpdateObjectEncryption. A caller S3 refuses is stopped here, before a single copy; one that
 * passes has re-wrapped that one object, which the loop then re-wraps again, harmlessly.
 */
export async function probeUpdateEncryption(
  context: ObjectContext,
  listing: AsyncIterable<ListedObject>,
  limit = 20,
): Promise<void> {
  if (context.dryRun || !context.update.available) return;
  let seen = 0;
  for await (const object of listing) {
    if (++seen > limit) return;
    const inspected = await headObject(context.s3, context.bucket, object.key, 'reencrypt');
    context.inspectedEarly.set(object.key, inspected);
    if (inspected.kind !== 'head') continue;
    const { encryption } = classifyHead(inspected.head, context.keyArn);
    if (encryption !== 'sse-s3' && encryption !== 'sse-kms-other-key' && encryption !== 'sse-kms-this-key')
      continue;
    const sent = await context.update.update(
      { bucket: context.bucket, key: object.key, keyArn: context.keyArn },
      inspected,
    );
    if (sent.kind === 'updated') {
      context.written.count += 1;
      context.probed = { key: object.key, bytes: inspected.head.ContentLength ?? object.size };
    }
    return;
  }
}

/** The outcome an UpdateObjectEncryption answer settles, or undefined when the object must be inspected. */
function settle(
  context: ObjectContext,
  listed: ListedObject,
  sent: UpdateResult,
  from: Extract<ObjectOutcome, { status: 'done' }>['from'],
  bytes = listed.size,
): Once | undefined {
  switch (sent.kind) {
    case 'updated':
      context.written.count += 1;
      if (from === 'sse-s3-or-sse-kms') context.paths.learn(true);
      return { outcome: { key: listed.key, status: 'done', action: 'update-encryption', from, bytes } };
    case 'gone':
      return { outcome: { key: listed.key, status: 'skipped', reason: 'gone', bytes: 0 } };
    case 'transient':
      return { transient: { error: sent.error, throttle: sent.throttle } };
    default:
      return undefined;
  }
}

function copy(
  context: ObjectContext,
  ref: ObjectRef,
  head: HeadObjectCommandOutput,
  action: ObjectAction,
): Promise<CopyResult> {
  return action === 'multipart-copy'
    ? multipartCopyInPlace(context.s3, ref, head, { partSize: context.partSize, signal: context.signal })
    : copyInPlace(context.s3, ref, head);
}

export { COPY_OBJECT_LIMIT };
