/*
 * Layer: aws-sdk-client-mock. These tests prove verify's *logic*: which requests it sends, how it
 * reads each answer, what counts as a refusal, and that it cleans up. They cannot prove that AWS
 * answers this way; the answers below are what AWS documents for a bucket whose policy denies
 * wrong-encryption uploads (AccessDenied, HTTP 403). moto cannot serve this layer: it ignores
 * Condition in bucket policies and refuses every PutObject once a Deny is in place, so a correct
 * refusal and a blanket one look the same there (see verify-setup.moto.test.ts).
 */
import { GetKeyRotationStatusCommand, type GetKeyRotationStatusCommandOutput } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type PutObjectCommandInput,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../src/apply/contract.js';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { verifySetup } from '../../src/verify/verify-setup.js';
import type { VerifyTarget } from '../../src/verify/verify-target.js';
import { serviceError } from './fakes.js';

const REGION = 'eu-west-1';
const KEY_ARN = `arn:aws:kms:${REGION}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const MADE_UP_KEY_ARN = `arn:aws:kms:${REGION}:111122223333:key/00000000-0000-4000-8000-000000000000`;
const TARGET: VerifyTarget = {
  bucket: 'acme-data',
  region: REGION,
  scheme: 'sse-kms',
  keyArn: KEY_ARN,
  rotationDays: 365,
};
const TEST_KEY = /^\.create-encrypted-bucket\/verify-\d{8}T\d{9}Z-[0-9a-f]{8}$/;

const ALL_CHECKS = [
  'upload with aws:kms + this key accepted',
  'object: encryption',
  'object: KMS key',
  'object: bucket key',
  'AES256 upload refused',
  'upload naming another key refused',
  'SSE-C upload refused',
  'key rotation',
  'bucket default encryption',
  'public access block',
  'test object cleaned up',
];

const accessDenied = () => serviceError('AccessDenied', 403, 'Access Denied');

/** S3 as AWS answers for a bucket with our policy: only aws:kms with this key's ARN gets in. */
function correctPolicy(input: PutObjectCommandInput): PutObjectCommandOutput {
  if (
    input.SSECustomerAlgorithm ||
    input.ServerSideEncryption !== 'aws:kms' ||
    input.SSEKMSKeyId !== KEY_ARN
  ) {
    throw accessDenied();
  }
  return { $metadata: {}, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN, BucketKeyEnabled: true };
}

interface FakeAws {
  put?: (input: PutObjectCommandInput) => PutObjectCommandOutput;
  head?: Partial<HeadObjectCommandOutput> | Error;
  bucketKeyEnabledByDefault?: boolean;
  rotation?: Partial<GetKeyRotationStatusCommandOutput>;
}

let clients: AwsClients;
let s3: ReturnType<typeof mockClient>;
let kms: ReturnType<typeof mockClient>;

function fakeAws(fake: FakeAws = {}): void {
  s3.on(PutObjectCommand).callsFake(fake.put ?? correctPolicy);
  const head = fake.head ?? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN, BucketKeyEnabled: true };
  if (head instanceof Error) s3.on(HeadObjectCommand).rejects(head);
  else s3.on(HeadObjectCommand).resolves(head);
  s3.on(DeleteObjectCommand).resolves({});
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
          BucketKeyEnabled: fake.bucketKeyEnabledByDefault ?? true,
        },
      ],
    },
  });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  kms
    .on(GetKeyRotationStatusCommand)
    .resolves(fake.rotation ?? { KeyRotationEnabled: true, RotationPeriodInDays: 365 });
}

function row(report: VerificationReport, name: string) {
  const found = report.checks.find((check) => check.check === name);
  if (!found) throw new Error(`no check named ${name}: ${report.checks.map((c) => c.check).join(', ')}`);
  return found;
}

const failedChecks = (report: VerificationReport) => report.checks.filter((c) => !c.ok).map((c) => c.check);
const putInputs = () =>
  s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input as PutObjectCommandInput);
const deletedKeys = () =>
  s3.commandCalls(DeleteObjectCommand).map((call) => {
    const input = call.args[0].input as { Key: string; VersionId?: string };
    return input.VersionId ? `${input.Key}@${input.VersionId}` : input.Key;
  });
const compliantPut = () => {
  const found = putInputs().find((input) => input.SSEKMSKeyId === KEY_ARN);
  if (!found?.Key) throw new Error('no compliant upload was sent');
  return found as PutObjectCommandInput & { Key: string };
};

beforeEach(() => {
  expect.hasAssertions();
  clients = createClients({ region: REGION, endpoint: 'http://127.0.0.1:9' });
  s3 = mockClient(clients.s3);
  kms = mockClient(clients.kms);
});

afterEach(() => {
  s3.restore();
  kms.restore();
  clients.destroy();
});

describe('verifySetup with a test object (aws-sdk-client-mock layer)', () => {
  it('(a) passes a correct setup and sends exactly the expected requests', async () => {
    fakeAws();
    const report = await verifySetup(TARGET, clients);

    expect(report.checks.map((c) => c.check)).toEqual(ALL_CHECKS);
    expect(failedChecks(report)).toEqual([]);
    expect(report.ok).toBe(true);

    const testKey = compliantPut().Key;
    expect(testKey).toMatch(TEST_KEY);
    expect(putInputs()).toEqual(
      expect.arrayContaining([
        // The compliant upload: both headers, the full ARN, no bucket-key header (that must come from the bucket).
        {
          Bucket: 'acme-data',
          Key: testKey,
          Body: expect.any(String),
          ContentType: 'text/plain',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: KEY_ARN,
        },
        expect.objectContaining({ Key: `${testKey}-aes256`, ServerSideEncryption: 'AES256' }),
        expect.objectContaining({
          Key: `${testKey}-other-key`,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: MADE_UP_KEY_ARN,
        }),
        expect.objectContaining({
          Key: `${testKey}-sse-c`,
          SSECustomerAlgorithm: 'AES256',
          SSECustomerKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
        }),
      ]),
    );
    expect(putInputs()).toHaveLength(4);
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'acme-data', Key: testKey },
    ]);
    expect(deletedKeys()).toEqual([testKey]);
    expect(s3.commandCalls(GetBucketEncryptionCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'acme-data' },
    ]);
    expect(s3.commandCalls(GetPublicAccessBlockCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'acme-data' },
    ]);
    expect(kms.commandCalls(GetKeyRotationStatusCommand).map((c) => c.args[0].input)).toEqual([
      { KeyId: KEY_ARN },
    ]);
    expect(row(report, 'AES256 upload refused').detail).toContain('AccessDenied (HTTP 403');
    expect(row(report, 'key rotation').detail).toBe('enabled, every 365 days');
  });

  it('(b) fails the key check when HeadObject reports another key, and still deletes the test object', async () => {
    const otherKey = `arn:aws:kms:${REGION}:111122223333:key/ffffffff-0000-4000-8000-000000000000`;
    fakeAws({ head: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: otherKey, BucketKeyEnabled: true } });
    const report = await verifySetup(TARGET, clients);

    expect(report.ok).toBe(false);
    expect(failedChecks(report)).toEqual(['object: KMS key']);
    expect(row(report, 'object: KMS key').detail).toContain(`S3 reports ${otherKey}`);
    expect(deletedKeys()).toEqual([compliantPut().Key]);
  });

  it('(c) fails when BucketKeyEnabled is false on the object and in the bucket default', async () => {
    fakeAws({
      head: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN, BucketKeyEnabled: false },
      bucketKeyEnabledByDefault: false,
    });
    const report = await verifySetup(TARGET, clients);

    expect(report.ok).toBe(false);
    expect(failedChecks(report)).toEqual(['object: bucket key', 'bucket default encryption']);
    expect(row(report, 'bucket default encryption').detail).toBe('bucket key not enabled');
    expect(deletedKeys()).toEqual([compliantPut().Key]);
  });

  it('(d) fails when an AES256 upload succeeds, and deletes that stray object (its exact version)', async () => {
    fakeAws({
      put: (input) =>
        input.ServerSideEncryption === 'AES256'
          ? { $metadata: {}, ServerSideEncryption: 'AES256', VersionId: 'stray-v1' }
          : correctPolicy(input),
    });
    const report = await verifySetup(TARGET, clients);

    expect(report.ok).toBe(false);
    expect(failedChecks(report)).toEqual(['AES256 upload refused']);
    expect(row(report, 'AES256 upload refused').detail).toBe(
      'S3 accepted the upload; the stray object was deleted',
    );
    const testKey = compliantPut().Key;
    expect(deletedKeys().sort()).toEqual([testKey, `${testKey}-aes256@stray-v1`].sort());
  });

  it('(e) a 500 on a refusal probe is a failed check naming the error, not a refusal', async () => {
    fakeAws({
      put: (input) => {
        if (input.SSECustomerAlgorithm)
          throw serviceError('InternalError', 500, 'We encountered an internal error.');
        return correctPolicy(input);
      },
    });
    const report = await verifySetup(TARGET, clients);

    expect(report.ok).toBe(false);
    expect(failedChecks(report)).toEqual(['SSE-C upload refused']);
    const detail = row(report, 'SSE-C upload refused').detail;
    expect(detail).toContain('not a refusal');
    expect(detail).toContain(
      'InternalError (HTTP 500, request id req-InternalError): We encountered an internal error.',
    );
    // S3 answered, so nothing was stored: only the test object is deleted.
    expect(deletedKeys()).toEqual([compliantPut().Key]);
  });

  it('(e2) a 403 that is not AccessDenied (e.g. a bad signature) is not a refusal either', async () => {
    fakeAws({
      put: (input) => {
        if (input.ServerSideEncryption === 'AES256')
          throw serviceError('SignatureDoesNotMatch', 403, 'bad signature');
        return correctPolicy(input);
      },
    });
    const report = await verifySetup(TARGET, clients);

    expect(failedChecks(report)).toEqual(['AES256 upload refused']);
    expect(row(report, 'AES256 upload refused').detail).toContain('not a refusal');
  });

  it('(f) fails when key rotation is disabled, or runs on another period', async () => {
    fakeAws({ rotation: { KeyRotationEnabled: false } });
    const disabled = await verifySetup(TARGET, clients);
    expect(failedChecks(disabled)).toEqual(['key rotation']);
    expect(row(disabled, 'key rotation').detail).toBe('automatic rotation is disabled');

    fakeAws({ rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 90 } });
    const otherPeriod = await verifySetup(TARGET, clients);
    expect(failedChecks(otherPeriod)).toEqual(['key rotation']);
    expect(row(otherPeriod, 'key rotation').detail).toBe('enabled, but every 90 days instead of 365');
  });

  it('a blanket refusal (the compliant upload refused too) does not count the refusals', async () => {
    // What moto does once any Deny is in place, and what AWS does when the caller lacks s3:PutObject.
    fakeAws({
      put: () => {
        throw accessDenied();
      },
    });
    const report = await verifySetup(TARGET, clients);

    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.ok).map((c) => c.check)).toEqual([
      'key rotation',
      'bucket default encryption',
      'public access block',
      'test object cleaned up',
    ]);
    expect(row(report, 'upload naming another key refused').detail).toContain(
      'proves nothing about the policy',
    );
    expect(row(report, 'object: encryption').detail).toBe('not checked: the test upload failed');
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
    expect(deletedKeys()).toEqual([]);
  });

  it('deletes the test object even when HeadObject fails', async () => {
    fakeAws({ head: serviceError('Forbidden', 403, 'HTTP 403 with no message') });
    const report = await verifySetup(TARGET, clients);

    expect(failedChecks(report)).toEqual(['object: encryption', 'object: KMS key', 'object: bucket key']);
    expect(row(report, 'object: KMS key').detail).toContain('test object: Forbidden (HTTP 403');
    expect(deletedKeys()).toEqual([compliantPut().Key]);
  });

  it('reports a failed delete of the test object as a failed check', async () => {
    fakeAws();
    s3.on(DeleteObjectCommand).rejects(accessDenied());
    const report = await verifySetup(TARGET, clients);

    expect(failedChecks(report)).toEqual(['test object cleaned up']);
    expect(row(report, 'test object cleaned up').detail).toMatch(
      /^could not delete s3:\/\/acme-data\/.*AccessDenied/,
    );
  });
});

describe('verifySetup with an existing object (aws-sdk-client-mock layer)', () => {
  it('inspects that object only: no upload, no probe, no delete', async () => {
    fakeAws();
    const report = await verifySetup({ ...TARGET, object: 'reports/q1.csv' }, clients);

    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.check)).toEqual([
      'object: encryption',
      'object: KMS key',
      'object: bucket key',
      'key rotation',
      'bucket default encryption',
      'public access block',
    ]);
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'acme-data', Key: 'reports/q1.csv' },
    ]);
    expect(putInputs()).toEqual([]);
    expect(deletedKeys()).toEqual([]);
  });
});

describe('verifySetup for sse-s3 (aws-sdk-client-mock layer)', () => {
  it('uploads with AES256, probes aws:kms and SSE-C, and asks KMS nothing', async () => {
    const target: VerifyTarget = { bucket: 'acme-data', region: REGION, scheme: 'sse-s3' };
    fakeAws({
      put: (input) => {
        if (input.SSECustomerAlgorithm || input.ServerSideEncryption !== 'AES256') throw accessDenied();
        return { $metadata: {}, ServerSideEncryption: 'AES256' };
      },
      head: { ServerSideEncryption: 'AES256' },
    });
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    const report = await verifySetup(target, clients);

    expect(report.checks.map((c) => c.check)).toEqual([
      'upload with AES256 accepted',
      'object: encryption',
      'aws:kms upload refused',
      'SSE-C upload refused',
      'bucket default encryption',
      'public access block',
      'test object cleaned up',
    ]);
    expect(report.ok).toBe(true);
    expect(kms.calls()).toHaveLength(0);
  });
});

describe('verifySetup input checks', () => {
  it.each([
    [{ ...TARGET, keyArn: undefined }, '--key'],
    [{ ...TARGET, keyArn: `arn:aws:kms:${REGION}:111122223333:alias/acme-data` }, '--key'],
    [{ ...TARGET, region: 'us-east-1' }, '--region'],
    [{ bucket: 'acme-data', region: REGION, scheme: 'sse-s3', keyArn: KEY_ARN }, '--key'],
    [{ ...TARGET, object: '' }, '--object'],
  ] satisfies [VerifyTarget, string][])(
    'rejects %o before any AWS call (field %s)',
    async (target, field) => {
      fakeAws();
      await expect(verifySetup(target, clients)).rejects.toMatchObject({
        name: 'ConfigError',
        field,
        exitCode: 2,
      });
      expect(s3.calls()).toHaveLength(0);
      expect(kms.calls()).toHaveLength(0);
    },
  );
});
