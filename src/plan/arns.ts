import type { Config } from '../types.js';

export function bucketArn(config: Config): string {
  return `arn:${config.partition}:s3:::${config.bucket}`;
}

export function objectsArn(config: Config): string {
  return `${bucketArn(config)}/*`;
}

export function accountRootArn(config: Config): string {
  return `arn:${config.partition}:iam::${config.accountId}:root`;
}

/** The service name S3 uses when it calls KMS for a requester (condition key kms:ViaService). */
export function s3ServiceName(config: Config): string {
  const suffix = config.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `s3.${config.region}.${suffix}`;
}

/** A KMS alias ARN in the bucket's region and account: alias actions are authorized on it. */
export function aliasArn(config: Config, alias: string): string {
  return `arn:${config.partition}:kms:${config.region}:${config.accountId}:${alias}`;
}

/** Every trail of the account in the bucket's region: the narrowest ARN trail reads accept. */
export function cloudTrailTrailsArn(config: Config): string {
  return `arn:${config.partition}:cloudtrail:${config.region}:${config.accountId}:trail/*`;
}
