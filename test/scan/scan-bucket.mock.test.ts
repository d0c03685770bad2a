/*
 * Layer: aws-sdk-client-mock. A paged listing (continuation tokens), SSE-C (moto has none:
 * S3 answers HeadObject on an SSE-C object with a bare 400), and the list limit.
 */
import {
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, expect, it } from 'vitest';
import { formatScanReport, scanBucket } from '../../src/scan/index.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(s3);

const page = (keys: string[], next?: string) => ({
  IsTruncated: next !== undefined,
  ...(next ? { NextContinuationToken: next } : {}),
  Contents: keys.map((Key) => ({ Key, Size: 100, StorageClass: 'STANDARD' as const })),
});

beforeEach(() => {
  mock.reset();
  mock.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves(page(['a1', 'a2'], 't1'));
  mock.on(ListObjectsV2Command, { ContinuationToken: 't1' }).resolves(page(['b1', 'b2'], 't2'));
  mock.on(ListObjectsV2Command, { ContinuationToken: 't2' }).resolves(page(['c1']));
  mock.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'AES256' });
  mock.on(GetBucketVersioningCommand).resolves({});
  mock
    .on(HeadObjectCommand, { Key: 'b2' })
    .rejects(
      Object.assign(new Error('UnknownError'), { name: 'BadRequest', $metadata: { httpStatusCode: 400 } }),
    );
  mock
    .on(HeadObjectCommand, { Key: 'c1' })
    .rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
});

it('follows every page, counts SSE-C from the 400, and keeps other errors with the object', async () => {
  const report = await scanBucket({ bucket: 'acme', keyArn: KEY, full: true }, s3);
  expect(mock.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.ContinuationToken)).toEqual(
    [undefined, 't1', 't2'],
  );
  expect(report.listed).toEqual({ count: 5, bytes: 500 });
  expect(report.classes['sse-s3'].count).toBe(3);
  expect(report.classes['sse-c']).toEqual({ count: 1, bytes: 100, examples: ['b2'] });
  expect(report.classes.unreadable.count).toBe(1);
  expect(report.errors).toEqual([{ key: 'c1', message: expect.stringContaining('AccessDenied') }]);
  const text = formatScanReport(report);
  expect(text).toContain('SSE-C objects can only be read with their customer key');
  expect(text).toContain('HeadObject failed for some objects');
});

it('tells "could not read" (naming the permission) apart from "nothing to do"', async () => {
  mock.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY });
  mock
    .on(HeadObjectCommand, { Key: 'c1' })
    .rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
  const report = await scanBucket({ bucket: 'acme', keyArn: KEY, full: true }, s3);
  expect(report.needsReencryption.count).toBe(0);
  expect(report.couldNotRead).toEqual({ count: 1, permission: 's3:GetObject on arn:aws:s3:::acme/*' });
  const text = formatScanReport(report);
  expect(text).toContain('Could not read 1 object');
  expect(text).toContain('s3:GetObject on arn:aws:s3:::acme/*');
  expect(text).not.toContain('Nothing needs re-encryption.');
});

it('stops listing at the list limit and says the totals are lower bounds', async () => {
  const report = await scanBucket(
    { bucket: 'acme', keyArn: KEY, sampleSize: 2, listLimit: 3, random: () => 0.99 },
    s3,
  );
  expect(report).toMatchObject({ listingComplete: false, sampled: true, listed: { count: 3 }, inspected: 2 });
  expect(mock.commandCalls(ListObjectsV2Command).length).toBeLessThanOrEqual(3);
  expect(formatScanReport(report)).toContain('at least 3 objects');
});

it('says when the bucket was never versioned, and asks for no version listing', async () => {
  const report = await scanBucket({ bucket: 'acme', keyArn: KEY, full: true }, s3);
  expect(report.noncurrent).toEqual({ kind: 'not-versioned' });
  expect(mock.commandCalls(ListObjectVersionsCommand)).toHaveLength(0);
  expect(formatScanReport(report)).toContain(
    'Versioning has never been enabled: there are no noncurrent versions.',
  );
});

it('says noncurrent versions were not counted, and why, when GetBucketVersioning is refused', async () => {
  mock
    .on(GetBucketVersioningCommand)
    .rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
  const report = await scanBucket({ bucket: 'acme', keyArn: KEY, full: true }, s3);
  expect(report.noncurrent).toEqual({ kind: 'unknown', permission: 's3:GetBucketVersioning' });
  expect(formatScanReport(report)).toContain(
    'Noncurrent versions: not scanned. S3 refused GetBucketVersioning; run the scan as a role with s3:GetBucketVersioning',
  );
  expect(
    await scanBucket({ bucket: 'acme', keyArn: KEY, full: true, versions: false }, s3),
  ).not.toHaveProperty('noncurrent');
});
