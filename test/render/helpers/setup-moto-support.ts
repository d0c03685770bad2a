import { join } from 'node:path';
import { expect } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';
import { buildPlan, KEY_TAG_KEY, resolveKeyArn } from '../../../src/plan/build-plan.js';
import { ROLE_POLICY_FILES } from '../../../src/render/index.js';
import type { Plan, RenderedFile } from '../../../src/types.js';
import type { Moto } from '../../helpers/moto.js';
import { planFor, type RenderCase } from './cases.js';
import { type AccountState, createKey, prepareAccount, withoutBlockedEncryptionTypes } from './moto-state.js';
import { fileAt, render, writeToTemp } from './render-case.js';
import { runScript, scriptEnv } from './run-script.js';

/*
 * What the tests of setup.sh run by the real aws CLI against moto share (setup-moto*.test.ts):
 * one file per group, so that the groups run side by side.
 */

export const SLOW = 240_000;

export function setupMotoHelpers(moto: Moto) {
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

  return { planInMoto, renderAndSetUp, runSetup, fileJson, expectPlannedState };
}
