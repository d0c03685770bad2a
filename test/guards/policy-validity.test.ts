import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan, resolveKeyArn } from '../../src/plan/build-plan.js';
import { answerTraits, SCHEME_TRAITS } from '../../src/plan/schemes.js';
import type { Answers, Plan } from '../../src/types.js';
import { checkPolicy, kindOf } from './support/policy-checker.js';

/*
 * Every policy document the tool generates, for every kind of plan, must be one AWS accepts
 * and reads as meant (support/policy-checker.ts). Documents are found by walking
 * plan.documents, so a document added there is checked without touching this file.
 */

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const VARIANTS: { label: string; answers: Answers }[] = (['strict', 'compatible'] as const).flatMap(
  (enforcement) => [
    {
      label: `sse-kms new key, ${enforcement}`,
      answers: { scheme: 'sse-kms', enforcement, keyAdminRoles: ['key-admin'] },
    },
    {
      label: `sse-kms existing key, ${enforcement}`,
      answers: { scheme: 'sse-kms', enforcement, existingKey: KEY_ARN },
    },
    { label: `sse-s3, ${enforcement}`, answers: { scheme: 'sse-s3', enforcement } },
    {
      label: `sse-kms, roles with paths, aws-cn, ${enforcement}`,
      answers: {
        scheme: 'sse-kms',
        enforcement,
        region: 'cn-north-1',
        appRoles: ['arn:aws-cn:iam::111122223333:role/apps/writer'],
      },
    },
  ],
);
// The other schemes, and a key whose policy names no one but its administrators.
VARIANTS.push(
  { label: 'client-kms new key', answers: { scheme: 'client-kms' } },
  { label: 'client-kms existing key', answers: { scheme: 'client-kms', existingKey: KEY_ARN } },
  { label: 'client-kms without a re-encryption role', answers: { scheme: 'client-kms', reencryptRoles: [] } },
  { label: 'sse-c', answers: { scheme: 'sse-c' } },
  { label: 'client-app-key', answers: { scheme: 'client-app-key' } },
  {
    label: 'client-kms with key administrators only',
    answers: { scheme: 'client-kms', appRoles: [], operatorRoles: [], auditorRoles: [], reencryptRoles: [] },
  },
  // apply adds its caller as a key administrator later (withCallerAsKeyAdmin); a plan may be built before.
  {
    label: 'sse-kms for apply, no key administrator yet',
    answers: { scheme: 'sse-kms', mode: 'apply', keyAdminRoles: [] },
  },
  {
    label: 'sse-kms with key administrators only',
    answers: { scheme: 'sse-kms', appRoles: [], operatorRoles: [], auditorRoles: [], reencryptRoles: [] },
  },
);

function planOf(answers: Answers): Plan {
  return buildPlan(
    parseConfig({
      bucket: 'acme-data',
      region: REGION,
      accountId: ACCOUNT,
      appRoles: ['app'],
      operatorRoles: ['ops'],
      auditorRoles: ['audit'],
      // A KMS key needs someone who maintains it; SSE-S3 has no key to administer.
      ...(answerTraits(answers.scheme).usesKmsKey
        ? { keyAdminRoles: ['key-admin'], reencryptRoles: ['reencrypt'] }
        : {}),
      ...answers,
    }),
  );
}

/** Every object under `value` that has a Statement list, with where it was found. */
function documentsIn(value: unknown, path: string): [string, object][] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray((value as { Statement?: unknown }).Statement)) return [[path, value]];
  return Object.entries(value).flatMap(([key, child]) => documentsIn(child, `${path}.${key}`));
}

describe.each(VARIANTS)('$label', ({ answers }) => {
  // Built per test, never at load: a plan built while the file loads escapes the mutation run.
  const built = () => {
    const plan = planOf(answers);
    return { plan, documents: documentsIn(resolveKeyArn(plan.documents, KEY_ARN), 'documents') };
  };

  it('has the documents it needs: a bucket policy, and a key policy exactly when it uses one', () => {
    const { plan, documents } = built();
    const paths = documents.map(([path]) => path);
    expect(paths).toContain('documents.bucketPolicy');
    expect(paths.includes('documents.keyPolicy')).toBe(SCHEME_TRAITS[plan.config.scheme].usesKmsKey);
    expect(paths.some((path) => path.startsWith('documents.rolePolicies.'))).toBe(true);
  });

  it('every document is one AWS accepts and reads as meant', async () => {
    const { documents } = built();
    for (const [path, document] of documents) {
      expect(await checkPolicy(document), `${path} (${kindOf(document)} policy)`).toEqual([]);
    }
  });
});

