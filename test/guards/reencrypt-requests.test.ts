import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  type HeadObjectCommandOutput,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  BATCH_PREFIX,
  COPYABLE_STORAGE_CLASSES,
  renderedReencryptJobs,
} from '../../src/plan/reencrypt-jobs.js';
import { copyInPlace, multipartCopyInPlace } from '../../src/reencrypt/copy-object.js';
import { parseKeyArn } from '../../src/reencrypt/key-arn.js';
import {
  copySource,
  createMultipartRequest,
  MIN_PART_SIZE,
  partRanges,
  taggingHeader,
} from '../../src/reencrypt/object-requests.js';
import { ACCOUNT, KEY_ARN, mockedS3 } from './support/mocked-s3.js';

/*
 * The rest of re-encryption's requests, exactly: which failure means "the object changed,
 * look again" and which names the failed call, the part list S3 must receive in order, the
 * abort on a stop, the Batch Operations job and role for each manifest kind and partition.
 */

const REF = { bucket: 'acme-data', key: 'big.bin', keyArn: KEY_ARN };
const GiB = 1024 ** 3;
const { s3, mock } = mockedS3();

const serviceError = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
const BIG: HeadObjectCommandOutput = { $metadata: {}, ETag: '"e"', ContentLength: 6 * GiB, TagCount: 0 };

describe('a failed copy', () => {
  it.each([
    ['a 412', serviceError('Whatever', 412)],
    ['PreconditionFailed', serviceError('PreconditionFailed', 400)],
  ])('%s means the object changed: inspect it again', async (_, error) => {
    mock.on(CopyObjectCommand).rejects(error);
    expect(await copyInPlace(s3, REF, BIG)).toEqual({ kind: 'changed' });
  });

  it('anything else fails, naming the call', async () => {
    mock.on(CopyObjectCommand).rejects(serviceError('AccessDenied', 403));
    const result = await copyInPlace(s3, REF, BIG);
    expect(result).toMatchObject({ kind: 'failed', error: { step: 'reencrypt', operation: 'CopyObject' } });
  });

  it.each([
    ['GetObjectTagging', GetObjectTaggingCommand],
    ['CreateMultipartUpload', CreateMultipartUploadCommand],
    ['UploadPartCopy', UploadPartCopyCommand],
    ['CompleteMultipartUpload', CompleteMultipartUploadCommand],
  ] as const)(
    'a multipart copy failing at %s names that call, and aborts an upload it began',
    async (name, command) => {
      mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
      mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up' });
      mock.on(UploadPartCopyCommand).resolves({ CopyPartResult: { ETag: '"p"' } });
      mock.on(CompleteMultipartUploadCommand).resolves({});
      mock.on(AbortMultipartUploadCommand).resolves({});
      mock.on(command as unknown as typeof CopyObjectCommand).rejects(serviceError('InternalError', 500));
      const result = await multipartCopyInPlace(s3, REF, { ...BIG, TagCount: 1 }, {});
      expect(result).toMatchObject({ kind: 'failed', error: { operation: name } });
      const began = name !== 'GetObjectTagging' && name !== 'CreateMultipartUpload';
      expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(began ? 1 : 0);
    },
  );
});

