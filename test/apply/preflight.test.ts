import { describe, expect, it } from 'vitest';
import { diffPlan } from '../../src/apply/diff.js';
import { preflight } from '../../src/apply/preflight.js';
import type { AccountState } from '../../src/apply/state.js';
import type { Plan } from '../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import {
  appliedState,
  CALLER_ARN,
  freshState,
  KEY_ARN,
  storedDocument,
  withLockedKeyPolicy,
} from './state-fixtures.js';
import { BUCKET, planFor, REGION, ROLES } from './support.js';

/*
 * Layer: unit, pure. What preflight tells a user before any write: each blocker names what is
 * wrong and how to fix it (and the flag to change); each warning names what was found and what
 * it means. The texts are asserted by their parts a user acts on, not as whole sentences.
 */

const ROOT = `arn:aws:iam::${MOTO_ACCOUNT_ID}:root`;
const check = (plan: Plan, state: AccountState) => preflight(plan, state, diffPlan(plan, state));

describe('preflight: nothing to say', () => {
  it('says nothing about an account apply left in place, nor about a fresh one with --create-bucket', () => {
    const plan = planFor();
    expect(check(plan, appliedState(plan))).toEqual({ blockers: [], warnings: [] });
    expect(check(plan, freshState(plan))).toEqual({ blockers: [], warnings: [] });
    // An existing bucket needs no --create-bucket.
    const existing = planFor({ createBucket: false });
    expect(check(existing, appliedState(existing))).toEqual({ blockers: [], warnings: [] });
  });

  it('passes on what discovery found: its blockers first, and every blocker among the warnings', () => {
    const plan = planFor();
    const state: AccountState = {
      ...appliedState(plan),
      caller: { account: '999999999999', arn: 'arn:aws:iam::999999999999:user/x' },
      blockers: [{ field: '--key-alias', message: 'the alias points to a key of someone else' }],
      warnings: ['rotation status could not be read'],
    };
    const { blockers, warnings } = check(plan, state);
    expect(blockers.map((blocker) => blocker.field)).toEqual(['--key-alias', '--account-id']);
    expect(warnings).toEqual([
      'rotation status could not be read',
      'the alias points to a key of someone else',
      blockers[1]?.message,
    ]);
  });
});

describe('preflight: blockers name the problem and the fix', () => {
  it('credentials of another account: both accounts, the caller, and to use a profile of the plan account', () => {
    const plan = planFor();
    const state = {
      ...appliedState(plan),
      caller: { account: '999999999999', arn: 'arn:aws:iam::999999999999:user/x' },
    };
    const [blocker, ...others] = check(plan, state).blockers;
    expect(others).toEqual([]);
    expect(blocker?.field).toBe('--account-id');
    expect(blocker?.message).toContain('999999999999');
    expect(blocker?.message).toContain('arn:aws:iam::999999999999:user/x');
    expect(blocker?.message).toContain(`use a profile of ${MOTO_ACCOUNT_ID}`);
  });

  it('a missing bucket without --create-bucket: the bucket, the account, and --create-bucket or --bucket as the fix', () => {
    const plan = planFor({ createBucket: false });
    const [blocker, ...others] = check(plan, freshState(plan)).blockers;
    expect(others).toEqual([]);
    expect(blocker?.field).toBe('--create-bucket');
    expect(blocker?.message).toContain(`bucket ${BUCKET} does not exist in account ${MOTO_ACCOUNT_ID}`);
    expect(blocker?.message).toContain('pass --create-bucket');
    expect(blocker?.message).toContain('--bucket');
  });

  it('a bucket that answers 403: names it and the two causes (another owner, or no s3:ListBucket)', () => {
    const plan = planFor();
    for (const createBucket of [true, false]) {
      const withFlag = planFor({ createBucket });
      const [blocker, ...others] = check(withFlag, {
        ...appliedState(plan),
        bucket: { status: 'forbidden' },
      }).blockers;
      expect(others).toEqual([]);
      expect(blocker?.field).toBe('--bucket');
      expect(blocker?.message).toContain(`bucket ${BUCKET} exists`);
      expect(blocker?.message).toContain('another account owns the name');
      expect(blocker?.message).toContain('s3:ListBucket');
    }
  });

  it('a bucket in another region: both regions, and the --region to re-run with', () => {
    const plan = planFor();
    const [blocker, ...others] = check(plan, {
      ...appliedState(plan),
      bucket: { status: 'elsewhere', region: 'us-west-2' },
    }).blockers;
    expect(others).toEqual([]);
    expect(blocker?.field).toBe('--region');
    expect(blocker?.message).toContain(`bucket ${BUCKET} is in us-west-2, not ${REGION}`);
    expect(blocker?.message).toContain('re-run with --region us-west-2');
  });

  it('a missing role: its flag, its name, and to create it first', () => {
    const plan = planFor();
    const flags = {
      app: '--app-role',
      operator: '--operator-role',
      auditor: '--auditor-role',
      keyAdmin: '--key-admin-role',
    };
    for (const [kind, flag] of Object.entries(flags)) {
      const state = appliedState(plan);
      const role = state.roles.find((candidate) => candidate.kind === kind);
      if (!role) throw new Error(`fixture: no ${kind} role`);
      role.actualArn = undefined;
      const [blocker, ...others] = check(plan, state).blockers;
      expect(others, kind).toEqual([]);
      expect(blocker?.field).toBe(flag);
      expect(blocker?.message).toContain(`role ${role.role.name} does not exist`);
      expect(blocker?.message).toContain(`create role ${role.role.name} first`);
    }
  });

  it('a role under a path: its real ARN, and to pass that full ARN to its flag', () => {
    const plan = planFor();
    const state = appliedState(plan);
    const operator = state.roles.find((role) => role.kind === 'operator');
    if (!operator) throw new Error('fixture');
    const real = `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/team/${ROLES.operator}`;
    operator.actualArn = real;
    const [blocker, ...others] = check(plan, state).blockers;
    expect(others).toEqual([]);
    expect(blocker?.field).toBe('--operator-role');
    expect(blocker?.message).toContain(`is ${real}, not ${operator.role.arn}`);
    expect(blocker?.message).toContain('pass its full ARN (with its path) to --operator-role');
  });
});

