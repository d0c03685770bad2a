import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { adminCredentials, clientsAs, createRoles } from '../standin/accounts.js';
import { ADMIN_ROLE } from '../standin/standin.js';
import { type AwsCli, readRendered, renderInto, runScript } from './scripts-support.js';
import { BUCKET, OAC_GRANT, REGION, ROLES, SETUP_FLAGS, useFlows } from './support.js';

/*
 * The lock, as it runs in real life: render reads the account as the administrator (apply's
 * discovery), merges into the bucket policy in TypeScript and locks what it read; setup.sh,
 * run by the same administrator under aws CLI v1 and Debian's v2.9, refuses to write when the
 * account changed since. Both CLIs must compute the digests render computed: v2.9 is too old
 * for the plan's fields, so it proves its half by passing the lock, then stopping at the CLI check.
 */
const flows = useFlows('ceb-flow-lock-');
const SLOW = 600_000;
const CHANGED = 'the account changed since this was rendered; render again';
const CLIS: AwsCli[] = ['v1', 'v2'];
/** A full setup.sh with aws CLI v1 through the stand-in: about 40 calls, each a Python start. */
const FULL_RUN = 400_000;
/** An existing bucket, maintained by the administrator, who runs setup.sh. */
const FLAGS = [...SETUP_FLAGS.filter((flag) => flag !== '--create-bucket'), '--key-admin-role', ADMIN_ROLE];

/** Pretty-printed, as the console leaves it. */
const CLOUDFRONT_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [OAC_GRANT] }, null, 2);

async function admin() {
  return clientsAs(flows.standIn, adminCredentials(flows.standIn));
}

/** The roles, and the bucket with a CloudFront grant in its policy. */
async function seedAccount() {
  await createRoles(
    flows.standIn,
    Object.values(ROLES).map((name) => ({ name })),
  );
  const { s3 } = await admin();
  await s3.send(
    new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: CLOUDFRONT_POLICY }));
}

