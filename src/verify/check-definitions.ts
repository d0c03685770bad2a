import { CONTEXT_BUCKET, CONTEXT_OBJECT_KEY } from '../plan/client-side-context.js';
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

/**
 * client-kms: the application's direct KMS calls (the Encryption SDK's keyring makes exactly
 * these), each with the encryption context it sends or a wrong one. The context keys come from
 * plan/client-side-context.ts, the same names the key policy requires.
 */
export const CLIENT_KMS_CHECKS = {
  generate: "GenerateDataKey with this bucket's context allowed",
  decrypt: 'Decrypt of that data key with the context allowed',
  decryptWithout: 'Decrypt without the context refused',
} as const;

export type ContextRecord = Record<string, string>;

/** The context the rendered client/ module sends for an object: {bucket, object-key}. */
export function clientKmsContext(bucket: string, objectKey: string): ContextRecord {
  return { [CONTEXT_BUCKET]: bucket, [CONTEXT_OBJECT_KEY]: objectKey };
}

/** A context entry the key policy does not list, so it must refuse it. */
export const EXTRA_CONTEXT_ENTRY = { purpose: 'create-encrypted-bucket-verify' } as const;

/** GenerateDataKey calls the key policy must refuse: no context, another bucket's, one entry too many. */
export function clientKmsRefusedContexts(
  bucket: string,
  objectKey: string,
): { check: string; context: ContextRecord | undefined }[] {
  return [
    { check: 'GenerateDataKey without a context refused', context: undefined },
    {
      check: "GenerateDataKey with another bucket's context refused",
      context: clientKmsContext(`${bucket}-other`, objectKey),
    },
    {
      check: 'GenerateDataKey with an extra context entry refused',
      context: { ...clientKmsContext(bucket, objectKey), ...EXTRA_CONTEXT_ENTRY },
    },
  ];
}

/** client-app-key: the client-side layer needs the application's master key, which verify never holds. */
export const CLIENT_APP_KEY_CHECK = 'client-side encryption (application master key)';
export const CLIENT_APP_KEY_ROUND_TRIP =
  'node client/client.mjs encrypt-and-upload <file> <object key> && node client/client.mjs download-and-decrypt <object key> <copy>';
export const CLIENT_APP_KEY_DETAIL = `not run: the client-side layer is the application's, under a master key verify never holds (see client/README.md); prove it with the round trip, as the application role: ${CLIENT_APP_KEY_ROUND_TRIP}`;
