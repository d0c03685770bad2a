import {
  type HeadObjectCommandOutput,
  type S3Client,
  UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import { toAwsError } from '../aws/aws-call.js';
import { AppError, type AwsError } from '../errors.js';
import { classifyHead } from '../scan/classify.js';
import { headObject } from '../scan/head-object.js';
import { type ObjectRef, updateEncryptionRequest } from './object-requests.js';

/*
 * UpdateObjectEncryption re-wraps an object's data key under the new KMS key without moving
 * data, so it keeps storage class, dates, ETag and checksums. It only takes SSE-S3 and
 * SSE-KMS sources, needs kms:Encrypt and kms:ReEncrypt* besides the usual, and refuses keys
 * of other accounts. An endpoint that does not know it may treat the request as an upload
 * (moto 5.2 overwrites the object with the XML body and answers 200), so the first call of
 * a run is made alone and checked with HeadObject before any other is sent.
 */

type State = 'untested' | 'testing' | 'trusted' | 'off' | 'halted';

export type UpdateResult = { kind: 'updated' } | { kind: 'fallback' } | { kind: 'failed'; error: AwsError };

const UNSUPPORTED = new Set(['NotImplemented', 'MethodNotAllowed', 'UnknownOperationException']);
const TRANSIENT = new Set([
  'SlowDown',
  'ThrottlingException',
  'RequestTimeout',
  'TimeoutError',
  'InternalError',
  'ServiceUnavailable',
]);

export class UpdateEncryption {
  private state: State;
  private gate: Promise<void> | undefined;
  private halt: unknown;
  readonly notes: string[] = [];

  constructor(
    private readonly s3: S3Client,
    enabled: boolean,
  ) {
    this.state = enabled ? 'untested' : 'off';
  }

  get available(): boolean {
    return this.state !== 'off' && this.state !== 'halted';
  }

  /** Throws the safety check's error once it failed: no write of any kind may follow. */
  assertSafe(): void {
    if (this.state === 'halted') throw this.halt;
  }

  async update(ref: ObjectRef, before: HeadObjectCommandOutput): Promise<UpdateResult> {
    for (;;) {
      // After the safety check failed, nothing at all may be written: waiters stop too.
      if (this.state === 'halted') throw this.halt;
      if (this.state === 'off') return { kind: 'fallback' };
      if (this.state === 'trusted') return this.send(ref);
      if (this.state === 'testing') {
        await this.gate;
        continue;
      }
      this.state = 'testing';
      let open = () => {};
      this.gate = new Promise((resolve) => {
        open = resolve;
      });
      try {
        const result = await this.send(ref);
        if (result.kind === 'updated') await this.verify(ref, before);
        // send() or verify() may have turned it off meanwhile.
        if (!this.available) return { kind: 'fallback' };
        this.state = result.kind === 'failed' ? 'untested' : 'trusted';
        return result;
      } catch (error) {
        // Only the safety check throws.
        this.state = 'halted';
        this.halt = error;
        throw error;
      } finally {
        open();
      }
    }
  }

  private async send(ref: ObjectRef): Promise<UpdateResult> {
    try {
      await this.s3.send(new UpdateObjectEncryptionCommand(updateEncryptionRequest(ref)));
      return { kind: 'updated' };
    } catch (raw) {
      const error = toAwsError('reencrypt', 'UpdateObjectEncryption', raw);
      const status = error.httpStatus ?? 0;
      if (TRANSIENT.has(error.errorName) || (status >= 500 && status !== 501) || status === 0) {
        return { kind: 'failed', error };
      }
      this.turnOff(
        UNSUPPORTED.has(error.errorName) || status === 501 || status === 405
          ? `UpdateObjectEncryption is not available here (${error.errorName}); the rest was copied with CopyObject.`
          : `UpdateObjectEncryption was refused (${error.errorName}: ${error.message}); the rest was copied with CopyObject. It needs s3:UpdateObjectEncryption plus kms:Encrypt, kms:Decrypt, kms:GenerateDataKey and kms:ReEncrypt*, a key of the bucket owner's account, and no Object Lock on the object.`,
      );
      return { kind: 'fallback' };
    }
  }

  /** The data must be untouched and the key changed; anything else means the endpoint lied. */
  private async verify(ref: ObjectRef, before: HeadObjectCommandOutput): Promise<void> {
    const after = await headObject(this.s3, ref.bucket, ref.key, 'reencrypt');
    if (after.kind !== 'head') return;
    if (after.head.ETag !== before.ETag || after.head.ContentLength !== before.ContentLength) {
      throw new AppError(
        'REENCRYPT_UNSAFE',
        `UpdateObjectEncryption changed the content of s3://${ref.bucket}/${ref.key} (ETag ${before.ETag} -> ${after.head.ETag}): this endpoint does not implement it. Stopped before touching anything else.`,
        {
          hint: 'run again with the copy method (--method copy); restore that one object from a backup or an older version',
        },
      );
    }
    if (classifyHead(after.head, ref.keyArn).encryption !== 'sse-kms-this-key') {
      this.turnOff(
        'UpdateObjectEncryption was accepted but did not change the encryption; CopyObject was used instead.',
      );
    }
  }

  private turnOff(note: string): void {
    this.state = 'off';
    if (!this.notes.includes(note)) this.notes.push(note);
  }
}
