import { describe, expect, it } from 'vitest';
import { keepsAdministrator, keepsBucketAdministrator, mayBeDenied } from '../../src/plan/policy-guard.js';
import type { PolicyDocument, PolicyStatement } from '../../src/types.js';
import {
  ACCOUNT,
  BUCKET_ARN,
  type Context,
  OBJECT_ARN,
  PRINCIPAL_ARN,
  SSE,
  simulate,
  TLS_VERSION,
} from './simulate.js';

/*
 * mayBeDenied is the lock-out guards' judge of one Deny (policy-guard.ts). Where it can
 * decide, it must agree with the IAM simulator, statement by statement: each condition
 * operator, action and principal form is judged once matching and once not. Where it cannot
 * decide (a key it was not given, a set operator), it must say "may be denied".
 */

const ROLE = `arn:aws:iam::${ACCOUNT}:role/ops`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const SECURE = 'aws:SecureTransport';

/** A statement's fields, and the negated forms PolicyStatement does not model. */
type Deny = Partial<PolicyStatement> & { NotAction?: string | string[]; NotPrincipal?: unknown };

const policyWith = (deny: Deny): PolicyDocument => {
  const judged = {
    Sid: 'Judged',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: OBJECT_ARN,
    ...deny,
  };
  // A key set to undefined is left out (NotAction instead of Action, NotPrincipal instead of Principal).
  const statement = Object.fromEntries(Object.entries(judged).filter(([, value]) => value !== undefined));
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowAll',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:*',
        Resource: [BUCKET_ARN, OBJECT_ARN],
      },
      statement as unknown as PolicyStatement,
    ],
  };
};

interface Case {
  name: string;
  deny: Deny;
  context: Context;
  denied: boolean;
  arn?: string;
}
const when = (name: string, deny: Deny, context: Context, denied: boolean, arn = ROLE) => ({
  name,
  deny,
  context,
  denied,
  arn,
});
const on = (operator: string, key: string, value: string | string[]) => ({
  Condition: { [operator]: { [key]: value } },
});

