import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import type { Plan, PolicyDocument } from '../../src/types.js';
import { clientKmsPlan } from './client-kms-plan.js';
import {
  ACCOUNT,
  BUCKET,
  BUCKET_ARN,
  type Context,
  documentsFor,
  KEY_ARN,
  PRINCIPAL_ARN,
  principalArn,
  REGION,
  ROLE_NAMES,
  type Row,
  row,
  runRow,
  SSE,
  SSE_KEY_ID,
  session,
  simulate,
  viaS3,
} from './simulate.js';

/*
 * DESIGN.md access matrix, the "may" column, granted by each role's own identity policy. With
 * an existing key its policy is left as it is, and most keys keep AWS's default key policy
 * (the account root gets kms:*, which hands every decision to IAM): then the generated
 * identity policies alone decide who may use the key, so each duty is judged under it.
 */

const A = 'Allowed';
const I = 'ImplicitlyDenied';
const DEFAULT_KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EnableIAMUserPermissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};
const COMPLIANT = { context: { [SSE]: 'aws:kms', [SSE_KEY_ID]: KEY_ARN } };
const ON_BUCKET = { resource: BUCKET_ARN };
const VIA_S3 = { context: viaS3() };
const TRAIL = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/management-events`;

const bucket = (who: Row['who'], actions: string[]) =>
  actions.map((action) => row(`${who} may`, who, action, A, ON_BUCKET));
const objects = (who: Row['who'], actions: string[]) =>
  actions.map((action) => row(`${who} may`, who, action, A));
const key = (who: Row['who'], actions: string[], options: Pick<Row, 'context'> = {}) =>
  actions.map((action) => row(`${who} may`, who, action, A, options));

const DUTIES: Row[] = [
  ...objects('app', ['s3:GetObject', 's3:DeleteObject', 's3:GetObjectTagging', 's3:PutObjectTagging']),
  row('app may (compliant header)', 'app', 's3:PutObject', A, COMPLIANT),
  ...bucket('app', ['s3:ListBucket', 's3:GetEncryptionConfiguration', 's3:GetBucketPublicAccessBlock']),
  ...key('app', ['kms:GenerateDataKey', 'kms:Decrypt'], VIA_S3),
  ...key('app', ['kms:DescribeKey', 'kms:GetKeyRotationStatus']),
  // The README's "only through S3": the key policy may not say so, the identity policy must.
  row('app may not decrypt outside S3', 'app', 'kms:Decrypt', I),
  row('app may not generate data keys outside S3', 'app', 'kms:GenerateDataKey', I),
  row('app may not read another bucket', 'app', 's3:GetObject', I, { resource: `${BUCKET_ARN}-other/x` }),

  ...bucket('operator', [
    's3:ListBucket',
    's3:ListBucketVersions',
    's3:GetBucketLocation',
    's3:GetBucketPolicy',
    's3:GetEncryptionConfiguration',
    's3:GetBucketVersioning',
    's3:GetLifecycleConfiguration',
    's3:PutLifecycleConfiguration',
    's3:PutBucketVersioning',
    's3:PutBucketTagging',
    's3:PutBucketLogging',
    's3:PutBucketNotification',
    's3:PutBucketCORS',
  ]),
  ...key('operator', ['kms:DescribeKey']),
  row('operator may not read the key policy', 'operator', 'kms:GetKeyPolicy', I),

  ...bucket('auditor', [
    's3:GetBucketLocation',
    's3:GetBucketPolicy',
    's3:GetBucketPolicyStatus',
    's3:GetEncryptionConfiguration',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketOwnershipControls',
    's3:GetReplicationConfiguration',
    's3:GetBucketAcl',
    's3:GetBucketVersioning',
    's3:GetBucketLogging',
  ]),
  ...key('auditor', [
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:GetKeyRotationStatus',
    'kms:ListGrants',
    'kms:ListResourceTags',
    'kms:ListAliases',
  ]),
  row('auditor may read the trails', 'auditor', 'cloudtrail:GetTrailStatus', A, { resource: TRAIL }),
  row('auditor may read the trails', 'auditor', 'cloudtrail:GetEventSelectors', A, { resource: TRAIL }),
  row('auditor may read CloudTrail', 'auditor', 'cloudtrail:LookupEvents', A),
  row('auditor may read CloudTrail', 'auditor', 'cloudtrail:DescribeTrails', A),
  row('auditor may read CloudTrail', 'auditor', 'cloudtrail:ListTrails', A),

  ...bucket('keyAdmin', [
    's3:PutBucketPolicy',
    's3:DeleteBucketPolicy',
    's3:PutEncryptionConfiguration',
    's3:PutBucketPublicAccessBlock',
    's3:PutBucketOwnershipControls',
    's3:GetBucketPolicy',
    's3:GetEncryptionConfiguration',
  ]),
  ...key('keyAdmin', ['kms:PutKeyPolicy', 'kms:EnableKeyRotation', 'kms:DescribeKey', 'kms:ListAliases']),
  row('keyAdmin may not read objects', 'keyAdmin', 's3:GetObject', I),

  ...objects('reencrypt', [
    's3:UpdateObjectEncryption',
    's3:GetObject',
    's3:GetObjectVersion',
    's3:GetObjectTagging',
    's3:PutObjectTagging',
    's3:AbortMultipartUpload',
  ]),
  row('reencrypt may (compliant header)', 'reencrypt', 's3:PutObject', A, COMPLIANT),
  ...bucket('reencrypt', ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketVersioning']),
  ...bucket('reencrypt', ['s3:GetBucketOwnershipControls']),
  ...key('reencrypt', ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom'], VIA_S3),
  row('reencrypt may not use the key outside S3', 'reencrypt', 'kms:Decrypt', I),
];

/** An existing key whose policy is still AWS's default: IAM decides. */
const underDefaultKeyPolicy = (documents: Plan['documents']) => ({
  ...documents,
  keyPolicy: DEFAULT_KEY_POLICY,
});

describe('each role may do its duties by its own identity policy, under an existing key with the default key policy', () => {
  it.each(DUTIES)('$row: $action', async (each) => {
    const documents = underDefaultKeyPolicy(
      documentsFor({ label: 'sse-kms existing', scheme: 'sse-kms', enforcement: 'strict', key: 'existing' }),
    );
    expect(await runRow(documents, each)).toBe(each.expected);
  });
});

describe('client-kms: the application role, by its identity policy alone', () => {
  const documents = () => underDefaultKeyPolicy(clientKmsPlan(clientKmsConfig()).documents);
  const sdk = (entries: Record<string, string>): Context =>
    ({
      ...Object.fromEntries(
        Object.entries(entries).map(([name, value]) => [`kms:EncryptionContext:${name}`, value]),
      ),
      'kms:EncryptionContextKeys': Object.keys(entries),
    }) as unknown as Context;
  const GOOD = { bucket: BUCKET, 'object-key': 'reports/2024.csv' };

  it.each([
    row('app may use the key through S3', 'app', 'kms:GenerateDataKey', A, VIA_S3),
    row('app may use the key through S3', 'app', 'kms:Decrypt', A, VIA_S3),
    row('app may ask for a data key itself, with the context', 'app', 'kms:GenerateDataKey', A, {
      context: sdk(GOOD),
    }),
    row('app may decrypt itself, with the context', 'app', 'kms:Decrypt', A, { context: sdk(GOOD) }),
    row('app may describe the key', 'app', 'kms:DescribeKey', A),
    row('app may read the rotation status', 'app', 'kms:GetKeyRotationStatus', A),
    row('app may not decrypt itself without the context', 'app', 'kms:Decrypt', I),
    row('app may not encrypt itself', 'app', 'kms:Encrypt', I, { context: sdk(GOOD) }),
  ])('$row: $action', async (each) => {
    expect(await runRow(documents(), each)).toBe(each.expected);
  });
});

function clientKmsConfig() {
  return parseConfig({
    bucket: BUCKET,
    region: REGION,
    accountId: ACCOUNT,
    scheme: 'client-kms',
    existingKey: KEY_ARN,
    appRoles: [ROLE_NAMES.app],
    operatorRoles: [ROLE_NAMES.operator],
    auditorRoles: [ROLE_NAMES.auditor],
    keyAdminRoles: [ROLE_NAMES.keyAdmin],
  });
}

describe('the key administrator manages the alias of a new key by its identity policy', () => {
  it('create, update and delete on the alias ARN (IAM alone authorizes the alias side)', async () => {
    const documents = documentsFor({
      label: 'sse-kms new',
      scheme: 'sse-kms',
      enforcement: 'strict',
      key: 'new',
    });
    const alias = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/${BUCKET}`;
    for (const action of ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias']) {
      const verdict = await simulate({
        principal: session('keyAdmin'),
        action,
        resource: alias,
        identity: [documents.rolePolicies.keyAdmin as PolicyDocument],
        context: { [PRINCIPAL_ARN]: principalArn('keyAdmin') },
      });
      expect(verdict, action).toBe(A);
    }
  });
});

/*
 * The other half: a new key's policy grants each role its key duties by ARN, on its own, so
 * they hold even where a role's identity policy is managed elsewhere and lacks them.
 */
const KEY_DUTIES: Row[] = [
  ...key('app', ['kms:GenerateDataKey', 'kms:Decrypt'], VIA_S3),
  ...key('app', ['kms:DescribeKey', 'kms:GetKeyRotationStatus']),
  ...key(
    'reencrypt',
    ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
    VIA_S3,
  ),
  ...key('auditor', [
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:GetKeyRotationStatus',
    'kms:ListGrants',
    'kms:ListResourceTags',
  ]),
  ...key('keyAdmin', [
    'kms:PutKeyPolicy',
    'kms:DescribeKey',
    'kms:EnableKeyRotation',
    'kms:ScheduleKeyDeletion',
  ]),
];

describe('a new key policy alone grants each role its key duties, with no identity policy', () => {
  it.each(KEY_DUTIES)('$row: $action', async (each) => {
    const documents = documentsFor({
      label: 'sse-kms new',
      scheme: 'sse-kms',
      enforcement: 'strict',
      key: 'new',
    });
    expect(await runRow({ ...documents, rolePolicies: {} }, each)).toBe(each.expected);
  });
});
