/*
 * scan and reencrypt as they run in real life: the built CLI against the stand-in (moto behind
 * an endpoint that authorizes every request as AWS would), each as the principal that runs
 * it. The setup is applied by the administrator with the built CLI; older objects are seeded
 * into moto directly (as if they predate the setup).
 * reencrypt runs as the re-encryption role the setup names (--reencrypt-role), with exactly
 * the documents the plan gives it.
 */

import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUCKET, keyArnOf, REGION, ROLES, SETUP_FLAGS, useFlows } from '../flows/support.js';
import { createRoles } from '../standin/accounts.js';

const REENCRYPT_ROLE: string = ROLES.reencrypt;

const flows = useFlows('ceb-flow-reencrypt-');
let keyArn = '';

/** moto itself: seeds and reads state without authorization, as if from before the setup. */
const moto = () =>
  new S3Client({
    region: REGION,
    endpoint: flows.standIn.motoEndpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' },
  });

const OLDER = { 'plain.txt': 'unencrypted, from before', 'sse-s3.txt': 'SSE-S3, from before' };

async function state(key: string) {
  const s3 = moto();
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  const body = await (
    await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
  ).Body?.transformToString();
  s3.destroy();
  return {
    body,
    etag: head.ETag,
    lastModified: head.LastModified?.toISOString(),
    encryption: head.ServerSideEncryption ?? 'none',
    keyId: head.SSEKMSKeyId,
  };
}

const TARGET = () => ['--bucket', BUCKET, '--region', REGION, '--key', keyArn];

beforeEach(async () => {
  await createRoles(
    flows.standIn,
    Object.values(ROLES).map((name) => ({ name })),
  );
  const s3 = moto();
  await s3.send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain.txt', Body: OLDER['plain.txt'] }));
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'sse-s3.txt',
      Body: OLDER['sse-s3.txt'],
      ServerSideEncryption: 'AES256',
    }),
  );
  s3.destroy();
  flows.standIn.forget();
  const setup = SETUP_FLAGS.filter((flag) => flag !== '--create-bucket');
  const applied = await flows.cli([...setup, '--apply', '--yes', '--json', '--no-verify']);
  expect(applied.code, applied.stderr).toBe(0);
  keyArn = keyArnOf(applied);
});

describe('scan and reencrypt through the stand-in, each as its principal', () => {
  it('scan as the auditor: refused the listing, so exit 1 naming s3:ListBucket (the plan grants the auditor no ListBucket or GetObject)', async () => {
    const auditor = await flows.standIn.assumeRole(ROLES.auditor);
    const run = await flows.cli(['scan', ...TARGET(), '--full'], { as: auditor });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ListObjectsV2');
    expect(run.stderr).toContain('s3:ListBucket');
  });

  it('scan as the re-encrypting principal counts the older objects by encryption', async () => {
    const role = await flows.standIn.assumeRole(REENCRYPT_ROLE);
    const run = await flows.cli(['scan', ...TARGET(), '--full', '--json'], { as: role });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(report.classes.none.examples).toEqual(['plain.txt']);
    expect(report.classes['sse-s3'].examples).toEqual(['sse-s3.txt']);
    expect(report.needsReencryption.count).toBe(2);
  });

  it('reencrypt as a principal the setup does not allow UpdateObjectEncryption (an application role) stops before any write, naming the role to run as', async () => {
    const before = await state('sse-s3.txt');
    const run = await flows.cli([
      'reencrypt',
      ...TARGET(),
      '--reencrypt-role',
      ROLES.app,
      '--method',
      'update-encryption',
      '--yes',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nothing was written');
    expect(run.stderr).toContain('--reencrypt-role');
    expect(await state('sse-s3.txt')).toEqual(before);
    expect((await state('plain.txt')).encryption).toBe('none');
  });

  it('reencrypt as the re-encryption role: UpdateObjectEncryption keeps bytes, ETag and LastModified; the unencrypted object is copied', async () => {
    const before = await state('sse-s3.txt');
    const run = await flows.cli([
      'reencrypt',
      ...TARGET(),
      '--reencrypt-role',
      REENCRYPT_ROLE,
      '--method',
      'update-encryption',
      '--yes',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(report.done.byAction).toEqual({ 'update-encryption': 1, copy: 1 });
    const updated = await state('sse-s3.txt');
    expect(updated).toEqual({ ...before, encryption: 'aws:kms', keyId: keyArn });
    const copied = await state('plain.txt');
    expect(copied).toMatchObject({ body: OLDER['plain.txt'], encryption: 'aws:kms', keyId: keyArn });
    // Every request went through the stand-in's judgement as the role, none as the administrator.
    const writes = flows.standIn.decisions.filter((decision) =>
      ['s3:UpdateObjectEncryption', 's3:PutObject'].includes(decision.action),
    );
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((decision) => decision.principal.includes(`assumed-role/${REENCRYPT_ROLE}/`))).toBe(
      true,
    );
  });

  it('over plain HTTP reencrypt is refused and changes nothing', async () => {
    const before = await state('sse-s3.txt');
    const role = await flows.standIn.assumeRole(REENCRYPT_ROLE);
    const run = await flows.cli(['reencrypt', ...TARGET(), '--method', 'update-encryption', '--yes'], {
      as: role,
      endpoint: flows.standIn.httpEndpoint,
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/AccessDenied|explicit deny/);
    expect(await state('sse-s3.txt')).toEqual(before);
    expect((await state('plain.txt')).encryption).toBe('none');
  });
});
