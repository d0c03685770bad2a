import { GetObjectCommand, PutBucketEncryptionCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { refusalProbes, runProbe } from '../../src/verify/refusal-probes.js';
import { newTestObjectKey } from '../../src/verify/test-object.js';
import { clientsAs, createRoles, refusalOf } from '../standin/accounts.js';
import { BUCKET, keylessFlags, REGION, ROLES, useFlows } from './support.js';

/*
 * SSE-C through the stand-in, each step as the principal that runs it: apply as the
 * administrator, the bucket policy's refusals as the application role, the operator's limits.
 * The stand-in judges the SSE-C headers by the real policies and enforces BlockedEncryptionTypes
 * (its moto launcher reads the setting back), so the SSE-C upload, both refusals and the
 * read-backs run here as the application role. Its object state is moto's, and moto ignores
 * SSE-C on objects: it reports no SSECustomerAlgorithm or key MD5 and serves objects without
 * their key. Those four checks are proven with the exact requests on the wire in
 * test/verify/sse-c-verify.test.ts and test/render/verify-sse-c.test.ts; this file pins the limit.
 */
const flows = useFlows('ceb-flow-sse-c-');
const FLAGS = keylessFlags('sse-c');
const TARGET = { bucket: BUCKET, region: REGION, scheme: 'sse-c' as const };

const as = async (role: string) => clientsAs(flows.standIn, await flows.standIn.assumeRole(role));
const awsClients = (clients: Awaited<ReturnType<typeof as>>): AwsClients =>
  ({ ...clients, sts: undefined, destroy: () => {} }) as unknown as AwsClients;

beforeEach(async () => {
  await createRoles(flows.standIn, [
    { name: ROLES.app },
    // The threat model: operators may hold far more than their own policy in IAM.
    { name: ROLES.operator, managed: ['AmazonS3FullAccess'] },
    { name: ROLES.auditor },
  ]);
  const applied = await flows.cli([...FLAGS, '--apply', '--yes', '--json', '--no-verify']);
  expect(applied.code, applied.stderr).toBe(0);
  expect(JSON.parse(applied.stdout).keyArn).toBeUndefined();
});

describe('SSE-C through the stand-in', () => {
  it('apply as the administrator converges: a second run writes nothing', async () => {
    const again = JSON.parse(
      (await flows.cli([...FLAGS, '--apply', '--yes', '--json', '--no-verify'])).stdout,
    );
    expect(again.actions).toEqual([]);
    expect(again.diff.every((step: { status: string }) => step.status === 'in-place')).toBe(true);
  });

  it('the bucket policy refuses, to the application role, an upload without SSE-C and one asking for SSE-S3', async () => {
    const app = awsClients(await as(ROLES.app));
    const key = newTestObjectKey();
    const results = await Promise.all(
      refusalProbes(TARGET).map((probe) => runProbe(TARGET, app, probe, key)),
    );
    expect(results.map((result) => [result.check.check, result.refused])).toEqual([
      ['upload without SSE-C refused', true],
      ['AES256 upload refused', true],
    ]);
    for (const result of results)
      expect(result.check.detail).toMatch(/explicit deny in a resource-based policy/);
  });

  it('the operator, even with AmazonS3FullAccess, cannot change default encryption (to block or drop SSE-C)', async () => {
    const operator = await as(ROLES.operator);
    const refused = await refusalOf(
      operator.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: BUCKET,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        }),
      ),
    );
    expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(refused.message).toMatch(/explicit deny/);
  });

  it('the operator cannot even upload, and the auditor reads no object', async () => {
    const operator = await as(ROLES.operator);
    const upload = await refusalOf(
      operator.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'x', Body: 'x' })),
    );
    expect(upload).toMatchObject({ name: 'AccessDenied', status: 403 });
    const auditor = await as(ROLES.auditor);
    const read = await refusalOf(auditor.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'x' })));
    expect(read).toMatchObject({ status: 403 });
  });

  it("the application role's SSE-C upload is accepted; moto then serves it without the key (the stand-in's limit)", async () => {
    const app = await as(ROLES.app);
    await app.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'sealed.txt',
        Body: 'x',
        SSECustomerAlgorithm: 'AES256',
        SSECustomerKey: Buffer.alloc(32, 1).toString('base64'),
      }),
    );
    // AWS answers this with HTTP 400 (the key is missing); moto serves the bytes. If this
    // starts failing, the stand-in learnt SSE-C: then every verify check can pass below.
    const served = await app.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sealed.txt' }));
    expect(await served.Body?.transformToString()).toBe('x');
  });

  it('verify as the application role runs end to end; only the checks the stand-in cannot serve fail', async () => {
    const app = await flows.standIn.assumeRole(ROLES.app);
    const run = await flows.cli(
      ['verify', '--scheme', 'sse-c', '--bucket', BUCKET, '--region', REGION, '--json'],
      {
        as: app,
      },
    );
    expect(run.code, run.stderr).toBe(1);
    const checks = JSON.parse(run.stdout).checks as { check: string; ok: boolean; detail: string }[];
    const failed = checks.filter((check) => !check.ok).map((check) => check.check);
    // Exactly the checks that need S3's SSE-C behaviour, which moto lacks; the rest (the SSE-C
    // upload through the real policies, both refusals, the read-backs, the cleanup) pass.
    expect(failed).toEqual([
      'object: SSE-C algorithm',
      'object: SSE-C key MD5',
      'HeadObject without the key fails',
      'GetObject without the key fails',
    ]);
    expect(checks.filter((check) => check.ok).map((check) => check.check)).toEqual([
      'upload with SSE-C (a throwaway key) accepted',
      'upload without SSE-C refused',
      'AES256 upload refused',
      'bucket default encryption',
      'public access block',
      'test object cleaned up',
    ]);
    expect(checks.find((check) => check.check === 'public access block')?.ok).toBe(true);
  });
});
