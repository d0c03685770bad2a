import { describe, expect, it } from 'vitest';
import { EXECUTORS, type Run } from '../../src/apply/executors.js';
import { keepsAdministrator, keepsBucketAdministrator } from '../../src/plan/policy-guard.js';
import type { Plan, PolicyDocument, PolicyStatement } from '../../src/types.js';
import {
  ACCOUNT,
  BUCKET_ARN,
  documentsFor,
  KMS_VARIANTS,
  kmsRequest,
  principalArn,
  S3_VARIANTS,
  s3Request,
  type Variant,
} from './simulate.js';

/*
 * DESIGN.md: "refuse any key or bucket policy under which no existing principal could change
 * it again". keepsAdministrator / keepsBucketAdministrator are apply's lock-out guards; the
 * simulator is their oracle: may the root user or a key administrator (with its generated IAM
 * policy) still call kms:PutKeyPolicy / s3:PutBucketPolicy?
 */

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const KEY_ADMIN = principalArn('keyAdmin');
const ADMIN_SID = 'EnableAccountAdministration';
const KEY_ADMIN_SID = 'AllowKeyAdministrators';
const EXCEPT_SID = 'DenyKeyAdministrationExceptKeyAdministrators';
const variant = KMS_VARIANTS[0] as Variant;
// Built per use, never at load: a plan built while the file loads escapes the mutation run.
const documents = () => documentsFor(variant);
const generated = () => documents().keyPolicy as PolicyDocument;

const adding = (policy: PolicyDocument, statement: Omit<PolicyStatement, 'Sid'>): PolicyDocument => ({
  ...policy,
  Statement: [...policy.Statement, { Sid: 'Added', ...statement }],
});
const changing = (policy: PolicyDocument, sid: string, change: Partial<PolicyStatement>): PolicyDocument => ({
  ...policy,
  Statement: policy.Statement.map((statement) =>
    statement.Sid === sid ? { ...statement, ...change } : statement,
  ),
});
const without = (policy: PolicyDocument, ...sids: string[]): PolicyDocument => ({
  ...policy,
  Statement: policy.Statement.filter((statement) => !sids.includes(statement.Sid)),
});
const dropCondition = (policy: PolicyDocument, sid: string): PolicyDocument => ({
  ...policy,
  Statement: policy.Statement.map((statement) => {
    if (statement.Sid !== sid) return statement;
    const { Condition: _dropped, ...rest } = statement;
    return rest;
  }),
});
const denyPut = (Principal: PolicyStatement['Principal'], Action: string | string[] = 'kms:PutKeyPolicy') =>
  adding(generated(), { Effect: 'Deny', Principal, Action, Resource: '*' });
const exceptOnly = (operator: string, arns: string[]) =>
  changing(generated(), EXCEPT_SID, { Condition: { [operator]: { 'aws:PrincipalArn': arns } } });

const someAdministratorMayPutKeyPolicy = async (policy: PolicyDocument) => {
  const docs = { ...documents(), keyPolicy: policy };
  const root = await kmsRequest(docs, 'root', 'kms:PutKeyPolicy');
  const keyAdmin = await kmsRequest(docs, 'keyAdmin', 'kms:PutKeyPolicy');
  return root === 'Allowed' || keyAdmin === 'Allowed';
};

const KEY_CASES: [string, () => PolicyDocument, boolean][] = [
  ['the generated key policy', generated, true],
  [
    'the root admin statement removed (the key administrator remains)',
    () => without(generated(), ADMIN_SID),
    true,
  ],
  ['both admin statements removed', () => without(generated(), ADMIN_SID, KEY_ADMIN_SID), false],
  ['a Deny of kms:PutKeyPolicy to "*"', () => denyPut('*'), false],
  ['a Deny of kms:PutKeyPolicy to {AWS: "*"}', () => denyPut({ AWS: '*' }), false],
  ['a Deny of kms:PutKeyPolicy to the account root (the whole account)', () => denyPut({ AWS: ROOT }), false],
  ['a Deny of kms:PutKeyPolicy to the account id', () => denyPut({ AWS: ACCOUNT }), false],
  ['a Deny of "*" to "*"', () => denyPut('*', '*'), false],
  ['a Deny of kms:putkeypolicy (letter case) to "*"', () => denyPut('*', 'kms:putkeypolicy'), false],
  ['a Deny of kms:Put*Policy to "*"', () => denyPut('*', ['kms:Decrypt', 'kms:Put*Policy']), false],
  [
    'a Deny of kms:PutKeyPolicy to one operator only',
    () => denyPut({ AWS: `arn:aws:iam::${ACCOUNT}:role/ops` }),
    true,
  ],
  [
    'the administration Deny excepting only an operator: the last administrator lost',
    () => exceptOnly('ArnNotEquals', [principalArn('operator')]),
    false,
  ],
  [
    'the administration Deny with its operator swapped to ArnEquals',
    () => exceptOnly('ArnEquals', [ROOT, KEY_ADMIN]),
    false,
  ],
  ['the administration Deny excepting only the root user', () => exceptOnly('ArnNotEquals', [ROOT]), true],
  [
    'the administration Deny excepting only the key administrator',
    () => exceptOnly('ArnNotEquals', [KEY_ADMIN]),
    true,
  ],
  ['the administration Deny without its exception', () => dropCondition(generated(), EXCEPT_SID), false],
  [
    'the root named by account id',
    () => changing(generated(), ADMIN_SID, { Principal: { AWS: ACCOUNT } }),
    true,
  ],
  [
    'the root granted only kms:Describe*, no key administrator statement',
    () => without(changing(generated(), ADMIN_SID, { Action: 'kms:Describe*' }), KEY_ADMIN_SID),
    false,
  ],
];

