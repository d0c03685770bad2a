import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';

/**
 * How an object is encrypted now. `sse-kms` is SSE-KMS when no key was given to compare with;
 * `other` an encryption this tool does not change (aws:fsx and anything newer); `unreadable` a
 * HeadObject that failed (kept with its error): the scan could not tell, which is not "nothing to do".
 */
export type EncryptionClass =
  | 'none'
  | 'sse-s3'
  | 'sse-kms-this-key'
  | 'sse-kms-other-key'
  | 'sse-kms'
  | 'dsse-kms'
  | 'sse-c'
  | 'other'
  | 'unreadable';

export const ENCRYPTION_CLASSES: readonly EncryptionClass[] = [
  'none',
  'sse-s3',
  'sse-kms-other-key',
  'sse-kms',
  'sse-kms-this-key',
  'dsse-kms',
  'sse-c',
  'other',
  'unreadable',
];

export const ENCRYPTION_LABELS: Record<EncryptionClass, string> = {
  none: 'none (unencrypted)',
  'sse-s3': 'SSE-S3 (AES256)',
  'sse-kms-other-key': 'SSE-KMS, another key',
  'sse-kms': 'SSE-KMS',
  'sse-kms-this-key': 'SSE-KMS, this key',
  'dsse-kms': 'DSSE-KMS (dual-layer)',
  'sse-c': 'SSE-C (customer key)',
  other: 'another encryption (e.g. aws:fsx)',
  unreadable: 'could not be read',
};

/** Classes re-encryption changes: everything not already on the key and not out of reach. */
export const NEEDS_REENCRYPTION: ReadonlySet<EncryptionClass> = new Set([
  'none',
  'sse-s3',
  'sse-kms-other-key',
  'sse-kms',
]);

/** Storage classes whose data CopyObject cannot read until it is restored. */
export const ARCHIVED_STORAGE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** Intelligent-Tiering's opt-in archive tiers are just as unreadable, and only HeadObject tells. */
export function isArchived(storageClass: string | undefined, archiveStatus?: string): boolean {
  return ARCHIVED_STORAGE_CLASSES.has(storageClass ?? 'STANDARD') || archiveStatus !== undefined;
}

export interface HeadClassification {
  encryption: EncryptionClass;
  /** The KMS key as S3 reports it (a full ARN on AWS), for SSE-KMS and DSSE-KMS. */
  kmsKeyId?: string;
}

/** Compares key references: S3 reports the full ARN, but a bare key id names the same key. */
export function sameKey(reported: string | undefined, keyArn: string): boolean {
  if (!reported) return false;
  if (reported === keyArn) return true;
  const idOf = (value: string) =>
    value.startsWith('arn:') ? value.slice(value.indexOf(':key/') + 5) : value;
  return !reported.startsWith('arn:') && idOf(reported) === idOf(keyArn);
}

export function classifyHead(
  head: Pick<HeadObjectCommandOutput, 'ServerSideEncryption' | 'SSEKMSKeyId' | 'SSECustomerAlgorithm'>,
  keyArn?: string,
): HeadClassification {
  if (head.SSECustomerAlgorithm) return { encryption: 'sse-c' };
  const keyId = head.SSEKMSKeyId;
  switch (head.ServerSideEncryption) {
    case undefined:
      return { encryption: 'none' };
    case 'AES256':
      return { encryption: 'sse-s3' };
    case 'aws:kms:dsse':
      return keyId ? { encryption: 'dsse-kms', kmsKeyId: keyId } : { encryption: 'dsse-kms' };
    case 'aws:kms': {
      const encryption: EncryptionClass =
        keyArn === undefined ? 'sse-kms' : sameKey(keyId, keyArn) ? 'sse-kms-this-key' : 'sse-kms-other-key';
      return keyId ? { encryption, kmsKeyId: keyId } : { encryption };
    }
    default:
      // aws:fsx and anything newer: not ours to change.
      return { encryption: 'other' };
  }
}

interface SdkErrorLike {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * S3 refuses HeadObject on an SSE-C object without the customer key with a bare 400 (a HEAD
 * response has no body to say more), so a 400 on HEAD is how SSE-C shows up in a listing.
 */
export function isSseCHeadError(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  return shape.$metadata?.httpStatusCode === 400;
}

export function isNotFound(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  return shape.name === 'NotFound' || shape.name === 'NoSuchKey' || shape.$metadata?.httpStatusCode === 404;
}
