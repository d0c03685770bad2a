import { describe, expect, it } from 'vitest';
import {
  ADMINISTRATOR_ACCESS,
  BUCKET_ARN,
  documentsFor,
  KEY_ARN,
  type Row,
  row,
  runRow,
  SECURE_TRANSPORT,
  SSE,
  SSE_C,
  SSE_KEY_ID,
  type Variant,
} from './simulate.js';

/*
 * DESIGN.md access matrix for the two schemes where the application holds the only key: SSE-C
 * and client-side encryption with an application key. There is no KMS key, so the separation
 * the simulator can judge is the bucket policy's and the roles' policies; "the operator never
 * reads plaintext" has two halves:
 *  - here: no policy lets the operator read an object (its role has no object action);
 *  - beyond any policy: a principal that IAM lets read objects anyway (s3:* in IAM, shown as
 *    Allowed below, honestly) still gets no plaintext. SSE-C: S3 answers GetObject and
 *    HeadObject without the customer key with HTTP 400 (test/verify/sse-c-verify.test.ts, the
 *    exact requests). client-app-key: what it fetches is an Encryption SDK message only the
 *    application key opens (the client module's round-trip tests).
 * Neither key exists anywhere the tool writes, and no policy names one.
 */

const A = 'Allowed';
const X = 'ExplicitlyDenied';
const I = 'ImplicitlyDenied';
const ON_BUCKET = { resource: BUCKET_ARN };
const S3_STAR = {
  extra: [
    {
      Version: '2012-10-17' as const,
      Statement: [{ Sid: 'S3', Effect: 'Allow' as const, Action: 's3:*', Resource: '*' }],
    },
  ],
};

const SSE_C_UPLOAD = { context: { [SSE_C]: 'AES256' } };

const SSE_C_ROWS: Row[] = [
  row('app role may (SSE-C headers)', 'app', 's3:PutObject', A, SSE_C_UPLOAD),
  row('app role may', 'app', 's3:GetObject', A),
  row('app role may', 'app', 's3:DeleteObject', A),
  row('app role may', 'app', 's3:ListBucket', A, ON_BUCKET),
  row('app role must never upload without SSE-C', 'app', 's3:PutObject', X),
  row('app role must never upload with SSE-S3', 'app', 's3:PutObject', X, { context: { [SSE]: 'AES256' } }),
  row('app role must never upload with SSE-KMS', 'app', 's3:PutObject', X, {
    context: { [SSE]: 'aws:kms', [SSE_KEY_ID]: KEY_ARN },
  }),
  row('app role must never upload naming SSE-S3 beside SSE-C', 'app', 's3:PutObject', X, {
    context: { [SSE_C]: 'AES256', [SSE]: 'AES256' },
  }),
  row('app role must never change the bucket policy', 'app', 's3:PutBucketPolicy', X, ON_BUCKET),
  row('app role must never change default encryption', 'app', 's3:PutEncryptionConfiguration', X, ON_BUCKET),
  row('operator may', 'operator', 's3:PutBucketVersioning', A, ON_BUCKET),
  row('operator never reads an object', 'operator', 's3:GetObject', I),
  row('operator never reads an object version', 'operator', 's3:GetObjectVersion', I),
  row('operator never writes an object', 'operator', 's3:PutObject', I, SSE_C_UPLOAD),
  row(
    'operator with s3:* may GetObject by policy: only the key opens it',
    'operator',
    's3:GetObject',
    A,
    S3_STAR,
  ),
  row(
    'operator must never, even with s3:*, re-enable SSE-C blocking',
    'operator',
    's3:PutEncryptionConfiguration',
    X,
    {
      ...ON_BUCKET,
      ...S3_STAR,
    },
  ),
  row('operator must never, even with s3:*, change the bucket policy', 'operator', 's3:PutBucketPolicy', X, {
    ...ON_BUCKET,
    ...S3_STAR,
  }),
  row('auditor may read security settings', 'auditor', 's3:GetEncryptionConfiguration', A, ON_BUCKET),
  row('auditor never reads an object', 'auditor', 's3:GetObject', I),
  row('any administrator must never upload without SSE-C', 'admin', 's3:PutObject', X),
  row(
    'any administrator must never change default encryption',
    'admin',
    's3:PutEncryptionConfiguration',
    X,
    ON_BUCKET,
  ),
  row('anyone must never use plain HTTP', 'app', 's3:GetObject', X, {
    context: { [SECURE_TRANSPORT]: 'false' },
  }),
  row('anyone must never upload over plain HTTP', 'app', 's3:PutObject', X, {
    context: { [SSE_C]: 'AES256', [SECURE_TRANSPORT]: 'false' },
  }),
];

