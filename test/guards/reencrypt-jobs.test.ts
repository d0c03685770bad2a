import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildGeneratedJobRequest,
  type GeneratedJobTarget,
  jobFileName,
  jobToken,
  renderedReencryptJobs,
} from '../../src/plan/reencrypt-jobs.js';

/*
 * The Batch Operations requests, whole: every field of the update and copy jobs, built inside
 * each test (a plan built at module scope is invisible to mutation testing's per-test coverage).
 */

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/reencrypt-job`;
const target = (overrides: Partial<GeneratedJobTarget> = {}): GeneratedJobTarget => ({
  bucket: 'acme-data',
  keyArn: KEY_ARN,
  accountId: ACCOUNT,
  partition: 'aws',
  roleArn: ROLE_ARN,
  runId: 'run1',
  ...overrides,
});

const report = (bucketArn: string) => ({
  Bucket: bucketArn,
  Enabled: true,
  Format: 'Report_CSV_20180820',
  Prefix: 'create-encrypted-bucket/reencrypt/reports',
  ReportScope: 'AllTasks',
  ExpectedBucketOwner: ACCOUNT,
});

const manifestGenerator = (bucketArn: string, name: string, filter: object) => ({
  S3JobManifestGenerator: {
    ExpectedBucketOwner: ACCOUNT,
    SourceBucket: bucketArn,
    EnableManifestOutput: true,
    ManifestOutputLocation: {
      ExpectedManifestBucketOwner: ACCOUNT,
      Bucket: bucketArn,
      ManifestPrefix: `create-encrypted-bucket/reencrypt/manifests/run1-${name}`,
      ManifestFormat: 'S3InventoryReport_CSV_20211130',
      ManifestEncryption: { SSEKMS: { KeyId: KEY_ARN } },
    },
    Filter: filter,
  },
});

describe('buildGeneratedJobRequest', () => {
  it('the update job: UpdateObjectEncryption of SSE-S3 and SSE-KMS objects onto the key, as the role, confirmed first', () => {
    expect(buildGeneratedJobRequest(target(), { operation: 'update-encryption' })).toEqual({
      AccountId: ACCOUNT,
      ConfirmationRequired: true,
      ClientRequestToken: 'ceb-run1-update-encryption',
      Description:
        'create-encrypted-bucket: UpdateObjectEncryption of SSE-S3 and SSE-KMS objects of acme-data',
      Priority: 10,
      RoleArn: ROLE_ARN,
      Operation: {
        S3UpdateObjectEncryption: {
          ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN, BucketKeyEnabled: true } },
        },
      },
      ManifestGenerator: manifestGenerator('arn:aws:s3:::acme-data', 'update-encryption', {
        MatchAnyObjectEncryption: [{ SSES3: {} }, { SSEKMS: {} }],
      }),
      Report: report('arn:aws:s3:::acme-data'),
    });
  });

  it('a copy job: unencrypted objects of one storage class copied onto the key, keeping metadata and class', () => {
    expect(
      buildGeneratedJobRequest(target({ partition: 'aws-cn' }), {
        operation: 'copy',
        storageClass: 'ONEZONE_IA',
      }),
    ).toEqual({
      AccountId: ACCOUNT,
      ConfirmationRequired: true,
      ClientRequestToken: 'ceb-run1-copy-ONEZONE_IA',
      Description: 'create-encrypted-bucket: copy unencrypted ONEZONE_IA objects onto the key of acme-data',
      Priority: 10,
      RoleArn: ROLE_ARN,
      Operation: {
        S3PutObjectCopy: {
          TargetResource: 'arn:aws-cn:s3:::acme-data',
          MetadataDirective: 'COPY',
          NewObjectMetadata: { SSEAlgorithm: 'KMS' },
          SSEAwsKmsKeyId: KEY_ARN,
          BucketKeyEnabled: true,
          StorageClass: 'ONEZONE_IA',
        },
      },
      ManifestGenerator: manifestGenerator('arn:aws-cn:s3:::acme-data', 'copy-onezone_ia', {
        MatchAnyObjectEncryption: [{ NOTSSE: {} }],
        MatchAnyStorageClass: ['ONEZONE_IA'],
      }),
      Report: report('arn:aws-cn:s3:::acme-data'),
    });
  });

  it('cuts the description at the 256 characters S3 accepts, and the token at 64', () => {
    const bucket = `b${'x'.repeat(300)}`;
    const request = buildGeneratedJobRequest(target({ bucket, runId: 'r'.repeat(70) }), {
      operation: 'update-encryption',
    });
    expect(request.Description).toBe(
      `create-encrypted-bucket: UpdateObjectEncryption of SSE-S3 and SSE-KMS objects of ${bucket}`.slice(
        0,
        256,
      ),
    );
    expect(request.Description).toHaveLength(256);
    expect(request.ClientRequestToken).toBe(`ceb-${'r'.repeat(60)}`);
  });
});

describe('tokens and file names', () => {
  it('a token names the run and the job', () => {
    expect(jobToken(target(), { operation: 'update-encryption' })).toBe('ceb-run1-update-encryption');
    expect(jobToken(target({ runId: 'r2' }), { operation: 'copy', storageClass: 'STANDARD_IA' })).toBe(
      'ceb-r2-copy-STANDARD_IA',
    );
  });

  it('file names are the job in lowercase with hyphens', () => {
    expect(jobFileName({ operation: 'update-encryption' })).toBe('create-job-update-encryption.json');
    expect(jobFileName({ operation: 'copy', storageClass: 'INTELLIGENT_TIERING' })).toBe(
      'create-job-copy-intelligent-tiering.json',
    );
  });
});

describe('renderedReencryptJobs', () => {
  it('names the run after the bucket and the key, so rendering again gives the same tokens', () => {
    const config = { bucket: 'acme-data', accountId: ACCOUNT, partition: 'aws' as const };
    const jobs = renderedReencryptJobs(config, KEY_ARN, ROLE_ARN);
    const runId = `r${createHash('sha256').update(`acme-data\n${KEY_ARN}`).digest('hex').slice(0, 16)}`;
    expect(jobs.map((job) => [job.file, job.request.ClientRequestToken])).toEqual([
      ['create-job-update-encryption.json', `ceb-${runId}-update-encryption`],
      ['create-job-copy-standard.json', `ceb-${runId}-copy-STANDARD`],
      ['create-job-copy-standard-ia.json', `ceb-${runId}-copy-STANDARD_IA`],
      ['create-job-copy-intelligent-tiering.json', `ceb-${runId}-copy-INTELLIGENT_TIERING`],
      ['create-job-copy-onezone-ia.json', `ceb-${runId}-copy-ONEZONE_IA`],
      ['create-job-copy-glacier-ir.json', `ceb-${runId}-copy-GLACIER_IR`],
    ]);
    expect(jobs[0]?.request).toEqual(
      buildGeneratedJobRequest(
        {
          bucket: 'acme-data',
          keyArn: KEY_ARN,
          accountId: ACCOUNT,
          partition: 'aws',
          roleArn: ROLE_ARN,
          runId,
        },
        { operation: 'update-encryption' },
      ),
    );
    expect(jobs[5]?.request.Operation?.S3PutObjectCopy?.StorageClass).toBe('GLACIER_IR');
  });
});
