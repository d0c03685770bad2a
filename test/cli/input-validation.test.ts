import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';

const GOOD = [
  '--bucket',
  'acme-contracts',
  '--region',
  'eu-west-1',
  '--account-id',
  '111122223333',
  '--app-role',
  'contracts-app',
  '--key-admin-role',
  'key-custodian',
];

/** Replaces (or adds) one flag's value in the good command line. */
function withFlag(flag: string, value: string): string[] {
  const args = [...GOOD];
  const at = args.indexOf(flag);
  if (at >= 0) args[at + 1] = value;
  else args.push(flag, value);
  return args;
}

const BAD_INPUTS: [string, string[], string][] = [
  ['bucket with uppercase and underscore', withFlag('--bucket', 'Acme_Contracts'), '--bucket'],
  ['bucket too short', withFlag('--bucket', 'ab'), '--bucket'],
  ['bucket too long', withFlag('--bucket', 'a'.repeat(64)), '--bucket'],
  ['bucket ending in a hyphen', withFlag('--bucket', 'acme-'), '--bucket'],
  ['bucket with two dots', withFlag('--bucket', 'acme..contracts'), '--bucket'],
  ['bucket shaped like an IP', withFlag('--bucket', '192.168.10.12'), '--bucket'],
  ['bucket with reserved prefix', withFlag('--bucket', 'xn--acme'), '--bucket'],
  ['bucket with reserved suffix', withFlag('--bucket', 'acme-s3alias'), '--bucket'],
  ['unknown region', withFlag('--region', 'eu-west-9'), '--region'],
  ['region typo', withFlag('--region', 'euwest1'), '--region'],
  ['account id too short', withFlag('--account-id', '12345'), '--account-id'],
  ['account id with letters', withFlag('--account-id', '11112222333a'), '--account-id'],
  ['role with a space', withFlag('--app-role', 'contracts app'), '--app-role'],
  [
    'no key administrator with a KMS key',
    GOOD.filter((arg) => !/key-admin-role|key-custodian/.test(arg)),
    '--key-admin-role',
  ],
  ['re-encryption role with a space', withFlag('--reencrypt-role', 're encrypt'), '--reencrypt-role'],
  ['role with quotes', withFlag('--app-role', `it's"quoted"`), '--app-role'],
  ['role with command substitution', withFlag('--app-role', '$(touch /tmp/pwned)'), '--app-role'],
  ['role with backticks', withFlag('--app-role', '`id`'), '--app-role'],
  ['role with a newline', withFlag('--app-role', 'app\nrm -rf /'), '--app-role'],
  ['role name too long', withFlag('--app-role', 'r'.repeat(65)), '--app-role'],
  ['malformed role ARN', withFlag('--app-role', 'arn:aws:iam::111122223333:user/alice'), '--app-role'],
  ['role ARN of another account', withFlag('--app-role', 'arn:aws:iam::999988887777:role/app'), '--app-role'],
  ['same role as app and operator', [...GOOD, '--operator-role', 'contracts-app'], '--operator-role'],
  ['key alias without prefix', withFlag('--key-alias', 'my-key'), '--key-alias'],
  ['reserved key alias', withFlag('--key-alias', 'alias/aws/s3'), '--key-alias'],
  ['existing key given as alias', withFlag('--existing-key', 'alias/my-key'), '--existing-key'],
  [
    'existing key in another region',
    withFlag('--existing-key', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    '--existing-key',
  ],
  ['rotation below 90 days', withFlag('--rotation-days', '30'), '--rotation-days'],
  ['rotation not a number', withFlag('--rotation-days', 'yearly'), '--rotation-days'],
  ['unknown scheme', withFlag('--scheme', 'sse-d'), '--scheme'],
  [
    'sse-c with compatible enforcement',
    [...GOOD.slice(0, -2), '--scheme', 'sse-c', '--enforcement', 'compatible'],
    '--enforcement',
  ],
  ['unknown enforcement', withFlag('--enforcement', 'lenient'), '--enforcement'],
  ['requests not a number', withFlag('--requests-per-month', 'lots'), '--requests-per-month'],
  ['unknown flag', [...GOOD, '--bucket-name', 'x'], '--bucket-name'],
  ['flag without value', [...GOOD, '--region'], '--region'],
  ['missing bucket', GOOD.slice(2), '--bucket'],
  ['render and apply together', [...GOOD, '--apply'], '--render'],
  ['stray argument', ['create-it', ...GOOD], 'create-it'],
];

describe('bad input: exit 2, a message naming the field, nothing written', () => {
  it.each(BAD_INPUTS)('%s', async (_label, args, field) => {
    const parent = mkdtempSync(join(tmpdir(), 'ceb-bad-'));
    const out = join(parent, 'out');
    // Our flags first, so a flag left without a value is the last argument.
    const run = await runMain(['--yes', '--render', out, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(field);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('good input', () => {
  it('renders into a new folder with exit 0', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ceb-good-')), 'out');
    const run = await runMain([...GOOD, '--yes', '--render', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readdirSync(out)).toContain('setup.sh');
    expect(run.stdout).toContain('--render');
  });

  it('refuses a folder that is not empty without --overwrite, and leaves it untouched', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ceb-full-'));
    const first = await runMain([...GOOD, '--yes', '--render', out]);
    expect(first.code).toBe(0);
    const before = readdirSync(out).sort();
    const second = await runMain([...GOOD, '--yes', '--render', out]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('--overwrite');
    expect(readdirSync(out).sort()).toEqual(before);
    const third = await runMain([...GOOD, '--yes', '--render', out, '--overwrite']);
    expect(third.code).toBe(0);
  });
});
