import { readdirSync } from 'node:fs';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUILT_BIN, runProgramAsync } from '../e2e/support/built-cli.js';
import { adminCredentials, type Clients, clientsAs, createRoles } from '../standin/accounts.js';
import { ACCOUNT_ID } from '../standin/standin.js';
import { BUCKET, REGION, ROLES, useFlows } from './support.js';

/*
 * The built CLI's apply wiring, run as the account administrator through the stand-in: STS
 * for the account id, --dry-run, --yes, --json, blockers, exit codes, the one-shot command.
 * The apply engine itself is proven in test/apply.
 */
const flows = useFlows('ceb-apply-cli-');
const TARGET = [
  '--bucket',
  BUCKET,
  '--region',
  REGION,
  '--app-role',
  ROLES.app,
  '--operator-role',
  ROLES.operator,
];
let admin: Clients;

const keyCount = async () => (await admin.kms.send(new ListKeysCommand({}))).Keys?.length ?? 0;

beforeEach(async () => {
  await createRoles(flows.standIn, [{ name: ROLES.app }, { name: ROLES.operator }]);
  admin = await clientsAs(flows.standIn, adminCredentials(flows.standIn));
  await admin.s3.send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
});

describe('create-encrypted-bucket --apply, as the administrator', () => {
  it('--dry-run shows the diff, reads the account id from STS, adds the caller as key administrator, changes nothing', async () => {
    const run = await flows.cli([...TARGET, '--apply', '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.accountId).toBe(ACCOUNT_ID);
    expect(result.actions).toEqual([]);
    expect(result.diff.map((step: { status: string }) => step.status)).toContain('create');
    expect(JSON.stringify(result.plan.documents.keyPolicy)).toContain(
      `arn:aws:iam::${ACCOUNT_ID}:role/Administrator`,
    );
    expect(await keyCount()).toBe(0);
  });

  it('reports objects written before the setup and offers the re-encryption command', async () => {
    await admin.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'old.txt', Body: 'written before encryption' }),
    );
    const run = await flows.cli([...TARGET, '--apply', '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.olderObjects.needsReencryption.count).toBe(1);
    expect(run.stderr).toContain(`npx create-encrypted-bucket reencrypt --bucket '${BUCKET}'`);
  });

  it('--dry-run with a blocker (a role that does not exist) exits 2 and names it', async () => {
    const run = await flows.cli([...TARGET, '--auditor-role', 'ghost-auditor', '--apply', '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('ghost-auditor');
    expect(await keyCount()).toBe(0);
  });

  it('an unreachable endpoint fails with exit 1, a hint, and --debug never prints the secrets', async () => {
    const env = {
      ...flows.env({
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'secret-never-printed',
        AWS_SESSION_TOKEN: 'token-never-printed',
      }),
    };
    const run = await runProgramAsync(
      'node',
      [BUILT_BIN, ...TARGET, '--apply', '--yes', '--endpoint-url', 'http://127.0.0.1:9', '--debug'],
      { cwd: flows.home, env },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('AwsError: identify the caller: GetCallerIdentity failed');
    expect(run.stderr).toContain('could not be reached');
    expect(run.stdout + run.stderr).not.toMatch(/never-printed/);
  });

  it('without a terminal and without --yes, refuses with exit 2 and writes nothing', async () => {
    const run = await flows.cli([...TARGET, '--apply']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--yes');
    expect(await keyCount()).toBe(0);
  });

  it('--yes --no-verify applies, backs up, prints the one-shot command, and a second run writes nothing', async () => {
    const first = await flows.cli([...TARGET, '--apply', '--yes', '--no-verify', '--json']);
    expect(first.stderr).not.toMatch(/NodeVersionSupportWarning|error:/);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.actions.length).toBeGreaterThan(5);
    expect(result.command).toContain('--apply');
    expect(await keyCount()).toBe(1);
    expect(readdirSync(flows.home).some((file) => file.includes('backup'))).toBe(true);

    const second = JSON.parse(
      (await flows.cli([...TARGET, '--apply', '--yes', '--no-verify', '--json'])).stdout,
    );
    expect(second.actions).toEqual([]);
    expect(second.diff.every((step: { status: string }) => step.status === 'in-place')).toBe(true);
  });

  it('a failed check makes the run exit 1 with the table: --verify-role naming a role that may not use the key', async () => {
    const run = await flows.cli([...TARGET, '--apply', '--yes', '--verify-role', ROLES.operator]);
    expect(run.stdout + run.stderr).toMatch(
      /FAIL\s+upload with aws:kms \+ this key accepted.*kms:GenerateDataKey/,
    );
    expect(run.stdout + run.stderr).toMatch(/verification failed/i);
    expect(run.code).toBe(1);
  });

  it('verify subcommand: checks an existing object without uploading, exit 0 when it is right; --key is required', async () => {
    const applied = JSON.parse(
      (await flows.cli([...TARGET, '--apply', '--yes', '--no-verify', '--json'])).stdout,
    );
    const keyArn: string = applied.keyArn;
    expect(keyArn).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    const app = await flows.standIn.assumeRole(ROLES.app);
    const appClients = await clientsAs(flows.standIn, app);
    await appClients.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'contract.pdf',
        Body: 'pdf',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: keyArn,
      }),
    );
    const good = await flows.cli(
      ['verify', '--bucket', BUCKET, '--region', REGION, '--key', keyArn, '--object', 'contract.pdf'],
      { as: app },
    );
    expect(good.stdout + good.stderr).toMatch(/PASS/);
    expect(good.code, good.stderr).toBe(0);
    const missingKey = await flows.cli(['verify', '--bucket', BUCKET, '--region', REGION]);
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toContain('--key');
  });
});
