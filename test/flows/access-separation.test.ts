import { randomBytes } from 'node:crypto';
import {
  CreateGrantCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/types.js';
import { adminCredentials, type Clients, clientsAs, createRoles, refusalOf } from '../standin/accounts.js';
import { SSE_C_BLOCKED_MESSAGE } from '../standin/assumptions.js';
import { ACCOUNT_ID } from '../standin/standin.js';
import { BUCKET, keyArnOf, ROLES, SETUP_FLAGS, useFlows } from './support.js';

/*
 * The access matrix end to end, after a real apply, each principal with its generated policy
 * and, where the threat model says so, far more in IAM: the seeds' own example (an operator
 * with full S3 access is refused the download because it lacks kms:Decrypt; the auditor reads
 * the key's configuration but no object), principals nobody named (AdministratorAccess,
 * PowerUserAccess), and the bucket's guardrails.
 */
const flows = useFlows('ceb-flow-access-');
const KMS_STAR: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllKms', Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
};
const OBJECT = 'contracts/2026/acme.pdf';
let keyArn = '';
let app: Clients;

const as = async (role: string) => clientsAs(flows.standIn, await flows.standIn.assumeRole(role));
const refusal = refusalOf;

beforeEach(async () => {
  await createRoles(flows.standIn, [
    { name: ROLES.app },
    // The threat model: operators may hold far more than their own policy in IAM.
    { name: ROLES.operator, managed: ['AmazonS3FullAccess'], inline: KMS_STAR },
    { name: ROLES.auditor },
    { name: ROLES.keyAdmin },
    { name: ROLES.reencrypt },
    { name: 'ci-deploy', managed: ['AdministratorAccess'] },
    { name: 'power-user', managed: ['PowerUserAccess'] },
  ]);
  const applied = await flows.cli([...SETUP_FLAGS, '--apply', '--yes', '--json', '--no-verify']);
  expect(applied.code, applied.stderr).toBe(0);
  keyArn = keyArnOf(applied);
  app = await as(ROLES.app);
  await app.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: OBJECT,
      Body: 'signed',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
    }),
  );
});

describe("the seeds' example", () => {
  it('an operator with full S3 access (and kms:* in IAM) who downloads a file gets AccessDenied: explicitly, for kms:Decrypt', async () => {
    const operator = await as(ROLES.operator);
    const refused = await refusal(operator.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT })));
    expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(refused.message).toContain(`kms:Decrypt on resource: ${keyArn}`);
    expect(refused.message).toMatch(/with an explicit deny in an? (resource|identity)-based policy/);
    // It still runs the bucket: versioning is its job.
    await operator.s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  });

  it('the auditor reads the key’s configuration and rotation status, but cannot read an object', async () => {
    const auditor = await as(ROLES.auditor);
    const key = await auditor.kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(key.KeyMetadata?.Arn).toBe(keyArn);
    const rotation = await auditor.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
    expect(rotation.KeyRotationEnabled).toBe(true);
    const refused = await refusal(auditor.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT })));
    expect(refused).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('the application role reads what it wrote, but never uses the key outside S3', async () => {
    const object = await app.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT }));
    expect(await object.Body?.transformToString()).toBe('signed');
    const direct = await refusal(
      app.kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })),
    );
    expect(direct).toMatchObject({ name: 'AccessDeniedException' });
    expect(direct.message).toContain('explicit deny');
  });
});

describe('principals nobody named', () => {
  it('an unnamed AdministratorAccess role cannot read an object (KMS’s reason), grant itself the key, or rewrite the key policy', async () => {
    const ci = await as('ci-deploy');
    const read = await refusal(ci.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT })));
    expect(read.message).toContain('kms:Decrypt');
    expect(read.message).toContain('explicit deny');
    const grant = await refusal(
      ci.kms.send(
        new CreateGrantCommand({
          KeyId: keyArn,
          GranteePrincipal: `arn:aws:iam::${ACCOUNT_ID}:role/ci-deploy`,
          Operations: ['Decrypt'],
        }),
      ),
    );
    expect(grant).toMatchObject({ name: 'AccessDeniedException' });
    expect(grant.message).toContain('kms:CreateGrant');
    const open: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Open',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    };
    const rewrite = await refusal(
      ci.kms.send(
        new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: JSON.stringify(open) }),
      ),
    );
    expect(rewrite.message).toContain('kms:PutKeyPolicy');
  });

  it('an unnamed PowerUserAccess role cannot decrypt, directly or through S3', async () => {
    const power = await as('power-user');
    expect(
      (await refusal(power.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT })))).message,
    ).toContain('kms:Decrypt');
    const blob = await app.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT }));
    expect(blob.SSEKMSKeyId).toBe(keyArn);
    expect(
      await refusal(power.kms.send(new DecryptCommand({ KeyId: keyArn, CiphertextBlob: randomBytes(64) }))),
    ).toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe("the bucket's guardrails", () => {
  it('an operator with s3:* cannot delete the bucket policy or switch default encryption', async () => {
    const operator = await as(ROLES.operator);
    const deleted = await refusal(operator.s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET })));
    expect(deleted.message).toContain('s3:DeleteBucketPolicy');
    expect(deleted.message).toContain('explicit deny');
    const switched = await refusal(
      operator.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: BUCKET,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        }),
      ),
    );
    expect(switched.message).toContain('s3:PutEncryptionConfiguration');
  });

  it('an SSE-C upload is refused by the bucket policy, and by the bucket setting when the policy deny is gone', async () => {
    const sseC = () =>
      app.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'customer-key.bin',
          Body: 'x',
          SSECustomerAlgorithm: 'AES256',
          SSECustomerKey: randomBytes(32).toString('base64'),
        }),
      );
    const byPolicy = await refusal(sseC());
    expect(byPolicy).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(byPolicy.message).toContain('explicit deny in a resource-based policy');
    // The administrator apply ran as is a key administrator: it may change the guardrails.
    const admin = await clientsAs(flows.standIn, adminCredentials(flows.standIn));
    const current = JSON.parse(
      (await admin.s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy ?? '{}',
    );
    // Every upload Deny goes (SSE-C, and strict mode's header rules an SSE-C upload also breaks).
    current.Statement = current.Statement.filter(
      (statement: { Sid: string }) => !/DenySseC|Uploads/.test(statement.Sid),
    );
    await admin.s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(current) }));
    const bySetting = await refusal(sseC());
    expect(bySetting).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(bySetting.message).toBe(SSE_C_BLOCKED_MESSAGE);
  });
});
