import { CreateKeyCommand, DeleteAliasCommand, TagResourceCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordCalls } from '../../src/apply/call-log.js';
import { callerAccountId, callerPrincipalArn, runApply } from '../../src/apply/run-apply.js';
import { KEY_TAG_KEY } from '../../src/plan/build-plan.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { countRounds } from './round-counter.js';
import {
  ALIAS,
  applyOptions,
  createRoles,
  motoClients,
  planFor,
  recordingUi,
  useMotoEnvironment,
} from './support.js';

/*
 * Layer: integration against moto, not timed. Apply waits on the network once per round of
 * calls, so the number of rounds is its latency: discovery is one round (plus one for what
 * needs the key's id), writes go bucket, key, then what needs the key. The counter holds
 * every answer until its whole wave is answered (test/apply/round-counter.ts), so the counts
 * do not depend on moto's speed.
 */

let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnvironment(moto);
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  const setup = motoClients(moto);
  await createRoles(setup);
  setup.destroy();
});

async function rounds(): Promise<string[][]> {
  const clients = motoClients(moto);
  const counter = countRounds(clients);
  try {
    await runApply(planFor(), applyOptions(clients), recordingUi());
    return counter.waves.map((wave) => [...wave]);
  } finally {
    clients.destroy();
  }
}

const show = (waves: string[][]) => waves.map((wave, index) => `${index + 1}: ${wave.join(' ')}`).join('\n');

describe('round trips of apply', () => {
  // The targets are 7 and 3; the exact counts make any added round fail here.
  it('a fresh apply takes 5 rounds (at most 7), a no-op re-run 2 (at most 3)', async () => {
    const fresh = await rounds();
    expect(fresh.length, show(fresh)).toBeLessThanOrEqual(7);
    expect(fresh.length, show(fresh)).toBe(5);
    // Every read of the account is in the first round, then bucket, key, what needs the key.
    expect(fresh[0], show(fresh)).toEqual(
      expect.arrayContaining(['GetCallerIdentity', 'HeadBucket', 'DescribeKey', 'ListKeys', 'GetRole']),
    );
    expect(fresh.slice(1, 3)).toEqual([['CreateBucket'], ['CreateKey']]);
    const noop = await rounds();
    expect(noop.length, show(noop)).toBeLessThanOrEqual(3);
    expect(noop.length, show(noop)).toBe(2);
    expect(noop[1], show(noop)).toEqual(['GetKeyPolicy', 'GetKeyRotationStatus', 'ListResourceTags']);
    expect(noop.flat().filter((operation) => !/^(Get|List|Describe|Head)/.test(operation))).toEqual([]);
  });

  it('a fresh apply in an account holding other keys still takes at most 7 rounds', async () => {
    const setup = motoClients(moto);
    for (let index = 0; index < 5; index += 1) {
      const key = await setup.kms.send(new CreateKeyCommand({ Description: `other ${index}` }));
      await setup.kms.send(
        new TagResourceCommand({
          KeyId: key.KeyMetadata?.KeyId,
          Tags: [{ TagKey: KEY_TAG_KEY, TagValue: `another-bucket-${index}` }],
        }),
      );
    }
    setup.destroy();
    const fresh = await rounds();
    expect(fresh.length, show(fresh)).toBeLessThanOrEqual(7);
    expect(fresh.length, show(fresh)).toBe(6);
    expect(fresh.flat().filter((operation) => operation === 'ListResourceTags')).toHaveLength(5);
  });

  it('a re-run that finds its key by tag (the alias step had failed) takes 4 rounds', async () => {
    await rounds();
    const clients = motoClients(moto);
    await clients.kms.send(new DeleteAliasCommand({ AliasName: ALIAS }));
    clients.destroy();
    const rerun = await rounds();
    // Discovery: alias missing; tags; the tagged key described with its settings; then CreateAlias.
    expect(rerun.length, show(rerun)).toBe(4);
    expect(rerun.at(-1)).toEqual(['CreateAlias']);
  });

  it('main() asking for the account and the caller first costs apply no second GetCallerIdentity', async () => {
    const clients = motoClients(moto);
    const log = recordCalls(clients);
    await callerAccountId(clients);
    await callerPrincipalArn(clients);
    await runApply(planFor(), applyOptions(clients), recordingUi());
    clients.destroy();
    expect(log.calls.filter((call) => call.operation === 'GetCallerIdentity')).toHaveLength(1);
  });
});
