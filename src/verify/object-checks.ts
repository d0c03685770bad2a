import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { VerificationCheck } from '../apply/contract.js';
import { fail, pass } from './checks.js';
import { layerOf, type VerifyTarget } from './verify-target.js';

export const OBJECT_CHECKS = {
  algorithm: 'object: encryption',
  key: 'object: KMS key',
  bucketKey: 'object: bucket key',
  customerAlgorithm: 'object: SSE-C algorithm',
  customerKeyMd5: 'object: SSE-C key MD5',
} as const;

type HeadFields = Pick<
  HeadObjectCommandOutput,
  'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled' | 'SSECustomerAlgorithm' | 'SSECustomerKeyMD5'
>;

/** The names of the object checks for this scheme, in table order. */
export function objectCheckNames(target: VerifyTarget): string[] {
  switch (layerOf(target)) {
    case 'sse-kms':
      return [OBJECT_CHECKS.algorithm, OBJECT_CHECKS.key, OBJECT_CHECKS.bucketKey];
    case 'sse-c':
      return [OBJECT_CHECKS.customerAlgorithm, OBJECT_CHECKS.customerKeyMd5];
    case 'sse-s3':
      return [OBJECT_CHECKS.algorithm];
  }
}

/**
 * What HeadObject reports about one object, compared field by field with what the setup
 * promises. For SSE-C, `keyMd5` is the base64 MD5 of the customer key the object was sent with.
 */
export function objectChecks(
  target: VerifyTarget,
  head: HeadFields,
  label: string,
  keyMd5?: string,
): VerificationCheck[] {
  const layer = layerOf(target);
  if (layer === 'sse-c') {
    const algorithm = head.SSECustomerAlgorithm;
    const md5 = head.SSECustomerKeyMD5;
    return [
      algorithm === 'AES256'
        ? pass(OBJECT_CHECKS.customerAlgorithm, `${label}: SSECustomerAlgorithm = ${algorithm}`)
        : fail(
            OBJECT_CHECKS.customerAlgorithm,
            `${label}: expected AES256, S3 reports ${algorithm ?? 'no customer key'}${head.ServerSideEncryption ? ` (ServerSideEncryption = ${head.ServerSideEncryption})` : ''}`,
          ),
      md5 !== undefined && md5 === keyMd5
        ? pass(OBJECT_CHECKS.customerKeyMd5, `${label}: SSECustomerKeyMD5 = ${md5}, the key's MD5`)
        : fail(
            OBJECT_CHECKS.customerKeyMd5,
            `${label}: expected the key's MD5 ${keyMd5 ?? '(unknown)'}, S3 reports ${md5 ?? 'none'}`,
          ),
    ];
  }
  const expectedAlgorithm = layer === 'sse-kms' ? 'aws:kms' : 'AES256';
  const algorithm = head.ServerSideEncryption;
  const checks = [
    algorithm === expectedAlgorithm
      ? pass(OBJECT_CHECKS.algorithm, `${label}: ServerSideEncryption = ${algorithm}`)
      : fail(
          OBJECT_CHECKS.algorithm,
          `${label}: expected ${expectedAlgorithm}, S3 reports ${algorithm ?? 'none'}`,
        ),
  ];
  if (layer === 'sse-s3') return checks;

  const keyId = head.SSEKMSKeyId;
  checks.push(
    keyId === target.keyArn
      ? pass(OBJECT_CHECKS.key, `${label}: SSEKMSKeyId = ${keyId}`)
      : fail(OBJECT_CHECKS.key, `${label}: expected ${target.keyArn}, S3 reports ${keyId ?? 'no key'}`),
    head.BucketKeyEnabled === true
      ? pass(OBJECT_CHECKS.bucketKey, `${label}: BucketKeyEnabled = true`)
      : fail(
          OBJECT_CHECKS.bucketKey,
          `${label}: BucketKeyEnabled = ${head.BucketKeyEnabled ?? 'absent'}; every object then costs a KMS call`,
        ),
  );
  return checks;
}

/** The same rows, all failed for one reason, when the object could not be inspected at all. */
export function objectChecksNotRun(target: VerifyTarget, reason: string): VerificationCheck[] {
  return objectCheckNames(target).map((name) => fail(name, reason));
}