describe('keepsAdministrator (the key policy lock-out guard)', () => {
  it.each(KEY_CASES.map(([name, policy, expected]) => ({ name, policy, expected })))(
    '$name -> $expected, as the simulator says',
    async ({ policy: build, expected }) => {
      const policy = build();
      expect(keepsAdministrator(policy, ROOT, [KEY_ADMIN])).toBe(expected);
      expect(await someAdministratorMayPutKeyPolicy(policy)).toBe(expected);
    },
  );

  it.each(KMS_VARIANTS)('holds for the generated key policy, $label', (each) => {
    expect(keepsAdministrator(documentsFor(each).keyPolicy as PolicyDocument, ROOT, [KEY_ADMIN])).toBe(true);
  });

  it('is conservative about a Deny with a condition it cannot decide (may lock out under it)', () => {
    const conditional = adding(generated(), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:PutKeyPolicy',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    expect(keepsAdministrator(conditional, ROOT, [KEY_ADMIN])).toBe(false);
  });
});

const bucketPolicy = () => documents().bucketPolicy;
const GUARD_SID = 'EncryptedBucketDenyGuardrailChanges';
const guardExcepting = (operator: string, arns: string[]) =>
  changing(bucketPolicy(), GUARD_SID, { Condition: { [operator]: { 'aws:PrincipalArn': arns } } });
const someAdministratorMayPutBucketPolicy = async (policy: PolicyDocument) => {
  const docs = { ...documents(), bucketPolicy: policy };
  const results = await Promise.all(
    (['root', 'keyAdmin'] as const).map((who) => s3Request(docs, who, 's3:PutBucketPolicy', BUCKET_ARN)),
  );
  return results.includes('Allowed');
};

const BUCKET_CASES: [string, () => PolicyDocument, boolean][] = [
  ['the generated bucket policy (its HTTP and TLS denies cover s3:* too)', bucketPolicy, true],
  [
    'the guardrail Deny excepting only an operator: the last administrator lost',
    () => guardExcepting('ArnNotEquals', [principalArn('operator')]),
    false,
  ],
  [
    'the guardrail Deny with its operator swapped to ArnEquals',
    () => guardExcepting('ArnEquals', [ROOT, KEY_ADMIN]),
    false,
  ],
  ['the guardrail Deny without its exception', () => dropCondition(bucketPolicy(), GUARD_SID), false],
  [
    'the guardrail Deny excepting only the key administrator',
    () => guardExcepting('ArnNotEquals', [KEY_ADMIN]),
    true,
  ],
];

describe('keepsBucketAdministrator (the bucket policy lock-out guard)', () => {
  it.each(BUCKET_CASES.map(([name, policy, expected]) => ({ name, policy, expected })))(
    '$name -> $expected, as the simulator says',
    async ({ policy: build, expected }) => {
      const policy = build();
      expect(keepsBucketAdministrator(policy, [ROOT, KEY_ADMIN])).toBe(expected);
      expect(await someAdministratorMayPutBucketPolicy(policy)).toBe(expected);
    },
  );
  it.each([...KMS_VARIANTS, ...S3_VARIANTS])('holds for the generated bucket policy, $label', (each) => {
    expect(keepsBucketAdministrator(documentsFor(each).bucketPolicy, [ROOT])).toBe(true);
  });
});

describe('apply refuses, before any call, a policy that would lose its last administrator', () => {
  const refusingRun = (): Run => {
    const noCall = { send: () => Promise.reject(new Error('a write was sent')) };
    const config = {
      accountId: ACCOUNT,
      partition: 'aws',
      roles: {
        keyAdmin: [{ name: 'key-admin', arn: KEY_ADMIN }],
        app: [],
        operator: [],
        auditor: [],
        reencrypt: [],
      },
    };
    return {
      clients: { kms: noCall, s3: noCall } as unknown as Run['clients'],
      plan: { config } as unknown as Plan,
      state: { bucket: { status: 'missing' } } as unknown as Run['state'],
      keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      keyCreatedNow: false,
    };
  };
  it('a key policy', async () => {
    const policy = exceptOnly('ArnNotEquals', [principalArn('operator')]);
    const put = EXECUTORS['kms.putKeyPolicy'](
      { kind: 'kms.putKeyPolicy', policy },
      refusingRun(),
      'key policy',
    );
    await expect(put).rejects.toThrow(/would leave no administrator/);
  });
  it('a bucket policy', async () => {
    const policy = guardExcepting('ArnNotEquals', [principalArn('operator')]);
    const step = { kind: 's3.putBucketPolicy' as const, bucket: 'acme-data', policy };
    await expect(EXECUTORS['s3.putBucketPolicy'](step, refusingRun(), 'bucket policy')).rejects.toThrow(
      /would let none of/,
    );
  });
});
