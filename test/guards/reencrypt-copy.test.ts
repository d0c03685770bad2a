import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  type HeadObjectCommandOutput,
  S3ServiceException,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { multipartCopyInPlace } from '../../src/reencrypt/copy-object.js';
import {
  copyInPlaceRequest,
  createMultipartRequest,
  MIN_PART_SIZE,
  partRanges,
  updateEncryptionRequest,
} from '../../src/reencrypt/object-requests.js';
import { KEY_ARN, mockedS3 } from './support/mocked-s3.js';

/* The exact requests of a re-encryption, field by field, for the cases the other tests leave out. */

const REF = { bucket: 'acme-data', key: 'dir/big file.bin', keyArn: KEY_ARN };
const MiB = 1024 ** 2;
const { s3, mock } = mockedS3();

const ENCRYPTION = { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN, BucketKeyEnabled: true };

describe('CopyObject in place', () => {
  it('without an ETag or version: the current object, no precondition, storage class left alone', () => {
    expect(copyInPlaceRequest(REF, { $metadata: {} })).toEqual({
      Bucket: 'acme-data',
      Key: 'dir/big file.bin',
      CopySource: 'acme-data/dir/big%20file.bin',
      MetadataDirective: 'COPY',
      TaggingDirective: 'COPY',
      ...ENCRYPTION,
    });
    expect(copyInPlaceRequest(REF, { $metadata: {}, StorageClass: 'GLACIER_IR', ETag: '"e"' })).toMatchObject(
      {
        StorageClass: 'GLACIER_IR',
        CopySourceIfMatch: '"e"',
      },
    );
  });
});

describe('UpdateObjectEncryption', () => {
  it('names the version only for a noncurrent one', () => {
    const objectEncryption = { SSEKMS: { KMSKeyArn: KEY_ARN, BucketKeyEnabled: true } };
    expect(updateEncryptionRequest(REF)).toEqual({
      Bucket: 'acme-data',
      Key: 'dir/big file.bin',
      ObjectEncryption: objectEncryption,
    });
    expect(updateEncryptionRequest({ ...REF, versionId: 'v3' })).toEqual({
      Bucket: 'acme-data',
      Key: 'dir/big file.bin',
      VersionId: 'v3',
      ObjectEncryption: objectEncryption,
    });
  });
});

describe('CreateMultipartUpload', () => {
  it('sends the tags as a query string, and nothing the object does not have', () => {
    expect(
      createMultipartRequest(REF, { $metadata: {}, StorageClass: 'STANDARD' }, [
        { Key: 'team', Value: 'a&b' },
        { Key: 'env', Value: 'prod' },
      ]),
    ).toEqual({
      Bucket: 'acme-data',
      Key: 'dir/big file.bin',
      Tagging: 'team=a%26b&env=prod',
      ...ENCRYPTION,
    });
    expect(createMultipartRequest(REF, { $metadata: {}, Metadata: { a: '1' } }, [])).toEqual({
      Bucket: 'acme-data',
      Key: 'dir/big file.bin',
      Metadata: { a: '1' },
      ...ENCRYPTION,
    });
  });
});

describe('partRanges', () => {
  it('nothing for an empty object; one range for a small one', () => {
    expect(partRanges(0)).toEqual([]);
    expect(partRanges(10, MIN_PART_SIZE)).toEqual([{ start: 0, end: 9 }]);
  });

  it('never smaller than 5 MiB, whatever is preferred', () => {
    expect(partRanges(6 * MiB, MiB)).toEqual([
      { start: 0, end: 5 * MiB - 1 },
      { start: 5 * MiB, end: 6 * MiB - 1 },
    ]);
  });

  it('large enough parts to stay within 10,000', () => {
    const size = 10_000 * 6 * MiB + 1;
    const ranges = partRanges(size, 5 * MiB);
    expect(ranges).toHaveLength(10_000);
    expect(ranges[0]).toEqual({ start: 0, end: Math.ceil(size / 10_000) - 1 });
    expect(ranges.at(-1)?.end).toBe(size - 1);
  });
});

describe('the multipart copy', () => {
  const HEAD: HeadObjectCommandOutput = {
    $metadata: {},
    ETag: '"e"',
    VersionId: 'v9',
    ContentLength: 12 * MiB,
  };

  it('reads the tags of the inspected version, copies each range of it under the precondition, then completes', async () => {
    mock.on(GetObjectTaggingCommand).resolves({ TagSet: [{ Key: 'k', Value: 'v' }] });
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    mock
      .on(UploadPartCopyCommand)
      .callsFake(async (input) => ({ CopyPartResult: { ETag: `"p${input.PartNumber}"` } }));
    mock.on(CompleteMultipartUploadCommand).resolves({});
    expect(await multipartCopyInPlace(s3, REF, HEAD, { partSize: 5 * MiB })).toEqual({ kind: 'copied' });

    expect(mock.commandCalls(GetObjectTaggingCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'acme-data', Key: 'dir/big file.bin', VersionId: 'v9' },
    ]);
    expect(mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      Tagging: 'k=v',
    });
    const parts = mock
      .commandCalls(UploadPartCopyCommand)
      .map((call) => call.args[0].input)
      .sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    expect(parts).toEqual(
      [
        [1, `bytes=0-${5 * MiB - 1}`],
        [2, `bytes=${5 * MiB}-${10 * MiB - 1}`],
        [3, `bytes=${10 * MiB}-${12 * MiB - 1}`],
      ].map(([PartNumber, CopySourceRange]) => ({
        Bucket: 'acme-data',
        Key: 'dir/big file.bin',
        UploadId: 'up-1',
        PartNumber,
        CopySource: 'acme-data/dir/big%20file.bin?versionId=v9',
        CopySourceIfMatch: '"e"',
        CopySourceRange,
      })),
    );
    expect(mock.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toEqual({
      Bucket: 'acme-data',
      Key: 'dir/big file.bin',
      UploadId: 'up-1',
      MultipartUpload: {
        Parts: [
          { ETag: '"p1"', PartNumber: 1 },
          { ETag: '"p2"', PartNumber: 2 },
          { ETag: '"p3"', PartNumber: 3 },
        ],
      },
    });
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it('asks for no tags when HEAD counted none, and sends no precondition without an ETag', async () => {
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-2' });
    mock.on(UploadPartCopyCommand).resolves({ CopyPartResult: { ETag: '"p"' } });
    mock.on(CompleteMultipartUploadCommand).resolves({});
    const { ETag: _, ...noEtag } = HEAD;
    await multipartCopyInPlace(s3, REF, { ...noEtag, TagCount: 0, ContentLength: MiB }, {});
    expect(mock.commandCalls(GetObjectTaggingCommand)).toHaveLength(0);
    expect(mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).not.toHaveProperty('Tagging');
    expect(mock.commandCalls(UploadPartCopyCommand)[0]?.args[0].input).not.toHaveProperty(
      'CopySourceIfMatch',
    );
  });

  it('a part failing with 412 means the object changed: the upload is aborted and the object inspected again', async () => {
    mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-3' });
    mock.on(UploadPartCopyCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
        message: 'x',
      }),
    );
    mock.on(AbortMultipartUploadCommand).rejects(new Error('abort failed too'));
    expect(await multipartCopyInPlace(s3, REF, HEAD, {})).toEqual({ kind: 'changed' });
    expect(mock.commandCalls(AbortMultipartUploadCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'acme-data', Key: 'dir/big file.bin', UploadId: 'up-3' },
    ]);
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });
});
