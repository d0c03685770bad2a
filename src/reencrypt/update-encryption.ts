import { type S3Client, UpdateObjectEncryptionCommand } from '@aws-sdk/client-s3';
import { toAwsError } from '../aws/aws-call.js';
import { AppError, type AwsError } from '../errors.js';
import { classifyHead } from '../scan/classify.js';
import { type HeadResult, headObject } from '../scan/head-object.js';
import type { AdaptiveLanes } from './adaptive-lanes.js';
import { FirstWriteGate, isRefusal, RoleNeededError } from './first-write.js';
import { type ObjectRef, updateEncryptionRequest } from './object-requests.js';

/*
 * UpdateObjectEncryption re-wraps an object's data key under the new KMS key without moving
 * data, so it keeps storage class, dates, ETag and checksums. It takes SSE-S3 and SSE-KMS
 * objects only, needs kms:Encrypt and kms:ReEncrypt* besides the usual, and refuses keys of
 * other accounts. It is sent optimistically, one request per object, with no HeadObject
 * first: S3's refusal is what tells an object it cannot take (unencrypted, SSE-C, DSSE-KMS,
 * Object Lock), and only those are inspected. An object already on the key is re-wrapped
 * harmlessly.
 *
 * The first request of a run is the probe, sent alone: HeadObject before and after it prove
 * the endpoint changed the key and not the data (moto 5.2 stores the request body as the
 * object), and a refusal of the caller stops the run before any other write.
 */

export type UpdateResult =
  | { kind: 'updated' }
  /** S3 would not take this object; `head` when the probe already inspected it. */
  | { kind: 'refused'; error?: AwsError; head?: HeadResult }
  | { kind: 'gone' }
  /** Worth sending again later; `throttle` when the endpoint asked to slow down. */
  | { kind: 'transient'; error: AwsError; throttle: boolean }
  /** The endpoint does not implement it: the run copies instead. */
  | { kind: 'unavailable' };

const UPDATABLE = new Set(['sse-s3', 'sse-kms-other-key', 'sse-kms-this-key', 'sse-kms']);
const UNSUPPORTED = new Set(['NotImplemented', 'MethodNotAllowed', 'UnknownOperationException']);
const THROTTLES = new Set([
  'SlowDown',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'ServiceUnavailable',
]);
const TRANSIENT = new Set(['RequestTimeout', 'TimeoutError', 'InternalError', ...THROTTLES]);

export function transientOf(error: AwsError): { throttle: boolean } | undefined {
  const status = error.httpStatus ?? 0;
  const throttle = THROTTLES.has(error.errorName) || status === 503;
  if (throttle || TRANSIENT.has(error.errorName) || (status >= 500 && status !== 501) || status === 0) {
    return { throttle };
  }
  return undefined;
}

export class UpdateEncryption {
  private enabled: boolean;
  private readonly gate = new FirstWriteGate();
  readonly notes: string[] = [];

  constructor(
    private readonly s3: S3Client,
    enabled: boolean,
    private readonly options: {
      caller?: string | undefined;
      lanes?: AdaptiveLanes | undefined;
      written?: { count: number };
    } = {},
  ) {
    this.enabled = enabled;
  }

  get available(): boolean {
    return this.enabled && !this.gate.halted;
  }

  /** Throws the probe's error once it failed: no write of any kind may follow. */
  assertSafe(): void {
    this.gate.assertOpen();
  }

  /** `inspected`: a HeadObject just made, which the probe need not repeat. */
  async update(ref: ObjectRef, inspected?: HeadResult): Promise<UpdateResult> {
    if (!this.enabled) return { kind: 'unavailable' };
    let before: HeadResult | undefined;
    return this.gate.run(
      async (probe) => {
        if (!probe) return this.send(ref);
        before = inspected ?? (await headObject(this.s3, ref.bucket, ref.key, 'reencrypt', ref.versionId));
        if (before.kind !== 'head') return { kind: 'refused', head: before };
        const { encryption } = classifyHead(before.head, ref.keyArn);
        // Not one UpdateObjectEncryption takes: no request, and the next object is the probe.
        if (!UPDATABLE.has(encryption)) return { kind: 'refused', head: before };
        const sent = await this.send(ref);
        return sent.kind === 'refused' ? { ...sent, head: before } : sent;
      },
      (sent) => this.judgeProbe(ref, sent, before),
    );
  }

  private async judgeProbe(
    ref: ObjectRef,
    sent: UpdateResult,
    inspected: HeadResult | undefined,
  ): Promise<'passed' | 'unknown'> {
    const before = inspected?.kind === 'head' ? inspected.head : undefined;
    if (sent.kind === 'updated' && before) {
      const after = await headObject(this.s3, ref.bucket, ref.key, 'reencrypt', ref.versionId);
      if (after.kind !== 'head') return 'passed';
      if (
        after.head.ETag !== before.ETag ||
        after.head.ContentLength !== before.ContentLength ||
        after.head.LastModified?.getTime() !== before.LastModified?.getTime()
      ) {
        throw new AppError(
          'REENCRYPT_UNSAFE',
          `UpdateObjectEncryption changed the content of s3://${ref.bucket}/${ref.key} (ETag ${before.ETag} -> ${after.head.ETag}): this endpoint does not implement it. Stopped before touching anything else.`,
          {
            hint: 'run again with --method copy; restore that one object from a backup or an older version',
          },
        );
      }
      if (classifyHead(after.head, ref.keyArn).encryption !== 'sse-kms-this-key') {
        this.turnOff(
          'UpdateObjectEncryption was accepted but did not change the encryption; CopyObject was used instead.',
        );
      }
      return 'passed';
    }
    if (sent.kind === 'refused' && sent.error && before && isRefusal(sent.error) && !before.ObjectLockMode) {
      // An SSE-S3 or SSE-KMS object without Object Lock: S3 refused the caller, not the object.
      throw new RoleNeededError(
        'UpdateObjectEncryption',
        ref.key,
        sent.error,
        this.options.caller,
        this.options.written?.count,
      );
    }
    return sent.kind === 'unavailable' ? 'passed' : 'unknown';
  }

  private async send(ref: ObjectRef): Promise<UpdateResult> {
    try {
      const output = await this.s3.send(new UpdateObjectEncryptionCommand(updateEncryptionRequest(ref)));
      // The SDK retried a throttle on its own: still a reason to slow down.
      if ((output?.$metadata?.attempts ?? 1) > 1) this.options.lanes?.throttled();
      return { kind: 'updated' };
    } catch (raw) {
      const error = toAwsError('reencrypt', 'UpdateObjectEncryption', raw);
      const status = error.httpStatus ?? 0;
      if (UNSUPPORTED.has(error.errorName) || status === 501 || status === 405) {
        this.turnOff(
          `UpdateObjectEncryption is not available here (${error.errorName}); the rest was copied with CopyObject.`,
        );
        return { kind: 'unavailable' };
      }
      if (error.errorName === 'NoSuchKey' || status === 404) return { kind: 'gone' };
      const transient = transientOf(error);
      if (transient) return { kind: 'transient', error, ...transient };
      return { kind: 'refused', error };
    }
  }

  private turnOff(note: string): void {
    this.enabled = false;
    if (!this.notes.includes(note)) this.notes.push(note);
  }
}
