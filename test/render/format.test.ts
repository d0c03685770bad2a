import { describe, expect, test } from 'vitest';
import { ROLE_KINDS } from '../../src/plan/build-plan.js';
import { keyArnText } from '../../src/plan/key-reference.js';
import { describeStep, formatAccessTable, formatCost } from '../../src/render/format.js';
import type { PlanStep } from '../../src/types.js';
import { CASES, caseNamed, planFor } from './helpers/cases.js';

describe('describeStep', () => {
  const allSteps = CASES.flatMap((renderCase) => planFor(renderCase).steps);

  test('every step kind of every case gets one non-empty line', () => {
    const kinds = new Set(allSteps.map((step) => step.kind));
    expect(kinds.size).toBe(9);
    for (const step of allSteps) {
      const line = describeStep(step);
      expect(line.trim().length, step.kind).toBeGreaterThan(10);
      expect(line, step.kind).not.toContain('\n');
    }
  });

  test('names the tag a re-run finds the key by, and the rotation period', () => {
    const steps = planFor(caseNamed('kms-compatible-all-roles')).steps;
    const line = (kind: PlanStep['kind']) =>
      describeStep(steps.find((step) => step.kind === kind) as PlanStep);
    expect(line('kms.createKey')).toBe('Create KMS key (tagged create-encrypted-bucket:bucket=acme-reports)');
    expect(line('kms.enableRotation')).toContain('180 days');
  });

  test('names the existing key by its full ARN, and a new key without its placeholder', () => {
    const existing = planFor(caseNamed('kms-existing-key'));
    const encryption = existing.steps.find((step) => step.kind === 's3.putBucketEncryption') as PlanStep;
    expect(describeStep(encryption)).toContain(keyArnText(existing.keyArn));
    const fresh = planFor(caseNamed('kms-strict-new-key'));
    const freshEncryption = fresh.steps.find((step) => step.kind === 's3.putBucketEncryption') as PlanStep;
    expect(describeStep(freshEncryption)).not.toContain('<KEY_ARN>');
  });
});

describe('formatAccessTable', () => {
  test('lists every row with its principals, what it may do and what it must never do', () => {
    const plan = planFor(caseNamed('kms-compatible-all-roles'));
    const text = formatAccessTable(plan.accessTable);
    for (const row of plan.accessTable) {
      expect(text).toContain(row.may);
      expect(text).toContain(row.mustNever);
      for (const principal of row.principals) expect(text).toContain(principal);
    }
    for (const kind of ROLE_KINDS) {
      for (const role of plan.config.roles[kind]) expect(text).toContain(role.name);
    }
  });

  test('says so when a duty has nobody', () => {
    const text = formatAccessTable(planFor(caseNamed('sse-s3-compatible')).accessTable);
    expect(text).toMatch(/^application\s+\(none given\)$/m);
  });
});

describe('formatCost', () => {
  test('shows monthly and yearly figures with and without a Bucket Key, and calls it an estimate', () => {
    // 100,000 requests: without a Bucket Key 80,000 are billable ($0.24) plus the key ($1).
    const text = formatCost(planFor(caseNamed('kms-strict-new-key')).cost, 'sse-kms');
    expect(text).toContain('100,000 uploads + downloads a month');
    expect(text).toMatch(/without a Bucket Key:\s+100,000 KMS requests -> \$1\.24 a month, \$14\.88 a year/);
    expect(text).toMatch(/with a Bucket Key:\s+about 1,000 KMS requests -> \$1\.00 a month, \$12\.00 a year/);
    expect(text).toContain('saves about $0.24 a month ($2.88 a year)');
    expect(text).toMatch(/estimate/i);
  });

  test('does not bill an existing key again', () => {
    const text = formatCost(planFor(caseNamed('kms-existing-key')).cost, 'sse-kms');
    expect(text).toContain('the existing key is already billed');
    expect(text).toMatch(/without a Bucket Key:.*\$0\.24 a month/);
  });

  test('SSE-S3 costs nothing extra', () => {
    expect(formatCost(planFor(caseNamed('sse-s3-strict')).cost, 'sse-s3')).toMatch(/no cost/);
  });
});
