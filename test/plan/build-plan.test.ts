import { describe, expect, it } from 'vitest';
import { parseConfig, withCallerAsKeyAdmin } from '../../src/config/parse-config.js';
import { buildPlan, KEY_TAG_KEY, resolveKeyArn } from '../../src/plan/build-plan.js';
import { keepsAdministrator } from '../../src/plan/key-policy.js';
import { type Answers, KEY_ARN_PLACEHOLDER } from '../../src/types.js';

const BASE: Answers = {
  bucket: 'acme-contracts',
  region: 'eu-west-1',
  accountId: '111122223333',
  appRoles: ['contracts-app'],
  operatorRoles: ['platform-ops'],
  auditorRoles: ['security-audit'],
  keyAdminRoles: ['key-custodian'],
};
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('buildPlan', () => {
  it('orders the steps so that each runs after what it depends on', () => {
    const plan = buildPlan(parseConfig({ ...BASE, createBucket: true }));
    expect(plan.steps.map((step) => step.kind)).toEqual([
      's3.createBucket',
      'kms.createKey',
      'kms.createAlias',
      'kms.enableRotation',
      'kms.putKeyPolicy',
      's3.putBucketEncryption',
      's3.putPublicAccessBlock',
      's3.putBucketPolicy',
      'iam.putRolePolicy',
      'iam.putRolePolicy',
      'iam.putRolePolicy',
      'iam.putRolePolicy',
    ]);
  });

  it('tags a new key with the bucket, so a re-run can find it without its alias', () => {
    const plan = buildPlan(parseConfig(BASE));
    const create = plan.steps.find((step) => step.kind === 'kms.createKey');
    expect(create?.kind === 'kms.createKey' && create.tags).toEqual([
      { Key: KEY_TAG_KEY, Value: 'acme-contracts' },
    ]);
  });

  it('uses the placeholder for a new key and the full ARN for an existing one, with the bucket key on', () => {
    const fresh = buildPlan(parseConfig(BASE));
    expect(fresh.keyArn).toEqual({ kind: 'created-by-this-plan' });
    const existing = buildPlan(parseConfig({ ...BASE, existingKey: KEY_ARN }));
    expect(existing.keyArn).toEqual({ kind: 'existing', arn: KEY_ARN });
    expect(existing.steps.some((step) => step.kind.startsWith('kms.'))).toBe(false);
    const encryption = existing.steps.find((step) => step.kind === 's3.putBucketEncryption');
    expect(encryption?.kind === 's3.putBucketEncryption' && encryption.encryption).toEqual({
      algorithm: 'aws:kms',
      key: { kind: 'existing', arn: KEY_ARN },
      bucketKeyEnabled: true,
      blockedEncryptionTypes: ['SSE-C'],
    });
    expect(JSON.stringify(existing.documents)).not.toContain(KEY_ARN_PLACEHOLDER);
  });

  it('shares one document object between the step and the rendered documents', () => {
    const plan = buildPlan(parseConfig(BASE));
    const put = plan.steps.find((step) => step.kind === 's3.putBucketPolicy');
    expect(put?.kind === 's3.putBucketPolicy' && put.policy).toBe(plan.documents.bucketPolicy);
  });

  it('resolves every placeholder once the key exists', () => {
    const plan = buildPlan(parseConfig({ ...BASE, keyAdminRoles: ['key-admin'] }));
    const resolved = resolveKeyArn(plan.documents, KEY_ARN);
    const text = JSON.stringify(resolved);
    expect(text).not.toContain(KEY_ARN_PLACEHOLDER);
    expect(text).toContain(KEY_ARN);
    expect(JSON.stringify(plan.documents)).toContain(KEY_ARN_PLACEHOLDER);
  });

  it('never grants kms:* and always keeps the root administrator in the key policy', () => {
    const plan = buildPlan(parseConfig({ ...BASE, keyAdminRoles: ['key-admin'] }));
    const keyPolicy = plan.documents.keyPolicy;
    expect(keyPolicy).toBeDefined();
    if (!keyPolicy) return;
    expect(JSON.stringify(keyPolicy)).not.toContain('"kms:*"');
    expect(keepsAdministrator(keyPolicy, 'arn:aws:iam::111122223333:root')).toBe(true);
  });

  it('sse-s3 makes no key and sets AES256', () => {
    const plan = buildPlan(parseConfig({ ...BASE, keyAdminRoles: [], scheme: 'sse-s3' }));
    expect(plan.documents.keyPolicy).toBeUndefined();
    expect(plan.steps.some((step) => step.kind.startsWith('kms.'))).toBe(false);
    expect(JSON.stringify(plan.documents)).not.toContain('kms:');
    expect(plan.cost.monthlyUsdWithBucketKey).toBe(0);
  });

  it('uses the partition of the region in every ARN', () => {
    const plan = buildPlan(parseConfig({ ...BASE, region: 'cn-north-1' }));
    const text = JSON.stringify(plan.documents);
    expect(text).toContain('arn:aws-cn:s3:::acme-contracts');
    expect(text).toContain('arn:aws-cn:iam::111122223333:role/contracts-app');
    expect(text).toContain('s3.cn-north-1.amazonaws.com.cn');
    expect(text).not.toMatch(/arn:aws:/);
  });
});

