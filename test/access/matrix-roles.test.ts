import { describe, expect, it } from 'vitest';
import {
  BUCKET_ARN,
  documentsFor,
  KEY_ARN,
  KMS_STAR,
  KMS_VARIANTS,
  type Row,
  row,
  runRow,
  S3_CONTEXT,
  S3_VARIANTS,
  SSE,
  SSE_KEY_ID,
  viaS3,
} from './simulate.js';

/*
 * DESIGN.md "Security semantics", the access matrix: rows app / operator / auditor / key
 * administrator, and "the account root's admin statement". Every case runs against the
 * documents buildPlan generates (key policy as the key's resource policy, bucket policy as
 * the bucket's, the role's inline policy as its identity policy), for every variant. Each
 * condition-dependent verdict here has its one-key flip in matrix-kms.test.ts or
 * matrix-uploads.test.ts.
 */

const A = 'Allowed';
const X = 'ExplicitlyDenied';
const I = 'ImplicitlyDenied';
const COMPLIANT = { context: { [SSE]: 'aws:kms', [SSE_KEY_ID]: KEY_ARN } };
const AES256 = { context: { [SSE]: 'AES256' } };
const ON_BUCKET = { resource: BUCKET_ARN };
const VIA_S3 = { context: viaS3() };
const STAR = { extra: [KMS_STAR] };
const VIA_S3_STAR = { ...VIA_S3, ...STAR };

const APP = 'app role';
const OPS = 'operator role';
const AUD = 'auditor role';
const KADM = 'key administrator';
const ROOT = 'account root user: break-glass administration';

const KMS_ROWS: Row[] = [
  row(`${APP} may`, 'app', 's3:GetObject', A),
  row(`${APP} may (compliant headers)`, 'app', 's3:PutObject', A, COMPLIANT),
  row(`${APP} may`, 'app', 's3:DeleteObject', A),
  row(`${APP} may`, 'app', 's3:ListBucket', A, ON_BUCKET),
  row(`${APP} may (via S3, this bucket)`, 'app', 'kms:GenerateDataKey', A, VIA_S3),
  row(`${APP} may (via S3, this bucket)`, 'app', 'kms:Decrypt', A, VIA_S3),
  row(`${APP} may (via S3, no Bucket Key)`, 'app', 'kms:Decrypt', A, { context: viaS3(`${BUCKET_ARN}/a/b`) }),
  row(`${APP} may`, 'app', 'kms:DescribeKey', A),
  row(`${APP} must never administer the key`, 'app', 'kms:PutKeyPolicy', X),
  row(`${APP} must never administer the key`, 'app', 'kms:ScheduleKeyDeletion', X),
  row(`${APP} must never administer the key, even with kms:*`, 'app', 'kms:PutKeyPolicy', X, STAR),
  row(`${APP} must never administer the key, even with kms:*`, 'app', 'kms:CreateGrant', X, STAR),
  row(`${APP} must never change the bucket policy`, 'app', 's3:PutBucketPolicy', X, ON_BUCKET),
  row(`${APP} decrypts only via S3 (explicitly)`, 'app', 'kms:Decrypt', X, {
    context: { [S3_CONTEXT]: BUCKET_ARN },
  }),
  row(`${APP} decrypts only this bucket`, 'app', 'kms:Decrypt', I, {
    context: viaS3(`${BUCKET_ARN}-other/x`),
  }),
  row(`${APP} only GenerateDataKey/Decrypt`, 'app', 'kms:Encrypt', I, VIA_S3),

  row(`${OPS} may`, 'operator', 's3:ListBucket', A, ON_BUCKET),
  row(`${OPS} may`, 'operator', 's3:PutLifecycleConfiguration', A, ON_BUCKET),
  row(`${OPS} may`, 'operator', 's3:PutBucketVersioning', A, ON_BUCKET),
  row(`${OPS} may`, 'operator', 'kms:DescribeKey', A),
  row(`${OPS} must never`, 'operator', 'kms:Decrypt', X, VIA_S3),
  row(`${OPS} must never, even with kms:*`, 'operator', 'kms:Decrypt', X, VIA_S3_STAR),
  row(`${OPS} must never, even with kms:*`, 'operator', 'kms:GenerateDataKey', X, VIA_S3_STAR),
  row(`${OPS} must never, even with kms:*`, 'operator', 'kms:PutKeyPolicy', X, STAR),
  row(`${OPS} must never, even with kms:*`, 'operator', 'kms:CreateGrant', X, STAR),
  row(`${OPS} must never`, 'operator', 's3:PutBucketPolicy', X, ON_BUCKET),
  row(`${OPS} must never`, 'operator', 's3:PutEncryptionConfiguration', X, ON_BUCKET),
  row(`${OPS} must never read objects`, 'operator', 's3:GetObject', I),

  row(`${AUD} may`, 'auditor', 'kms:DescribeKey', A),
  row(`${AUD} may`, 'auditor', 'kms:GetKeyPolicy', A),
  row(`${AUD} may`, 'auditor', 'kms:GetKeyRotationStatus', A),
  row(`${AUD} may`, 'auditor', 'kms:ListAliases', A),
  row(`${AUD} may read CloudTrail`, 'auditor', 'cloudtrail:LookupEvents', A),
  row(`${AUD} may read bucket security settings`, 'auditor', 's3:GetEncryptionConfiguration', A, ON_BUCKET),
  row(`${AUD} must never decrypt`, 'auditor', 'kms:Decrypt', X, VIA_S3),
  row(`${AUD} must never decrypt, even with kms:*`, 'auditor', 'kms:Decrypt', X, VIA_S3_STAR),
  row(`${AUD} must never change anything`, 'auditor', 'kms:PutKeyPolicy', X),
  row(`${AUD} must never change anything`, 'auditor', 's3:PutBucketPolicy', X, ON_BUCKET),
  row(`${AUD} must never change anything`, 'auditor', 's3:PutObject', I, COMPLIANT),
  row(`${AUD} must never read objects`, 'auditor', 's3:GetObject', I),

  row(`${KADM} may`, 'keyAdmin', 'kms:PutKeyPolicy', A),
  row(`${KADM} may`, 'keyAdmin', 'kms:EnableKeyRotation', A),
  row(`${KADM} may`, 'keyAdmin', 'kms:ScheduleKeyDeletion', A),
  row(`${KADM} must never decrypt`, 'keyAdmin', 'kms:Decrypt', X, VIA_S3),
  row(`${KADM} must never decrypt, even with kms:*`, 'keyAdmin', 'kms:Decrypt', X, VIA_S3_STAR),
  row(`${KADM} must never read objects`, 'keyAdmin', 's3:GetObject', I),

  row(`${ROOT} may administer`, 'root', 'kms:PutKeyPolicy', A),
  row(`${ROOT} may administer`, 'root', 'kms:EnableKeyRotation', A),
  row(`${ROOT} must never decrypt`, 'root', 'kms:Decrypt', X, VIA_S3),
  row(`${ROOT} must never decrypt`, 'root', 'kms:GenerateDataKey', X, VIA_S3),
  row('an unnamed administrator with kms:* must never administer', 'admin', 'kms:PutKeyPolicy', X, STAR),
  row('an unnamed administrator with kms:* must never decrypt', 'admin', 'kms:Decrypt', X, VIA_S3_STAR),
];

