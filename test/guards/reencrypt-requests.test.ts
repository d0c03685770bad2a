import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  type HeadObjectCommandOutput,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BATCH_PREFIX,
  batchRoleName,
  batchRolePolicy,
  buildCreateJobRequest,
  clientRequestToken,
  parseKeyArn,
} from '../../src/reencrypt/batch/job-request.js';
import { copyInPlace, multipartCopyInPlace } from '../../src/reencrypt/copy-object.js';
import {
  copySource,
  createMultipartRequest,
  MIN_PART_SIZE,
  partRanges,
  taggingHeader,
} from '../../src/reencrypt/object-requests.js';

/*
 * The rest of re-encryption's requests, exactly: which failure means "the object changed,
 * look again" and which names the failed call, the part list S3 must receive in order, the
 * abort on a stop, the Batch Operations job and role for each manifest kind and partition.
 */

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const REF = { bucket: 'acme-data', key: 'big.bin', keyArn: KEY_ARN };
const GiB = 1024 ** 3;
const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(s3);
afterEach(() => mock.reset());

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
  const target = {
    bucket: 'acme-data',
    keyArn: KEY_ARN,
    accountId: ACCOUNT,
    partition: 'aws' as const,
    region: 'eu-west-1',
  };

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

  it('names the role within IAM 64 characters, stable and distinct per bucket', () => {
    const fits = 'b'.repeat(64 - 'ceb-reencrypt-'.length);
    expect(batchRoleName(fits)).toBe(`ceb-reencrypt-${fits}`);
    const long = `${fits}x`;
    const hash = createHash('sha256').update(long).digest('hex').slice(0, 8);
    expect(batchRoleName(long)).toBe(`${`ceb-reencrypt-${long}`.slice(0, 55)}-${hash}`);
  });

  it('the role lists the bucket only for a generated manifest, and names S3 of its partition', () => {
    const csv = batchRolePolicy(target, 'csv');
    expect(csv.Statement.map((statement) => statement.Sid)).not.toContain('ListBucketForGeneratedManifest');
    const generated = batchRolePolicy(target, 'generated');
    expect(
      generated.Statement.find((statement) => statement.Sid === 'ListBucketForGeneratedManifest'),
    ).toEqual({
      Sid: 'ListBucketForGeneratedManifest',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:GetBucketLocation'],
      Resource: 'arn:aws:s3:::acme-data',
    });
    expect(generated.Statement[0]?.Resource).toBe('arn:aws:s3:::acme-data/*');
    const china = batchRolePolicy({ ...target, partition: 'aws-cn', region: 'cn-north-1' }, 'csv');
    expect(china.Statement.find((statement) => statement.Sid === 'UseTheKeyThroughS3')?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.cn-north-1.amazonaws.com.cn' },
    });
    expect(china.Statement[0]?.Resource).toBe('arn:aws-cn:s3:::acme-data/*');
  });

  const job = {
    ...target,
    storageClass: 'STANDARD' as const,
    roleArn: 'arn:aws:iam::111122223333:role/r',
    clientRequestToken: 't',
  };
  it('a CSV-manifest job reads bucket,key rows of the manifest it names', () => {
    const request = buildCreateJobRequest({ ...job, manifest: { kind: 'csv', key: 'm.csv', etag: '"m"' } });
    expect(request.Manifest).toEqual({
      Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
      Location: { ObjectArn: 'arn:aws:s3:::acme-data/m.csv', ETag: '"m"' },
    });
  });

  it('a generated-manifest job keeps its manifest, encrypted with the key', () => {
    const request = buildCreateJobRequest({ ...job, manifest: { kind: 'generated' } });
    expect(request.ManifestGenerator?.S3JobManifestGenerator).toMatchObject({
      SourceBucket: 'arn:aws:s3:::acme-data',
      EnableManifestOutput: true,
      ManifestOutputLocation: {
        Bucket: 'arn:aws:s3:::acme-data',
        ManifestPrefix: `${BATCH_PREFIX}/manifests`,
        ManifestFormat: 'S3InventoryReport_CSV_20211130',
        ManifestEncryption: { SSEKMS: { KeyId: KEY_ARN } },
      },
    });
    expect(BATCH_PREFIX).toBe('create-encrypted-bucket/reencrypt');
  });

  it('every job copies in place onto the key with a bucket key, asks for confirmation, and reports every task', () => {
    const request = buildCreateJobRequest({ ...job, manifest: { kind: 'generated' } });
    expect(request).toMatchObject({
      AccountId: ACCOUNT,
      ConfirmationRequired: true,
      ClientRequestToken: 't',
      Description: 'create-encrypted-bucket: re-encrypt STANDARD objects of acme-data',
      RoleArn: job.roleArn,
      Operation: {
        S3PutObjectCopy: {
          TargetResource: 'arn:aws:s3:::acme-data',
          MetadataDirective: 'COPY',
          NewObjectMetadata: { SSEAlgorithm: 'KMS' },
          SSEAwsKmsKeyId: KEY_ARN,
          BucketKeyEnabled: true,
          StorageClass: 'STANDARD',
        },
      },
      Report: {
        Bucket: 'arn:aws:s3:::acme-data',
        Enabled: true,
        Format: 'Report_CSV_20180820',
        Prefix: 'create-encrypted-bucket/reencrypt/reports',
        ReportScope: 'AllTasks',
      },
    });
    const long = buildCreateJobRequest({ ...job, bucket: 'b'.repeat(300), manifest: { kind: 'generated' } });
    expect(long.Description).toHaveLength(256);
  });

  it('the same job gets the same request token, a different one another token', () => {
    const token = clientRequestToken(['acme-data', 'STANDARD']);
    expect(token).toMatch(/^ceb-[0-9a-f]{40}$/);
    expect(token).toBe(
      `ceb-${createHash('sha256').update('acme-data\nSTANDARD').digest('hex').slice(0, 40)}`,
    );
    expect(clientRequestToken(['acme-data', 'STANDARD'])).toBe(token);
    expect(clientRequestToken(['acme-data', 'GLACIER_IR'])).not.toBe(token);
  });
});