const DECIDABLE: Case[] = [
  when('StringEquals, matching', on('StringEquals', SSE, 'AES256'), { [SSE]: 'AES256' }, true),
  when('StringEquals, not matching', on('StringEquals', SSE, 'AES256'), { [SSE]: 'aws:kms' }, false),
  when(
    'StringEquals, one of two values',
    on('StringEquals', SSE, ['aws:kms', 'AES256']),
    { [SSE]: 'AES256' },
    true,
  ),
  when('StringNotEquals, matching', on('StringNotEquals', SSE, 'AES256'), { [SSE]: 'AES256' }, false),
  when('StringNotEquals, not matching', on('StringNotEquals', SSE, 'AES256'), { [SSE]: 'aws:kms' }, true),
  when('StringEqualsIgnoreCase', on('StringEqualsIgnoreCase', SSE, 'aes256'), { [SSE]: 'AES256' }, true),
  when(
    'StringEqualsIgnoreCase, other',
    on('StringEqualsIgnoreCase', SSE, 'aes256'),
    { [SSE]: 'aws:kms' },
    false,
  ),
  when(
    'StringNotEqualsIgnoreCase',
    on('StringNotEqualsIgnoreCase', SSE, 'aes256'),
    { [SSE]: 'AES256' },
    false,
  ),
  when('StringEquals is case-sensitive', on('StringEquals', SSE, 'aes256'), { [SSE]: 'AES256' }, false),
  when('StringLike with *', on('StringLike', SSE, 'aws:*'), { [SSE]: 'aws:kms' }, true),
  when('StringLike with ?', on('StringLike', SSE, 'AES25?'), { [SSE]: 'AES256' }, true),
  when('StringLike ? is one character', on('StringLike', SSE, 'AES2?'), { [SSE]: 'AES256' }, false),
  when('StringLike, not matching', on('StringLike', SSE, 'aws:*'), { [SSE]: 'AES256' }, false),
  when('StringLike is case-sensitive', on('StringLike', SSE, 'AWS:*'), { [SSE]: 'aws:kms' }, false),
  when('StringLike: a dot is a dot', on('StringLike', SSE, 'aws.kms'), { [SSE]: 'awsxkms' }, false),
  when('StringLike: anchored at the end', on('StringLike', SSE, 'aws'), { [SSE]: 'aws:kms' }, false),
  when('StringLike: anchored at the start', on('StringLike', SSE, 'kms'), { [SSE]: 'aws:kms' }, false),
  when('StringLike: a dot matches itself', on('StringLike', SSE, 'aws.kms'), { [SSE]: 'aws.kms' }, true),
  when(
    'ArnLike is case-sensitive',
    on('ArnLike', PRINCIPAL_ARN, `arn:aws:iam::${ACCOUNT}:role/O*`),
    {},
    false,
  ),
  when(
    'NotAction: a list, one entry covering it',
    { Action: undefined, NotAction: ['s3:Get*', 's3:Put*'] },
    {},
    false,
  ),
  when('NotAction: any letter case', { Action: undefined, NotAction: 's3:put*' }, {}, false),
  when('StringNotLike', on('StringNotLike', SSE, 'aws:*'), { [SSE]: 'AES256' }, true),
  when('StringNotLike, matching', on('StringNotLike', SSE, 'aws:*'), { [SSE]: 'aws:kms' }, false),
  when('ArnEquals, the role', on('ArnEquals', PRINCIPAL_ARN, ROLE), {}, true),
  when('ArnEquals, another role', on('ArnEquals', PRINCIPAL_ARN, `${ROLE}-other`), {}, false),
  when('ArnNotEquals, the role', on('ArnNotEquals', PRINCIPAL_ARN, ROLE), {}, false),
  when('ArnNotEquals, another role', on('ArnNotEquals', PRINCIPAL_ARN, `${ROLE}-other`), {}, true),
  when('ArnLike', on('ArnLike', PRINCIPAL_ARN, `arn:aws:iam::${ACCOUNT}:role/o*`), {}, true),
  when('ArnLike, not matching', on('ArnLike', PRINCIPAL_ARN, `arn:aws:iam::${ACCOUNT}:role/x*`), {}, false),
  when('ArnNotLike', on('ArnNotLike', PRINCIPAL_ARN, `arn:aws:iam::${ACCOUNT}:role/o*`), {}, false),
  when(
    'ArnNotLike, not matching',
    on('ArnNotLike', PRINCIPAL_ARN, `arn:aws:iam::${ACCOUNT}:role/x*`),
    {},
    true,
  ),
  when('Bool, matching', on('Bool', SECURE, 'false'), { [SECURE]: 'false' }, true),
  when('Bool, not matching', on('Bool', SECURE, 'false'), { [SECURE]: 'true' }, false),
  when('NumericLessThan, less', on('NumericLessThan', TLS_VERSION, '1.2'), { [TLS_VERSION]: '1.1' }, true),
  when('NumericLessThan, equal', on('NumericLessThan', TLS_VERSION, '1.2'), { [TLS_VERSION]: '1.2' }, false),
  when(
    'NumericLessThanEquals, equal',
    on('NumericLessThanEquals', TLS_VERSION, '1.2'),
    { [TLS_VERSION]: '1.2' },
    true,
  ),
  when(
    'NumericLessThanEquals, more',
    on('NumericLessThanEquals', TLS_VERSION, '1.2'),
    { [TLS_VERSION]: '1.3' },
    false,
  ),
  when(
    'NumericGreaterThan, more',
    on('NumericGreaterThan', TLS_VERSION, '1.2'),
    { [TLS_VERSION]: '1.3' },
    true,
  ),
  when(
    'NumericGreaterThan, equal',
    on('NumericGreaterThan', TLS_VERSION, '1.2'),
    { [TLS_VERSION]: '1.2' },
    false,
  ),
  when(
    'NumericGreaterThanEquals, equal',
    on('NumericGreaterThanEquals', TLS_VERSION, '1.2'),
    { [TLS_VERSION]: '1.2' },
    true,
  ),
  when(
    'NumericGreaterThanEquals, less',
    on('NumericGreaterThanEquals', TLS_VERSION, '1.2'),
    { [TLS_VERSION]: '1.1' },
    false,
  ),
  when('NumericEquals, equal', on('NumericEquals', TLS_VERSION, '1.2'), { [TLS_VERSION]: '1.2' }, true),
  when('NumericEquals, other', on('NumericEquals', TLS_VERSION, '1.2'), { [TLS_VERSION]: '1.3' }, false),
  when('NumericNotEquals, other', on('NumericNotEquals', TLS_VERSION, '1.2'), { [TLS_VERSION]: '1.3' }, true),
  when(
    'NumericNotEquals, equal',
    on('NumericNotEquals', TLS_VERSION, '1.2'),
    { [TLS_VERSION]: '1.2' },
    false,
  ),
  when('StringNotEqualsIfExists, key absent', on('StringNotEqualsIfExists', SSE, 'aws:kms'), {}, true),
  when(
    'StringNotEqualsIfExists, key matching',
    on('StringNotEqualsIfExists', SSE, 'aws:kms'),
    { [SSE]: 'aws:kms' },
    false,
  ),
  when(
    'StringEqualsIfExists, key present, other',
    on('StringEqualsIfExists', SSE, 'aws:kms'),
    { [SSE]: 'AES256' },
    false,
  ),
  when('Null false, key present', on('Null', SSE, 'false'), { [SSE]: 'AES256' }, true),
  when('Null true, key present', on('Null', SSE, 'true'), { [SSE]: 'AES256' }, false),
  when('Null, either value', on('Null', SSE, ['true', 'false']), { [SSE]: 'AES256' }, true),
  when(
    'two keys in one statement are ANDed: one fails',
    { Condition: { Bool: { [SECURE]: 'false' }, NumericLessThan: { [TLS_VERSION]: '1.2' } } },
    { [SECURE]: 'false', [TLS_VERSION]: '1.3' },
    false,
  ),
  when(
    'two keys in one statement are ANDed: both hold',
    { Condition: { Bool: { [SECURE]: 'false' }, NumericLessThan: { [TLS_VERSION]: '1.2' } } },
    { [SECURE]: 'false', [TLS_VERSION]: '1.1' },
    true,
  ),
  when('no condition', {}, {}, true),
  when('an action wildcard, any letter case', { Action: 's3:put*' }, {}, true),
  when('an action list', { Action: ['s3:GetObject', 's3:PutObject'] }, {}, true),
  when('another action', { Action: 's3:GetObject' }, {}, false),
  when('an action prefix only', { Action: 's3:Put' }, {}, false),
  when('an action ? wildcard', { Action: 's3:PutObjec?' }, {}, true),
  when('NotAction covering it', { Action: undefined, NotAction: 's3:Put*' }, {}, false),
  when('NotAction not covering it', { Action: undefined, NotAction: 's3:Get*' }, {}, true),
  when('Principal: the role', { Principal: { AWS: ROLE } }, {}, true),
  when('Principal: another role', { Principal: { AWS: `${ROLE}-other` } }, {}, false),
  when('Principal: a list with the role', { Principal: { AWS: [`${ROLE}-other`, ROLE] } }, {}, true),
  when('Principal: the account id covers its roles', { Principal: { AWS: ACCOUNT } }, {}, true),
  when('Principal: the account root covers its roles', { Principal: { AWS: ROOT } }, {}, true),
  when('Principal: another account', { Principal: { AWS: '444455556666' } }, {}, false),
  when(
    'Principal: another account root',
    { Principal: { AWS: 'arn:aws:iam::444455556666:root' } },
    {},
    false,
  ),
  when('Principal: AWS "*"', { Principal: { AWS: '*' } }, {}, true),
  when('Principal: a service only', { Principal: { Service: 's3.amazonaws.com' } }, {}, false),
  when('Principal: the root user itself', { Principal: { AWS: ROOT } }, {}, true, ROOT),
];