const CLIENT_APP_KEY_ROWS = (variant: Variant): Row[] => [
  row('app role may (AES256 header)', 'app', 's3:PutObject', A, { context: { [SSE]: 'AES256' } }),
  row(
    `app role ${variant.enforcement === 'strict' ? 'must never upload headerless (strict)' : 'may upload headerless (compatible)'}`,
    'app',
    's3:PutObject',
    variant.enforcement === 'strict' ? X : A,
  ),
  row('app role may', 'app', 's3:GetObject', A),
  row('app role must never upload with SSE-C', 'app', 's3:PutObject', X, { context: { [SSE_C]: 'AES256' } }),
  row('app role must never change default encryption', 'app', 's3:PutEncryptionConfiguration', X, ON_BUCKET),
  row('operator never reads an object', 'operator', 's3:GetObject', I),
  row(
    'operator with s3:* may GetObject by policy: it gets ciphertext only',
    'operator',
    's3:GetObject',
    A,
    S3_STAR,
  ),
  row('operator must never, even with s3:*, change the bucket policy', 'operator', 's3:PutBucketPolicy', X, {
    ...ON_BUCKET,
    ...S3_STAR,
  }),
  row('auditor never reads an object', 'auditor', 's3:GetObject', I),
  row(
    'any administrator must never change default encryption',
    'admin',
    's3:PutEncryptionConfiguration',
    X,
    ON_BUCKET,
  ),
  row('anyone must never use plain HTTP', 'app', 's3:GetObject', X, {
    context: { [SECURE_TRANSPORT]: 'false' },
  }),
];

describe('SSE-C access matrix', () => {
  const documents = () => documentsFor({ label: 'sse-c', scheme: 'sse-c', enforcement: 'strict' });
  it.each(SSE_C_ROWS)('$row: $who $action', async (each) => {
    expect(await runRow(documents(), each)).toBe(each.expected);
  });

  it('has no KMS key and grants nobody a KMS action or a secret', () => {
    expect(documents().keyPolicy).toBeUndefined();
    expect(JSON.stringify(documents())).not.toMatch(/kms:|secretsmanager:/);
  });

  it('the root user may still change the bucket guardrails (break-glass)', async () => {
    expect(
      await runRow(
        documents(),
        row('root', 'root', 's3:PutEncryptionConfiguration', A, {
          ...ON_BUCKET,
          extra: [ADMINISTRATOR_ACCESS],
        }),
      ),
    ).toBe(A);
  });
});

describe.each([
  { label: 'client-app-key strict', scheme: 'client-app-key', enforcement: 'strict' },
  { label: 'client-app-key compatible', scheme: 'client-app-key', enforcement: 'compatible' },
] as Variant[])('$label access matrix', (variant) => {
  const documents = () => documentsFor(variant);
  it.each(CLIENT_APP_KEY_ROWS(variant))('$row: $who $action', async (each) => {
    expect(await runRow(documents(), each)).toBe(each.expected);
  });

  it('has no KMS key and grants nobody a KMS action', () => {
    expect(documents().keyPolicy).toBeUndefined();
    expect(JSON.stringify(documents())).not.toContain('kms:');
  });
});