describe('cost estimate', () => {
  it('charges $1 per new key and $0.03 per 10,000 requests past 20,000 free', () => {
    const { cost } = buildPlan(parseConfig({ ...BASE, requestsPerMonth: '1020000' }));
    expect(cost.monthlyUsdWithoutBucketKey).toBe(4); // 1 + (1,000,000 / 10,000) * 0.03
    expect(cost.kmsRequestsWithBucketKey).toBe(10_200);
    expect(cost.monthlyUsdWithBucketKey).toBe(1); // under the free tier
    expect(cost.yearlyUsdWithBucketKey).toBe(12);
  });

  it('charges no key for an existing key', () => {
    const { cost } = buildPlan(parseConfig({ ...BASE, existingKey: KEY_ARN, requestsPerMonth: '0' }));
    expect(cost.monthlyUsdWithBucketKey).toBe(0);
  });
});

describe('the perimeter in the plan', () => {
  it('apply adds its caller as a key administrator, in the policies and the warnings, with no inline policy', () => {
    const caller = 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1';
    const plan = buildPlan(
      withCallerAsKeyAdmin(parseConfig({ ...BASE, keyAdminRoles: [], mode: 'apply' }), caller),
    );
    expect(JSON.stringify(plan.documents.keyPolicy)).toContain(caller);
    expect(JSON.stringify(plan.documents.bucketPolicy)).toContain(caller);
    expect(plan.warnings.join('\n')).toContain(`${caller} runs this apply`);
    const roleSteps = plan.steps.filter((step) => step.kind === 'iam.putRolePolicy');
    expect(roleSteps.map((step) => step.kind === 'iam.putRolePolicy' && step.role.arn)).not.toContain(caller);
  });

  it('blocks SSE-C natively in default encryption, for every scheme but sse-c', () => {
    for (const answers of [
      BASE,
      { ...BASE, scheme: 'client-kms' },
      { ...BASE, keyAdminRoles: [], scheme: 'sse-s3' },
      { ...BASE, keyAdminRoles: [], scheme: 'client-app-key' },
    ]) {
      const step = buildPlan(parseConfig(answers)).steps.find(
        (each) => each.kind === 's3.putBucketEncryption',
      );
      expect(step?.kind === 's3.putBucketEncryption' && step.encryption.blockedEncryptionTypes).toEqual([
        'SSE-C',
      ]);
    }
  });

  it('gives the re-encryption role its policy and a Batch Operations trust policy, rendered only', () => {
    const plan = buildPlan(parseConfig({ ...BASE, reencryptRoles: ['rekey'] }));
    expect(plan.documents.reencryptTrustPolicy?.Statement[0]?.Principal).toEqual({
      Service: 'batchoperations.s3.amazonaws.com',
    });
    expect(JSON.stringify(plan.documents.rolePolicies.reencrypt)).toContain('s3:UpdateObjectEncryption');
    expect(plan.steps.some((step) => JSON.stringify(step).includes('sts:AssumeRole'))).toBe(false);
  });

  it('builds a role policy only for the kinds that have roles, so no policy file names nobody', () => {
    const full = buildPlan(parseConfig({ ...BASE, reencryptRoles: ['rekey'] }));
    expect(Object.keys(full.documents.rolePolicies).sort()).toEqual(
      ['app', 'auditor', 'keyAdmin', 'operator', 'reencrypt'].sort(),
    );
    const fewer = buildPlan(parseConfig({ ...BASE, auditorRoles: [], operatorRoles: [] }));
    expect(Object.keys(fewer.documents.rolePolicies).sort()).toEqual(['app', 'keyAdmin']);
  });

  it('without a re-encryption role, renders no trust policy and no Batch Operations jobs', () => {
    const plan = buildPlan(parseConfig(BASE));
    expect(plan.documents.reencryptTrustPolicy).toBeUndefined();
    expect(plan.documents.reencryptJobs).toBeUndefined();
  });

  it('renders the re-encryption jobs, run as the re-encryption role, for a new and an existing key', () => {
    const role = 'arn:aws:iam::111122223333:role/rekey';
    for (const existingKey of [undefined, KEY_ARN]) {
      const plan = buildPlan(parseConfig({ ...BASE, reencryptRoles: ['rekey'], existingKey }));
      const jobs = plan.documents.reencryptJobs ?? [];
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        expect(job.request.RoleArn).toBe(role);
        expect(JSON.stringify(job.request)).toContain(existingKey ?? KEY_ARN_PLACEHOLDER);
      }
    }
  });

  it('says the residual risk, and renders (never applies) an SCP over the named roles', () => {
    const plan = buildPlan(parseConfig(BASE));
    expect(plan.warnings.join('\n')).toMatch(
      /IAM administrator can change an application role's trust policy/,
    );
    const scp = JSON.stringify(plan.documents.optionalScp);
    expect(scp).toContain('iam:UpdateAssumeRolePolicy');
    expect(scp).toContain('arn:aws:iam::111122223333:role/contracts-app');
    expect(plan.steps.some((step) => JSON.stringify(step).includes('iam:UpdateAssumeRolePolicy'))).toBe(
      false,
    );
  });
});