async function simulatorDenies(each: Case): Promise<boolean> {
  const verdict = await simulate({
    principal: each.arn ?? ROLE,
    action: 's3:PutObject',
    resource: OBJECT_ARN,
    resourcePolicy: policyWith(each.deny),
    context: { [SECURE]: 'true', [TLS_VERSION]: '1.2', ...each.context, [PRINCIPAL_ARN]: each.arn ?? ROLE },
  });
  return verdict === 'ExplicitlyDenied';
}

describe('mayBeDenied agrees with the simulator where it can decide', () => {
  it.each(DECIDABLE)('$name -> $denied', async (each) => {
    const context = { [SECURE]: 'true', [TLS_VERSION]: '1.2', ...each.context };
    expect(mayBeDenied(policyWith(each.deny), 's3:PutObject', each.arn ?? ROLE, context)).toBe(each.denied);
    expect(await simulatorDenies(each)).toBe(each.denied);
  });

  it('reads only Denies: an Allow of the same shape refuses nothing', () => {
    const allowOnly: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'A', Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' }],
    };
    expect(mayBeDenied(allowOnly, 's3:PutObject', ROLE, {})).toBe(false);
  });

  it('a NotPrincipal Deny reaches everyone it does not name (counted as reaching)', () => {
    const policy = policyWith({ Principal: undefined, NotPrincipal: { AWS: `${ROLE}-other` } } as never);
    expect(mayBeDenied(policy, 's3:PutObject', ROLE, {})).toBe(true);
  });
});

