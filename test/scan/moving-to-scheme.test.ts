import {
  GetBucketVersioningCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { expect, it } from 'vitest';
import type { SCHEMES } from '../../src/plan/schemes.js';
import { formatScanReport } from '../../src/scan/format-scan-report.js';
import { scanBucket } from '../../src/scan/scan-bucket.js';

const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(s3);

it('says what moving the older objects to each scheme takes, honestly for the application-key ones', async () => {
  // Three SSE-S3 objects written before the setup.
  mock.on(ListObjectsV2Command).resolves({
    IsTruncated: false,
    Contents: ['a', 'b', 'c'].map((Key) => ({ Key, Size: 100, StorageClass: 'STANDARD' as const })),
  });
  mock.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'AES256' });
  mock.on(GetBucketVersioningCommand).resolves({});
  const report = await scanBucket({ bucket: 'acme', full: true }, s3);
  const text = (scheme: (typeof SCHEMES)[number]) => formatScanReport(report, scheme);
  expect(text('sse-kms')).toMatch(/re-encrypts older objects under the key in place/);
  expect(text('sse-s3')).toMatch(/in place/);
  for (const scheme of ['sse-c', 'client-kms', 'client-app-key'] as const) {
    expect(text(scheme)).toMatch(
      /re-uploaded through the application|uploaded again through the client module/,
    );
    expect(text(scheme)).not.toMatch(/reencrypt, run as/);
  }
  expect(text('sse-c')).toMatch(/no S3 or tool operation can re-encrypt for you/);
  // Without a scheme (a plain scan) the report says nothing about moving.
  expect(formatScanReport(report)).not.toMatch(/Moving to/);
});
