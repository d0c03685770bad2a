import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeStep } from '../../src/render/index.js';
import { requireCommand } from '../helpers/moto.js';
import { useMoto } from '../helpers/use-moto.js';
import { CASES } from './helpers/cases.js';
import { readAccount } from './helpers/moto-state.js';
import { SLOW, setupMotoHelpers } from './helpers/setup-moto-support.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * setup.sh run by the real aws CLI (v1 on this machine) against a real moto_server, read
 * back with the SDK, for every render case. What moto cannot show is proved elsewhere: it does
 * not echo RotationPeriodInDays (setup-fake-aws.test.ts checks the flag is sent) and ignores
 * policy conditions (the iam-simulate tests in test/access prove their meaning). Recovery from
 * interrupted and foreign states: setup-moto-recovery.test.ts.
 */

beforeAll(() => {
  requireCommand('aws', 'install the aws CLI (pip install awscli); the project image ships it');
});
const moto = useMoto();
const { planInMoto, renderAndSetUp, runSetup, expectPlannedState } = setupMotoHelpers(moto);
/** Cases run a second time, which must create and change nothing. */
const RERUN = new Set(['kms-strict-new-key', 'kms-compatible-all-roles']);

describe('setup.sh with the real aws CLI against moto', () => {
  test.each(CASES)(
    '$name: brings a fresh account to the planned state (twice for some: the second run changes nothing)',
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
      if (!RERUN.has(renderCase.name)) return;

      // A second run creates nothing: the lock accepts what the first wrote, and the key the
      // alias names is used, not made again.
      const first = await readAccount(moto, plan);
      const again = await runSetup(dir);
      expect(again.code, again.output).toBe(0);
      expect(again.stdout).toContain('the KMS key (alias, key, key policy): as rendered');
      expect(again.stdout).toContain(`using ${first.keys[0]?.arn}`);
      const second = await readAccount(moto, plan);
      expect(second).toEqual(first);
      expectPlannedState(second, plan, files);
    },
    SLOW,
  );
});
