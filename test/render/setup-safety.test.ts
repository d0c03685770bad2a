import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Plan, RenderedFile } from '../../src/types.js';
import { MOTO_ACCOUNT_ID, requireCommand } from '../helpers/moto.js';
import { useMoto } from '../helpers/use-moto.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { clients, prepareAccount, readAccount } from './helpers/moto-state.js';
import { render, writeToTemp } from './helpers/render-case.js';
import { CHANGED } from './helpers/render-discovered.js';
import { runScript, scriptEnv } from './helpers/run-script.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * "Never destroy what the user had", for setup.sh: run by the real aws CLI against moto, it
 * backs up what it is about to change, and puts only what render merged after reading the
 * account (the lock): rendered offline, it refuses a bucket policy it could not merge. The state is read back with the SDK, not the CLI under test.
 * moto ignores policy conditions; that does not matter here, where only the text counts.
 */

const SLOW = 600_000;

beforeAll(() => {
  requireCommand('aws', 'install the aws CLI (pip install awscli); the project image ships it');
});
const moto = useMoto();

/** A CloudFront origin-access-control read grant, as the CloudFront console writes it. */
const OAC_GRANT = {
  Sid: 'AllowCloudFrontServicePrincipalReadOnly',
  Effect: 'Allow',
  Principal: { Service: 'cloudfront.amazonaws.com' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::acme-reports/*',
  Condition: {
    StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${MOTO_ACCOUNT_ID}:distribution/EDFDVBD6EXAMPLE` },
  },
};

/** The bucket exists (this case does not create it), the roles too. */
const PLAN = () => planFor(caseNamed('kms-compatible-all-roles'));

async function renderAndSetUp(plan: Plan): Promise<{ dir: string; files: RenderedFile[] }> {
  await prepareAccount(moto, plan);
  const files = await render(plan);
  return { dir: await writeToTemp(files), files };
}

function runSetup(dir: string, env: Record<string, string> = {}) {
  return runScript(join(dir, 'setup.sh'), [], scriptEnv({ ...moto.env, ...env }));
}

async function bucketPolicyText(plan: Plan): Promise<string | undefined> {
  const { s3 } = clients(moto, plan.config.region);
  return (await s3.send(new GetBucketPolicyCommand({ Bucket: plan.config.bucket }))).Policy;
}

/** Every backup folder, oldest first, each as file name -> text. */
async function backups(dir: string): Promise<Record<string, string>[]> {
  const folders = (await readdir(join(dir, 'backups'))).sort();
  return Promise.all(
    folders.map(async (folder) => {
      const names = await readdir(join(dir, 'backups', folder));
      const texts = await Promise.all(
        names.map((name) => readFile(join(dir, 'backups', folder, name), 'utf8')),
      );
      return Object.fromEntries(names.map((name, index) => [name, texts[index] ?? '']));
    }),
  );
}

/** How moto reports what was never set, whatever the SDK's error class. */
async function errorName(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'none',
    (error: Error) => error.name,
  );
}

describe('setup.sh and a bucket policy it did not write (real aws CLI, moto)', () => {
  test(
    'rendered offline: refused before any write, no backup (rendered after reading the account, the merge and its re-runs: test/flows/scripts-lock.test.ts, as the administrator through the stand-in)',
    async () => {
      const plan = PLAN();
      const { dir: offline } = await renderAndSetUp(plan);
      const { s3, kms, iam } = clients(moto, plan.config.region);
      const Bucket = plan.config.bucket;
      // Pretty-printed, as a console or Terraform might have left it.
      const existing = JSON.stringify({ Version: '2012-10-17', Statement: [OAC_GRANT] }, null, 2);
      await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: existing }));
      const before = await bucketPolicyText(plan);
      expect(before).toBeDefined();

      const refused = await runSetup(offline);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.stderr).toContain(CHANGED);
      expect(refused.stderr).toContain('rendered without reading the account');
      expect(await bucketPolicyText(plan)).toBe(before);
      // Nothing else was written either: no key, no encryption, no public-access block, no role policy.
      expect((await kms.send(new ListKeysCommand({}))).Keys ?? []).toHaveLength(0);
      expect(await errorName(s3.send(new GetBucketEncryptionCommand({ Bucket })))).toBe(
        'ServerSideEncryptionConfigurationNotFoundError',
      );
      expect(await errorName(s3.send(new GetPublicAccessBlockCommand({ Bucket })))).toBe(
        'NoSuchPublicAccessBlockConfiguration',
      );
      const roleStep = plan.steps.find((step) => step.kind === 'iam.putRolePolicy');
      if (roleStep?.kind !== 'iam.putRolePolicy') throw new Error('the plan puts no role policy');
      expect(
        await errorName(
          iam.send(
            new GetRolePolicyCommand({ RoleName: roleStep.role.name, PolicyName: roleStep.policyName }),
          ),
        ),
      ).toBe('NoSuchEntityException');
      expect(existsSync(join(offline, 'backups'))).toBe(false);
    },
    SLOW,
  );
});

