/*
 * SSE-C verification. What moto implements of SSE-C, measured here (moto 5.2, pinned by the
 * "moto ignores SSE-C" test below): nothing. It accepts the headers and drops them: it stores
 * the object as SSE-S3, echoes no SSECustomerAlgorithm or key MD5, serves GetObject and
 * HeadObject without the key (and with a wrong one), and drops BlockedEncryptionTypes from
 * GetBucketEncryption. The stand-in judges every request by the real policies, enforces
 * BlockedEncryptionTypes (its launcher makes moto read it back) and lets the SSE-C upload
 * through as the application role, but its objects are moto's (test/flows/sse-c-flow.test.ts
 * runs verify there and pins which four checks fail for that reason alone).
 *
 * So the checks that need S3's SSE-C behaviour are proven here with the exact requests the
 * verifier sends, captured on the wire by an endpoint that answers as the S3 guide documents
 * (sse-c-fake-s3.ts); the refusals of the bucket policy are proven by the simulator
 * (test/access/matrix-app-keys.test.ts) and through the stand-in as the application role
 * (test/flows/sse-c-flow.test.ts).
 */
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { verifySetup } from '../../src/verify/verify-setup.js';
import type { VerifyTarget } from '../../src/verify/verify-target.js';
import { useMoto } from '../helpers/use-moto.js';
import { type FakeOptions, type FakeS3, startFakeS3 } from './sse-c-fake-s3.js';

const TARGET: VerifyTarget = { bucket: 'acme-contracts', region: 'eu-west-1', scheme: 'sse-c' };
const ALGORITHM = 'x-amz-server-side-encryption-customer-algorithm';
const KEY = 'x-amz-server-side-encryption-customer-key';
const KEY_MD5 = 'x-amz-server-side-encryption-customer-key-md5';

let fake: FakeS3 | undefined;
const start = async (options?: FakeOptions) => {
  fake = await startFakeS3(options);
  return fake;
};
beforeEach(() => {
  expect.hasAssertions();
});
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const rows = (report: Awaited<ReturnType<typeof verifySetup>>) =>
  Object.fromEntries(report.checks.map((check) => [check.check, check]));

