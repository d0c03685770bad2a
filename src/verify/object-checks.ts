import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { VerificationCheck } from '../apply/contract.js';
import { fail, pass } from './checks.js';
import type { VerifyTarget } from './verify-target.js';

export const OBJECT_CHECKS = {
  algorithm: 'object: encryption',
  key: 'object: KMS key',
  bucketKey: 'object: bucket key',
} as const;

type HeadFields = Pick<HeadObjectCommandOutput, 'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled'>;

/** The names of the object checks for this scheme, in table order. */
export function objectCheckNames(target: VerifyTarget): string[] {
  return target.scheme === 'sse-kms'
    ? [OBJECT_CHECKS.algorithm, OBJECT_CHECKS.key, OBJECT_CHECKS.bucketKey]
    : [OBJECT_CHECKS.algorithm];
}

/** What HeadObject reports about one object, compared field by field with what the setup promises. */
export function objectChecks(target: VerifyTarget, head: HeadFields, label: string): VerificationCheck[] {
  const expectedAlgorithm = target.scheme === 'sse-kms' ? 'aws:kms' : 'AES256';
  const algorithm = head.ServerSideEncryption;
  const checks = [
    algorithm === expectedAlgorithm
      ? pass(OBJECT_CHECKS.algorithm, `${label}: ServerSideEncryption = ${algorithm}`)
      : fail(
          OBJECT_CHECKS.algorithm,
          `${label}: expected ${expectedAlgorithm}, S3 reports ${algorithm ?? 'none'}`,
        ),
  ];
  if (target.scheme === 'sse-s3') return checks;

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
