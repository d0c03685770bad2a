/*
 * Layer: a real moto_server. Copy in place (metadata, content type, tags and
 * storage class kept), "already right is never touched", resume after a stop or a failure,
 * and the multipart path, all counted on the wire by a middleware on the client under test.
 *
 * moto 5.2 does not implement UpdateObjectEncryption (it stores the request body as the
 * object!), so against moto the tool copies (any custom endpoint does); UpdateObjectEncryption
 * is proven with aws-sdk-client-mock in reencrypt.mock.test.ts. moto has no SSE-C either.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, expect, describe as group, it, vi } from 'vitest';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import type { CheckpointData } from '../../src/reencrypt/checkpoint.js';
import { formatReencryptReport, reencryptBucket } from '../../src/reencrypt/index.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { countingClient, createBucket, createKey, describe, type SeedObject, seed } from './fixtures.js';

const BUCKET = 'acme-reencrypt-data';

let moto: Moto;
let clients: AwsClients;
let scratch: string;
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
  scratch = mkdtempSync(join(tmpdir(), 'ceb-reencrypt-'));
  keyArn = await createKey(clients.kms, 'this key');
  otherKeyArn = await createKey(clients.kms, 'another key');
  await createBucket(clients.s3, BUCKET);
  return () => rmSync(scratch, { recursive: true, force: true });
});

/** Every encryption moto can store, with metadata, content types and tags to keep. */
function mixedObjects(): SeedObject[] {
  const kept = (type: string, tag: string) => ({
    ContentType: type,
    CacheControl: 'max-age=60',
    Metadata: { owner: 'team-a', note: tag },
    Tagging: `project=atlas&stage=${tag}`,
  });
  return [
    { key: 'plain/report.csv', extra: kept('text/csv', 'one') },
    { key: 'plain/dir with space+plus & ünïcode.json', extra: kept('application/json', 'two') },
    {
      key: 'plain/infrequent.bin',
      extra: { ...kept('application/octet-stream', 'three'), StorageClass: 'STANDARD_IA' },
    },
    { key: 'sse-s3/image.png', extra: { ...kept('image/png', 'four'), ServerSideEncryption: 'AES256' } },
    { key: 'sse-s3/page.html', extra: { ...kept('text/html', 'five'), ServerSideEncryption: 'AES256' } },
    {
      key: 'other-key/data.parquet',
      extra: {
        ...kept('application/vnd.apache.parquet', 'six'),
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: otherKeyArn,
      },
    },
    {
      key: 'right/a.txt',
      extra: { ...kept('text/plain', 'seven'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn },
    },
    {
      key: 'right/b.txt',
      extra: { ...kept('text/plain', 'eight'), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn },
    },
    { key: 'archive/old.tar', extra: { ...kept('application/x-tar', 'nine'), StorageClass: 'GLACIER' } },
  ];
}

const NEEDING = [
  'other-key/data.parquet',
  'plain/dir with space+plus & ünïcode.json',
  'plain/infrequent.bin',
  'plain/report.csv',
  'sse-s3/image.png',
  'sse-s3/page.html',
];

const checkpointAt = () => join(scratch, 'checkpoint.json');

function run(s3: S3Client, extra: Partial<Parameters<typeof reencryptBucket>[0]> = {}) {
  return reencryptBucket(
    { bucket: BUCKET, keyArn, checkpointPath: checkpointAt(), concurrency: 4, ...extra },
    { s3 },
  );
}

group('reencrypt against moto', () => {
  it('puts every object on the key, keeps metadata, content type, tags and storage class, and never touches the right ones', async () => {
    await seed(clients.s3, BUCKET, mixedObjects());
    // moto refuses GetObjectTagging on a Glacier object (AWS does not), so it is left out here.
    const readable = mixedObjects().filter((object) => object.extra?.StorageClass !== 'GLACIER');
    const before = Object.fromEntries(
      await Promise.all(
        readable.map(async (object) => [object.key, await describe(clients.s3, BUCKET, object.key)]),
      ),
    );
    const { client, log } = countingClient(moto.endpoint);
    const report = await run(client);

    expect(report).toMatchObject({
      mode: 'loop',
      status: 'complete',
      aborted: false,
      method: 'copy',
      checkpointKept: false,
    });
    expect(report.done).toMatchObject({
      count: 6,
      byAction: { copy: 6 },
      from: { none: 3, 'sse-s3': 2, 'sse-kms-other-key': 1 },
    });
    expect(report.skipped['already-on-key']?.count).toBe(2);
    expect(report.skipped['already-on-key']?.examples.sort()).toEqual(['right/a.txt', 'right/b.txt']);
    expect(report.skipped.archived).toMatchObject({ count: 1, examples: ['archive/old.tar'] });
    expect(report.failed).toEqual([]);
    expect(log.keys('CopyObject').sort()).toEqual(NEEDING);
    // The archived object is skipped from the listing alone: no HeadObject.
    expect(log.count('HeadObject', 'archive/old.tar')).toBe(0);
    expect(existsSync(checkpointAt())).toBe(false);

    for (const key of NEEDING) {
      const after = await describe(clients.s3, BUCKET, key);
      expect(after).toMatchObject({ encryption: 'aws:kms', keyId: keyArn, bucketKey: true });
      const { contentType, cacheControl, metadata, tags, storageClass } = before[key];
      expect({ contentType, cacheControl, metadata, tags, storageClass }).toEqual({
        contentType: after.contentType,
        cacheControl: after.cacheControl,
        metadata: after.metadata,
        tags: after.tags,
        storageClass: after.storageClass,
      });
    }
    expect((await describe(clients.s3, BUCKET, 'plain/infrequent.bin')).storageClass).toBe('STANDARD_IA');
    for (const key of ['right/a.txt', 'right/b.txt']) {
      expect(await describe(clients.s3, BUCKET, key)).toEqual(before[key]);
    }
    expect(formatReencryptReport(report)).toContain('Every object is on the key');

    // A second run finds nothing to do and copies nothing.
    log.reset();
    const again = await run(client);
    expect(again.done.count).toBe(0);
    expect(again.skipped['already-on-key']?.count).toBe(8);
    expect(log.count('CopyObject')).toBe(0);
  });

  it('lists what would change in a dry run, and changes nothing', async () => {
    await seed(clients.s3, BUCKET, mixedObjects());
    const { client, log } = countingClient(moto.endpoint);
    const listed: string[] = [];
    const report = await run(client, {
      dryRun: true,
      onObject: (outcome) => {
        if (outcome.status === 'would-change') listed.push(`${outcome.action} ${outcome.key}`);
      },
    });
    expect(listed.sort()).toEqual(NEEDING.map((key) => `copy ${key}`));
    expect(report).toMatchObject({ dryRun: true, checkpointKept: false, done: { count: 6 } });
    expect(
      log.calls.every((call) =>
        /^(ListObjectsV2|HeadObject|GetBucketVersioning|GetBucketOwnershipControls)\b/.test(call),
      ),
    ).toBe(true);
    expect(existsSync(checkpointAt())).toBe(false);
    expect(formatReencryptReport(report)).toContain('Would re-encrypt: 6 objects');
  });

  it('stops cleanly on abort, and the same command continues without copying anything twice', async () => {
    const objects = Array.from({ length: 60 }, (_, index) => ({
      key: `batch/object-${String(index).padStart(3, '0')}.txt`,
    }));
    await seed(clients.s3, BUCKET, objects);
    const { client, log } = countingClient(moto.endpoint);
    const controller = new AbortController();
    let done = 0;
    const first = await run(client, {
      signal: controller.signal,
      onObject: (outcome) => {
        if (outcome.status === 'done' && ++done === 20) controller.abort();
      },
    });
    expect(first).toMatchObject({ aborted: true, status: 'incomplete', checkpointKept: true });
    expect(first.retryCommand).toBe(
      `npx create-encrypted-bucket reencrypt --bucket '${BUCKET}' --region 'eu-west-1' --key '${keyArn}' --checkpoint '${checkpointAt()}'`,
    );
    const copiedFirst = log.keys('CopyObject');
    // In-flight requests finish: at most the pool's 4 beyond the 20th.
    expect(copiedFirst.length).toBeGreaterThanOrEqual(20);
    expect(copiedFirst.length).toBeLessThanOrEqual(24);
    const checkpoint = JSON.parse(readFileSync(checkpointAt(), 'utf8')) as CheckpointData;
    expect(checkpoint.listing.complete).toBe(false);
    expect(checkpoint.totals.done.count).toBe(copiedFirst.length);

    log.reset();
    const second = await run(client);
    const copiedSecond = log.keys('CopyObject');
    expect(copiedSecond.filter((key) => copiedFirst.includes(key))).toEqual([]);
    expect([...copiedFirst, ...copiedSecond].sort()).toEqual(objects.map((object) => object.key));
    // The cursor means finished objects are not even inspected again.
    expect(log.keys('HeadObject').filter((key) => copiedFirst.includes(key))).toEqual([]);
    expect(second).toMatchObject({
      status: 'complete',
      finishedBefore: copiedFirst.length,
      done: { count: 60 },
    });
    expect(existsSync(checkpointAt())).toBe(false);
  });

  it('keeps failures in the checkpoint and retries only them', async () => {
    const objects = Array.from({ length: 12 }, (_, index) => ({ key: `f/${index}` }));
    await seed(clients.s3, BUCKET, objects);
    let broken = true;
    const { client, log } = countingClient(
      moto.endpoint,
      (command, key) => broken && command === 'CopyObjectCommand' && (key === 'f/3' || key === 'f/7'),
    );
    const first = await run(client);
    expect(first.status).toBe('incomplete');
    expect(first.failed.map((failure) => failure.key).sort()).toEqual(['f/3', 'f/7']);
    expect(first.failed[0]?.error).toContain('injected failure');
    expect(first.retryCommand).toContain('--checkpoint');
    expect(formatReencryptReport(first)).toContain('To retry only the failures');

    broken = false;
    log.reset();
    const second = await run(client);
    expect(log.keys('CopyObject').sort()).toEqual(['f/3', 'f/7']);
    expect(log.keys('HeadObject').sort()).toEqual(['f/3', 'f/7']);
    expect(log.count('ListObjectsV2')).toBe(0);
    expect(second).toMatchObject({ status: 'complete', failed: [], done: { count: 12 } });
    expect(existsSync(checkpointAt())).toBe(false);
  });

  it('copies in parts past the multipart threshold, keeping metadata, content type and tags', async () => {
    const body = 'x'.repeat(6 * 1024 * 1024 + 17);
    await seed(clients.s3, BUCKET, [
      {
        key: 'big/blob.bin',
        body,
        extra: { ContentType: 'application/x-big', Metadata: { a: '1' }, Tagging: 'k=v' },
      },
    ]);
    const { client, log } = countingClient(moto.endpoint);
    const report = await run(client, { multipartThreshold: 1024 * 1024, partSize: 5 * 1024 * 1024 });
    expect(report.done.byAction).toEqual({ 'multipart-copy': 1 });
    expect(log.count('UploadPartCopy')).toBe(2);
    expect(log.count('CopyObject')).toBe(0);
    expect(await describe(clients.s3, BUCKET, 'big/blob.bin')).toMatchObject({
      encryption: 'aws:kms',
      keyId: keyArn,
      contentType: 'application/x-big',
      metadata: { a: '1' },
      tags: { k: 'v' },
    });
  });

  it('says that older versions remain in a versioned bucket', async () => {
    await clients.s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await seed(clients.s3, BUCKET, [{ key: 'v/one.txt' }]);
    const report = await run(clients.s3);
    expect(report.done.count).toBe(1);
    expect(report.notes.join('\n')).toMatch(
      /Older versions keep their old\s+encryption.*NoncurrentVersionExpiration/s,
    );
  });
});
