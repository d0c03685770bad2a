import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { toAwsError } from '../aws/aws-call.js';
import type { AwsError } from '../errors.js';
import { isNotFound, isSseCHeadError } from './classify.js';

/** A HeadObject's answer, with the failures that mean something here told apart. */
export type HeadResult =
  | { kind: 'head'; head: HeadObjectCommandOutput }
  /** S3 needs the customer's key even to describe the object. */
  | { kind: 'sse-c' }
  /** Deleted between the listing and now. */
  | { kind: 'gone' }
  | { kind: 'error'; error: AwsError };

export async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
  step: string,
  versionId?: string,
): Promise<HeadResult> {
  try {
    const input = { Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) };
    return { kind: 'head', head: await s3.send(new HeadObjectCommand(input)) };
  } catch (error) {
    if (isSseCHeadError(error)) return { kind: 'sse-c' };
    if (isNotFound(error)) return { kind: 'gone' };
    return { kind: 'error', error: toAwsError(step, 'HeadObject', error) };
  }
}
