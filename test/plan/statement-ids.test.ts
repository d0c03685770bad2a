import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { OWN_SID_PREFIX } from '../../src/plan/bucket-policy.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Answers, Scheme } from '../../src/types.js';

/*
 * apply's diff and its bucket-policy merge find statements by Sid (src/apply/policy-json.ts,
 * merge-bucket-policy.ts): ours are the ones whose Sid starts with OWN_SID_PREFIX. So every
 * generated statement needs a Sid of its own, in the only alphabet IAM accepts for one.
 */

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BASE: Answers = {
  bucket: 'acme-data',
  region: 'eu-west-1',
  accountId: '111122223333',
  appRoles: ['app'],
  operatorRoles: ['ops'],
  auditorRoles: ['audit'],
};
const withKey = { keyAdminRoles: ['key-admin'], reencryptRoles: ['reencrypt'] };
const VARIANTS: { label: string; answers: Answers }[] = [
  ...(['sse-kms', 'client-kms'] as Scheme[]).flatMap((scheme) => [
    { label: `${scheme} new key`, answers: { ...BASE, ...withKey, scheme } },
    { label: `${scheme} existing key`, answers: { ...BASE, ...withKey, scheme, existingKey: KEY_ARN } },
  ]),
  { label: 'sse-kms compatible', answers: { ...BASE, ...withKey, enforcement: 'compatible' } },
  { label: 'sse-s3 strict', answers: { ...BASE, scheme: 'sse-s3' } },
  { label: 'sse-s3 compatible', answers: { ...BASE, scheme: 'sse-s3', enforcement: 'compatible' } },
  { label: 'sse-c', answers: { ...BASE, scheme: 'sse-c' } },
  { label: 'client-app-key', answers: { ...BASE, scheme: 'client-app-key' } },
];

type Document = { Statement: { Sid?: string }[] };
const documentsOf = (answers: Answers): [string, Document][] => {
  const { documents } = buildPlan(parseConfig(answers));
  const named: [string, Document | undefined][] = [
    ['bucket policy', documents.bucketPolicy],
    ['key policy', documents.keyPolicy],
    ...Object.entries(documents.rolePolicies).map(([kind, policy]): [string, Document | undefined] => [
      `${kind} role policy`,
      policy,
    ]),
    ['optional SCP', documents.optionalScp],
    ['re-encryption trust policy', documents.reencryptTrustPolicy],
  ];
  return named.filter((entry): entry is [string, Document] => entry[1] !== undefined);
};

describe.each(VARIANTS)('statement ids, $label', ({ answers }) => {
  it('every statement of every document has a Sid of letters and digits, unique in its document', () => {
    for (const [name, document] of documentsOf(answers)) {
      const sids = document.Statement.map((statement) => statement.Sid ?? '');
      for (const sid of sids) expect(sid, name).toMatch(/^[A-Za-z0-9]+$/);
      expect(new Set(sids).size, `${name}: ${sids.join(', ')}`).toBe(sids.length);
    }
  });

  it("every bucket-policy statement is marked as this tool's, so a merge keeps everybody else's", () => {
    const [, bucketPolicy] = documentsOf(answers)[0] as [string, Document];
    for (const statement of bucketPolicy.Statement) expect(statement.Sid).toMatch(/^EncryptedBucket[A-Z]/);
    expect(OWN_SID_PREFIX).toBe('EncryptedBucket');
  });
});
