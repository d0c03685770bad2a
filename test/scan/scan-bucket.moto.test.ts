/*
 * Layer: a real moto_server: exact counts per encryption with a full scan, and what a
 * sampled scan says. moto has no SSE-C (see scan-bucket.mock.test.ts).
 */
import { PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, expect, describe as group, it, vi } from 'vitest';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { formatScanReport, scanBucket } from '../../src/scan/index.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { countingClient, createBucket, createKey, type SeedObject, seed } from '../reencrypt/fixtures.js';

const BUCKET = 'acme-scan-data';

let moto: Moto;
let clients: AwsClients;
let keyArn: string;
let otherKeyArn: string;

beforeAll(async () => {
  moto = await startMoto();
  for (const [name, value] of Object.entries(moto.env)) vi.stubEnv(name, value);
  clients = createClients({ region: 'eu-west-1', endpoint: moto.endpoint });
}, 60_000);

afterAll(async () => {
  clients?.destroy();
  vi.unstubAllEnvs();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  keyArn = await createKey(clients.kms, 'this key');
  otherKeyArn = await createKey(clients.kms, 'another key');
  await createBucket(clients.s3, BUCKET);
});

function mixedObjects(): SeedObject[] {
  return [
    { key: 'plain/report.csv' },
    { key: 'plain/dir with space+plus & ünïcode.json' },
    { key: 'plain/infrequent.bin', extra: { StorageClass: 'STANDARD_IA' } },
    { key: 'sse-s3/image.png', extra: { ServerSideEncryption: 'AES256' } },
    { key: 'sse-s3/page.html', extra: { ServerSideEncryption: 'AES256' } },
    { key: 'other-key/data.parquet', extra: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: otherKeyArn } },
    { key: 'right/a.txt', extra: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn } },
    { key: 'right/b.txt', extra: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn } },
    { key: 'archive/old.tar', extra: { StorageClass: 'GLACIER' } },
  ];
}

group('scan', () => {
  it('counts every encryption exactly, with examples, other keys and archived objects', async () => {
    await seed(clients.s3, BUCKET, mixedObjects());
    const { client, log } = countingClient(moto.endpoint);
    const report = await scanBucket({ bucket: BUCKET, keyArn, full: true, concurrency: 3 }, client);

    expect(report.sampled).toBe(false);
    expect(report.listingComplete).toBe(true);
    expect(report.listed.count).toBe(9);
    const counts = Object.fromEntries(
      Object.entries(report.classes).map(([name, totals]) => [name, totals.count]),
    );
    expect(counts).toEqual({
      none: 4,
      'sse-s3': 2,
      'sse-kms-other-key': 1,
      'sse-kms': 0,
      'sse-kms-this-key': 2,
      'dsse-kms': 0,
      'sse-c': 0,
      other: 0,
      unreadable: 0,
    });
    expect(report.classes['sse-s3'].examples).toEqual(['sse-s3/image.png', 'sse-s3/page.html']);
    expect(report.classes['sse-s3'].bytes).toBe(
      'body of sse-s3/image.png'.length + 'body of sse-s3/page.html'.length,
    );
    expect(report.otherKeys).toEqual([{ keyArn: otherKeyArn, count: 1 }]);
    expect(report.archived).toMatchObject({ count: 1, examples: ['archive/old.tar'] });
    expect(report.storageClasses).toMatchObject({
      STANDARD: { count: 7 },
      STANDARD_IA: { count: 1 },
      GLACIER: { count: 1 },
    });
    expect(report.needsReencryption).toMatchObject({ count: 7, estimated: false });
    expect(log.count('HeadObject')).toBe(9);
    expect(formatScanReport(report)).toContain('SSE-S3 (AES256)');
  });

  it('inspects a bucket no larger than the sample entirely, and says when it only sampled', async () => {
    await seed(clients.s3, BUCKET, mixedObjects());
    const exact = await scanBucket({ bucket: BUCKET, keyArn, sampleSize: 50 }, clients.s3);
    expect(exact.sampled).toBe(false);
    expect(exact.classes.none.count).toBe(4);

    const { client, log } = countingClient(moto.endpoint);
    let seedValue = 1;
    const random = () => {
      seedValue = (seedValue * 16807) % 2147483647;
      return seedValue / 2147483647;
    };
    const sampled = await scanBucket({ bucket: BUCKET, keyArn, sampleSize: 3, random }, client);
    expect(sampled.sampled).toBe(true);
    expect(sampled.inspected).toBe(3);
    expect(log.count('HeadObject')).toBe(3);
    expect(sampled.listed.count).toBe(9);
    const estimatedTotal = Object.values(sampled.estimated ?? {}).reduce(
      (sum, totals) => sum + totals.count,
      0,
    );
    expect(estimatedTotal).toBe(9);
    expect(formatScanReport(sampled)).toMatch(/SAMPLE: HeadObject on 3 objects chosen at random.*ESTIMATES/);
  });

  it('reports noncurrent versions by encryption, which default encryption and a plain run leave behind', async () => {
    await clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    // Each key's older versions under another encryption; the current one on the key.
    const onKey = { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: keyArn };
    // One at a time: versions stack up in the order they are written.
    const versions: SeedObject[] = [
      { key: 'a.csv' },
      { key: 'a.csv', extra: { ServerSideEncryption: 'AES256' } },
      { key: 'a.csv', extra: onKey },
      { key: 'b.csv', extra: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: otherKeyArn } },
      { key: 'b.csv', extra: onKey },
      { key: 'c.csv', extra: onKey },
    ];
    for (const object of versions) await seed(clients.s3, BUCKET, [object]);
    const { client, log } = countingClient(moto.endpoint);
    const report = await scanBucket({ bucket: BUCKET, keyArn, full: true }, client);
    expect(report.listed.count).toBe(3);
    expect(report.classes['sse-kms-this-key'].count).toBe(3);
    if (report.noncurrent?.kind !== 'scanned') throw new Error(JSON.stringify(report.noncurrent));
    expect(report.noncurrent).toMatchObject({ versioning: 'Enabled', listed: { count: 3 }, sampled: false });
    expect(report.noncurrent.classes.none.count).toBe(1);
    expect(report.noncurrent.classes['sse-s3'].count).toBe(1);
    expect(report.noncurrent.classes['sse-kms-other-key'].count).toBe(1);
    expect(report.noncurrent.needsReencryption.count).toBe(3);
    expect(log.count('HeadObject')).toBe(6);
    const text = formatScanReport(report);
    expect(text).toContain('Noncurrent versions (versioning Enabled): 3 versions');
    expect(text).toContain('reencrypt --all-versions');
    expect(text).toContain('NoncurrentVersionExpiration');
  });
});
