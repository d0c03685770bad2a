import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  type HeadObjectCommandOutput,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { toAwsError } from '../aws/aws-call.js';
import type { AwsError } from '../errors.js';
import { runPool } from '../scan/pool.js';
import {
  copyInPlaceRequest,
  copySource,
  createMultipartRequest,
  type ObjectRef,
  partRanges,
} from './object-requests.js';

export type CopyResult =
  | { kind: 'copied' }
  /** The object changed between HeadObject and the copy (412): inspect it again. */
  | { kind: 'changed' }
  | { kind: 'interrupted' }
  | { kind: 'failed'; error: AwsError };

const PART_CONCURRENCY = 4;

function failure(operation: string, error: unknown): CopyResult {
  const wrapped = toAwsError('reencrypt', operation, error);
  if (wrapped.httpStatus === 412 || wrapped.errorName === 'PreconditionFailed') return { kind: 'changed' };
  return { kind: 'failed', error: wrapped };
}

export async function copyInPlace(
  s3: S3Client,
  ref: ObjectRef,
  head: HeadObjectCommandOutput,
): Promise<CopyResult> {
  try {
    await s3.send(new CopyObjectCommand(copyInPlaceRequest(ref, head)));
    return { kind: 'copied' };
  } catch (error) {
    return failure('CopyObject', error);
  }
}

/**
 * Objects over CopyObject's 5 GiB: a multipart upload onto the same key whose parts are
 * server-side copies of ranges of the current version. The old object stays readable until
 * CompleteMultipartUpload swaps it; any failure or a stop aborts the upload, leaving the
 * object exactly as it was.
 */
export async function multipartCopyInPlace(
  s3: S3Client,
  ref: ObjectRef,
  head: HeadObjectCommandOutput,
  options: { partSize?: number; signal?: AbortSignal | undefined },
): Promise<CopyResult> {
  let uploadId: string | undefined;
  let operation = 'GetObjectTagging';
  try {
    const tagging =
      head.TagCount === 0
        ? []
        : ((
            await s3.send(
              new GetObjectTaggingCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: head.VersionId }),
            )
          ).TagSet ?? []);
    operation = 'CreateMultipartUpload';
    const created = await s3.send(
      new CreateMultipartUploadCommand(createMultipartRequest(ref, head, tagging)),
    );
    uploadId = created.UploadId;
    const source = copySource(ref.bucket, ref.key, head.VersionId);
    const ranges = partRanges(head.ContentLength ?? 0, options.partSize);
    const parts: { ETag: string; PartNumber: number }[] = [];
    const numbered = ranges.map((range, index) => ({ ...range, number: index + 1 }));
    operation = 'UploadPartCopy';
    const { stopped } = await runPool(
      (async function* () {
        yield* numbered;
      })(),
      { concurrency: PART_CONCURRENCY, signal: options.signal },
      async (part) => {
        const copied = await s3.send(
          new UploadPartCopyCommand({
            Bucket: ref.bucket,
            Key: ref.key,
            UploadId: uploadId,
            PartNumber: part.number,
            CopySource: source,
            ...(head.ETag ? { CopySourceIfMatch: head.ETag } : {}),
            CopySourceRange: `bytes=${part.start}-${part.end}`,
          }),
        );
        parts.push({ ETag: copied.CopyPartResult?.ETag ?? '', PartNumber: part.number });
      },
    );
    if (stopped) {
      await abort(s3, ref, uploadId);
      return { kind: 'interrupted' };
    }
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    operation = 'CompleteMultipartUpload';
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return { kind: 'copied' };
  } catch (error) {
    if (uploadId) await abort(s3, ref, uploadId);
    return failure(operation, error);
  }
}

async function abort(s3: S3Client, ref: ObjectRef, uploadId: string | undefined): Promise<void> {
  // Best effort: a failed abort leaves an incomplete upload that a lifecycle rule
  // (AbortIncompleteMultipartUpload) cleans up; it never changes the object.
  await s3
    .send(new AbortMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId }))
    .catch(() => {});
}
