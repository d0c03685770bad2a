import { createHash } from 'node:crypto';
import type { CreateJobCommandInput, S3StorageClass } from '@aws-sdk/client-s3-control';
import type { Config, Partition, ReencryptJob } from '../types.js';

/*
 * The Batch Operations jobs for a bucket too large to loop over, over manifests S3 generates
 * itself (ManifestGenerator, filtered by encryption): nothing is listed from this machine.
 *
 * - One S3UpdateObjectEncryption job for every SSE-S3 and SSE-KMS object. It changes the key
 *   without moving data (storage class, dates, ETag, checksums kept), archived objects too.
 *   Objects already on the key are re-wrapped harmlessly; listing only "other keys" would
 *   need every key in use known in advance.
 * - One copy job per storage class for unencrypted objects only (a copy job sets one storage
 *   class on everything it writes). DSSE-KMS objects are left as they are, as the loop leaves
 *   them: re-encrypting them under SSE-KMS would drop a layer of encryption.
 *
 * Every job waits for confirmation (ConfirmationRequired) and carries a client request token
 * derived from the run, so creating it again returns the same job.
 */

/** Where the jobs' manifests and completion reports go, inside the bucket itself. */
export const BATCH_PREFIX = 'create-encrypted-bucket/reencrypt';

/** Storage classes a copy can read without a restore, in the order jobs are listed. */
export const COPYABLE_STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'ONEZONE_IA',
  'GLACIER_IR',
] as const satisfies readonly S3StorageClass[];

export type CopyableStorageClass = (typeof COPYABLE_STORAGE_CLASSES)[number];

export interface GeneratedJobTarget {
  bucket: string;
  keyArn: string;
  accountId: string;
  partition: Partition;
  /** The re-encryption role: the jobs run as it. */
  roleArn: string;
  /** Names this run's manifests and tokens; kept in the checkpoint. */
  runId: string;
}

export type GeneratedJobKind =
  | { operation: 'update-encryption' }
  | { operation: 'copy'; storageClass: CopyableStorageClass };

const s3Arn = (partition: Partition, resource: string) => `arn:${partition}:s3:::${resource}`;

export function generatedJobKinds(): GeneratedJobKind[] {
  return [
    { operation: 'update-encryption' },
    ...COPYABLE_STORAGE_CLASSES.map((storageClass) => ({ operation: 'copy' as const, storageClass })),
  ];
}

export function jobToken(target: GeneratedJobTarget, kind: GeneratedJobKind): string {
  const name = kind.operation === 'copy' ? `copy-${kind.storageClass}` : 'update-encryption';
  // At most 64 characters; the same run and job always give the same token.
  return `ceb-${target.runId}-${name}`.slice(0, 64);
}

export function buildGeneratedJobRequest(
  target: GeneratedJobTarget,
  kind: GeneratedJobKind,
): CreateJobCommandInput {
  const bucketArn = s3Arn(target.partition, target.bucket);
  const name = kind.operation === 'copy' ? `copy-${kind.storageClass.toLowerCase()}` : 'update-encryption';
  const generator = {
    S3JobManifestGenerator: {
      ExpectedBucketOwner: target.accountId,
      SourceBucket: bucketArn,
      EnableManifestOutput: true,
      ManifestOutputLocation: {
        ExpectedManifestBucketOwner: target.accountId,
        Bucket: bucketArn,
        ManifestPrefix: `${BATCH_PREFIX}/manifests/${target.runId}-${name}`,
        ManifestFormat: 'S3InventoryReport_CSV_20211130' as const,
        ManifestEncryption: { SSEKMS: { KeyId: target.keyArn } },
      },
      Filter:
        kind.operation === 'update-encryption'
          ? { MatchAnyObjectEncryption: [{ SSES3: {} }, { SSEKMS: {} }] }
          : { MatchAnyObjectEncryption: [{ NOTSSE: {} }], MatchAnyStorageClass: [kind.storageClass] },
    },
  };
  const operation =
    kind.operation === 'update-encryption'
      ? {
          S3UpdateObjectEncryption: {
            ObjectEncryption: { SSEKMS: { KMSKeyArn: target.keyArn, BucketKeyEnabled: true } },
          },
        }
      : {
          S3PutObjectCopy: {
            TargetResource: bucketArn,
            MetadataDirective: 'COPY' as const,
            NewObjectMetadata: { SSEAlgorithm: 'KMS' as const },
            SSEAwsKmsKeyId: target.keyArn,
            BucketKeyEnabled: true,
            StorageClass: kind.storageClass,
          },
        };
  return {
    AccountId: target.accountId,
    ConfirmationRequired: true,
    ClientRequestToken: jobToken(target, kind),
    Description: `create-encrypted-bucket: ${
      kind.operation === 'copy'
        ? `copy unencrypted ${kind.storageClass} objects onto the key`
        : 'UpdateObjectEncryption of SSE-S3 and SSE-KMS objects'
    } of ${target.bucket}`.slice(0, 256),
    Priority: 10,
    RoleArn: target.roleArn,
    Operation: operation,
    ManifestGenerator: generator,
    Report: {
      Bucket: bucketArn,
      Enabled: true,
      Format: 'Report_CSV_20180820',
      Prefix: `${BATCH_PREFIX}/reports`,
      ReportScope: 'AllTasks',
      ExpectedBucketOwner: target.accountId,
    },
  };
}

/** `create-job-update-encryption.json`, `create-job-copy-standard-ia.json`. */
export function jobFileName(kind: GeneratedJobKind): string {
  const name =
    kind.operation === 'copy'
      ? `copy-${kind.storageClass.toLowerCase().replaceAll('_', '-')}`
      : 'update-encryption';
  return `create-job-${name}.json`;
}

/**
 * The jobs rendered for review and for start-jobs.sh: the very requests `reencrypt --batch`
 * sends, for one run named after the bucket and the key, so that creating them again returns
 * the jobs already created (the same client request tokens).
 */
export function renderedReencryptJobs(
  config: Pick<Config, 'bucket' | 'accountId' | 'partition'>,
  keyRef: string,
  roleArn: string,
): ReencryptJob[] {
  const runId = `r${createHash('sha256').update(`${config.bucket}\n${keyRef}`).digest('hex').slice(0, 16)}`;
  const target: GeneratedJobTarget = {
    bucket: config.bucket,
    keyArn: keyRef,
    accountId: config.accountId,
    partition: config.partition,
    roleArn,
    runId,
  };
  return generatedJobKinds().map((kind) => ({
    file: jobFileName(kind),
    request: buildGeneratedJobRequest(target, kind),
  }));
}
