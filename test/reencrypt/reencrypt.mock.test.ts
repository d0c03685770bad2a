/*
 * Layer: aws-sdk-client-mock. What moto cannot show: UpdateObjectEncryption (moto does not
 * implement it, and answers it by overwriting the object), SSE-C (moto ignores it), and
 * the >5 GiB multipart path (too big to seed). The exact requests are asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
  UpdateObjectEncryptionCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { reencryptBucket } from '../../src/reencrypt/index.js';

const BUCKET = 'acme-mock-data';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab';
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

let scratch: string;
// No endpoint: the client talks to "AWS", where UpdateObjectEncryption exists.
const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(s3);

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ceb-reencrypt-mock-'));
  mock.reset();
  mock.on(GetBucketVersioningCommand).resolves({});
  mock.on(GetBucketOwnershipControlsCommand).resolves({
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  });
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function listing(objects: { key: string; size?: number; storageClass?: string }[]) {
  mock.on(ListObjectsV2Command).resolves({
    IsTruncated: false,
    Contents: objects.map((object) => ({
      Key: object.key,
      Size: object.size ?? 10,
      StorageClass: (object.storageClass ?? 'STANDARD') as 'STANDARD',
    })),
  });
}

function head(key: string, ...answers: HeadObjectCommandOutput[]) {
  let route = mock.on(HeadObjectCommand, { Bucket: BUCKET, Key: key });
  for (const answer of answers.slice(0, -1)) route = route.resolvesOnce(answer);
  route.resolves(answers.at(-1) ?? {});
}

const onKey = (etag: string, size = 10): HeadObjectCommandOutput => ({
  $metadata: {},
  ETag: etag,
  ContentLength: size,
  ServerSideEncryption: 'aws:kms',
  SSEKMSKeyId: KEY_ARN,
  BucketKeyEnabled: true,
});

const run = (extra: Partial<Parameters<typeof reencryptBucket>[0]> = {}) =>
  reencryptBucket(
    { bucket: BUCKET, keyArn: KEY_ARN, checkpointPath: join(scratch, 'cp.json'), concurrency: 2, ...extra },
    { s3 },
  );

const refusedAs = (name: string, status: number, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

it('sends UpdateObjectEncryption first, one request per object it takes, and inspects and copies only what S3 refuses', async () => {
  listing([
    { key: 'sse-s3.txt' },
    { key: 'other.txt' },
    { key: 'plain.txt' },
    { key: 'cold.bin', storageClass: 'GLACIER' },
    { key: 'right.txt' },
  ]);
  // The probe: the first object is inspected before and after, to prove the data stayed.
  head(
    'sse-s3.txt',
    { $metadata: {}, ETag: '"e1"', ContentLength: 10, ServerSideEncryption: 'AES256' },
    onKey('"e1"'),
  );
  head('plain.txt', { $metadata: {}, ETag: '"e3"', ContentLength: 10, ContentType: 'text/plain' });
  mock.on(UpdateObjectEncryptionCommand).resolves({});
  mock
    .on(UpdateObjectEncryptionCommand, { Key: 'plain.txt' })
    .rejects(refusedAs('InvalidRequest', 400, 'The object is not encrypted'));
  mock.on(CopyObjectCommand).resolves({});

  const report = await run({ concurrency: 1 });

  const updates = mock.commandCalls(UpdateObjectEncryptionCommand).map((call) => call.args[0].input);
  expect(updates.map((input) => input.Key)).toEqual([
    'sse-s3.txt',
    'other.txt',
    'plain.txt',
    'cold.bin',
    'right.txt',
  ]);
  expect(updates[0]).toEqual({
    Bucket: BUCKET,
    Key: 'sse-s3.txt',
    ObjectEncryption: { SSEKMS: { KMSKeyArn: KEY_ARN, BucketKeyEnabled: true } },
  });
  // Only the probe and the refused object were inspected.
  expect(mock.commandCalls(HeadObjectCommand).map((call) => call.args[0].input.Key)).toEqual([
    'sse-s3.txt',
    'sse-s3.txt',
    'plain.txt',
  ]);
  expect(mock.commandCalls(CopyObjectCommand).map((call) => call.args[0].input)).toEqual([
    {
      Bucket: BUCKET,
      Key: 'plain.txt',
      CopySource: `${BUCKET}/plain.txt`,
      CopySourceIfMatch: '"e3"',
      MetadataDirective: 'COPY',
      TaggingDirective: 'COPY',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN,
      BucketKeyEnabled: true,
    },
  ]);
  // 5 objects, 9 object requests: 3 for the probe, 1 each for the three S3 took, 3 for the refused one.
  expect(report).toMatchObject({
    status: 'complete',
    method: 'update-encryption',
    // The object already on the key was re-wrapped harmlessly, without a look.
    done: { count: 5, byAction: { 'update-encryption': 4, copy: 1 }, from: { none: 1 } },
  });
});

it('inspects first once most objects need the copy path: two requests per unencrypted object', async () => {
  const keys = Array.from({ length: 300 }, (_, index) => `plain/${String(index).padStart(3, '0')}`);
  listing(keys.map((key) => ({ key })));
  for (const key of keys) head(key, { $metadata: {}, ETag: `"${key}"`, ContentLength: 10 });
  mock.on(UpdateObjectEncryptionCommand).rejects(refusedAs('InvalidRequest', 400));
  mock.on(CopyObjectCommand).resolves({});

  const report = await run({ concurrency: 4 });

  expect(report.done.count).toBe(300);
  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(300);
  expect(mock.commandCalls(HeadObjectCommand)).toHaveLength(300);
  // The path choice needs a few refusals to learn; after that no UpdateObjectEncryption is wasted.
  expect(mock.commandCalls(UpdateObjectEncryptionCommand).length).toBeLessThan(10);
});

it('stops before any write when S3 refuses the caller the first UpdateObjectEncryption, naming the role to run as', async () => {
  listing([{ key: 'a.txt' }, { key: 'b.txt' }, { key: 'c.txt' }]);
  for (const key of ['a.txt', 'b.txt', 'c.txt'])
    head(key, { $metadata: {}, ETag: `"${key}"`, ContentLength: 10, ServerSideEncryption: 'AES256' });
  mock
    .on(UpdateObjectEncryptionCommand)
    .rejects(refusedAs('AccessDenied', 403, 'not authorized to perform: s3:UpdateObjectEncryption'));
  mock.on(CopyObjectCommand).resolves({});

  const failure = await run({ concurrency: 3 }).catch((error: unknown) => error);

  expect(failure).toMatchObject({ code: 'REENCRYPT_NOT_PERMITTED' });
  expect((failure as AppError).message).toContain('Nothing was written');
  expect((failure as AppError).hint).toContain('--reencrypt-role');
  expect(mock.commandCalls(UpdateObjectEncryptionCommand)).toHaveLength(1);
  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
});

it('stops before any write when S3 refuses the caller the first copy', async () => {
  listing(Array.from({ length: 20 }, (_, index) => ({ key: `k${index}` })));
  mock.on(HeadObjectCommand).resolves({ $metadata: {}, ETag: '"x"', ContentLength: 1 });
  mock
    .on(CopyObjectCommand)
    .rejects(refusedAs('AccessDenied', 403, 'User is not authorized to perform kms:GenerateDataKey'));

  const failure = await run({ method: 'copy', concurrency: 8 }).catch((error: unknown) => error);
  expect(failure).toMatchObject({ code: 'REENCRYPT_NOT_PERMITTED' });
  expect((failure as AppError).message).toMatch(/first CopyObject .* was refused/);
  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(1);
});

it('halves its lanes on SlowDown and sends the throttled object again', async () => {
  listing(Array.from({ length: 40 }, (_, index) => ({ key: `k${index}` })));
  head(
    'k0',
    { $metadata: {}, ETag: '"k0"', ContentLength: 10, ServerSideEncryption: 'AES256' },
    onKey('"k0"'),
  );
  let slowDowns = 3;
  mock.on(UpdateObjectEncryptionCommand).callsFake(() => {
    if (mock.commandCalls(UpdateObjectEncryptionCommand).length > 1 && slowDowns-- > 0)
      return Promise.reject(refusedAs('SlowDown', 503, 'Please reduce your request rate.'));
    return Promise.resolve({});
  });

  const report = await run({ concurrency: 8 });
  expect(report.done.count).toBe(40);
  expect(report.failed).toEqual([]);
  expect(mock.commandCalls(UpdateObjectEncryptionCommand).length).toBe(43);
});

it('falls back to CopyObject for the rest of the run when UpdateObjectEncryption is not implemented', async () => {
  listing([{ key: 'a.txt' }, { key: 'b.txt' }, { key: 'c.txt' }]);
  for (const key of ['a.txt', 'b.txt', 'c.txt']) {
    head(key, {
      $metadata: {},
      ETag: `"${key}"`,
      ContentLength: 10,
      ServerSideEncryption: 'AES256',
      StorageClass: 'STANDARD_IA',
    });
  }
  mock.on(UpdateObjectEncryptionCommand).rejects(
    Object.assign(new Error('not implemented'), {
      name: 'NotImplemented',
      $metadata: { httpStatusCode: 501 },
    }),
  );
  mock.on(CopyObjectCommand).resolves({});

  const report = await run();

  expect(mock.commandCalls(UpdateObjectEncryptionCommand)).toHaveLength(1);
  const copies = mock.commandCalls(CopyObjectCommand).map((call) => call.args[0].input);
  expect(copies.map((input) => input.Key).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
  // CopyObject would put the object in STANDARD unless the class is sent again.
  expect(copies.every((input) => input.StorageClass === 'STANDARD_IA')).toBe(true);
  expect(report.method).toBe('copy');
  expect(report.notes.join('\n')).toContain('UpdateObjectEncryption is not available here (NotImplemented)');
});

it('stops everything when an endpoint answers UpdateObjectEncryption by changing the data', async () => {
  listing([{ key: 'a.txt' }, { key: 'b.txt' }, { key: 'c.txt' }]);
  head(
    'a.txt',
    { $metadata: {}, ETag: '"before"', ContentLength: 10, ServerSideEncryption: 'AES256' },
    onKey('"after"', 231),
  );
  head('b.txt', { $metadata: {}, ETag: '"b"', ContentLength: 10, ServerSideEncryption: 'AES256' });
  head('c.txt', { $metadata: {}, ETag: '"c"', ContentLength: 10, ServerSideEncryption: 'AES256' });
  mock.on(UpdateObjectEncryptionCommand).resolves({});

  const failure = await run({ concurrency: 3 }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(AppError);
  expect((failure as AppError).code).toBe('REENCRYPT_UNSAFE');
  // The first call is made alone: the other two objects were never sent one.
  expect(mock.commandCalls(UpdateObjectEncryptionCommand).map((call) => call.args[0].input.Key)).toEqual([
    'a.txt',
  ]);
  expect(mock.commandCalls(CopyObjectCommand).map((call) => call.args[0].input.Key)).toEqual([]);
});

it('copies an object over 5 GiB in parts with exactly the requests that keep what CopyObject would', async () => {
  const size = 6 * GiB + 123;
  listing([{ key: 'dir/huge file.bin', size }]);
  head('dir/huge file.bin', {
    $metadata: {},
    ETag: '"big"',
    ContentLength: size,
    ContentType: 'application/x-huge',
    CacheControl: 'no-cache',
    ContentDisposition: 'attachment',
    Metadata: { owner: 'team-a' },
    StorageClass: 'STANDARD_IA',
    VersionId: 'v1',
    TagCount: 2,
  });
  mock.on(GetObjectTaggingCommand).resolves({
    TagSet: [
      { Key: 'project', Value: 'atlas one' },
      { Key: 'a&b', Value: 'c=d' },
    ],
  });
  mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
  mock
    .on(UploadPartCopyCommand)
    .callsFake((input) => Promise.resolve({ CopyPartResult: { ETag: `"p${input.PartNumber}"` } }));
  mock.on(CompleteMultipartUploadCommand).resolves({});

  const report = await run({ method: 'copy' });

  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
  expect(mock.commandCalls(GetObjectTaggingCommand)[0]?.args[0].input).toEqual({
    Bucket: BUCKET,
    Key: 'dir/huge file.bin',
    VersionId: 'v1',
  });
  expect(mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toEqual({
    Bucket: BUCKET,
    Key: 'dir/huge file.bin',
    CacheControl: 'no-cache',
    ContentDisposition: 'attachment',
    ContentType: 'application/x-huge',
    Metadata: { owner: 'team-a' },
    Tagging: 'project=atlas%20one&a%26b=c%3Dd',
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: KEY_ARN,
    BucketKeyEnabled: true,
    StorageClass: 'STANDARD_IA',
  });
  const parts = mock.commandCalls(UploadPartCopyCommand).map((call) => call.args[0].input);
  expect(parts).toHaveLength(13);
  const byNumber = parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
  expect(byNumber[0]).toEqual({
    Bucket: BUCKET,
    Key: 'dir/huge file.bin',
    UploadId: 'up-1',
    PartNumber: 1,
    CopySource: `${BUCKET}/dir/huge%20file.bin?versionId=v1`,
    CopySourceIfMatch: '"big"',
    CopySourceRange: `bytes=0-${512 * MiB - 1}`,
  });
  expect(byNumber[12]?.CopySourceRange).toBe(`bytes=${12 * 512 * MiB}-${size - 1}`);
  expect(mock.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input).toEqual({
    Bucket: BUCKET,
    Key: 'dir/huge file.bin',
    UploadId: 'up-1',
    MultipartUpload: {
      Parts: Array.from({ length: 13 }, (_, index) => ({ ETag: `"p${index + 1}"`, PartNumber: index + 1 })),
    },
  });
  expect(report.done).toMatchObject({ count: 1, byAction: { 'multipart-copy': 1 } });
});

it('aborts the multipart upload when a part fails, leaving the object as it was', async () => {
  listing([{ key: 'huge.bin', size: 6 * GiB }]);
  head('huge.bin', { $metadata: {}, ETag: '"big"', ContentLength: 6 * GiB, TagCount: 0 });
  mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-2' });
  mock
    .on(UploadPartCopyCommand)
    .rejects(refusedAs('InvalidRequest', 400, 'The specified copy source is larger than the maximum'));
  mock.on(AbortMultipartUploadCommand).resolves({});

  const report = await run({ method: 'copy' });

  expect(mock.commandCalls(GetObjectTaggingCommand)).toHaveLength(0);
  expect(mock.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toEqual({
    Bucket: BUCKET,
    Key: 'huge.bin',
    UploadId: 'up-2',
  });
  expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  expect(report.failed).toHaveLength(1);
  expect(report.failed[0]?.error).toMatch(/UploadPartCopy failed: InvalidRequest/);
});

it('skips SSE-C (a bare 400 on HEAD), DSSE-KMS and, without UpdateObjectEncryption, archived objects unread', async () => {
  listing([{ key: 'customer.bin' }, { key: 'dual.bin' }, { key: 'deep.bin', storageClass: 'DEEP_ARCHIVE' }]);
  mock
    .on(HeadObjectCommand, { Key: 'customer.bin' })
    .rejects(
      Object.assign(new Error('UnknownError'), { name: 'BadRequest', $metadata: { httpStatusCode: 400 } }),
    );
  head('dual.bin', {
    $metadata: {},
    ServerSideEncryption: 'aws:kms:dsse',
    SSEKMSKeyId: OTHER_KEY,
    ContentLength: 10,
  });

  const report = await run({ method: 'copy' });

  expect(mock.commandCalls(HeadObjectCommand, { Key: 'deep.bin' })).toHaveLength(0);
  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
  expect(
    Object.fromEntries(Object.entries(report.skipped).map(([reason, tally]) => [reason, tally.count])),
  ).toEqual({
    'sse-c': 1,
    'dsse-kms': 1,
    archived: 1,
  });
  expect(report.status).toBe('complete');
});

it('inspects an object again when it changed between HeadObject and the copy (412)', async () => {
  listing([{ key: 'busy.txt' }]);
  head('busy.txt', { $metadata: {}, ETag: '"old"', ContentLength: 10 }, onKey('"new"'));
  mock.on(CopyObjectCommand).rejects(
    Object.assign(new Error('precondition'), {
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    }),
  );

  const report = await run({ method: 'copy' });

  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(1);
  expect(report.skipped['already-on-key']?.count).toBe(1);
  expect(report.failed).toEqual([]);
});

it('stops when every object fails, instead of failing a whole bucket one by one', async () => {
  listing(Array.from({ length: 200 }, (_, index) => ({ key: `k${index}` })));
  mock.on(HeadObjectCommand).resolves({ $metadata: {}, ETag: '"x"', ContentLength: 1 });
  let first = true;
  mock.on(CopyObjectCommand).callsFake(() => {
    if (first) {
      first = false;
      return Promise.resolve({});
    }
    return Promise.reject(refusedAs('InvalidObjectState', 400, 'The operation is not valid for the object'));
  });

  const failure = await run({ method: 'copy' }).catch((error: unknown) => error);
  expect((failure as AppError).code).toBe('REENCRYPT_FAILING');
  expect(mock.commandCalls(CopyObjectCommand).length).toBeLessThan(60);
});

it('refuses a key that is not a full ARN, naming the flag', async () => {
  const failure = await reencryptBucket(
    { bucket: BUCKET, keyArn: 'alias/acme', checkpointPath: join(scratch, 'cp.json') },
    { s3 },
  ).catch((error: unknown) => error);
  expect(failure).toMatchObject({ exitCode: 2, field: '--key' });
});

it('--all-versions re-encrypts noncurrent versions in place by VersionId, never copies or deletes one, and says what stays', async () => {
  listing([{ key: 'doc.txt' }]);
  head(
    'doc.txt',
    { $metadata: {}, ETag: '"now"', ContentLength: 10, ServerSideEncryption: 'AES256' },
    onKey('"now"'),
  );
  mock.on(ListObjectVersionsCommand).resolves({
    IsTruncated: false,
    Versions: [
      { Key: 'doc.txt', VersionId: 'v3', IsLatest: true, Size: 10 },
      { Key: 'doc.txt', VersionId: 'v2', IsLatest: false, Size: 10 },
      { Key: 'doc.txt', VersionId: 'v1', IsLatest: false, Size: 10 },
    ],
  });
  mock
    .on(HeadObjectCommand, { Key: 'doc.txt', VersionId: 'v1' })
    .resolves({ $metadata: {}, ETag: '"old"', ContentLength: 10 });
  mock.on(UpdateObjectEncryptionCommand).resolves({});
  mock
    .on(UpdateObjectEncryptionCommand, { VersionId: 'v1' })
    .rejects(refusedAs('InvalidRequest', 400, 'The object is not encrypted'));

  const report = await run({ allVersions: true });

  const versions = mock
    .commandCalls(UpdateObjectEncryptionCommand)
    .map((call) => call.args[0].input.VersionId)
    .filter(Boolean);
  expect(versions.sort()).toEqual(['v1', 'v2']);
  expect(mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
  expect(mock.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  const note = report.notes.join('\n');
  expect(note).toContain('Noncurrent versions: 1 re-encrypted in place');
  expect(note).toContain('1 stay under their old encryption');
  expect(note).toContain('NoncurrentVersionExpiration');
  expect(note).toContain('Nothing was deleted');
  expect(report.status).toBe('complete');
});