describe('SSE-C verification, the exact requests', () => {
  it('uploads with a throwaway key, reads it back with the key, and is refused without it', async () => {
    const s3 = await start();
    const clients = s3.clients();
    const report = await verifySetup(TARGET, clients);
    clients.destroy();
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report.checks.map((check) => check.check)).toEqual([
      'upload with SSE-C (a throwaway key) accepted',
      'object: SSE-C algorithm',
      'object: SSE-C key MD5',
      'HeadObject without the key fails',
      'GetObject without the key fails',
      'upload without SSE-C refused',
      'AES256 upload refused',
      'bucket default encryption',
      'public access block',
      'test object cleaned up',
    ]);

    const objectKey = (path: string) => path.split('/').slice(2).join('/');
    const puts = s3.requests.filter((request) => request.method === 'PUT');
    const upload = puts.find((request) => request.headers[ALGORITHM] !== undefined);
    if (!upload) throw new Error('no SSE-C upload');
    // Algorithm, key (base64 of exactly 32 bytes) and the key's MD5, on the wire.
    expect(upload.headers[ALGORITHM]).toBe('AES256');
    const key = Buffer.from(upload.headers[KEY] ?? '', 'base64');
    expect(key).toHaveLength(32);
    const md5 = createHash('md5').update(key).digest('base64');
    expect(upload.headers[KEY_MD5]).toBe(md5);
    expect(rows(report)['object: SSE-C key MD5']?.detail).toContain(md5);

    const name = objectKey(upload.path);
    const reads = s3.requests.filter(
      (request) =>
        (request.method === 'HEAD' || request.method === 'GET') && objectKey(request.path) === name,
    );
    // HeadObject with the same key; HeadObject and GetObject without any SSE-C header.
    expect(
      reads.map((request) => [
        request.method,
        request.headers[KEY] ?? null,
        request.headers[KEY_MD5] ?? null,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['HEAD', upload.headers[KEY], md5],
        ['HEAD', null, null],
        ['GET', null, null],
      ]),
    );
    expect(reads).toHaveLength(3);

    // The probes: one with no encryption header at all, one asking for SSE-S3.
    const probes = puts.filter((request) => request !== upload);
    expect(
      probes.map((request) => [
        request.headers[ALGORITHM] ?? null,
        request.headers['x-amz-server-side-encryption'] ?? null,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [null, null],
        [null, 'AES256'],
      ]),
    );
    // The test object is deleted, and nothing stays behind.
    expect(
      s3.requests.some((request) => request.method === 'DELETE' && objectKey(request.path) === name),
    ).toBe(true);
    expect(s3.objects.size).toBe(0);
  });

  it('makes a new key every run', async () => {
    const s3 = await start();
    const clients = s3.clients();
    await verifySetup(TARGET, clients);
    await verifySetup(TARGET, clients);
    clients.destroy();
    const keys = s3.requests
      .filter((request) => request.method === 'PUT' && request.headers[KEY])
      .map((r) => r.headers[KEY]);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
  });

  it('fails when S3 serves the object without its key (as moto does)', async () => {
    const s3 = await start({ servesWithoutKey: true });
    const clients = s3.clients();
    const checks = rows(await verifySetup(TARGET, clients));
    clients.destroy();
    expect(checks['HeadObject without the key fails']?.ok).toBe(false);
    expect(checks['GetObject without the key fails']?.ok).toBe(false);
    expect(checks['object: SSE-C algorithm']?.ok).toBe(false);
  });

  it("fails when S3 does not report the key's MD5", async () => {
    const s3 = await start({ hidesKeyMd5: true });
    const clients = s3.clients();
    const checks = rows(await verifySetup(TARGET, clients));
    clients.destroy();
    expect(checks['object: SSE-C key MD5']?.ok).toBe(false);
    expect(checks['object: SSE-C algorithm']?.ok).toBe(true);
  });

  it('fails the bucket read-back when SSE-C is still blocked', async () => {
    const s3 = await start({ blockedEncryptionType: 'SSE-C' });
    const clients = s3.clients();
    const checks = rows(await verifySetup(TARGET, clients));
    clients.destroy();
    expect(checks['bucket default encryption']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/instead of NONE/),
    });
  });

  it('with --object, checks that S3 refuses to describe the object without its key', async () => {
    const s3 = await start();
    s3.objects.set('acme-contracts/reports/q1.pdf', { body: Buffer.from('x'), keyMd5: 'abc' });
    s3.objects.set('acme-contracts/reports/plain.pdf', { body: Buffer.from('x') });
    const clients = s3.clients();
    const sealed = await verifySetup({ ...TARGET, object: 'reports/q1.pdf' }, clients);
    const plain = await verifySetup({ ...TARGET, object: 'reports/plain.pdf' }, clients);
    clients.destroy();
    expect(rows(sealed)['HeadObject without the key fails']?.ok).toBe(true);
    expect(rows(plain)['HeadObject without the key fails']?.ok).toBe(false);
    expect(s3.requests.some((request) => request.method === 'PUT')).toBe(false);
  });
});

describe('moto ignores SSE-C', () => {
  const moto = useMoto();

  it('drops the headers, serves without the key and forgets BlockedEncryptionTypes', async () => {
    for (const [name, value] of Object.entries(moto.env)) vi.stubEnv(name, value);
    const clients = createClients({ region: 'us-east-1', endpoint: moto.endpoint });
    const { s3 } = clients;
    await s3.send(new CreateBucketCommand({ Bucket: 'probe' }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'probe',
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
              BlockedEncryptionTypes: { EncryptionType: ['NONE'] },
            },
          ],
        },
      }),
    );
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: 'probe' })))
      .ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule?.BlockedEncryptionTypes).toBeUndefined();
    const key = Buffer.alloc(32, 7).toString('base64');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'probe',
        Key: 'o',
        Body: 'x',
        SSECustomerAlgorithm: 'AES256',
        SSECustomerKey: key,
      }),
    );
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: 'probe',
        Key: 'o',
        SSECustomerAlgorithm: 'AES256',
        SSECustomerKey: key,
      }),
    );
    expect(head.SSECustomerAlgorithm).toBeUndefined();
    expect(head.SSECustomerKeyMD5).toBeUndefined();
    const without = await s3.send(new GetObjectCommand({ Bucket: 'probe', Key: 'o' }));
    expect(await without.Body?.transformToString()).toBe('x');
    clients.destroy();
    vi.unstubAllEnvs();
  });
});