/** The checker itself: each deliberate mistake is reported, on a document otherwise valid. */
describe('the checker', () => {
  const base = {
    Sid: 'DenyPlainHttp',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const bucketPolicy = (statement: object) => ({
    Version: '2012-10-17',
    Statement: [{ ...base, ...statement }],
  });

  it('accepts the valid statement the mistakes are made in', async () => {
    expect(await checkPolicy(bucketPolicy({}))).toEqual([]);
  });

  it('accepts the set operators as AWS spells them: ForAnyValue: and ForAllValues:', async () => {
    const keys = { 's3:x-amz-server-side-encryption': ['aws:kms'] };
    for (const operator of ['ForAnyValue:StringNotEquals', 'ForAllValues:StringEquals']) {
      expect(await checkPolicy(bucketPolicy({ Condition: { [operator]: keys } })), operator).toEqual([]);
    }
    expect(
      (await checkPolicy(bucketPolicy({ Condition: { 'ForAnyValues:StringEquals': keys } }))).join(),
    ).toMatch(/operator/);
  });

  it.each([
    ['an empty Principal', { Principal: '' }, /Principal/],
    ['an empty AWS principal list', { Principal: { AWS: [] } }, /Principal/],
    ['an empty AWS principal', { Principal: { AWS: '' } }, /Principal/],
    ["s3:TlsVersion ''", { Condition: { NumericLessThan: { 's3:TlsVersion': '' } } }, /TlsVersion/],
    ["aws:SecureTransport ''", { Condition: { Bool: { 'aws:SecureTransport': '' } } }, /SecureTransport/],
    [
      'a Bool value that is not true/false',
      { Condition: { Bool: { 'aws:SecureTransport': 'no' } } },
      /Bool value/,
    ],
    [
      'a Numeric value that is not a number',
      { Condition: { NumericLessThan: { 's3:TlsVersion': 'v1.2' } } },
      /Numeric value/,
    ],
    [
      'a Numeric key compared as a string',
      { Condition: { StringEquals: { 's3:TlsVersion': '1.2' } } },
      /Numeric key/,
    ],
    [
      'an Arn operator given no ARN',
      { Condition: { ArnNotLike: { 'aws:PrincipalArn': 'app-role' } } },
      /Arn value/,
    ],
    [
      'a Null value that is not true/false',
      { Condition: { Null: { 's3:x-amz-server-side-encryption': 'yes' } } },
      /Null value/,
    ],
    [
      'an empty value list',
      { Condition: { StringEquals: { 's3:x-amz-server-side-encryption': [] } } },
      /no value/,
    ],
    ['an action that does not exist', { Action: 's3:GetObjectz' }, /GetObjectz/],
    ['a wildcard that matches nothing', { Action: 's3:Frobnicate*' }, /Frobnicate/],
    ['a service that does not exist', { Action: 's4:GetObject' }, /s4/],
    [
      'an unknown condition key',
      { Condition: { StringEquals: { 's3:x-amz-server-side-encryption-key': 'aws:kms' } } },
      /no such condition key/,
    ],
    [
      'an unknown global key',
      { Condition: { Bool: { 'aws:SecureTransports': 'false' } } },
      /no such condition key/,
    ],
    [
      'a kms key on a statement about s3',
      { Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } },
      /kms key/,
    ],
    [
      'an unknown operator',
      { Condition: { StringEqual: { 's3:x-amz-server-side-encryption': 'aws:kms' } } },
      /operator/,
    ],
    ['an empty Resource', { Resource: [] }, /Resource/],
    ['a Resource that is no ARN', { Resource: 'acme-data/*' }, /Resource/],
    ['an Effect AWS does not know', { Effect: 'Block' }, /Effect/],
  ])('reports %s', async (_, statement, expected) => {
    const problems = await checkPolicy(bucketPolicy(statement), 'resource');
    expect(problems.join('\n')).toMatch(expected);
  });

  it('reports a Principal in an identity policy, and a role policy with no Action', async () => {
    expect(await checkPolicy(bucketPolicy({}), 'identity')).not.toEqual([]);
    const { Action: _, Principal: __, ...noAction } = base;
    expect(
      (await checkPolicy({ Version: '2012-10-17', Statement: [noAction] }, 'identity')).join('\n'),
    ).toMatch(/Action/);
  });
});
