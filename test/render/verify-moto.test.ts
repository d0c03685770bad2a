import { join } from 'node:path';
import { DeleteBucketPolicyCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Moto, requireCommand, startMoto } from '../helpers/moto.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { clients, prepareAccount } from './helpers/moto-state.js';
import { render, writeToTemp } from './helpers/render-case.js';
import { runScript, scriptEnv } from './helpers/run-script.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

afterAll(removeTempDirs);

/*
 * verify.sh with the real aws CLI against moto. moto 5.2 ignores Condition in bucket
 * policies, so our Principal-* Deny on PutObject refuses *every* upload there: the honest
 * result is a failure that names the compliant upload. With the policy removed, moto
 * accepts anything, and verify.sh must say the AES256 upload got through. The passing path
 * is proved with a fake aws in verify-fake-aws.test.ts.
 */

const SLOW = 240_000;
let moto: Moto;
let dir: string;
const plan = planFor(caseNamed('kms-strict-new-key'));

beforeAll(async () => {
  requireCommand('aws', 'install the aws CLI (pip install awscli); the project image ships it');
  moto = await startMoto();
  await prepareAccount(moto, plan);
  dir = await writeToTemp(await render(plan));
  const setup = await runScript(join(dir, 'setup.sh'), [], scriptEnv(moto.env));
  if (setup.code !== 0) throw new Error(`setup.sh failed:\n${setup.output}`);
}, SLOW);

afterAll(async () => {
  await moto?.stop();
});

async function objectsLeft(): Promise<number> {
  const { s3 } = clients(moto, plan.config.region);
  return (await s3.send(new ListObjectsV2Command({ Bucket: plan.config.bucket }))).KeyCount ?? 0;
}

test(
  'after setup.sh: fails, saying the compliant upload failed (moto denies every upload)',
  async () => {
    const run = await runScript(join(dir, 'verify.sh'), [], scriptEnv(moto.env));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^FAIL\s+compliant upload \(aws:kms with this key\) is accepted\s+failed: .*\(403\)/m,
    );
    expect(await objectsLeft()).toBe(0);
  },
  SLOW,
);

test(
  'with the bucket policy deleted: fails, saying the AES256 upload was accepted',
  async () => {
    const { s3 } = clients(moto, plan.config.region);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: plan.config.bucket }));
    const run = await runScript(join(dir, 'verify.sh'), [], scriptEnv(moto.env));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL\s+AES256 upload is refused\s+accepted/m);
    expect(run.stdout).toMatch(/^PASS\s+compliant upload \(aws:kms with this key\) is accepted/m);
    // The objects it managed to write are gone again.
    expect(await objectsLeft()).toBe(0);
  },
  SLOW,
);
