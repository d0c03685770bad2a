import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  GetKeyPolicyCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan, KEY_TAG_KEY, resolveKeyArn } from '../../src/plan/build-plan.js';
import { describeStep, ROLE_POLICY_FILES } from '../../src/render/index.js';
import type { Plan, RenderedFile } from '../../src/types.js';
import { requireCommand } from '../helpers/moto.js';
import { useMoto } from '../helpers/use-moto.js';
import { CASES, caseNamed, planFor, type RenderCase } from './helpers/cases.js';
import {
  type AccountState,
  clients,
  createKey,
  prepareAccount,
  readAccount,
  withoutBlockedEncryptionTypes,
} from './helpers/moto-state.js';
import { fileAt, render, writeToTemp } from './helpers/render-case.js';
import { CHANGED, renderDiscovered } from './helpers/render-discovered.js';
import { runScript, scriptEnv } from './helpers/run-script.js';
import { makeTempDir, removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * setup.sh run by the real aws CLI (v1 on this machine) against a real moto_server, read
 * back with the SDK. What moto cannot show is proved elsewhere: it does not echo
 * RotationPeriodInDays (setup-fake-aws.test.ts checks the flag is sent) and ignores
 * policy conditions (the iam-simulate tests in test/access prove their meaning).
 */

const SLOW = 240_000;

beforeAll(() => {
  requireCommand('aws', 'install the aws CLI (pip install awscli); the project image ships it');
});
const moto = useMoto();

/** Builds the case's plan in moto's account; an existing key is created first, as a user would have one. */
async function planInMoto(renderCase: RenderCase): Promise<Plan> {
  if (renderCase.answers.existingKey === undefined) return planFor(renderCase);
  const existingKey = await createKey(moto, renderCase.answers.region ?? '');
  return buildPlan(parseConfig({ ...renderCase.answers, existingKey }));
}

async function renderAndSetUp(plan: Plan): Promise<{ dir: string; files: RenderedFile[] }> {
  await prepareAccount(moto, plan);
  const files = await render(plan);
  return { dir: await writeToTemp(files), files };
}

function runSetup(dir: string) {
  return runScript(join(dir, 'setup.sh'), [], scriptEnv(moto.env));
}

/** A folder whose `aws` refuses kms create-alias, as AWS does a caller without kms:CreateAlias. */
async function awsRefusingCreateAlias(): Promise<string> {
  const real = (process.env.PATH ?? '')
    .split(':')
    .map((folder) => join(folder, 'aws'))
    .find((candidate) => existsSync(candidate));
  if (!real) throw new Error('no aws CLI on PATH');
  const folder = await makeTempDir('ceb-aws-no-alias-');
  const wrapper = join(folder, 'aws');
  await writeFile(
    wrapper,
    [
      '#!/bin/sh',
      'if [ "$1 $2" = "kms create-alias" ]; then',
      '  echo "An error occurred (AccessDeniedException) when calling the CreateAlias operation: not authorized" >&2',
      '  exit 254',
      'fi',
      `exec '${real}' "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(wrapper, 0o755);
  return folder;
}

const fileJson = (files: RenderedFile[], path: string) => JSON.parse(fileAt(files, path).content);

/** The planned state, read back: every document equal to its file once the key ARN is known. */
function expectPlannedState(state: AccountState, plan: Plan, files: RenderedFile[]): string | undefined {
  const key = plan.config.scheme === 'sse-kms' ? plan.config.key : undefined;
  let keyArn: string | undefined;
  if (key?.kind === 'new') {
    expect(state.keys).toHaveLength(1);
    const [created] = state.keys;
    keyArn = created?.arn;
    expect(keyArn).toMatch(/^arn:aws:kms:[a-z0-9-]+:123456789012:key\/[0-9a-f-]{36}$/);
    expect(created?.tags[KEY_TAG_KEY]).toBe(plan.config.bucket);
    expect(created?.rotation).toBe(true);
    expect(created?.policy).toEqual(fileJson(files, 'policies/key-policy.json'));
    expect(state.aliases).toEqual([{ name: key.alias, targetKeyId: keyArn?.split('/')[1] }]);
  } else if (key?.kind === 'existing') {
    keyArn = key.arn;
    // Used as it is: not re-policied, not rotated, no alias, no second key.
    expect(state.keys.map((found) => found.arn)).toEqual([key.arn]);
    expect(state.keys[0]?.rotation).toBe(false);
    expect(state.keys[0]?.policy).not.toEqual(fileJson(files, 'policies/key-policy.json'));
    expect(state.aliases).toEqual([]);
  } else {
    expect(state.keys).toEqual([]);
  }

  const resolve = <T>(document: T): T => (keyArn ? resolveKeyArn(document, keyArn) : document);
  const byDefault = (
    state.encryption as {
      Rules: { ApplyServerSideEncryptionByDefault: unknown; BucketKeyEnabled: boolean }[];
    }
  ).Rules[0];
  if (keyArn) {
    expect(byDefault?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: keyArn,
    });
    expect(byDefault?.BucketKeyEnabled).toBe(true);
  } else {
    expect(byDefault?.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
  }
  expect(state.encryption).toEqual(
    withoutBlockedEncryptionTypes(resolve(fileJson(files, 'policies/bucket-encryption.json'))),
  );
  expect(state.publicAccessBlock).toEqual(fileJson(files, 'policies/public-access-block.json'));
  expect(state.bucketPolicy).toEqual(resolve(fileJson(files, 'policies/bucket-policy.json')));
  for (const step of plan.steps) {
    if (step.kind !== 'iam.putRolePolicy') continue;
    const file = fileJson(files, `policies/${ROLE_POLICY_FILES[step.roleKind]}`);
    expect(state.rolePolicies[step.role.name], step.role.name).toEqual(resolve(file));
  }
  return keyArn;
}

describe('setup.sh with the real aws CLI against moto', () => {
  test.each(CASES)(
    '$name: brings a fresh account to the planned state',
    async (renderCase) => {
      const plan = await planInMoto(renderCase);
      const { dir, files } = await renderAndSetUp(plan);
      const run = await runSetup(dir);
      expect(run.code, run.output).toBe(0);
      expectPlannedState(await readAccount(moto, plan), plan, files);
      // It says what it does, step by step: the checks and the backup that change nothing,
      // then the plan in order.
      const titles = [...run.stdout.matchAll(/^==> (.*)$/gm)].map((match) => match[1]);
      const preflight = [
        'Check that the account holds what render read (the lock)',
        // Every plan puts the bucket's default encryption, whose fields the CLI must know.
        'Check that this aws CLI knows every field the plan sends',
        plan.config.createBucket ? 'Check whether the bucket exists' : 'Check that the bucket exists',
        ...(plan.steps.some((step) => step.kind === 'iam.putRolePolicy')
          ? ['Check that the roles exist']
          : []),
        'Back up what this script is about to change',
      ];
      expect(titles).toEqual([...preflight, ...plan.steps.map(describeStep)]);
    },
    SLOW,
  );

  test.each(['kms-strict-new-key', 'kms-compatible-all-roles'])(
    '%s: a second run creates nothing: one key, one alias, the same state',
    async (name) => {
      const plan = planFor(caseNamed(name));
      const { dir, files } = await renderAndSetUp(plan);
      expect((await runSetup(dir)).code).toBe(0);
      const first = await readAccount(moto, plan);
      const again = await runSetup(dir);
      expect(again.code, again.output).toBe(0);
      // The lock accepts what the first run wrote; the key the alias names is used, not made again.
      expect(again.stdout).toContain('the KMS key (alias, key, key policy): as rendered');
      expect(again.stdout).toContain(`using ${first.keys[0]?.arn}`);
      const second = await readAccount(moto, plan);
      expect(second).toEqual(first);
      expectPlannedState(second, plan, files);
    },
    SLOW,
  );

  test(
    'a key whose alias was deleted: setup.sh refuses; rendered again, the key found by its tag is used, not created twice',
    async () => {
      const plan = planFor(caseNamed('kms-strict-new-key'));
      const { dir, files } = await renderAndSetUp(plan);
      expect((await runSetup(dir)).code).toBe(0);
      const first = await readAccount(moto, plan);
      const { kms } = clients(moto, plan.config.region);
      await kms.send(new DeleteAliasCommand({ AliasName: 'alias/acme-invoices' }));
      // Another key without our tag must not be mistaken for ours.
      await kms.send(new CreateKeyCommand({ Description: 'unrelated' }));

      const refused = await runSetup(dir);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.stderr).toContain(CHANGED);

      const rendered = await renderDiscovered(moto, plan);
      const again = await runSetup(rendered.dir);
      expect(again.code, again.output).toBe(0);
      expect(again.stdout).toContain(`using ${first.keys[0]?.arn}`);
      const after = await readAccount(moto, plan);
      const ours = after.keys.filter((key) => key.tags[KEY_TAG_KEY] === 'acme-invoices');
      expect(ours.map((key) => key.arn)).toEqual([first.keys[0]?.arn]);
      expect(after.keys).toHaveLength(2);
      expectPlannedState({ ...after, keys: ours }, plan, files);
    },
    SLOW,
  );

  test(
    'a run that stopped at its alias (kms:CreateAlias refused): run again, it refuses and makes no second key; rendered again, the tagged key gets the alias',
    async () => {
      const plan = planFor(caseNamed('kms-strict-new-key'));
      const { dir, files } = await renderAndSetUp(plan);
      const stopped = await runScript(
        join(dir, 'setup.sh'),
        [],
        scriptEnv({ ...moto.env, PATH: `${await awsRefusingCreateAlias()}:${process.env.PATH ?? ''}` }),
      );
      expect(stopped.code, stopped.output).not.toBe(0);
      expect(stopped.stderr).toContain('CreateAlias');
      const { kms } = clients(moto, plan.config.region);
      const keyIds = async () =>
        ((await kms.send(new ListKeysCommand({}))).Keys ?? []).map((key) => key.KeyId);
      const [orphan] = await keyIds();
      expect(await keyIds()).toHaveLength(1);

      const refused = await runSetup(dir);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.stderr).toContain('the list of keys tagged for this bucket is not what it was');
      expect(refused.stderr).toContain(CHANGED);
      expect(refused.stdout).not.toContain('==> Back up');
      expect(await keyIds()).toEqual([orphan]);

      const rendered = await renderDiscovered(moto, plan);
      expect(fileAt(rendered.files, 'setup.sh').content).toMatch(
        new RegExp(`^LOCK_TAGGED_KEYS='arn:aws:kms:[^']+:key/${orphan}'$`, 'm'),
      );
      const again = await runSetup(rendered.dir);
      expect(again.code, again.output).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`using arn:aws:kms:\\S+:key/${orphan}`));
      const after = await readAccount(moto, plan);
      expect(after.keys.map((key) => key.arn.split('/')[1])).toEqual([orphan]);
      expectPlannedState(after, plan, files);
    },
    SLOW,
  );

  test(
    'a tagged key render saw pending deletion: the lock names it, and setup.sh makes the one new key',
    async () => {
      const plan = planFor(caseNamed('kms-strict-new-key'));
      await prepareAccount(moto, plan);
      const { kms } = clients(moto, plan.config.region);
      const old = await kms.send(
        new CreateKeyCommand({ Tags: [{ TagKey: KEY_TAG_KEY, TagValue: plan.config.bucket }] }),
      );
      await kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: old.KeyMetadata?.KeyId, PendingWindowInDays: 7 }),
      );

      const rendered = await renderDiscovered(moto, plan);
      expect(fileAt(rendered.files, 'setup.sh').content).toContain(
        `LOCK_TAGGED_KEYS='${old.KeyMetadata?.Arn}'`,
      );
      const run = await runSetup(rendered.dir);
      expect(run.code, run.output).toBe(0);
      const after = await readAccount(moto, plan);
      const live = after.keys.filter((key) => key.arn !== old.KeyMetadata?.Arn);
      expect(live).toHaveLength(1);
      expectPlannedState({ ...after, keys: live }, plan, rendered.files);
    },
    SLOW,
  );

  test(
    'an alias naming a key this tool did not make: stops before touching that key',
    async () => {
      const plan = planFor(caseNamed('kms-strict-new-key'));
      const { dir } = await renderAndSetUp(plan);
      const { kms } = clients(moto, plan.config.region);
      const foreign = await kms.send(new CreateKeyCommand({ Description: 'somebody else' }));
      const KeyId = foreign.KeyMetadata?.KeyId ?? '';
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/acme-invoices', TargetKeyId: KeyId }));
      const policyBefore = (await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy;

      const run = await runSetup(dir);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(CHANGED);
      // Rendered again after reading the account, render itself refuses that key.
      await expect(renderDiscovered(moto, plan)).rejects.toThrow(/did not create for bucket acme-invoices/);
      expect((await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy).toBe(
        policyBefore,
      );
      const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
      expect(keys.map((key) => key.KeyId)).toEqual([KeyId]);
    },
    SLOW,
  );
});