describe.each(KMS_VARIANTS)('access matrix, $label', (variant) => {
  const documents = () => documentsFor(variant);
  it.each(KMS_ROWS)('$row: $who $action -> $expected', async (each) => {
    expect(await runRow(documents(), each)).toBe(each.expected);
  });
});

const S3_ROWS: Row[] = [
  row(`${APP} may`, 'app', 's3:GetObject', A),
  row(`${APP} may (compliant header)`, 'app', 's3:PutObject', A, AES256),
  row(`${APP} may`, 'app', 's3:DeleteObject', A),
  row(`${APP} may`, 'app', 's3:ListBucket', A, ON_BUCKET),
  row(`${APP} must never change the bucket policy`, 'app', 's3:PutBucketPolicy', X, ON_BUCKET),
  row(`${OPS} may`, 'operator', 's3:ListBucket', A, ON_BUCKET),
  row(`${OPS} may`, 'operator', 's3:PutLifecycleConfiguration', A, ON_BUCKET),
  row(`${OPS} may`, 'operator', 's3:PutBucketVersioning', A, ON_BUCKET),
  row(`${OPS} must never`, 'operator', 's3:PutBucketPolicy', X, ON_BUCKET),
  row(`${OPS} must never`, 'operator', 's3:PutEncryptionConfiguration', X, ON_BUCKET),
  row(`${AUD} may read bucket security settings`, 'auditor', 's3:GetEncryptionConfiguration', A, ON_BUCKET),
  row(`${AUD} may read CloudTrail`, 'auditor', 'cloudtrail:LookupEvents', A),
  row(`${AUD} must never change anything`, 'auditor', 's3:PutBucketPolicy', X, ON_BUCKET),
  row(`${AUD} must never change anything`, 'auditor', 's3:PutObject', I, AES256),
  row(`${AUD} must never read objects`, 'auditor', 's3:GetObject', I),
];

describe.each(S3_VARIANTS)('access matrix, $label', (variant) => {
  const documents = () => documentsFor(variant);
  it('has no key policy and grants no KMS key action', () => {
    expect(documents().keyPolicy).toBeUndefined();
    expect(JSON.stringify(documents().rolePolicies)).not.toMatch(/"kms:(?!ListAliases)/);
  });
  it.each(S3_ROWS)('$row: $who $action -> $expected', async (each) => {
    expect(await runRow(documents(), each)).toBe(each.expected);
  });
});
