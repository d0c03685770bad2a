import { GetBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { toAwsError } from '../aws/aws-call.js';
import { classifyHead, ENCRYPTION_CLASSES, type EncryptionClass, NEEDS_REENCRYPTION } from './classify.js';
import { headObject } from './head-object.js';
import { type ListedVersion, listNoncurrentVersions } from './list-versions.js';
import { runPool } from './pool.js';
import { estimateFromSample, keepInSample } from './sample.js';

export interface VersionTotals {
  count: number;
  bytes: number;
}

/**
 * Noncurrent versions by encryption. Default encryption and a plain re-encryption change only
 * current versions; the old ones keep what they had, and only this says how many there are.
 */
export type NoncurrentReport =
  | { kind: 'not-versioned' }
  /** GetBucketVersioning refused: the scan cannot tell whether versions exist. */
  | { kind: 'unknown'; permission: string }
  | {
      kind: 'scanned';
      versioning: 'Enabled' | 'Suspended';
      listed: VersionTotals;
      inspected: number;
      /** Only a random sample was inspected: `classes` are the sample's shares applied to `listed`. */
      sampled: boolean;
      classes: Record<EncryptionClass, VersionTotals>;
      /** Versions under their old encryption that `--all-versions` moves (UpdateObjectEncryption). */
      needsReencryption: VersionTotals;
      /** Set when S3 refused HeadObject on a version: what the caller lacks. */
      permission?: string;
    };

export interface VersionScanOptions {
  bucket: string;
  keyArn?: string;
  full?: boolean;
  sampleSize: number;
  concurrency: number;
  signal?: AbortSignal;
  random: () => number;
}

export async function scanNoncurrentVersions(
  options: VersionScanOptions,
  s3: S3Client,
): Promise<NoncurrentReport> {
  let status: string | undefined;
  try {
    status = (await s3.send(new GetBucketVersioningCommand({ Bucket: options.bucket }))).Status;
  } catch (error) {
    const wrapped = toAwsError('scan', 'GetBucketVersioning', error);
    if (wrapped.httpStatus === 403) return { kind: 'unknown', permission: 's3:GetBucketVersioning' };
    throw wrapped;
  }
  if (status !== 'Enabled' && status !== 'Suspended') return { kind: 'not-versioned' };

  const listed: VersionTotals = { count: 0, bytes: 0 };
  let refused = false;
  const sample: ListedVersion[] = [];
  const counts = Object.fromEntries(
    ENCRYPTION_CLASSES.map((name) => [name, { count: 0, bytes: 0 }]),
  ) as Record<EncryptionClass, VersionTotals>;
  const inspect = async (version: ListedVersion) => {
    const result = await headObject(s3, options.bucket, version.key, 'scan', version.versionId);
    if (result.kind === 'gone') return;
    if (result.kind === 'error' && result.error.httpStatus === 403) refused = true;
    const encryption: EncryptionClass =
      result.kind === 'head'
        ? classifyHead(result.head, options.keyArn).encryption
        : result.kind === 'sse-c'
          ? 'sse-c'
          : 'unreadable';
    counts[encryption].count += 1;
    counts[encryption].bytes += version.size;
  };
  const listing = listNoncurrentVersions(s3, options.bucket, 'scan');
  if (options.full) {
    async function* counted() {
      for await (const version of listing) {
        listed.count += 1;
        listed.bytes += version.size;
        yield version;
      }
    }
    await runPool(counted(), { concurrency: options.concurrency, signal: options.signal }, inspect);
  } else {
    for await (const version of listing) {
      if (options.signal?.aborted) break;
      keepInSample(sample, version, listed.count, options.sampleSize, options.random);
      listed.count += 1;
      listed.bytes += version.size;
    }
    await runPool(
      (async function* () {
        yield* sample;
      })(),
      { concurrency: options.concurrency, signal: options.signal },
      inspect,
    );
  }
  const inspected = ENCRYPTION_CLASSES.reduce((sum, name) => sum + counts[name].count, 0);
  const sampled = !options.full && inspected < listed.count;
  const classes = sampled ? estimateFromSample(counts, inspected, listed) : counts;
  const needsReencryption = [...NEEDS_REENCRYPTION].reduce(
    (sum, name) => ({ count: sum.count + classes[name].count, bytes: sum.bytes + classes[name].bytes }),
    { count: 0, bytes: 0 },
  );
  return {
    kind: 'scanned',
    versioning: status,
    listed,
    inspected,
    sampled,
    classes,
    needsReencryption,
    // HeadObject with a VersionId is authorized as s3:GetObjectVersion.
    ...(refused ? { permission: `s3:GetObjectVersion on arn:aws:s3:::${options.bucket}/*` } : {}),
  };
}