describe('the multipart copy', () => {
  it('completes with the parts in order, however the copies finish', async () => {
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up' });
    mock.on(UploadPartCopyCommand).callsFake(async (input) => {
      // Later parts finish first.
      await new Promise((resolve) => setTimeout(resolve, 40 - 3 * (input.PartNumber ?? 0)));
      return { CopyPartResult: { ETag: `"p${input.PartNumber}"` } };
    });
    mock.on(CompleteMultipartUploadCommand).resolves({});
    expect(await multipartCopyInPlace(s3, REF, BIG, {})).toEqual({ kind: 'copied' });
    const parts = mock.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input.MultipartUpload?.Parts;
    expect(parts?.map((part) => part.PartNumber)).toEqual([...Array(12).keys()].map((index) => index + 1));
    expect(parts?.map((part) => part.ETag)).toEqual([...Array(12).keys()].map((index) => `"p${index + 1}"`));
  });

  it('a stop aborts the upload and leaves the object alone', async () => {
    const stop = new AbortController();
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up' });
    mock.on(UploadPartCopyCommand).callsFake(async () => {
      stop.abort();
      return { CopyPartResult: { ETag: '"p"' } };
    });
    mock.on(AbortMultipartUploadCommand).resolves({});
    expect(await multipartCopyInPlace(s3, REF, BIG, { signal: stop.signal })).toEqual({
      kind: 'interrupted',
    });
    expect(mock.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: REF.bucket,
      Key: REF.key,
      UploadId: 'up',
    });
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('a tag answer without a TagSet sends no Tagging', async () => {
    mock.on(GetObjectTaggingCommand).resolves({});
    mock.on(CreateMultipartUploadCommand).rejects(new Error('stop here'));
    await multipartCopyInPlace(s3, REF, { ...BIG, TagCount: 2 }, {});
    expect(mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).not.toHaveProperty('Tagging');
  });
});

describe('request pieces', () => {
  it('copySource pins a real version only ("null" is the unversioned one)', () => {
    expect(copySource('b', 'a b/c', 'v 1')).toBe('b/a%20b/c?versionId=v%201');
    expect(copySource('b', 'k', 'null')).toBe('b/k');
    expect(copySource('b', 'k')).toBe('b/k');
  });

  it('taggingHeader: none for no tags, and a missing key or value is empty', () => {
    expect(taggingHeader([])).toBeUndefined();
    expect(taggingHeader([{ Key: 'a' } as never, { Value: 'v' } as never])).toBe('a=&=v');
  });

  it('an empty Metadata map is not sent', () => {
    expect(createMultipartRequest(REF, { ...BIG, Metadata: {} }, [])).not.toHaveProperty('Metadata');
  });

  it('partRanges covers the size exactly, with no empty range at a part boundary', () => {
    expect(partRanges(2 * MIN_PART_SIZE, MIN_PART_SIZE)).toEqual([
      { start: 0, end: MIN_PART_SIZE - 1 },
      { start: MIN_PART_SIZE, end: 2 * MIN_PART_SIZE - 1 },
    ]);
  });
});

describe('Batch Operations', () => {
  const config = { bucket: 'acme-data', accountId: ACCOUNT, partition: 'aws' as const };
  const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/reencrypt-job`;
  const jobs = renderedReencryptJobs(config, KEY_ARN, ROLE_ARN);
  const [update, ...copies] = jobs;

  it('parses only a full key ARN', () => {
    expect(parseKeyArn(KEY_ARN)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: ACCOUNT,
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    for (const wrong of [
      `x${KEY_ARN}`,
      `${KEY_ARN}/x`,
      KEY_ARN.replace('eu-west-1', ''),
      KEY_ARN.replace(ACCOUNT, '1111'),
      KEY_ARN.replace(ACCOUNT, 'a'.repeat(12)),
      KEY_ARN.replace('1234abcd', '1234_abcd'),
      KEY_ARN.replace(':kms:', ':s3:'),
    ]) {
      expect(parseKeyArn(wrong), wrong).toBeUndefined();
    }
  });

  it('one UpdateObjectEncryption job for SSE-S3 and SSE-KMS objects, a copy job per class for unencrypted ones', () => {
    expect(jobs.map((job) => job.file)).toEqual([
      'create-job-update-encryption.json',
      'create-job-copy-standard.json',
      'create-job-copy-standard-ia.json',
      'create-job-copy-intelligent-tiering.json',
      'create-job-copy-onezone-ia.json',
      'create-job-copy-glacier-ir.json',
    ]);
    expect(update?.request.Operation).toEqual({
      S3UpdateObjectEncryption: {
        ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN, BucketKeyEnabled: true } },
      },
    });
    expect(update?.request.ManifestGenerator?.S3JobManifestGenerator?.Filter).toEqual({
      MatchAnyObjectEncryption: [{ SSES3: {} }, { SSEKMS: {} }],
    });
    expect(copies.map((job) => job.request.ManifestGenerator?.S3JobManifestGenerator?.Filter)).toEqual(
      COPYABLE_STORAGE_CLASSES.map((storageClass) => ({
        MatchAnyObjectEncryption: [{ NOTSSE: {} }],
        MatchAnyStorageClass: [storageClass],
      })),
    );
    expect(copies[1]?.request.Operation?.S3PutObjectCopy).toEqual({
      TargetResource: 'arn:aws:s3:::acme-data',
      MetadataDirective: 'COPY',
      NewObjectMetadata: { SSEAlgorithm: 'KMS' },
      SSEAwsKmsKeyId: KEY_ARN,
      BucketKeyEnabled: true,
      StorageClass: 'STANDARD_IA',
    });
  });

  it('every job runs as the re-encryption role, waits for confirmation, and keeps manifest and report in the bucket', () => {
    for (const { request } of jobs) {
      expect(request).toMatchObject({
        AccountId: ACCOUNT,
        ConfirmationRequired: true,
        RoleArn: ROLE_ARN,
        Report: {
          Bucket: 'arn:aws:s3:::acme-data',
          Enabled: true,
          Format: 'Report_CSV_20180820',
          Prefix: `${BATCH_PREFIX}/reports`,
          ReportScope: 'AllTasks',
          ExpectedBucketOwner: ACCOUNT,
        },
      });
      expect(request.ManifestGenerator?.S3JobManifestGenerator).toMatchObject({
        ExpectedBucketOwner: ACCOUNT,
        SourceBucket: 'arn:aws:s3:::acme-data',
        EnableManifestOutput: true,
        ManifestOutputLocation: {
          ExpectedManifestBucketOwner: ACCOUNT,
          Bucket: 'arn:aws:s3:::acme-data',
          ManifestFormat: 'S3InventoryReport_CSV_20211130',
          ManifestEncryption: { SSEKMS: { KeyId: KEY_ARN } },
        },
      });
      expect(
        request.ManifestGenerator?.S3JobManifestGenerator?.ManifestOutputLocation?.ManifestPrefix,
      ).toMatch(new RegExp(`^${BATCH_PREFIX}/manifests/r[0-9a-f]{16}-`));
      expect(request.Description?.length).toBeLessThanOrEqual(256);
    }
    expect(BATCH_PREFIX).toBe('create-encrypted-bucket/reencrypt');
  });

  it('the same bucket and key give the same request tokens (CreateJob returns the job it made), another key others', () => {
    const tokens = jobs.map((job) => job.request.ClientRequestToken);
    expect(new Set(tokens).size).toBe(jobs.length);
    for (const token of tokens) expect(token?.length).toBeLessThanOrEqual(64);
    const again = renderedReencryptJobs(config, KEY_ARN, ROLE_ARN).map(
      (job) => job.request.ClientRequestToken,
    );
    expect(again).toEqual(tokens);
    const otherKey = renderedReencryptJobs(config, KEY_ARN.replace('1234abcd', '99999999'), ROLE_ARN);
    const otherBucket = renderedReencryptJobs({ ...config, bucket: 'acme-other' }, KEY_ARN, ROLE_ARN);
    for (const other of [otherKey, otherBucket])
      expect(other.map((job) => job.request.ClientRequestToken).some((token) => tokens.includes(token))).toBe(
        false,
      );
  });
});