async function bucketPolicy(): Promise<string | undefined> {
  const { s3 } = await admin();
  return (await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy;
}

async function keyCount(): Promise<number> {
  const { kms } = await admin();
  return ((await kms.send(new ListKeysCommand({}))).Keys ?? []).length;
}

/** The lock's lines of a rendered setup.sh, for failure messages. */
const lockOf = (dir: string) =>
  readRendered(dir, 'setup.sh')
    .split('\n')
    .filter((line) => line.startsWith('LOCK_'))
    .join('\n');

/** setup.sh refused at the lock: the instruction, nothing written, not even a backup. */
async function expectRefused(dir: string, cli: AwsCli) {
  const policyBefore = await bucketPolicy();
  const keysBefore = await keyCount();
  const run = await runScript(flows, join(dir, 'setup.sh'), { cli, timeoutMs: FULL_RUN });
  expect(run.code, `${cli}:\n${lockOf(dir)}\n${run.stdout}${run.stderr}`).toBe(1);
  expect(run.stderr, cli).toContain(CHANGED);
  expect(run.stdout, cli).not.toMatch(/==> (Create|Put|Enable|Back up|Check that this aws CLI)/);
  expect(existsSync(join(dir, 'backups')), cli).toBe(false);
  expect(await bucketPolicy()).toBe(policyBefore);
  expect(await keyCount()).toBe(keysBefore);
  return run;
}

/** The backup folders setup.sh made so far. */
const backups = (dir: string) => (existsSync(join(dir, 'backups')) ? readdirSync(join(dir, 'backups')) : []);

describe('setup.sh and the lock (stand-in, as the administrator)', () => {
  it(
    "read at render: the CloudFront statement is merged in TypeScript and kept byte for byte; v2.9 computes the lock's digests too; a re-run converges",
    async () => {
      await seedAccount();
      const dir = await renderInto(flows, 'out', [...FLAGS, '--discover']);
      const merged = JSON.parse(readRendered(dir, 'policies/bucket-policy.json'));
      expect(merged.Statement[0]).toEqual(OAC_GRANT);

      // v2.9 agrees with the lock, then stops at its own age, before any write.
      const old = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v2' });
      expect(old.code, old.stdout + old.stderr).toBe(1);
      expect(old.stdout).toContain('the bucket policy: as rendered');
      expect(old.stdout).toContain('the KMS key (alias, key, key policy): as rendered');
      expect(old.stderr).toContain('is too old for this plan');

      const setup = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v1', timeoutMs: FULL_RUN });
      expect(setup.code, setup.stdout + setup.stderr).toBe(0);
      const text = (await bucketPolicy()) ?? '';
      const kept = JSON.parse(text).Statement[0];
      expect(JSON.stringify(kept)).toBe(JSON.stringify(OAC_GRANT));
      expect(await keyCount()).toBe(1);
      // Backed up before the first write: the policy the bucket had, as the account answered it.
      const [backup] = backups(dir);
      expect(
        JSON.parse(readFileSync(join(dir, 'backups', backup ?? '', 'bucket-policy.json'), 'utf8')),
      ).toEqual(JSON.parse(CLOUDFRONT_POLICY));

      // Re-runs: the lock accepts what this plan wrote, under both CLIs; nothing changes.
      const again = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v1', timeoutMs: FULL_RUN });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(await bucketPolicy()).toBe(text);
      expect(await keyCount()).toBe(1);
      const oldAgain = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v2' });
      expect(oldAgain.stdout).toContain('the bucket policy: as rendered');
      expect(oldAgain.stdout).toContain('the KMS key (alias, key, key policy): as rendered');
      expect(oldAgain.stderr).toContain('is too old for this plan');
    },
    SLOW,
  );

  it(
    'the bucket policy changes after render, or a key appears under the alias: both CLIs refuse and write nothing',
    async () => {
      await seedAccount();
      const dir = await renderInto(flows, 'out', [...FLAGS, '--discover']);
      const { s3, kms } = await admin();

      const changed = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ ...OAC_GRANT, Sid: 'Changed' }],
      });
      await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: changed }));
      for (const cli of CLIS) {
        const run = await expectRefused(dir, cli);
        expect(run.stderr).toContain('the bucket policy is not what it was');
      }

      await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: CLOUDFRONT_POLICY }));
      const alias = /^KEY_ALIAS='([^']+)'$/m.exec(readRendered(dir, 'setup.sh'))?.[1] ?? '';
      const key = await kms.send(new CreateKeyCommand({ Description: 'made by hand after render' }));
      await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyMetadata?.KeyId }));
      for (const cli of CLIS) {
        const run = await expectRefused(dir, cli);
        expect(run.stderr).toContain('the KMS key (alias, key, key policy) is not what it was');
      }
    },
    SLOW,
  );

  it(
    'a run refused kms:CreateAlias after creating the key: run again, both CLIs refuse and make no second key; rendered again, the tagged key is used and gets the alias',
    async () => {
      await createRoles(
        flows.standIn,
        Object.values(ROLES).map((name) => ({ name })),
      );
      // A new bucket and key, rendered offline: the lock says nothing exists yet.
      const dir = await renderInto(flows, 'out', [...SETUP_FLAGS, '--key-admin-role', ADMIN_ROLE]);
      const { iam, kms } = await admin();
      const noAlias = { RoleName: ADMIN_ROLE, PolicyName: 'no-create-alias' };
      await iam.send(
        new PutRolePolicyCommand({
          ...noAlias,
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 'kms:CreateAlias', Resource: '*' }],
          }),
        }),
      );
      const stopped = await runScript(flows, join(dir, 'setup.sh'), { cli: 'v1', timeoutMs: FULL_RUN });
      expect(stopped.code, stopped.stdout + stopped.stderr).not.toBe(0);
      expect(stopped.stderr).toContain('kms:CreateAlias');
      await iam.send(new DeleteRolePolicyCommand(noAlias));
      expect(await keyCount()).toBe(1);
      const orphan = ((await kms.send(new ListKeysCommand({}))).Keys ?? [])[0]?.KeyArn ?? '';
      expect(orphan).toMatch(/^arn:aws:kms:/);

      // Run again as it was rendered: the tagged key is not the lock's, so no second key.
      const backupsBefore = backups(dir);
      for (const cli of CLIS) {
        const run = await runScript(flows, join(dir, 'setup.sh'), { cli, timeoutMs: FULL_RUN });
        expect(run.code, `${cli}:\n${lockOf(dir)}\n${run.stdout}${run.stderr}`).toBe(1);
        expect(run.stderr, cli).toContain('the list of keys tagged for this bucket is not what it was');
        expect(run.stderr, cli).toContain(CHANGED);
        expect(run.stdout, cli).not.toMatch(/==> (Create|Put|Enable|Back up|Check that this aws CLI)/);
        expect(backups(dir), cli).toEqual(backupsBefore);
        expect(await keyCount(), cli).toBe(1);
      }

      // Rendered again, reading the account: discovery finds the key by its tag, as apply does.
      const again = await renderInto(flows, 'again', [
        ...SETUP_FLAGS,
        '--key-admin-role',
        ADMIN_ROLE,
        '--discover',
      ]);
      expect(readRendered(again, 'setup.sh')).toContain(`LOCK_KEY='${orphan}'`);
      expect(readRendered(again, 'setup.sh')).toContain(`LOCK_TAGGED_KEYS='${orphan}'`);
      // v2.9 agrees with the lock, then stops at its own age, before any write.
      const old = await runScript(flows, join(again, 'setup.sh'), { cli: 'v2' });
      expect(old.code, old.stdout + old.stderr).toBe(1);
      expect(old.stdout).toContain('the list of keys tagged for this bucket: as rendered');
      expect(old.stderr).toContain('is too old for this plan');
      const setup = await runScript(flows, join(again, 'setup.sh'), { cli: 'v1', timeoutMs: FULL_RUN });
      expect(setup.code, setup.stdout + setup.stderr).toBe(0);
      expect(setup.stdout).toContain(`using ${orphan}`);
      expect(await keyCount()).toBe(1);
      const alias = /^KEY_ALIAS='([^']+)'$/m.exec(readRendered(again, 'setup.sh'))?.[1] ?? '';
      expect((await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.Arn).toBe(orphan);
    },
    SLOW,
  );

  it(
    'rendered offline, a bucket policy it could not merge: both CLIs refuse with the same instruction',
    async () => {
      await seedAccount();
      // Offline: a key administrator is named, so render does not read the account unless told.
      const dir = await renderInto(flows, 'out', FLAGS);
      expect(readRendered(dir, 'setup.sh')).toContain("LOCK_READ='no'");
      for (const cli of CLIS) {
        const run = await expectRefused(dir, cli);
        expect(run.stderr).toContain('rendered without reading the account');
      }
    },
    SLOW,
  );
});
