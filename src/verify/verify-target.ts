import { ConfigError } from '../errors.js';
import { schemeTraits } from '../plan/schemes.js';
import type { Scheme } from '../types.js';

/**
 * What `verify` (and apply's final step) checks: one bucket, and for a KMS scheme the key that
 * must protect it. The checks follow the scheme's bucket layer (plan/schemes.ts): client-kms is
 * checked as sse-kms, client-app-key as sse-s3, sse-c with a throwaway customer key.
 */
export interface VerifyTarget {
  bucket: string;
  region: string;
  scheme: Scheme;
  /** The full key ARN; required for a KMS scheme. An alias or key id would not match what S3 reports. */
  keyArn?: string;
  /** The rotation period the key should have; checked only when KMS reports one. */
  rotationDays?: number;
  /** Check this existing object instead of uploading a test object (no refusal probes then). */
  object?: string;
  /**
   * Who runs the checks. An application role may use the key, so its compliant upload must
   * succeed. Anyone else (the administrator running apply) must be refused by KMS: that
   * refusal is the separation holding, and the compliant upload needs an application role.
   */
  seat?: 'application' | 'administrator';
  /** The command that runs the checks needing an application role, shown when they cannot run. */
  applicationCommand?: string;
}

export interface KeyArnParts {
  partition: string;
  region: string;
  accountId: string;
  keyId: string;
}

const KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;

/**
 * A key id nobody has: the "upload naming another key" probe sends it under the bucket's own
 * account and region, so only the bucket policy can be what refuses it.
 */
export const MADE_UP_KEY_ID = '00000000-0000-4000-8000-000000000000';

export function parseKeyArn(arn: string): KeyArnParts | undefined {
  const match = KEY_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = '', region = '', accountId = '', keyId = ''] = match;
  return { partition, region, accountId, keyId };
}

export function otherKeyArn(keyArn: string): string {
  const parts = parseKeyArn(keyArn);
  if (!parts) throw new ConfigError(`not a full KMS key ARN: ${keyArn}`, { field: '--key' });
  return `arn:${parts.partition}:kms:${parts.region}:${parts.accountId}:key/${MADE_UP_KEY_ID}`;
}

/** Input mistakes become ConfigError (exit 2) before any AWS call. */
export function assertValidTarget(target: VerifyTarget): void {
  if (!target.bucket) throw new ConfigError('a bucket is required', { field: '--bucket' });
  if (target.object === '') throw new ConfigError('--object needs an object key', { field: '--object' });
  if (!schemeTraits(target.scheme).usesKmsKey) {
    if (target.keyArn)
      throw new ConfigError(
        `--key applies to sse-kms and client-kms only; ${target.scheme} uses no KMS key`,
        {
          field: '--key',
        },
      );
    return;
  }
  if (!target.keyArn)
    throw new ConfigError(`${target.scheme} verification needs the full key ARN`, { field: '--key' });
  const parts = parseKeyArn(target.keyArn);
  if (!parts) {
    throw new ConfigError(
      `--key must be a full key ARN (arn:aws:kms:<region>:<account>:key/<id>), got ${target.keyArn}`,
      {
        field: '--key',
        hint: 'S3 reports the full key ARN on every object, so an alias or bare key id cannot be compared with it',
      },
    );
  }
  if (parts.region !== target.region) {
    throw new ConfigError(
      `the key is in ${parts.region} but the bucket region is ${target.region}; S3 can only use a key in the bucket's region`,
      { field: '--region' },
    );
  }
}

/** The bucket layer verify checks for this target. */
export function layerOf(target: VerifyTarget) {
  return schemeTraits(target.scheme).bucketLayer;
}