describe('setup.sh and a role that does not exist (real aws CLI, moto)', () => {
  test(
    'stops in its checks: no key, no bucket policy, nothing else written, the role named',
    async () => {
      const plan = PLAN();
      const { dir } = await renderAndSetUp(plan);
      const { s3, kms, iam } = clients(moto, plan.config.region);
      const Bucket = plan.config.bucket;
      // Created with the others, then removed: the bucket is there, one role is not.
      await iam.send(new DeleteRoleCommand({ RoleName: 'report-reader' }));

      const run = await runSetup(dir);
      expect(run.code, run.output).toBe(1);
      expect(run.stderr).toContain('role report-reader does not exist');
      expect(run.stderr).toContain('Create role report-reader first, or render again without it.');

      expect((await kms.send(new ListKeysCommand({}))).Keys ?? []).toHaveLength(0);
      const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
      expect(aliases.filter((alias) => !alias.AliasName?.startsWith('alias/aws/'))).toEqual([]);
      expect(await errorName(s3.send(new GetBucketPolicyCommand({ Bucket })))).toBe('NoSuchBucketPolicy');
      expect(await errorName(s3.send(new GetBucketEncryptionCommand({ Bucket })))).toBe(
        'ServerSideEncryptionConfigurationNotFoundError',
      );
      expect(await errorName(s3.send(new GetPublicAccessBlockCommand({ Bucket })))).toBe(
        'NoSuchPublicAccessBlockConfiguration',
      );
      // Not even the roles that exist got their policy.
      for (const step of plan.steps) {
        if (step.kind !== 'iam.putRolePolicy') continue;
        const read = iam.send(
          new GetRolePolicyCommand({ RoleName: step.role.name, PolicyName: step.policyName }),
        );
        expect(await errorName(read), step.role.name).toBe('NoSuchEntityException');
      }
      // It stopped before the backup, so there is no folder to clean up.
      expect(existsSync(join(dir, 'backups'))).toBe(false);
    },
    SLOW,
  );
});

describe('setup.sh backups (real aws CLI, moto)', () => {
  test(
    'a re-run saves the state it converges from, in a form the put calls take back',
    async () => {
      const plan = planFor(caseNamed('kms-strict-new-key'));
      const { dir } = await renderAndSetUp(plan);
      const fresh = await runSetup(dir);
      expect(fresh.code, fresh.output).toBe(0);
      const [first] = await backups(dir);
      // setup.sh created the bucket and the key: there was nothing of them to save.
      expect(Object.keys(first ?? {}).sort()).toEqual(['notes.txt']);
      expect(first?.['notes.txt']).toContain('bucket settings: none; the bucket does not exist yet');
      expect(first?.['notes.txt']).toContain('key settings: none; the key does not exist yet');
      expect(first?.['notes.txt']?.match(/: none \(NoSuchEntity\)/g)).toHaveLength(4);

      const state = await readAccount(moto, plan);
      const again = await runSetup(dir);
      expect(again.code, again.output).toBe(0);
      expect(await readAccount(moto, plan)).toEqual(state);
      const [, second] = await backups(dir);
      const json = (name: string) => JSON.parse(second?.[name] ?? 'null');
      expect(Object.keys(second ?? {}).sort()).toEqual([
        'bucket-encryption.json',
        'bucket-policy.json',
        'key-policy.json',
        'key-rotation.txt',
        'notes.txt',
        'public-access-block.json',
        'role-invoice-app.encrypted-bucket-acme-invoices-app.json',
        'role-key-custodian.encrypted-bucket-acme-invoices-key-admin.json',
        'role-platform-ops.encrypted-bucket-acme-invoices-operator.json',
        'role-security-audit.encrypted-bucket-acme-invoices-auditor.json',
      ]);
      expect(second?.['bucket-policy.json']).toBe(`${await bucketPolicyText(plan)}\n`);
      expect(json('bucket-policy.json')).toEqual(state.bucketPolicy);
      expect(json('bucket-encryption.json')).toEqual(state.encryption);
      expect(json('public-access-block.json')).toEqual(state.publicAccessBlock);
      expect(json('key-policy.json')).toEqual(state.keys[0]?.policy);
      expect(second?.['key-rotation.txt']).toBe('True\n');
      expect(json('role-invoice-app.encrypted-bucket-acme-invoices-app.json')).toEqual(
        state.rolePolicies['invoice-app'],
      );
      expect(again.stdout).toContain('saved bucket policy: bucket-policy.json');

      // Restoring is one put of the saved file.
      const [, folder] = (await readdir(join(dir, 'backups'))).sort();
      const saved = join(dir, 'backups', folder ?? '', 'bucket-encryption.json');
      const restore = await runScript(
        'aws',
        [
          's3api',
          'put-bucket-encryption',
          '--bucket',
          plan.config.bucket,
          '--server-side-encryption-configuration',
          `file://${saved}`,
        ],
        scriptEnv(moto.env),
      );
      expect(restore.code, restore.output).toBe(0);
    },
    SLOW,
  );
});
