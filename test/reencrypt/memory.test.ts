/*
 * Memory must not grow with the bucket: the listing is streamed and the checkpoint keeps a
 * cursor, not the keys. An in-process fake S3 (no HTTP, so only our code allocates) serves
 * 100,000 objects; the live heap after a forced GC is sampled every 10,000 objects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { S3Client } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { reencryptBucket } from '../../src/reencrypt/index.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Answers by command name: pages of 1,000 unencrypted objects, every HEAD and COPY succeeds. */
function fakeS3(total: number): S3Client {
  const fake = {
    config: { isCustomEndpoint: true },
    async send(command: { constructor: { name: string }; input: { ContinuationToken?: string } }) {
      if (command.constructor.name !== 'ListObjectsV2Command') return { ETag: '"e"', ContentLength: 1024 };
      const start = Number(command.input.ContinuationToken ?? 0);
      const end = Math.min(total, start + 1000);
      const Contents = Array.from({ length: end - start }, (_, index) => ({
        Key: `prefix/object-${String(start + index).padStart(8, '0')}`,
        Size: 1024,
        StorageClass: 'STANDARD',
      }));
      return { Contents, IsTruncated: end < total, NextContinuationToken: String(end) };
    },
  };
  return fake as unknown as S3Client;
}

it('keeps a flat live heap over 100,000 objects', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const scratch = mkdtempSync(join(tmpdir(), 'ceb-memory-'));
  const heapMb: number[] = [];
  let seen = 0;
  try {
    const report = await reencryptBucket(
      {
        bucket: 'acme',
        keyArn: KEY_ARN,
        checkpointPath: join(scratch, 'cp.json'),
        // The fake answers at once: S3's per-prefix pace would only make the test slow.
        requestsPerSecond: 1_000_000,
        onObject: () => {
          seen += 1;
          if (seen % 10_000 === 0) {
            gc();
            heapMb.push(process.memoryUsage().heapUsed / 1e6);
          }
        },
      },
      { s3: fakeS3(100_000) },
    );
    expect(report.done.count).toBe(100_000);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  expect(heapMb).toHaveLength(10);
  const [first = 0] = heapMb;
  // Retaining even 20 bytes per object would add 1.8 MB between the first and last sample.
  expect(Math.max(...heapMb) - first).toBeLessThan(1.5);
}, 60_000);