describe('mayBeDenied errs towards "may be denied" where it cannot decide', () => {
  it.each([
    ['a key the request does not carry', on('StringEquals', SSE, 'AES256'), {}],
    ['a Null test of a key it was not given', on('Null', SSE, 'true'), {}],
    ['a set operator', on('ForAnyValue:StringEquals', SSE, 'AES256'), { [SSE]: 'other' }],
    ['an operator it does not know', on('DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z'), {}],
    ['a condition block that is not an object', { Condition: { StringEquals: 'x' } as never }, {}],
    ['a condition that is not an object', { Condition: 'x' as never }, {}],
    ['a condition that is null', { Condition: null as never }, {}],
    ['a condition block that is null', { Condition: { StringEquals: null } as never }, {}],
    [
      'an undecided key beside a holding one',
      { Condition: { Bool: { [SECURE]: 'true' }, StringEquals: { [SSE]: 'x' } } },
      { [SECURE]: 'true' },
    ],
  ] as [string, Deny, Context][])('%s', (_, deny, context) => {
    expect(mayBeDenied(policyWith(deny), 's3:PutObject', ROLE, context)).toBe(true);
  });

  it('a statement without a Principal names no one (an identity-policy statement)', () => {
    expect(mayBeDenied(policyWith({ Principal: undefined }), 's3:PutObject', ROLE, {})).toBe(false);
    expect(mayBeDenied(policyWith({ Principal: null as never }), 's3:PutObject', ROLE, {})).toBe(false);
  });

  it('but a key that fails decides, even beside an undecided one', () => {
    const deny = { Condition: { Bool: { [SECURE]: 'false' }, StringEquals: { [SSE]: 'x' } } };
    expect(mayBeDenied(policyWith(deny), 's3:PutObject', ROLE, { [SECURE]: 'true' })).toBe(false);
  });
});

