import { describe, expect, test } from 'vitest';
import type { AccountState } from '../../src/apply/state.js';
import { ConfigError } from '../../src/errors.js';
import { lockDigest } from '../../src/render/lock.js';
import { lockPlan } from '../../src/render/lock-plan.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { DISCOVERED_CALLER, discoveredAccount } from './helpers/discovered-account.js';

/* lockPlan: render's half of apply, pure; the account as discovery reported it. */

const GRANT = {
  Sid: 'CloudFront',
  Effect: 'Allow',
  Principal: { Service: 'cloudfront.amazonaws.com' },
  Action: 's3:GetObject',
};
const TEXT = JSON.stringify({ Version: '2012-10-17', Statement: [GRANT] }, null, 2);

const account = (overrides: Partial<AccountState> = {}) => discoveredAccount(TEXT, overrides);

describe('lockPlan', () => {
  const plan = () => planFor(caseNamed('kms-compatible-all-roles'));

  test('merges into the bucket policy as apply does, and locks the text it read', () => {
    const locked = lockPlan(plan(), account());
    const statements = locked.plan.documents.bucketPolicy.Statement;
    expect(statements[0]).toEqual(GRANT);
    expect(statements.slice(1)).toEqual(plan().documents.bucketPolicy.Statement);
    const step = locked.plan.steps.find((candidate) => candidate.kind === 's3.putBucketPolicy');
    expect(step?.kind === 's3.putBucketPolicy' && step.policy).toBe(locked.plan.documents.bucketPolicy);
    expect(locked.kept).toEqual(['CloudFront']);
    expect(locked.lock).toEqual({
      read: true,
      readAs: DISCOVERED_CALLER.arn,
      bucketPolicy: lockDigest(TEXT),
      bucketPolicyText: TEXT,
      aliasKey: 'none',
      key: 'none',
      keyPolicy: 'none',
      taggedKeys: 'none',
    });
  });

  test('a key found by its tag: used, its policy locked, the alias still none', () => {
    const key = {
      arn: 'arn:aws:kms:eu-west-1:123456789012:key/1',
      keyId: '1',
      foundBy: 'tag' as const,
      hasAlias: false,
      policy: { text: '{"Statement":[]}', document: { Statement: [] } },
      rotation: undefined,
    };
    expect(lockPlan(plan(), account({ key })).lock).toMatchObject({
      aliasKey: 'none',
      key: key.arn,
      keyPolicy: lockDigest('{"Statement":[]}'),
      taggedKeys: key.arn,
    });
  });

  test('the keys tagged for the bucket: every one the tag search found, sorted as setup.sh prints them', () => {
    const live = 'arn:aws:kms:eu-west-1:123456789012:key/b';
    // A key pending deletion is tagged too; the tagging API lists it, so the lock must.
    const gone = 'arn:aws:kms:eu-west-1:123456789012:key/a';
    expect(lockPlan(plan(), account({ taggedKeys: [live, gone] })).lock.taggedKeys).toBe(`${gone} ${live}`);
    expect(lockPlan(plan(), account({ taggedKeys: [] })).lock.taggedKeys).toBe('none');
    // No key at all, no search: none. The existing-key and SSE-S3 plans tag nothing.
    expect(lockPlan(plan(), account()).lock.taggedKeys).toBe('none');
    expect(
      lockPlan(planFor(caseNamed('kms-existing-key')), account({ taggedKeys: [live] })).lock.taggedKeys,
    ).toBe('none');
  });

  test('refuses what apply refuses: a blocker, a bucket it cannot read, a bucket elsewhere', () => {
    const blocked = () =>
      lockPlan(plan(), account({ blockers: [{ message: 'alias is theirs', field: '--key-alias' }] }));
    expect(blocked).toThrow(ConfigError);
    expect(blocked).toThrow('alias is theirs');
    expect(() => lockPlan(plan(), account({ bucket: { status: 'forbidden' } }))).toThrow(
      /cannot read bucket/,
    );
    expect(() => lockPlan(plan(), account({ bucket: { status: 'elsewhere', region: 'us-west-2' } }))).toThrow(
      /is in us-west-2/,
    );
  });

  test('a missing bucket: nothing to merge, the lock says none', () => {
    const locked = lockPlan(plan(), account({ bucket: { status: 'missing' } }));
    expect(locked.plan.documents.bucketPolicy).toEqual(plan().documents.bucketPolicy);
    expect(locked.lock.bucketPolicy).toBe('none');
  });
});
