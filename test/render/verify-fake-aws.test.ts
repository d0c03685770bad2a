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
 * verify.sh's positive path. moto ignores bucket-policy conditions and refuses every
 * upload under a Principal-* Deny (verify-moto.test.ts shows verify.sh reporting exactly
 * that), so a compliant upload can never pass there. Here a fake `aws` first on PATH plays
 * S3 with a policy that behaves as AWS documents it, and reports what head-object returns.
 * This layer proves verify.sh's logic: which calls it makes, what it accepts as proof and
 * that it fails on each mismatch. Whether the real policies refuse what they should is
 * proved by the iam-simulate tests in test/access.
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
  new RegExp(`^${verdict}\\s+${check.replace(/[()]/g, '\\$&')}`, 'm');

describe('verify.sh against a fake aws that behaves like S3 with the strict policy', () => {
  const strictKms = { FAKE_AWS_POLICY: 'strict-kms', FAKE_AWS_KEY_ARN: KEY, FAKE_AWS_ALIAS_EXISTS: '1' };

  test('exits 0 when the object is stored with this key and a Bucket Key, and every wrong upload is refused', async () => {
    const run = await runVerify('kms-strict-new-key', {
      ...strictKms,
      FAKE_AWS_HEAD: `aws:kms\t${KEY}\tTrue`,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toContain('All checks passed.');
    expect(run.stdout).toMatch(row('PASS', 'compliant upload (aws:kms with this key) is accepted'));
    expect(run.stdout).toMatch(row('PASS', `compliant object: SSEKMSKeyId = ${KEY}`));
    expect(run.stdout).toMatch(row('PASS', 'compliant object: BucketKeyEnabled = true'));
    for (const refused of [
      'AES256 upload',
      'upload naming another KMS key',
      'SSE-C upload (customer-provided key)',
    ]) {
      expect(run.stdout).toMatch(row('PASS', `${refused} is refused`));
    }
    expect(run.stdout).not.toMatch(/^FAIL/m);

    const puts = run.calls.filter((call) => call[1] === 'put-object');
    const compliant = puts.find((call) => flagValue(call, '--key')?.endsWith('/compliant.txt'));
    expect(flagValue(compliant ?? [], '--server-side-encryption')).toBe('aws:kms');
    expect(flagValue(compliant ?? [], '--ssekms-key-id')).toBe(KEY);
    // The Bucket Key must come from the bucket's default, so the client does not ask for it.
    expect(compliant).not.toContain('--bucket-key-enabled');
    for (const call of run.calls) expect(flagValue(call, '--region'), call.join(' ')).toBe('eu-west-1');
    // Every object it tried to write is deleted again.
    const deleted = run.calls
      .filter((call) => call[1] === 'delete-object')
      .map((call) => flagValue(call, '--key'));
    for (const put of puts) expect(deleted).toContain(flagValue(put, '--key'));
  });

  test('exits non-zero when head-object reports another key', async () => {
    const run = await runVerify('kms-strict-new-key', {
      ...strictKms,
      FAKE_AWS_HEAD: `aws:kms\t${OTHER}\tTrue`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(row('FAIL', `compliant object: SSEKMSKeyId = ${KEY}`));
    expect(run.stdout).toContain(`got ${OTHER}`);
  });

  test('exits non-zero when head-object reports BucketKeyEnabled false', async () => {
    const run = await runVerify('kms-strict-new-key', {
      ...strictKms,
      FAKE_AWS_HEAD: `aws:kms\t${KEY}\tFalse`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(row('FAIL', 'compliant object: BucketKeyEnabled = true'));
  });

  test('exits non-zero when the bucket accepts an AES256 upload (no policy)', async () => {
    const run = await runVerify('kms-strict-new-key', {
      ...strictKms,
      FAKE_AWS_POLICY: 'none',
      FAKE_AWS_HEAD: `aws:kms\t${KEY}\tTrue`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL\s+AES256 upload is refused\s+accepted/m);
  });

  test('a refusal for any reason other than access denied is not counted as a pass', async () => {
    const run = await runVerify('kms-strict-new-key', { ...strictKms, FAKE_AWS_UNREACHABLE: '1' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^FAIL\s+AES256 upload is refused\s+failed for another reason: Could not connect/m,
    );
    expect(run.stdout).not.toMatch(/^PASS/m);
  });

  test('cleans up its test objects when a check fails midway (trap on exit)', async () => {
    const run = await runVerify('kms-strict-new-key', strictKms);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(row('FAIL', 'compliant object: head-object'));
    const deleted = run.calls
      .filter((call) => call[1] === 'delete-object')
      .map((call) => flagValue(call, '--key'));
    expect(deleted).toContainEqual(expect.stringMatching(/\/compliant\.txt$/));
  });
});

describe('verify.sh for the other plan shapes', () => {
  test('compatible mode: a headerless upload is accepted and stored with this key', async () => {
    const fake = {
      FAKE_AWS_KEY_ARN: KEY,
      FAKE_AWS_ALIAS_EXISTS: '1',
      FAKE_AWS_HEAD: `aws:kms\t${KEY}\tTrue`,
    };
    const run = await runVerify('kms-compatible-all-roles', { ...fake, FAKE_AWS_POLICY: 'compatible-kms' });
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toMatch(
      row('PASS', 'upload without encryption headers (compatible mode) is accepted'),
    );
    expect(run.stdout).toMatch(row('PASS', `headerless object: SSEKMSKeyId = ${KEY}`));

    // The same plan against a bucket that refuses headerless uploads: verify.sh notices.
    const strict = await runVerify('kms-compatible-all-roles', { ...fake, FAKE_AWS_POLICY: 'strict-kms' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(
      row('FAIL', 'upload without encryption headers (compatible mode) is accepted'),
    );
  });

  test('an existing key: uses the literal ARN and never asks KMS', async () => {
    const run = await runVerify('kms-existing-key', {
      FAKE_AWS_POLICY: 'strict-kms',
      FAKE_AWS_KEY_ARN: EXISTING_KEY_ARN,
      FAKE_AWS_HEAD: `aws:kms\t${EXISTING_KEY_ARN}\tTrue`,
    });
    expect(run.code, run.output).toBe(0);
    expect(run.calls.filter((call) => call[0] === 'kms')).toEqual([]);
  });

  test('sse-s3: expects AES256 and no KMS key, and refuses aws:kms uploads', async () => {
    const pass = await runVerify('sse-s3-strict', {
      FAKE_AWS_POLICY: 'strict-s3',
      FAKE_AWS_HEAD: 'AES256\tNone',
    });
    expect(pass.code, pass.output).toBe(0);
    expect(pass.stdout).toMatch(row('PASS', 'aws:kms upload is refused'));
    expect(pass.calls.filter((call) => call[0] === 'kms')).toEqual([]);

    const wrong = await runVerify('sse-s3-strict', {
      FAKE_AWS_POLICY: 'strict-s3',
      FAKE_AWS_HEAD: `aws:kms\t${KEY}`,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(row('FAIL', 'compliant object: ServerSideEncryption = AES256'));
  });
});
