/*
 * Layer: pure plan. What the SSE-C scheme puts in the account: SSE-C allowed natively, every
 * other upload refused by the bucket policy, no KMS key, and the loud warnings.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { SSE_CUSTOMER_ALGORITHM } from '../../src/plan/bucket-policy.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { SCHEME_TRAITS, SCHEMES } from '../../src/plan/schemes.js';
import type { Answers, PolicyStatement } from '../../src/types.js';

const SSE_C: Answers = {
  bucket: 'acme-contracts',
  region: 'eu-west-1',
  accountId: '111122223333',
  scheme: 'sse-c',
  appRoles: ['contracts-app'],
  operatorRoles: ['platform-ops'],
  auditorRoles: ['security-audit'],
};

const statement = (statements: PolicyStatement[], sid: string) =>
  statements.find((each) => each.Sid === `EncryptedBucket${sid}`);

describe('the SSE-C plan', () => {
  const built = () => buildPlan(parseConfig(SSE_C));

  it('allows SSE-C explicitly (BlockedEncryptionTypes NONE) over SSE-S3 default encryption, Bucket Key off', () => {
    const plan = built();
    const step = plan.steps.find((each) => each.kind === 's3.putBucketEncryption');
    expect(step?.kind === 's3.putBucketEncryption' && step.encryption).toEqual({
      algorithm: 'AES256',
      bucketKeyEnabled: false,
      blockedEncryptionTypes: ['NONE'],
    });
  });

  it('makes no KMS key, no key policy, and grants no KMS action to anyone', () => {
    const plan = built();
    expect(plan.keyArn).toBeUndefined();
    expect(plan.documents.keyPolicy).toBeUndefined();
    expect(plan.steps.some((step) => step.kind.startsWith('kms.'))).toBe(false);
    expect(JSON.stringify(plan.documents.rolePolicies)).not.toContain('kms:');
    expect(plan.cost.monthlyUsdWithBucketKey).toBe(0);
    expect(plan.cost.kmsRequestsWithoutBucketKey).toBe(0);
  });

  it('refuses every upload without the SSE-C algorithm header, and any naming SSE-S3 or SSE-KMS', () => {
    const plan = built();
    const statements = plan.documents.bucketPolicy.Statement;
    expect(statement(statements, 'DenyUploadsWithoutSseC')).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Condition: { StringNotEquals: { [SSE_CUSTOMER_ALGORITHM]: 'AES256' } },
    });
    expect(statement(statements, 'DenyUploadsNamingOtherEncryption')).toMatchObject({
      Effect: 'Deny',
      Action: 's3:PutObject',
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'false' } },
    });
    // The SSE-C deny of the other schemes would refuse every compliant upload here.
    expect(statement(statements, 'DenySseC')).toBeUndefined();
    expect(statement(statements, 'DenyInsecureTransport')?.Condition).toEqual({
      Bool: { 'aws:SecureTransport': 'false' },
    });
    expect(statement(statements, 'DenyOutdatedTls')).toBeDefined();
    expect(statement(statements, 'DenyGuardrailChanges')).toBeDefined();
  });

  it('gives the application role object access only', () => {
    const plan = built();
    const app = plan.documents.rolePolicies.app?.Statement.flatMap((each) => [each.Action].flat());
    expect(app).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:ListBucket']));
    expect(
      plan.documents.rolePolicies.operator?.Statement.flatMap((each) => [each.Action].flat()),
    ).not.toContain('s3:GetObject');
  });

  it('warns loudly: lose the key and the data is gone; rotation is a copy with both keys', () => {
    const plan = built();
    const warnings = plan.warnings.join('\n');
    expect(warnings).toMatch(/LOSE THE KEY AND THE DATA IS GONE/);
    expect(warnings).toMatch(/old key as the copy-source key .* new key as the target key/);
  });

  it('says in the access table that the operator never reads plaintext, and who must send the key', () => {
    const plan = built();
    const operator = plan.accessTable.find((row) => row.who === 'operator');
    expect(operator?.mustNever).toMatch(/read plaintext/);
    const anyone = plan.accessTable.find((row) => row.who === 'anyone');
    expect(anyone?.mustNever).toMatch(/upload without a customer-provided key/);
  });

  it('refuses key flags, a re-encryption role and compatible enforcement', () => {
    expect(() => parseConfig({ ...SSE_C, keyAlias: 'alias/x' })).toThrow(/sse-c uses no KMS key/);
    expect(() => parseConfig({ ...SSE_C, reencryptRoles: ['rekey'] })).toThrow(/--reencrypt-role/);
    expect(() => parseConfig({ ...SSE_C, enforcement: 'compatible' })).toThrow(/--enforcement/);
  });
});

describe('the traits table', () => {
  it('names every scheme once, and only sse-c allows customer keys', () => {
    expect(SCHEMES).toEqual(['sse-kms', 'sse-s3', 'sse-c', 'client-kms', 'client-app-key']);
    for (const scheme of SCHEMES) {
      expect(SCHEME_TRAITS[scheme].blockedEncryptionTypes).toEqual(scheme === 'sse-c' ? ['NONE'] : ['SSE-C']);
    }
  });

  it('gives client-kms the sse-kms bucket layer with the same key, and client-app-key the sse-s3 one', () => {
    const base = { ...SSE_C, keyAdminRoles: ['key-custodian'] };
    const kms = buildPlan(parseConfig({ ...base, scheme: 'sse-kms' }));
    const clientKms = buildPlan(parseConfig({ ...base, scheme: 'client-kms' }));
    const encryption = (plan: typeof kms) =>
      plan.steps.find((step) => step.kind === 's3.putBucketEncryption');
    expect(encryption(clientKms)).toEqual(encryption(kms));
    expect(clientKms.documents.bucketPolicy).toEqual(kms.documents.bucketPolicy);
    const { keyAdminRoles: _, ...noAdmin } = base;
    const s3 = buildPlan(parseConfig({ ...noAdmin, scheme: 'sse-s3' }));
    const appKey = buildPlan(parseConfig({ ...noAdmin, scheme: 'client-app-key' }));
    expect(encryption(appKey)).toEqual(encryption(s3));
    expect(appKey.documents.bucketPolicy).toEqual(s3.documents.bucketPolicy);
    expect(appKey.documents.keyPolicy).toBeUndefined();
  });
});
