import { layerOf, otherKeyArn, type VerifyTarget } from './verify-target.js';

/*
 * What each check is called, what it uploads and what it expects, with no AWS SDK import:
 * the TypeScript verifier runs these, and render/ writes verify.sh from the same values
 * (render never loads the SDK).
 */

export const TEST_OBJECT_PREFIX = '.create-encrypted-bucket/';
export const TEST_OBJECT_BODY = 'create-encrypted-bucket verification object; safe to delete\n';
export const CLEANUP_CHECK = 'test object cleaned up';

export const READ_BACK_CHECKS = {
  rotation: 'key rotation',
  bucketEncryption: 'bucket default encryption',
  publicAccessBlock: 'public access block',
} as const;

/** SSE-C only: a stored object must be unreadable to a request without its key. */
export const SSE_C_READ_CHECKS = {
  head: 'HeadObject without the key fails',
  get: 'GetObject without the key fails',
} as const;

/**
 * S3 refuses to serve an SSE-C object to a request without its key with HTTP 400 (GetObject:
 * InvalidRequest, "The object was stored using a form of Server Side Encryption..."; HeadObject
 * has no body, so only the status). A 403 would be a policy refusing the caller, which proves
 * nothing about the key, so only 400 counts.
 */
export const MISSING_KEY_HTTP_STATUS = 400;

export function sseCReadCheckNames(): string[] {
  return [SSE_C_READ_CHECKS.head, SSE_C_READ_CHECKS.get];
}

export function uploadCheckName(target: VerifyTarget): string {
  const layer = layerOf(target);
  if (layer === 'sse-c') return 'upload with SSE-C (a throwaway key) accepted';
  return layer === 'sse-kms' ? 'upload with aws:kms + this key accepted' : 'upload with AES256 accepted';
}

type Encryption = Record<string, string | undefined>;

/**
 * The headers a compliant client sends (the seeds' upload_extra_args). No bucket-key header:
 * BucketKeyEnabled on the object must come from the bucket's own default.
 */
export function compliantEncryption(target: VerifyTarget): Encryption {
  const layer = layerOf(target);
  if (layer === 'sse-c') return { SSECustomerAlgorithm: 'AES256', [SSE_C_KEY_FIELD]: '' };
  return layer === 'sse-kms'
    ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: target.keyArn }
    : { ServerSideEncryption: 'AES256' };
}

/** A fresh throwaway key for every run, never a fixed one: the verifier and verify.sh each make their own. */
export const SSE_C_KEY_FIELD = 'SSECustomerKey';

/** The uploads the bucket policy must refuse, for this scheme; the SSE-C key is filled in by who sends it. */
export function refusalProbes(
  target: VerifyTarget,
): { check: string; suffix: string; encryption: Encryption }[] {
  const sseC = {
    check: 'SSE-C upload refused',
    suffix: 'sse-c',
    encryption: { SSECustomerAlgorithm: 'AES256', [SSE_C_KEY_FIELD]: '' },
  };
  const layer = layerOf(target);
  if (layer === 'sse-c') {
    return [
      { check: 'upload without SSE-C refused', suffix: 'no-sse-c', encryption: {} },
      { check: 'AES256 upload refused', suffix: 'aes256', encryption: { ServerSideEncryption: 'AES256' } },
    ];
  }
  if (layer === 'sse-s3' || !target.keyArn) {
    return [
      { check: 'aws:kms upload refused', suffix: 'aws-kms', encryption: { ServerSideEncryption: 'aws:kms' } },
      sseC,
    ];
  }
  return [
    { check: 'AES256 upload refused', suffix: 'aes256', encryption: { ServerSideEncryption: 'AES256' } },
    {
      check: 'upload naming another key refused',
      suffix: 'other-key',
      encryption: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: otherKeyArn(target.keyArn) },
    },
    sseC,
  ];
}
