/*
 * Layer: a real moto_server over real HTTP. This proves the positive path end to end: the SDK
 * requests verify builds are accepted, HeadObject's encryption fields and the read-backs parse as
 * verify expects, and every object it writes is removed again.
 *
 * It does NOT prove refusals. moto 5.2 ignores Condition in bucket policies: with no policy
 * nothing is refused, and with any Deny on PutObject everything is (empty-body 403). So here the
 * refusal checks must FAIL without a policy, which shows they cannot pass vacuously; whether a
 * correct policy's AccessDenied is read as a refusal is proven in verify-setup.mock.test.ts, and
 * that the policy refuses the right uploads is proven with the IAM simulator (test/access).
 * moto also does not echo RotationPeriodInDays, so only "rotation enabled" is checked here.
 */
import { CreateKeyCommand, EnableKeyRotationCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VerificationReport } from '../../src/apply/contract.js';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { verifySetup } from '../../src/verify/verify-setup.js';
import { MOTO_ACCOUNT_ID, type Moto, startMoto } from '../helpers/moto.js';

const REGION = 'eu-west-1';
const BUCKET = 'acme-verify-data';

let moto: Moto;
let clients: AwsClients;

beforeAll(async () => {
  moto = await startMoto();
  for (const [name, value] of Object.entries(moto.env)) vi.stubEnv(name, value);
  clients = createClients({ region: REGION, endpoint: moto.endpoint });
}, 60_000);

afterAll(async () => {
  clients?.destroy();
  vi.unstubAllEnvs();
  await moto?.stop();
});

beforeEach(async () => {
  expect.hasAssertions();
  await moto.reset();
});

async function createKey(rotationDays?: number): Promise<string> {
  const created = await clients.kms.send(new CreateKeyCommand({ Description: 'verify test' }));
  const arn = created.KeyMetadata?.Arn;
  if (!arn) throw new Error('moto returned no key ARN');
  if (rotationDays)
    await clients.kms.send(new EnableKeyRotationCommand({ KeyId: arn, RotationPeriodInDays: rotationDays }));
  return arn;
}

/** The bucket as apply leaves it, minus the bucket policy (moto cannot evaluate its conditions). */
async function protectedBucket(keyArn: string): Promise<void> {
  await clients.s3.send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  await clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: BUCKET,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  await clients.s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: BUCKET,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
}

async function objectKeys(): Promise<string[]> {
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '');
}

const byName = (report: VerificationReport) => Object.fromEntries(report.checks.map((c) => [c.check, c]));
const passed = (report: VerificationReport) => report.checks.filter((c) => c.ok).map((c) => c.check);
const failed = (report: VerificationReport) => report.checks.filter((c) => !c.ok).map((c) => c.check);

describe('verifySetup against moto (real HTTP, no bucket policy)', () => {
  it('passes the positive path end to end and fails every refusal check, leaving no object behind', async () => {
    const keyArn = await createKey(180);
    expect(keyArn).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${MOTO_ACCOUNT_ID}:key/`));
    await protectedBucket(keyArn);

    const report = await verifySetup(
      { bucket: BUCKET, region: REGION, scheme: 'sse-kms', keyArn, rotationDays: 180 },
      clients,
    );

    expect(passed(report)).toEqual([
      'upload with aws:kms + this key accepted',
      'object: encryption',
      'object: KMS key',
      'object: bucket key',
      'key rotation',
      'bucket default encryption',
      'public access block',
      'test object cleaned up',
    ]);
    // Nothing refuses here, so these must fail: a refusal check that passed now would be vacuous.
    expect(failed(report)).toEqual([
      'AES256 upload refused',
      'upload naming another key refused',
      'SSE-C upload refused',
    ]);
    for (const name of failed(report)) {
      expect(byName(report)[name]?.detail).toBe('S3 accepted the upload; the stray object was deleted');
    }
    expect(report.ok).toBe(false);
    expect(byName(report)['object: KMS key']?.detail).toBe(`test object: SSEKMSKeyId = ${keyArn}`);
    expect(byName(report)['key rotation']?.detail).toBe(
      'enabled; the endpoint did not report the period (expected 180)',
    );
    expect(await objectKeys()).toEqual([]);
  });

  it('with --object, fails the key check for an existing object encrypted with another key', async () => {
    const keyArn = await createKey(365);
    const otherKeyArn = await createKey();
    await protectedBucket(keyArn);
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'reports/q1.csv',
        Body: 'a,b\n',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: otherKeyArn,
      }),
    );

    const report = await verifySetup(
      { bucket: BUCKET, region: REGION, scheme: 'sse-kms', keyArn, object: 'reports/q1.csv' },
      clients,
    );

    expect(failed(report)).toEqual(['object: KMS key']);
    expect(byName(report)['object: KMS key']?.detail).toBe(
      `s3://${BUCKET}/reports/q1.csv: expected ${keyArn}, S3 reports ${otherKeyArn}`,
    );
    expect(passed(report)).toEqual([
      'object: encryption',
      'object: bucket key',
      'key rotation',
      'bucket default encryption',
      'public access block',
    ]);
    // No upload, no delete: the bucket holds exactly what it held.
    expect(await objectKeys()).toEqual(['reports/q1.csv']);
  });
});

describe('verifySetup against moto with a conditional Deny (documents the moto limit)', () => {
  it('does not credit refusals when moto refuses every upload, compliant ones included', async () => {
    const keyArn = await createKey(365);
    await protectedBucket(keyArn);
    // On AWS this denies only SSE-C uploads; moto ignores the Condition and denies every PutObject.
    await clients.s3.send(
      new PutBucketPolicyCommand({
        Bucket: BUCKET,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenySseC',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:PutObject',
              Resource: `arn:aws:s3:::${BUCKET}/*`,
              Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
            },
          ],
        }),
      }),
    );

    const report = await verifySetup({ bucket: BUCKET, region: REGION, scheme: 'sse-kms', keyArn }, clients);

    expect(report.ok).toBe(false);
    expect(passed(report)).toEqual([
      'key rotation',
      'bucket default encryption',
      'public access block',
      'test object cleaned up',
    ]);
    expect(byName(report)['upload with aws:kms + this key accepted']?.detail).toMatch(/HTTP 403/);
    // moto's empty-body 403 is not AccessDenied, and a refusal next to a refused compliant upload proves nothing.
    for (const name of [
      'AES256 upload refused',
      'upload naming another key refused',
      'SSE-C upload refused',
    ]) {
      expect(byName(report)[name]?.ok).toBe(false);
    }
    expect(await objectKeys()).toEqual([]);
  });
});
