import { createHash } from 'node:crypto';
import type { CreateJobCommandInput, S3StorageClass } from '@aws-sdk/client-s3-control';
import type { Partition, PolicyDocument } from '../../types.js';

/*
 * The S3 Batch Operations job that re-encrypts a bucket too large to loop over from one
 * machine, and the IAM role it runs as. Pure data: apply sends it, render writes it.
 * One job per storage class, because a copy job sets one storage class on everything it
 * writes (CopyObject does not keep the source's class), and mixing would move objects.
 */

/** Where the job's manifests and completion reports go, inside the bucket itself. */
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

export function isCopyableStorageClass(value: string): value is CopyableStorageClass {
  return (COPYABLE_STORAGE_CLASSES as readonly string[]).includes(value);
}

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

export interface BatchTarget {
  bucket: string;
  keyArn: string;
  accountId: string;
  partition: Partition;
  region: string;
  /** KMS keys objects are encrypted with now (from a scan): the role needs kms:Decrypt on each. */
  sourceKeyArns?: string[];
}

export type BatchManifest =
  /** A CSV manifest (bucket,key) this tool wrote to the bucket. */
  | { kind: 'csv'; key: string; etag: string }
  /** Batch Operations lists the bucket itself, filtered to one storage class. */
  | { kind: 'generated' };

export interface BatchJobInput extends BatchTarget {
  storageClass: CopyableStorageClass;
  manifest: BatchManifest;
  roleArn: string;
  clientRequestToken: string;
}

const s3Arn = (partition: Partition, resource: string) => `arn:${partition}:s3:::${resource}`;

/** The role's name: stable per bucket, at most IAM's 64 characters. */
export function batchRoleName(bucket: string): string {
  const name = `ceb-reencrypt-${bucket}`;
  if (name.length <= 64) return name;
  const hash = createHash('sha256').update(bucket).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}-${hash}`;
}

export function batchRoleArn(target: Pick<BatchTarget, 'partition' | 'accountId' | 'bucket'>): string {
  return `arn:${target.partition}:iam::${target.accountId}:role/${batchRoleName(target.bucket)}`;
}

/**
 * The same request twice is the same job: Batch Operations treats a repeated token as a
 * retry, so a re-run never starts a second copy of a job already created.
 */
export function clientRequestToken(parts: string[]): string {
  return `ceb-${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 40)}`;
}

export function buildCreateJobRequest(input: BatchJobInput): CreateJobCommandInput {
  const bucketArn = s3Arn(input.partition, input.bucket);
  const common = {
    AccountId: input.accountId,
    ConfirmationRequired: true,
    ClientRequestToken: input.clientRequestToken,
    Description: `create-encrypted-bucket: re-encrypt ${input.storageClass} objects of ${input.bucket}`.slice(
      0,
      256,
    ),
    Priority: 10,
    RoleArn: input.roleArn,
    Operation: {
      S3PutObjectCopy: {
        TargetResource: bucketArn,
        // Without NewObjectMetadata fields besides the algorithm, COPY keeps every object's
        // metadata and content headers; tags are copied unless NewObjectTagging is given.
        MetadataDirective: 'COPY',
        NewObjectMetadata: { SSEAlgorithm: 'KMS' },
        SSEAwsKmsKeyId: input.keyArn,
        BucketKeyEnabled: true,
        StorageClass: input.storageClass,
      },
    },
    Report: completionReport(bucketArn),
  } satisfies Partial<CreateJobCommandInput>;
  if (input.manifest.kind === 'csv') {
    return {
      ...common,
      Manifest: {
        Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
        Location: { ObjectArn: `${bucketArn}/${input.manifest.key}`, ETag: input.manifest.etag },
      },
    };
  }
  return {
    ...common,
    ManifestGenerator: {
      S3JobManifestGenerator: {
        SourceBucket: bucketArn,
        EnableManifestOutput: true,
        ManifestOutputLocation: {
          Bucket: bucketArn,
          ManifestPrefix: `${BATCH_PREFIX}/manifests`,
          ManifestFormat: 'S3InventoryReport_CSV_20211130',
          ManifestEncryption: { SSEKMS: { KeyId: input.keyArn } },
        },
        Filter: { MatchAnyStorageClass: [input.storageClass] },
      },
    },
  };
}

/** Every job's completion report: all tasks, as CSV, beside the manifests in the bucket itself. */
export function completionReport(bucketArn: string, expectedBucketOwner?: string) {
  return {
    Bucket: bucketArn,
    Enabled: true,
    Format: 'Report_CSV_20180820' as const,
    Prefix: `${BATCH_PREFIX}/reports`,
    ReportScope: 'AllTasks' as const,
    ...(expectedBucketOwner ? { ExpectedBucketOwner: expectedBucketOwner } : {}),
  };
}

/** The Batch Operations role is the re-encryption role: the plan's one trust policy for it. */
export { buildReencryptTrustPolicy as batchRoleTrustPolicy } from '../../plan/takeover-scp.js';

/**
 * What the copy needs and nothing more: read and rewrite objects of this one bucket (the
 * manifest and reports live there too), list it only when Batch Operations makes the
 * manifest, and use the keys only through S3 in the bucket's region.
 */
export function batchRolePolicy(target: BatchTarget, manifest: BatchManifest['kind']): PolicyDocument {
  const bucketArn = s3Arn(target.partition, target.bucket);
  const suffix = target.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${target.region}.${suffix}` } };
  const sourceKeys = (target.sourceKeyArns ?? []).filter((arn) => arn !== target.keyArn);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CopyObjectsInPlace',
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectTagging',
          's3:PutObject',
          's3:PutObjectTagging',
        ],
        Resource: `${bucketArn}/*`,
      },
      ...(manifest === 'generated'
        ? [
            {
              Sid: 'ListBucketForGeneratedManifest',
              Effect: 'Allow' as const,
              Action: ['s3:ListBucket', 's3:GetBucketLocation'],
              Resource: bucketArn,
            },
          ]
        : []),
      {
        Sid: 'UseTheKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: target.keyArn,
        Condition: viaS3,
      },
      ...(sourceKeys.length > 0
        ? [
            {
              Sid: 'DecryptObjectsUnderOtherKeys',
              Effect: 'Allow' as const,
              Action: 'kms:Decrypt',
              Resource: sourceKeys,
              Condition: viaS3,
            },
          ]
        : []),
    ],
  };
}
