import { describe, expect, it } from 'vitest';
import { parseConfig, withCallerAsKeyAdmin } from '../../src/config/parse-config.js';
import { buildPlan, KEY_TAG_KEY } from '../../src/plan/build-plan.js';
import { buildDesiredState, type PlanDocumentsBuilt } from '../../src/plan/desired-state.js';
import {
  keyArnFor,
  keyArnInDocuments,
  NEW_KEY,
  refersToNewKey,
  resolveKeyArn,
  splitAtNewKeyArn,
} from '../../src/plan/key-reference.js';
import { planOperations } from '../../src/plan/operations.js';
import type { Answers, DesiredState, Plan } from '../../src/types.js';

/*
 * The Plan as a reviewer reads it: plan.desired says what the account must hold, and the
 * operations apply and setup.sh follow are derived from it, never written beside it.
 */

const BASE: Answers = {
  bucket: 'acme-contracts',
  region: 'eu-west-1',
  accountId: '111122223333',
  appRoles: ['contracts-app'],
  operatorRoles: ['platform-ops'],
  keyAdminRoles: ['key-custodian'],
};
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const planOf = (answers: Answers) => buildPlan(parseConfig(answers));
/** The documents a plan built, with some replaced, to hand buildDesiredState directly. */
const builtOf = (plan: Plan, change: Partial<PlanDocumentsBuilt>): PlanDocumentsBuilt => ({
  keyArn: plan.keyArn,
  keyPolicy: plan.documents.keyPolicy,
  bucketPolicy: plan.documents.bucketPolicy,
  rolePolicies: plan.documents.rolePolicies,
  rolePolicyNames: plan.rolePolicyNames,
  ...change,
});

