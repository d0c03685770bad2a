import { describe, expect, it } from 'vitest';
import { buildBackup } from '../../src/apply/backup.js';
import { diffPlan } from '../../src/apply/diff.js';
import { preflight } from '../../src/apply/preflight.js';
import type { AccountState } from '../../src/apply/state.js';
import type { Plan } from '../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { appliedState, KEY_ARN } from './state-fixtures.js';
import { planFor, ROLES } from './support.js';

/*
 * Layer: unit, pure. Discovered states are written by hand in the shapes real AWS returns,
 * including what moto cannot produce: a RotationPeriodInDays that differs from the plan, a
 * role whose real ARN has a path, a key whose policy shuts the account out.
 */

const statusOf = (plan: Plan, state: AccountState) =>
  Object.fromEntries(diffPlan(plan, state).map(({ diff }) => [diff.step, diff.status]));

describe('diffPlan', () => {
  it('is in place everywhere for the state a successful apply leaves', () => {
    const plan = planFor();
    expect(new Set(Object.values(statusOf(plan, appliedState(plan))))).toEqual(new Set(['in-place']));
  });

  it('a different rotation period (real KMS reports it; moto does not) is an update', () => {
    const plan = planFor();
    const diff = diffPlan(plan, appliedState(plan, { rotation: { enabled: true, periodDays: 730 } }));
    const rotation = diff.find(({ step }) => step.kind === 'kms.enableRotation')?.diff;
    expect(rotation?.status).toBe('update');
    expect(rotation?.details).toEqual(['every 730 -> 365 days']);
  });

  it('default encryption naming the key by id instead of full ARN is an update', () => {
    const plan = planFor();
    const state = appliedState(plan);
    if (state.bucket.status !== 'exists') throw new Error('fixture');
    state.bucket.encryption = [
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: '11111111-2222-3333-4444-555555555555',
        },
        BucketKeyEnabled: false,
      },
    ];
    const encryption = diffPlan(plan, state).find(({ step }) => step.kind === 's3.putBucketEncryption')?.diff;
    expect(encryption?.status).toBe('update');
    expect(encryption?.details.join('\n')).toContain(`-> ${KEY_ARN}`);
    expect(encryption?.details.join('\n')).toContain('BucketKeyEnabled false -> true');
  });

  it('with no key yet, the key policy comes with CreateKey and documents keep the placeholder', () => {
    const plan = planFor();
    const state = { ...appliedState(plan), key: undefined };
    const statuses = statusOf(plan, state);
    expect(statuses['kms.createKey']).toBe('create');
    expect(statuses['kms.putKeyPolicy']).toBe('create');
    expect(statuses['s3.putBucketEncryption']).toBe('update');
    expect(statuses[`iam.putRolePolicy:${ROLES.app}`]).toBe('update');
  });

  it('a key policy edited by hand is an update with statement details', () => {
    const plan = planFor();
    const edited = structuredClone(plan.documents.keyPolicy) as NonNullable<Plan['documents']['keyPolicy']>;
    edited.Statement.pop();
    const state = appliedState(plan, { policy: { text: JSON.stringify(edited), document: edited as never } });
    const keyPolicy = diffPlan(plan, state).find(({ step }) => step.kind === 'kms.putKeyPolicy')?.diff;
    expect(keyPolicy?.status).toBe('update');
    expect(keyPolicy?.details[0]).toMatch(/^\+ /);
  });
});

describe('preflight', () => {
  it('blocks a role whose real ARN has a path the plan does not know', () => {
    const plan = planFor();
    const state = appliedState(plan);
    const app = state.roles.find((role) => role.kind === 'app');
    if (!app) throw new Error('fixture');
    app.actualArn = `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/service/${ROLES.app}`;
    const { blockers } = preflight(plan, state, diffPlan(plan, state));
    expect(blockers).toEqual([expect.objectContaining({ field: '--app-role' })]);
  });

  it('blocks a bucket that answers 403 (another owner, under ExpectedBucketOwner) and one in another region', () => {
    const plan = planFor();
    const forbidden: AccountState = { ...appliedState(plan), bucket: { status: 'forbidden' } };
    expect(preflight(plan, forbidden, diffPlan(plan, forbidden)).blockers[0]?.field).toBe('--bucket');
    const elsewhere: AccountState = {
      ...appliedState(plan),
      bucket: { status: 'elsewhere', region: 'us-west-2' },
    };
    const { blockers, warnings } = preflight(plan, elsewhere, diffPlan(plan, elsewhere));
    expect(blockers[0]?.message).toContain('--region us-west-2');
    expect(warnings).toContain(blockers[0]?.message);
  });

  it('blocks credentials of another account', () => {
    const plan = planFor();
    const state = {
      ...appliedState(plan),
      caller: { account: '999999999999', arn: 'arn:aws:iam::999999999999:user/x' },
    };
    expect(preflight(plan, state, diffPlan(plan, state)).blockers[0]?.field).toBe('--account-id');
  });

  it('warns that existing objects keep their encryption, and that the caller may lack PutKeyPolicy', () => {
    const plan = planFor();
    const lockedOut = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Other',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:role/other' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    };
    const state = appliedState(plan, { policy: { text: JSON.stringify(lockedOut), document: lockedOut } });
    if (state.bucket.status !== 'exists') throw new Error('fixture');
    state.bucket.encryption = undefined;
    const { warnings, blockers } = preflight(plan, state, diffPlan(plan, state));
    expect(blockers).toEqual([]);
    expect(warnings.join('\n')).toContain('already holds objects');
    expect(warnings.join('\n')).toContain('may lack kms:PutKeyPolicy');
  });
});

describe('buildBackup', () => {
  it('holds the previous state of exactly the steps about to change', () => {
    const plan = planFor();
    const state = appliedState(plan);
    if (state.bucket.status !== 'exists') throw new Error('fixture');
    state.bucket.policy = {
      text: '{"Version":"2012-10-17","Statement":[]}',
      document: { Version: '2012-10-17', Statement: [] },
    };
    const backup = buildBackup(plan, state, diffPlan(plan, state), new Date('2026-01-02T03:04:05Z'));
    expect(backup.previous).toEqual({ 's3.putBucketPolicy': '{"Version":"2012-10-17","Statement":[]}' });
    expect(backup.keyArn).toBe(KEY_ARN);
  });
});
