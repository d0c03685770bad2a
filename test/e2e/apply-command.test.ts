import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { BUILT_BIN, runProgram } from './support/built-cli.js';
import { useMotoCli } from './support/moto-cli.js';

/*
 * The built CLI against a real moto_server, the way a user runs it: flags in, exit code and
 * account state out. The apply engine itself is proven in test/apply; this proves main()
 * wires it: STS for the account id, --dry-run, --yes, --json, verification and exit codes.
 */

const BUCKET = 'acme-contracts';
const session = useMotoCli('ceb-apply-cli-');
const { aws, cli } = session;

const TARGET = [
  '--bucket',
  BUCKET,
  '--region',
  'eu-west-1',
  '--app-role',
  'contracts-app',
  '--operator-role',
  'platform-ops',
];

beforeEach(async () => {
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  for (const role of ['contracts-app', 'platform-ops'])
    aws('iam', 'create-role', '--role-name', role, '--assume-role-policy-document', trust);
  aws(
    's3api',
    'create-bucket',
    '--bucket',
    BUCKET,
    '--create-bucket-configuration',
    'LocationConstraint=eu-west-1',
  );
});

describe('create-encrypted-bucket --apply against moto', () => {
  it('--dry-run shows the diff, reads the account id from STS, and changes nothing', () => {
    const run = cli(...TARGET, '--apply', '--dry-run', '--json');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.accountId).toBe(MOTO_ACCOUNT_ID);
    expect(result.actions).toEqual([]);
    expect(result.diff.map((step: { status: string }) => step.status)).toContain('create');
    expect(aws('kms', 'list-keys').Keys).toEqual([]);
  });

  it('reports objects written before the setup and offers the re-encryption command', () => {
    const body = join(session.home, 'old.txt');
    writeFileSync(body, 'written before encryption');
    aws('s3api', 'put-object', '--bucket', BUCKET, '--key', 'old.txt', '--body', body);
    // A dry run: once our bucket policy is in place, moto (which ignores conditions) denies
    // every HeadObject under the plain-HTTP Deny, and the scan could read nothing.
    const run = cli(...TARGET, '--apply', '--dry-run', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.olderObjects.needsReencryption.count).toBe(1);
    expect(result.olderObjects.classes.none.examples).toEqual(['old.txt']);
    expect(run.stderr).toContain(`npx create-encrypted-bucket reencrypt --bucket '${BUCKET}'`);
  });

  it('--dry-run with a blocker (a role that does not exist) exits 2 and names it', () => {
    const run = cli(...TARGET, '--auditor-role', 'ghost-auditor', '--apply', '--dry-run');
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('ghost-auditor');
    expect(aws('kms', 'list-keys').Keys).toEqual([]);
  });

  it('an unreachable endpoint fails with exit 1, a hint, and --debug never prints the secrets', () => {
    const env = session.env({
      AWS_SECRET_ACCESS_KEY: 'secret-never-printed',
      AWS_SESSION_TOKEN: 'token-never-printed',
    });
    const run = runProgram(
      'node',
      [BUILT_BIN, ...TARGET, '--apply', '--yes', '--endpoint-url', 'http://127.0.0.1:9', '--debug'],
      {
        cwd: session.home,
        env,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('AwsError: identify the caller: GetCallerIdentity failed');
    expect(run.stderr).toContain('could not be reached');
    expect(run.stdout + run.stderr).not.toMatch(/never-printed/);
  });

  it('without a terminal and without --yes, refuses with exit 2 and writes nothing', () => {
    const run = cli(...TARGET, '--apply');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--yes');
    expect(aws('kms', 'list-keys').Keys).toEqual([]);
  });

  it('--yes --no-verify applies, prints the one-shot command, and a second run writes nothing', () => {
    const first = cli(...TARGET, '--apply', '--yes', '--no-verify', '--json');
    // With --json the human-readable progress goes to stderr, the result alone to stdout.
    expect(first.stderr).not.toMatch(/NodeVersionSupportWarning|error:/);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.actions.length).toBeGreaterThan(5);
    expect(result.command).toContain('--apply');
    expect(aws('kms', 'list-keys').Keys).toHaveLength(1);
    expect(readdirSync(session.home).some((file) => file.includes('backup'))).toBe(true);

    const second = JSON.parse(cli(...TARGET, '--apply', '--yes', '--no-verify', '--json').stdout);
    expect(second.actions).toEqual([]);
    expect(second.diff.every((step: { status: string }) => step.status === 'in-place')).toBe(true);
  });

  it('verification failing makes the run exit 1 (moto refuses every upload under a Deny, so it fails there)', () => {
    // moto 5.2 ignores bucket-policy conditions: after apply, even the compliant test upload is
    // refused. This proves the wiring (a failed check -> exit 1 with the table), not the policy,
    // which test/access proves with the IAM simulator.
    const run = cli(...TARGET, '--apply', '--yes');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL/);
    expect(run.stderr + run.stdout).toMatch(/verification failed/i);
  });

  it('verify subcommand: checks an existing object without uploading, exit 0 when it is right', () => {
    const applied = JSON.parse(cli(...TARGET, '--apply', '--yes', '--no-verify', '--json').stdout);
    const keyArn: string = applied.keyArn;
    expect(keyArn).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    // Upload around the policy moto cannot evaluate: delete it, put the object, then verify.
    aws('s3api', 'delete-bucket-policy', '--bucket', BUCKET);
    aws(
      's3api',
      'put-object',
      '--bucket',
      BUCKET,
      '--key',
      'contract.pdf',
      '--server-side-encryption',
      'aws:kms',
      '--ssekms-key-id',
      keyArn,
    );
    const good = cli(
      'verify',
      '--bucket',
      BUCKET,
      '--region',
      'eu-west-1',
      '--key',
      keyArn,
      '--object',
      'contract.pdf',
    );
    expect(good.stdout).toMatch(/PASS/);
    expect(good.code).toBe(0);
    const missingKey = cli('verify', '--bucket', BUCKET, '--region', 'eu-west-1');
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toContain('--key');
  });
});