describe('preflight: a key policy that would leave no administrator', () => {
  it('blocks a fresh apply once (CreateKey and PutKeyPolicy carry the same policy), naming the root user and kms:PutKeyPolicy', () => {
    const plan = withLockedKeyPolicy(planFor());
    const { blockers } = check(plan, freshState(plan));
    expect(blockers).toHaveLength(1);
    expect(blockers[0]?.field).toBeUndefined();
    expect(blockers[0]?.message).toContain('would leave no administrator');
    expect(blockers[0]?.message).toContain(`let ${ROOT} call kms:PutKeyPolicy`);
  });

  it('blocks the update of a key found again', () => {
    const plan = withLockedKeyPolicy(planFor());
    const { blockers } = check(plan, appliedState(planFor()));
    expect(blockers.map((blocker) => blocker.message)).toEqual([
      expect.stringContaining('would leave no administrator'),
    ]);
  });

  it("does not block when that policy is already the key's: no write would send it", () => {
    const plan = withLockedKeyPolicy(planFor());
    const state = appliedState(plan);
    const planned = diffPlan(plan, state);
    expect(planned.filter((entry) => entry.diff.status !== 'in-place')).toEqual([]);
    expect(preflight(plan, state, planned).blockers).toEqual([]);
  });
});

describe('preflight: warnings', () => {
  /** The applied state with no default encryption yet, so PutBucketEncryption is due. */
  function unencrypted(holdsObjects: boolean | undefined): AccountState {
    const state = appliedState(planFor());
    if (state.bucket.status !== 'exists') throw new Error('fixture');
    state.bucket = { ...state.bucket, encryption: undefined, holdsObjects };
    return state;
  }
  const objectsWarning = (warnings: string[]) =>
    warnings.filter((line) => line.includes('already holds objects'));

  it('a bucket that holds objects and gets new default encryption: old objects keep theirs, and how to re-encrypt them', () => {
    const [warning, ...others] = objectsWarning(check(planFor(), unencrypted(true)).warnings);
    expect(others).toEqual([]);
    expect(warning).toContain(`bucket ${BUCKET} already holds objects`);
    expect(warning).toContain('new objects only');
    expect(warning).toContain('S3 Batch Operations');
  });

  it('no such warning for an empty bucket, an unlisted one, one whose encryption is in place, or a new one', () => {
    const plan = planFor();
    expect(objectsWarning(check(plan, unencrypted(false)).warnings)).toEqual([]);
    expect(objectsWarning(check(plan, unencrypted(undefined)).warnings)).toEqual([]);
    expect(objectsWarning(check(plan, appliedState(plan)).warnings)).toEqual([]);
    expect(objectsWarning(check(plan, freshState(plan)).warnings)).toEqual([]);
  });

  /** A key policy that gives administration to another role only. */
  const foreignPolicy = (principal: string) => ({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Other', Effect: 'Allow', Principal: { AWS: principal }, Action: 'kms:*', Resource: '*' },
    ],
  });
  const keyWarnings = (state: AccountState) =>
    check(planFor(), state).warnings.filter((line) => line.includes('kms:PutKeyPolicy'));

  it('a found key whose policy names neither the root user nor the caller: the key, and whom to ask', () => {
    const policy = foreignPolicy('arn:aws:iam::123456789012:role/other');
    const [warning, ...others] = keyWarnings(appliedState(planFor(), { policy: storedDocument(policy) }));
    expect(others).toEqual([]);
    expect(warning).toContain(`key ${KEY_ARN}`);
    expect(warning).toContain(ROOT);
    expect(warning).toContain('ask a key administrator to apply the key policy');
  });

  it('no such warning when the caller is named in it, when the root user administers it (one statement, not a list), or with no policy read', () => {
    expect(
      keyWarnings(appliedState(planFor(), { policy: storedDocument(foreignPolicy(CALLER_ARN)) })),
    ).toEqual([]);
    const rootOnly = {
      Version: '2012-10-17',
      Statement: { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
    };
    expect(keyWarnings(appliedState(planFor(), { policy: storedDocument(rootOnly) }))).toEqual([]);
    expect(keyWarnings(appliedState(planFor(), { policy: undefined }))).toEqual([]);
    expect(keyWarnings(freshState(planFor()))).toEqual([]);
  });
});
