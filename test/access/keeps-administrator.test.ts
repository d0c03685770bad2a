import { describe, expect, it } from 'vitest';
import { keepsAdministrator } from '../../src/plan/key-policy.js';
import type { PolicyDocument, PolicyStatement } from '../../src/types.js';
import { ACCOUNT, documentsFor, KMS_STAR, KMS_VARIANTS, kmsRequest, type Variant } from './simulate.js';

/*
 * DESIGN.md: "The key policy must always leave an administrator that exists (the account
 * root's admin statement), or the key is lost." keepsAdministrator is apply's lockout guard;
 * the simulator is its oracle: can an admin session holding kms:* still call PutKeyPolicy?
 */

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ADMIN_SID = 'EnableAccountAdministration';
const variant = KMS_VARIANTS[0] as Variant;
const documents = documentsFor(variant);
const generated = documents.keyPolicy as PolicyDocument;

const adding = (statement: Omit<PolicyStatement, 'Sid'>): PolicyDocument => ({
  ...generated,
  Statement: [...generated.Statement, { Sid: 'Added', ...statement }],
});
const changingRoot = (change: Partial<PolicyStatement>): PolicyDocument => ({
  ...generated,
  Statement: generated.Statement.map((statement) =>
    statement.Sid === ADMIN_SID ? { ...statement, ...change } : statement,
  ),
});
const denyPut = (Principal: PolicyStatement['Principal'], Action: string | string[] = 'kms:PutKeyPolicy') =>
  adding({ Effect: 'Deny', Principal, Action, Resource: '*' });
const adminMayPutKeyPolicy = async (policy: PolicyDocument) =>
  (await kmsRequest({ ...documents, keyPolicy: policy }, 'admin', 'kms:PutKeyPolicy', {}, [KMS_STAR])) ===
  'Allowed';

const CASES: [string, PolicyDocument, boolean][] = [
  ['the generated key policy', generated, true],
  [
    'the root admin statement removed',
    { ...generated, Statement: generated.Statement.filter((statement) => statement.Sid !== ADMIN_SID) },
    false,
  ],
  ['a Deny of kms:PutKeyPolicy to "*"', denyPut('*'), false],
  ['a Deny of kms:PutKeyPolicy to {AWS: "*"}', denyPut({ AWS: '*' }), false],
  ['a Deny of kms:PutKeyPolicy to the account root', denyPut({ AWS: ROOT }), false],
  ['a Deny of kms:PutKeyPolicy to the account id', denyPut({ AWS: ACCOUNT }), false],
  ['a Deny of "*" to "*"', denyPut('*', '*'), false],
  ['a Deny of kms:putkeypolicy (letter case) to "*"', denyPut('*', 'kms:putkeypolicy'), false],
  ['a Deny of kms:Put*Policy to "*"', denyPut('*', ['kms:Decrypt', 'kms:Put*Policy']), false],
  [
    'a Deny of kms:PutKeyPolicy to one operator only',
    denyPut({ AWS: `arn:aws:iam::${ACCOUNT}:role/ops` }),
    true,
  ],
  ['the root named by account id', changingRoot({ Principal: { AWS: ACCOUNT } }), true],
  ['the root granted "*"', changingRoot({ Action: '*' }), true],
  ['the root granted only kms:Describe*', changingRoot({ Action: 'kms:Describe*' }), false],
];

describe('keepsAdministrator', () => {
  it.each(CASES.map(([name, policy, expected]) => ({ name, policy, expected })))(
    '$name -> $expected, as the simulator says',
    async ({ policy, expected }) => {
      expect(keepsAdministrator(policy, ROOT)).toBe(expected);
      expect(await adminMayPutKeyPolicy(policy)).toBe(expected);
    },
  );

  it.each(KMS_VARIANTS)('holds for the generated key policy, $label', (each) => {
    expect(keepsAdministrator(documentsFor(each).keyPolicy as PolicyDocument, ROOT)).toBe(true);
  });

  it('is conservative about a Deny with a condition (may lock out under that condition)', () => {
    const conditional = adding({
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:PutKeyPolicy',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    expect(keepsAdministrator(conditional, ROOT)).toBe(false);
  });
});
