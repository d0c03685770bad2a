import type { Partition } from '../types.js';

export interface KeyArnParts {
  partition: Partition;
  region: string;
  accountId: string;
  keyId: string;
}

const KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;

/** A full KMS key ARN split up; undefined for an alias, a bare id or anything else. */
export function parseKeyArn(value: string): KeyArnParts | undefined {
  const match = KEY_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, region, accountId, keyId] = match as unknown as [
    string,
    Partition,
    string,
    string,
    string,
  ];
  return { partition, region, accountId, keyId };
}
