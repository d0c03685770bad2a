import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  GetKeyPolicyCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEY_TAG_KEY } from '../../src/plan/build-plan.js';
import { requireCommand } from '../helpers/moto.js';
import { useMoto } from '../helpers/use-moto.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { clients, prepareAccount, readAccount } from './helpers/moto-state.js';
import { fileAt } from './helpers/render-case.js';
import { CHANGED, renderDiscovered } from './helpers/render-discovered.js';
import { SLOW, setupMotoHelpers } from './helpers/setup-moto-support.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * setup.sh (real aws CLI, moto) after a run that stopped half-way, and with keys that are not
 * its own: it refuses before any write, and a render that reads the account finishes the job
 * without a second key.
 */

beforeAll(() => {
  requireCommand('aws', 'install the aws CLI (pip install awscli); the project image ships it');
});
const moto = useMoto();
const { renderAndSetUp, runSetup, expectPlannedState } = setupMotoHelpers(moto);

describe('setup.sh recovering with the real aws CLI against moto', () => {
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
