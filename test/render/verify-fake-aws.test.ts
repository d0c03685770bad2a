import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { caseNamed, EXISTING_KEY_ARN, planFor } from './helpers/cases.js';
import { flagValue, installFakeAws } from './helpers/fake-aws.js';
import { render, writeToTemp } from './helpers/render-case.js';
import { runScript, scriptEnv } from './helpers/run-script.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * verify.sh's judgement of answers a real account cannot be made to give. Its passing path,
 * its verdicts against the TypeScript verifier's and the refusals of the real policies run
 * through the stand-in (test/flows/scripts-setup-verify.test.ts). What stays here needs an S3
 * that misbehaves: HeadObject reporting another key or no Bucket Key, a bucket with no policy,
 * an unreachable endpoint (no HTTP answer), a failure halfway. A fake `aws` first on PATH plays
 * that S3 and logs every call.
 */

const KEY = `arn:aws:kms:eu-west-1:${MOTO_ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;
const OTHER = `arn:aws:kms:eu-west-1:${MOTO_ACCOUNT_ID}:key/99999999-2222-3333-4444-555555555555`;

async function runVerify(caseName: string, fakeEnv: Record<string, string>) {
  const dir = await writeToTemp(await render(planFor(caseNamed(caseName))));
  const fake = await installFakeAws();
  const result = await runScript(join(dir, 'verify.sh'), [], scriptEnv({ ...fake.env, ...fakeEnv }));
  return { ...result, calls: await fake.calls() };
}

const row = (verdict: 'PASS' | 'FAIL', check: string) =>
  new RegExp(`^${verdict}\\s+${check.replace(/[()+]/g, '\\$&')}`, 'm');

const healthy = {
  FAKE_AWS_POLICY: 'strict-kms',
  FAKE_AWS_KEY_ARN: KEY,
  FAKE_AWS_ALIAS_EXISTS: '1',
  FAKE_AWS_HEAD: `aws:kms\t${KEY}\tTrue`,
  FAKE_AWS_BUCKET_ENCRYPTION: `aws:kms\t${KEY}\tTrue`,
  FAKE_AWS_PUBLIC_ACCESS_BLOCK: 'True\tTrue\tTrue\tTrue',
  FAKE_AWS_ROTATION: 'True\t365',
};

describe('verify.sh against an S3 that misbehaves', () => {
  test('the calls a passing run makes: the compliant headers (no bucket-key header), one region, every object deleted', async () => {
    const run = await runVerify('kms-strict-new-key', healthy);
    expect(run.code, run.output).toBe(0);
    const puts = run.calls.filter((call) => call[1] === 'put-object');
    const compliant = puts[0] ?? [];
    expect(flagValue(compliant, '--server-side-encryption')).toBe('aws:kms');
    expect(flagValue(compliant, '--ssekms-key-id')).toBe(KEY);
    expect(compliant).not.toContain('--bucket-key-enabled');
    for (const call of run.calls.filter((c) => !c.includes('--version')))
      expect(flagValue(call, '--region'), call.join(' ')).toBe('eu-west-1');
    const deleted = run.calls
      .filter((call) => call[1] === 'delete-object')
      .map((call) => flagValue(call, '--key'));
    for (const put of puts) expect(deleted).toContain(flagValue(put, '--key'));
  });

  test('exits 1 when head-object reports another key', async () => {
    const run = await runVerify('kms-strict-new-key', {
      ...healthy,
      FAKE_AWS_HEAD: `aws:kms\t${OTHER}\tTrue`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(row('FAIL', 'object: KMS key'));
    expect(run.stdout).toContain(`S3 reports ${OTHER}`);
  });

  test('exits 1 when head-object reports BucketKeyEnabled false', async () => {
    const run = await runVerify('kms-strict-new-key', {
      ...healthy,
      FAKE_AWS_HEAD: `aws:kms\t${KEY}\tFalse`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(row('FAIL', 'object: bucket key'));
  });

  test('exits 1 when the bucket accepts an AES256 upload (no policy)', async () => {
    const run = await runVerify('kms-strict-new-key', { ...healthy, FAKE_AWS_POLICY: 'none' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL\s+AES256 upload refused\s+S3 accepted the upload/m);
  });

  test('a failure without an HTTP answer is not a refusal', async () => {
    const run = await runVerify('kms-strict-new-key', { ...healthy, FAKE_AWS_UNREACHABLE: '1' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^FAIL\s+AES256 upload refused\s+not a refusal \(only AccessDenied, HTTP 403 counts\): Could not connect.*no HTTP response/m,
    );
    expect(run.stdout).not.toMatch(/^PASS\s+.*refused/m);
  });

  test('cleans up its test objects when a check fails midway', async () => {
    const { FAKE_AWS_HEAD: _head, ...withoutHead } = healthy;
    const run = await runVerify('kms-strict-new-key', withoutHead);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(row('FAIL', 'object: encryption'));
    const deleted = run.calls
      .filter((call) => call[1] === 'delete-object')
      .map((call) => flagValue(call, '--key'));
    const compliantKey = flagValue(run.calls.find((call) => call[1] === 'put-object') ?? [], '--key');
    expect(deleted).toContain(compliantKey);
  });
});

describe('verify.sh for the other plan shapes', () => {
  test('an existing key: uses the literal ARN and never looks the key up', async () => {
    const run = await runVerify('kms-existing-key', {
      ...healthy,
      FAKE_AWS_KEY_ARN: EXISTING_KEY_ARN,
      FAKE_AWS_HEAD: `aws:kms\t${EXISTING_KEY_ARN}\tTrue`,
      FAKE_AWS_BUCKET_ENCRYPTION: `aws:kms\t${EXISTING_KEY_ARN}\tTrue`,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.calls.filter((call) => call[1] === 'describe-key')).toEqual([]);
  });

  test('sse-s3: expects AES256, refuses aws:kms uploads, never calls KMS', async () => {
    const s3 = {
      FAKE_AWS_POLICY: 'strict-s3',
      FAKE_AWS_HEAD: 'AES256',
      FAKE_AWS_BUCKET_ENCRYPTION: 'AES256\tNone\tFalse',
      FAKE_AWS_PUBLIC_ACCESS_BLOCK: 'True\tTrue\tTrue\tTrue',
    };
    const pass = await runVerify('sse-s3-strict', s3);
    expect(pass.code, pass.output).toBe(0);
    expect(pass.stdout).toMatch(row('PASS', 'aws:kms upload refused'));
    expect(pass.calls.filter((call) => call[0] === 'kms')).toEqual([]);

    const wrong = await runVerify('sse-s3-strict', { ...s3, FAKE_AWS_HEAD: 'aws:kms' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(row('FAIL', 'object: encryption'));
  });
});
