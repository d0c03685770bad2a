import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { classifyHead, isArchived } from '../scan/classify.js';
import { headObject } from '../scan/head-object.js';
import type { ListedObject } from '../scan/list-objects.js';
import { copyInPlace, multipartCopyInPlace } from './copy-object.js';
import { COPY_OBJECT_LIMIT, type ObjectRef } from './object-requests.js';
import type { ObjectAction, ObjectOutcome } from './types.js';
import type { UpdateEncryption } from './update-encryption.js';

export interface ObjectContext {
  s3: S3Client;
  bucket: string;
  keyArn: string;
  dryRun: boolean;
  update: UpdateEncryption;
  multipartThreshold: number;
  partSize?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** 'interrupted': a stop came in the middle of a multipart copy; the object is unchanged and not finished. */
export type ProcessResult = ObjectOutcome | 'interrupted';

/**
 * One object: inspect, decide, change. Per-object problems come back as a `failed` outcome;
 * only what must stop the whole run (an endpoint that corrupts data) is thrown.
 */
export async function processObject(
  context: ObjectContext,
  listed: ListedObject,
  attempt = 0,
): Promise<ProcessResult> {
  const { key } = listed;
  // Without UpdateObjectEncryption an archived object cannot be changed: skip it unread.
  if (!context.update.available && isArchived(listed.storageClass)) {
    return { key, status: 'skipped', reason: 'archived', bytes: listed.size };
  }
  const inspected = await headObject(context.s3, context.bucket, key, 'reencrypt');
  if (inspected.kind === 'gone') return { key, status: 'skipped', reason: 'gone', bytes: 0 };
  if (inspected.kind === 'sse-c') return { key, status: 'skipped', reason: 'sse-c', bytes: listed.size };
  if (inspected.kind === 'error')
    return { key, status: 'failed', error: inspected.error.message, bytes: listed.size };
  const head = inspected.head;
  const bytes = head.ContentLength ?? listed.size;
  const { encryption: from } = classifyHead(head, context.keyArn);
  if (from === 'sse-kms-this-key') return { key, status: 'skipped', reason: 'already-on-key', bytes };
  if (from === 'dsse-kms') return { key, status: 'skipped', reason: 'dsse-kms', bytes };
  if (from === 'sse-c') return { key, status: 'skipped', reason: 'sse-c', bytes };
  if (from === 'unreadable') return { key, status: 'skipped', reason: 'unsupported-encryption', bytes };

  const archived = isArchived(head.StorageClass, head.ArchiveStatus);
  const canUpdate = context.update.available && (from === 'sse-s3' || from === 'sse-kms-other-key');
  if (archived && !canUpdate) return { key, status: 'skipped', reason: 'archived', bytes };
  const copyAction: ObjectAction = bytes > context.multipartThreshold ? 'multipart-copy' : 'copy';
  if (context.dryRun) {
    return { key, status: 'would-change', action: canUpdate ? 'update-encryption' : copyAction, from, bytes };
  }

  // A failed safety check elsewhere in the pool stops even copies decided before it.
  context.update.assertSafe();
  const ref: ObjectRef = { bucket: context.bucket, key, keyArn: context.keyArn };
  if (canUpdate) {
    const updated = await context.update.update(ref, head);
    if (updated.kind === 'updated') return { key, status: 'done', action: 'update-encryption', from, bytes };
    if (updated.kind === 'failed') return { key, status: 'failed', error: updated.error.message, bytes };
    if (archived) return { key, status: 'skipped', reason: 'archived', bytes };
  }
  const copied = await copy(context, ref, head, copyAction);
  switch (copied.kind) {
    case 'copied':
      return { key, status: 'done', action: copyAction, from, bytes };
    case 'interrupted':
      return 'interrupted';
    case 'changed':
      // Someone wrote the object meanwhile; its new version is judged afresh, once.
      if (attempt === 0) return processObject(context, listed, 1);
      return {
        key,
        status: 'failed',
        error: 'the object kept changing during the copy (412 PreconditionFailed)',
        bytes,
      };
    case 'failed':
      return { key, status: 'failed', error: copied.error.message, bytes };
  }
}

function copy(context: ObjectContext, ref: ObjectRef, head: HeadObjectCommandOutput, action: ObjectAction) {
  return action === 'multipart-copy'
    ? multipartCopyInPlace(context.s3, ref, head, { partSize: context.partSize, signal: context.signal })
    : copyInPlace(context.s3, ref, head);
}

export { COPY_OBJECT_LIMIT };