describe('the desired state', () => {
  it('of a new key: the bucket, the key with alias, rotation, tags and policy, the role policies', () => {
    const plan = planOf({ ...BASE, createBucket: true, keyAlias: 'alias/contracts', rotationDays: '180' });
    const { desired } = plan;
    expect(desired.scheme).toBe('sse-kms');
    expect(desired.enforcement).toBe(plan.config.enforcement);
    expect(desired.bucket).toMatchObject({
      name: 'acme-contracts',
      region: 'eu-west-1',
      createdByThisPlan: true,
      encryption: { algorithm: 'aws:kms', key: { kind: 'created-by-this-plan' }, bucketKeyEnabled: true },
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(desired.bucket.policy).toBe(plan.documents.bucketPolicy);
    const key = desired.key;
    if (key?.kind !== 'new') throw new Error(`expected a new key, got ${JSON.stringify(key)}`);
    expect(key.alias).toBe('alias/contracts');
    expect(key.rotationDays).toBe(180);
    expect(key.description).toBe('Encrypts s3://acme-contracts (made by create-encrypted-bucket)');
    expect(key.lookupTag).toEqual({ Key: KEY_TAG_KEY, Value: 'acme-contracts' });
    expect(key.tags).toContainEqual(key.lookupTag);
    expect(key.policy).toBe(plan.documents.keyPolicy);
    expect(plan.keyArn).toEqual({ kind: 'created-by-this-plan' });
    expect(desired.rolePolicies.map((each) => [each.roleKind, each.role.name, each.policyName])).toEqual([
      ['app', 'contracts-app', plan.rolePolicyNames.app],
      ['operator', 'platform-ops', plan.rolePolicyNames.operator],
      ['keyAdmin', 'key-custodian', plan.rolePolicyNames.keyAdmin],
    ]);
    for (const each of desired.rolePolicies)
      expect(each.policy).toBe(plan.documents.rolePolicies[each.roleKind]);
  });

  it('of an existing key: its ARN only, referenced as existing, and no key operation', () => {
    const plan = planOf({ ...BASE, existingKey: KEY_ARN });
    expect(plan.desired.key).toEqual({ kind: 'existing', arn: KEY_ARN });
    expect(plan.keyArn).toEqual({ kind: 'existing', arn: KEY_ARN });
    expect(plan.desired.bucket.encryption.key).toEqual({ kind: 'existing', arn: KEY_ARN });
    expect(plan.desired.bucket.createdByThisPlan).toBe(false);
    expect(plan.steps.map((step) => step.kind).filter((kind) => kind.startsWith('kms.'))).toEqual([]);
    expect(refersToNewKey(plan.documents)).toBe(false);
  });

  it('without KMS: no key, no key reference, AES256', () => {
    const plan = planOf({ ...BASE, keyAdminRoles: [], scheme: 'sse-s3' });
    expect(plan.desired.key).toBeUndefined();
    expect(plan.keyArn).toBeUndefined();
    expect(plan.desired.bucket.encryption).toEqual({
      algorithm: 'AES256',
      bucketKeyEnabled: false,
      blockedEncryptionTypes: ['SSE-C'],
    });
  });

  it('ignores a key choice left in the configuration of a scheme without KMS: no key, AES256', () => {
    // parseConfig never leaves one; buildPlan reads config.key only under a KMS scheme, and so must this.
    const kms = parseConfig(BASE);
    expect(kms.key?.kind).toBe('new');
    const plan = buildPlan({ ...kms, scheme: 'sse-s3' });
    expect(plan.desired.key).toBeUndefined();
    expect(plan.desired.bucket.encryption).toEqual({
      algorithm: 'AES256',
      bucketKeyEnabled: false,
      blockedEncryptionTypes: ['SSE-C'],
    });
    expect(plan.steps.some((step) => step.kind.startsWith('kms.'))).toBe(false);
  });

  it('lets the bucket layer decide: a key reference turns neither an SSE-S3 bucket to SSE-KMS nor invents a key', () => {
    const plan = planOf({ ...BASE, scheme: 'sse-s3' });
    const desired = buildDesiredState(plan.config, builtOf(plan, { keyArn: NEW_KEY }));
    expect(desired.key).toBeUndefined();
    expect(desired.bucket.encryption).toEqual({
      algorithm: 'AES256',
      bucketKeyEnabled: false,
      blockedEncryptionTypes: ['SSE-C'],
    });
  });

  it('refuses to describe a new key without its key policy (CreateKey would give it the default one)', () => {
    const plan = planOf(BASE);
    expect(() => buildDesiredState(plan.config, builtOf(plan, { keyPolicy: undefined }))).toThrow(
      'a plan for a new key has no key policy',
    );
  });

  it('puts no role policy on the principal running apply', () => {
    const caller = 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1';
    const plan = buildPlan(withCallerAsKeyAdmin(parseConfig({ ...BASE, mode: 'apply' }), caller));
    expect(plan.config.roles.keyAdmin.map((role) => role.arn)).toContain(caller);
    expect(plan.desired.rolePolicies.map((each) => each.role.arn)).not.toContain(caller);
  });
});

describe('the operations, derived from the desired state', () => {
  it('are the plan steps, in dependency order, carrying the desired documents themselves', () => {
    const plan = planOf({ ...BASE, createBucket: true });
    expect(plan.steps).toEqual(planOperations(plan.desired));
    // The order itself is build-plan.test.ts's "orders the steps".
    const policy = plan.steps.find((step) => step.kind === 's3.putBucketPolicy');
    expect(policy?.kind === 's3.putBucketPolicy' && policy.policy).toBe(plan.desired.bucket.policy);
  });

  it('follow every change of the desired state', () => {
    const { desired } = planOf(BASE);
    if (desired.key?.kind !== 'new') throw new Error('expected a new key');
    const changed: DesiredState = {
      ...desired,
      bucket: { ...desired.bucket, name: 'acme-other', createdByThisPlan: true },
      key: { ...desired.key, alias: 'alias/other', rotationDays: 90 },
      rolePolicies: desired.rolePolicies.slice(0, 1),
    };
    const steps = planOperations(changed);
    expect(steps[0]).toEqual({ kind: 's3.createBucket', bucket: 'acme-other', region: 'eu-west-1' });
    expect(steps).toContainEqual({ kind: 'kms.createAlias', alias: 'alias/other' });
    expect(steps).toContainEqual({ kind: 'kms.enableRotation', rotationDays: 90 });
    expect(steps.filter((step) => step.kind === 'iam.putRolePolicy')).toHaveLength(1);
    const existingBucket = planOperations({
      ...desired,
      bucket: { ...desired.bucket, createdByThisPlan: false },
    });
    expect(existingBucket.some((step) => step.kind === 's3.createBucket')).toBe(false);
    const withoutKey = planOperations({ ...desired, key: { kind: 'existing', arn: KEY_ARN } });
    expect(withoutKey.some((step) => step.kind.startsWith('kms.'))).toBe(false);
  });
});

describe('the key reference', () => {
  it('is spelt and resolved in one place for every consumer', () => {
    const fresh = planOf(BASE);
    if (!fresh.keyArn) throw new Error('expected a key');
    expect(keyArnFor(fresh.keyArn, 'aws_kms_key.this.arn')).toBe('aws_kms_key.this.arn');
    expect(keyArnFor({ kind: 'existing', arn: KEY_ARN }, 'aws_kms_key.this.arn')).toBe(KEY_ARN);
    const inDocuments = keyArnInDocuments(fresh.keyArn);
    expect(inDocuments).toBe('<KEY_ARN>');
    expect(refersToNewKey(fresh.documents.bucketPolicy)).toBe(true);
    const resolved = resolveKeyArn(fresh.documents, KEY_ARN);
    expect(refersToNewKey(resolved)).toBe(false);
    expect(JSON.stringify(resolved.bucketPolicy)).toContain(KEY_ARN);
    expect(splitAtNewKeyArn(`${inDocuments}/x`)).toEqual(['', '/x']);
    expect(splitAtNewKeyArn('no key')).toEqual(['no key']);
  });
});