describe('keepsAdministrator reads an Allow as IAM would, and only when it surely applies', () => {
  const KEY_ADMIN = `arn:aws:iam::${ACCOUNT}:role/key-admin`;
  const OTHER_ROOT = 'arn:aws:iam::444455556666:root';
  const allowing = (statement: Record<string, unknown>): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Admin', Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*', ...statement } as never,
    ],
  });

  it('an IfExists condition on a key the request lacks holds', () => {
    const policy = allowing({
      Principal: { AWS: KEY_ADMIN },
      Condition: { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } },
    });
    expect(keepsAdministrator(policy, OTHER_ROOT, [KEY_ADMIN])).toBe(true);
  });

  it('the same condition without IfExists cannot be known to hold: no administrator counted', () => {
    const policy = allowing({
      Principal: { AWS: KEY_ADMIN },
      Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
    });
    expect(keepsAdministrator(policy, OTHER_ROOT, [KEY_ADMIN])).toBe(false);
  });

  it('an Allow naming the account counts for the root user only, not for a role', () => {
    const policy = allowing({ Principal: { AWS: ACCOUNT } });
    expect(keepsAdministrator(policy, OTHER_ROOT, [KEY_ADMIN])).toBe(false);
    expect(keepsAdministrator(policy, ROOT, [])).toBe(true);
  });

  it('an Allow with NotAction is not counted, nor one of another action', () => {
    const notAction = allowing({
      Principal: { AWS: KEY_ADMIN },
      Action: undefined,
      NotAction: 'kms:Decrypt',
    });
    expect(keepsAdministrator(notAction, OTHER_ROOT, [KEY_ADMIN])).toBe(false);
    expect(
      keepsAdministrator(allowing({ Principal: { AWS: KEY_ADMIN }, Action: 'kms:Get*' }), OTHER_ROOT, [
        KEY_ADMIN,
      ]),
    ).toBe(false);
    expect(
      keepsAdministrator(allowing({ Principal: { AWS: KEY_ADMIN }, Action: 'KMS:Put*' }), OTHER_ROOT, [
        KEY_ADMIN,
      ]),
    ).toBe(true);
  });

  it("an Allow conditioned on the candidate's own aws:PrincipalArn holds", () => {
    const policy = allowing({
      Principal: { AWS: KEY_ADMIN },
      Condition: { ArnEquals: { 'aws:PrincipalArn': KEY_ADMIN } },
    });
    expect(keepsAdministrator(policy, OTHER_ROOT, [KEY_ADMIN])).toBe(true);
  });

  it.each([
    ['a NotPrincipal Allow', { NotPrincipal: { AWS: `${KEY_ADMIN}-other` } }],
    ['a set operator', { Condition: { 'ForAnyValue:ArnEquals': { 'aws:PrincipalArn': [KEY_ADMIN] } } }],
    [
      'a set operator with IfExists',
      { Condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:SourceVpc': 'vpc-1' } } },
    ],
    ['a Null test of a key the request may carry', { Condition: { Null: { 'aws:SourceVpc': 'true' } } }],
    ['an operator it does not know', { Condition: { ArnMatches: { 'aws:PrincipalArn': KEY_ADMIN } } }],
    ['a condition that is a number', { Condition: 5 }],
    ['a condition block that is a number', { Condition: { StringEquals: 5 } }],
  ] as [string, Record<string, unknown>][])(
    'an Allow it cannot be sure of is not counted: %s',
    (_, extra) => {
      const principal = 'NotPrincipal' in extra ? {} : { Principal: { AWS: KEY_ADMIN } };
      expect(keepsAdministrator(allowing({ ...principal, ...extra }), OTHER_ROOT, [KEY_ADMIN])).toBe(false);
    },
  );

  it('a Deny of the candidate overrides its Allow', () => {
    const policy = allowing({ Principal: { AWS: KEY_ADMIN } });
    policy.Statement.push({
      Sid: 'No',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:*',
      Resource: '*',
    } as never);
    expect(keepsAdministrator(policy, OTHER_ROOT, [KEY_ADMIN])).toBe(false);
  });
});

describe('a JSON number or boolean in a condition is read as AWS reads it, as its text', () => {
  const denyPutBucketPolicy = (Condition: Record<string, unknown>): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Lock',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutBucketPolicy',
        Resource: BUCKET_ARN,
        Condition,
      } as never,
    ],
  });
  it.each([
    ['a number', { NumericGreaterThanEquals: { [TLS_VERSION]: 1.2 } }],
    ['a boolean', { Bool: { [SECURE]: true } }],
    ['a list of numbers', { NumericEquals: { [TLS_VERSION]: [1.1, 1.2, 1.3] } }],
  ])('a Deny every HTTPS request meets, its value %s: the lock-out is seen', (_, condition) => {
    expect(keepsBucketAdministrator(denyPutBucketPolicy(condition), [ROOT])).toBe(false);
  });
  it('and one the request does not meet is no lock-out', () => {
    expect(keepsBucketAdministrator(denyPutBucketPolicy({ Bool: { [SECURE]: false } }), [ROOT])).toBe(true);
    expect(
      keepsBucketAdministrator(denyPutBucketPolicy({ NumericLessThan: { [TLS_VERSION]: 1.2 } }), [ROOT]),
    ).toBe(true);
  });
  it('an object where a value belongs is not read as one', () => {
    expect(
      mayBeDenied(policyWith(on('StringEquals', SSE, [{ x: 1 }] as never)), 's3:PutObject', ROLE, {
        [SSE]: '[object Object]',
      }),
    ).toBe(false);
  });
});
