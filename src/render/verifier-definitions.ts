import { otherKeyArn, type VerifyTarget } from '../verify/verify-target.js';

/*
 * The TypeScript verifier's definitions that live in modules importing the AWS SDK
 * (test-object.ts, refusal-probes.ts, read-back-checks.ts). render/ must not load the SDK
 * (test/e2e/lazy-loading.test.ts), so verify.sh's view reads them from here, and
 * test/render/verifier-definitions.test.ts holds them equal to the verifier's, value for value.
 * To be removed once src/verify/ keeps them in an SDK-free module that both import.
 */

/** test-object.ts TEST_OBJECT_PREFIX, TEST_OBJECT_BODY, CLEANUP_CHECK. */
export const TEST_OBJECT_PREFIX = '.create-encrypted-bucket/';
export const TEST_OBJECT_BODY = 'create-encrypted-bucket verification object; safe to delete\n';
export const CLEANUP_CHECK = 'test object cleaned up';

/** read-back-checks.ts READ_BACK_CHECKS. */
export const READ_BACK_CHECKS = {
  rotation: 'key rotation',
  bucketEncryption: 'bucket default encryption',
  publicAccessBlock: 'public access block',
} as const;

/** test-object.ts uploadCheckName. */
export function uploadCheckName(target: VerifyTarget): string {
  return target.scheme === 'sse-kms'
    ? 'upload with aws:kms + this key accepted'
    : 'upload with AES256 accepted';
}

type Encryption = Record<string, string | undefined>;

/** test-object.ts compliantEncryption. */
export function compliantEncryption(target: VerifyTarget): Encryption {
  return target.scheme === 'sse-kms'
    ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: target.keyArn }
    : { ServerSideEncryption: 'AES256' };
}

/** SSECustomerKey is a fresh random key in the verifier; verify.sh sends its own throwaway. */
export const SSE_C_KEY_FIELD = 'SSECustomerKey';

/** refusal-probes.ts refusalProbes, with the SSE-C key left for the script to fill in. */
export function refusalProbes(
  target: VerifyTarget,
): { check: string; suffix: string; encryption: Encryption }[] {
  const sseC = {
    check: 'SSE-C upload refused',
    suffix: 'sse-c',
    encryption: { SSECustomerAlgorithm: 'AES256', [SSE_C_KEY_FIELD]: '' },
  };
  if (target.scheme === 'sse-s3' || !target.keyArn) {
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
