import { CreateKeyCommand, GetKeyPolicyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordCalls } from '../../src/apply/call-log.js';
import { runApply } from '../../src/apply/run-apply.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { KEY_TAG_KEY } from '../../src/plan/build-plan.js';
import { type Moto, startMoto } from '../helpers/moto.js';
import { readEndState } from './read-back.js';
import {
  applyOptions,
  BUCKET,
  createRoles,
  motoClients,
  planFor,
  recordingUi,
  useMotoEnvironment,
} from './support.js';

/*
 * Layer: integration against moto. The plan shapes besides "new key in eu-west-1": SSE-S3
 * (no key at all), a key the user brings (used as it is, never modified), a bucket created in
 * us-east-1 (the one region without a LocationConstraint), and a leftover tagged key that is
 * pending deletion (never adopted).
 */

let moto: Moto;
let clients: AwsClients;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnvironment(moto);
});

afterAll(async () => {
  clients?.destroy();
  await moto?.stop();
});

beforeEach(async () => {
  expect.hasAssertions();
  await moto.reset();
  clients?.destroy();
  clients = motoClients(moto);
  await createRoles(clients);
});

async function applyAndRerun(plan: ReturnType<typeof planFor>, region?: string) {
  const first = motoClients(moto, region);
  const firstLog = recordCalls(first);
  const result = await runApply(plan, applyOptions(first), recordingUi());
  const second = motoClients(moto, region);
  const secondLog = recordCalls(second);
  await runApply(plan, applyOptions(second), recordingUi());
  first.destroy();
  second.destroy();
  return {
    result,
    firstWrites: firstLog.writes().map((call) => call.operation),
    secondWrites: secondLog.writes(),
  };
}

describe('apply variants', () => {
  it('SSE-S3: no KMS call that writes, AES256 default encryption, converges', async () => {
    const plan = planFor({
      scheme: 'sse-s3',
      keyAlias: undefined,
      rotationDays: undefined,
      keyAdminRoles: [],
    });
    const { result, firstWrites, secondWrites } = await applyAndRerun(plan);

    expect(result.keyArn).toBeUndefined();
    expect(firstWrites.filter((operation) => /Key|Alias/.test(operation))).toEqual([]);
    expect(secondWrites).toEqual([]);
    const end = await readEndState(clients, plan);
    expect(end.encryption).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
    ]);
    expect(end.taggedKeys).toEqual([]);
  });

  it('an existing key is used by its full ARN and its policy is left alone', async () => {
    const ownPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Root',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    const key = await clients.kms.send(
      new CreateKeyCommand({ Description: 'brought by the user', Policy: ownPolicy }),
    );
    const keyArn = key.KeyMetadata?.Arn as string;
    const plan = planFor({ keyAlias: undefined, rotationDays: undefined, existingKey: keyArn });
    const { result, firstWrites, secondWrites } = await applyAndRerun(plan);

    expect(result.keyArn).toBe(keyArn);
    expect(firstWrites).not.toContain('PutKeyPolicy');
    expect(firstWrites).not.toContain('CreateKey');
    expect(secondWrites).toEqual([]);
    const policy = await clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
    expect(policy.Policy).toBe(ownPolicy);
    const end = await readEndState(clients, plan);
    expect(end.encryption).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
        BucketKeyEnabled: true,
      },
    ]);
  });

  it('creates a us-east-1 bucket without a LocationConstraint', async () => {
    const plan = planFor({ region: 'us-east-1' });
    const { firstWrites, secondWrites } = await applyAndRerun(plan, 'us-east-1');
    expect(firstWrites[0]).toBe('CreateBucket');
    expect(secondWrites).toEqual([]);
    const end = await readEndState(motoClients(moto, 'us-east-1'), plan);
    expect(end.location ?? '').toBe('');
  });

  it('never adopts a tagged key that is pending deletion; it creates a new one', async () => {
    const leftover = await clients.kms.send(
      new CreateKeyCommand({
        Tags: [{ TagKey: KEY_TAG_KEY, TagValue: BUCKET }],
        Description: 'deleted earlier',
      }),
    );
    await clients.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: leftover.KeyMetadata?.KeyId, PendingWindowInDays: 7 }),
    );

    const plan = planFor();
    const { result, firstWrites } = await applyAndRerun(plan);
    expect(firstWrites).toContain('CreateKey');
    expect(result.keyArn).not.toBe(leftover.KeyMetadata?.Arn);
    expect((await readEndState(clients, plan)).taggedKeys).toEqual([result.keyArn]);
  });
});
