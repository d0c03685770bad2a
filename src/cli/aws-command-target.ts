import { validateBucket, validateKeyArn, validateRegion } from '../config/fields.js';
import { partitionOf } from '../config/regions.js';
import { ConfigError } from '../errors.js';
import { answerTraits, isScheme } from '../plan/schemes.js';
import type { Partition, Scheme } from '../types.js';
import type { ParsedArgs } from './args.js';

/** What verify, scan and reencrypt work on: an existing bucket and, usually, its key. */
export interface AwsCommandTarget {
  bucket: string;
  region: string;
  partition: Partition;
  scheme: Scheme;
  keyArn?: string;
  concurrency?: number;
}

/** Validates the flags of the bucket commands up front: nothing reaches AWS with bad input. */
export function parseAwsCommandTarget(args: ParsedArgs, options: { keyRequired: boolean }): AwsCommandTarget {
  const { bucket, region, existingKey: keyArn } = args.answers;
  const scheme: Scheme = isScheme(args.answers.scheme) ? args.answers.scheme : 'sse-kms';
  const problems: string[] = [];
  const check = (flag: string, problem: string | undefined) => {
    if (problem) problems.push(`${flag}: ${problem}`);
  };
  if (bucket === undefined) check('--bucket', 'missing: pass --bucket');
  else check('--bucket', validateBucket(bucket));
  if (region === undefined) check('--region', 'missing: pass --region');
  else check('--region', validateRegion(region));
  if (keyArn !== undefined) check('--key', validateKeyArn(keyArn, region));
  else if (options.keyRequired && answerTraits(scheme).usesKmsKey)
    check('--key', 'missing: pass --key with the full key ARN');
  const concurrency = args.run.concurrency === undefined ? undefined : Number(args.run.concurrency);
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)
  ) {
    check('--concurrency', `${JSON.stringify(args.run.concurrency)} must be a whole number from 1 to 256`);
  }
  if (problems.length > 0 || bucket === undefined || region === undefined) {
    throw new ConfigError(`Invalid input:\n  ${problems.join('\n  ')}`, {
      field: problems[0]?.split(':')[0],
      hint: 'fix the values above and run again; nothing was read or written',
    });
  }
  return {
    bucket,
    region,
    partition: partitionOf(region) ?? 'aws',
    scheme,
    ...(keyArn ? { keyArn } : {}),
    ...(concurrency ? { concurrency } : {}),
  };
}
