import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordCalls } from '../../src/apply/call-log.js';
import { discoverBucket } from '../../src/apply/discover-bucket.js';
import { execute } from '../../src/apply/execute.js';
import { runApply } from '../../src/apply/run-apply.js';
import type { AccountState } from '../../src/apply/state.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { AppError, ConfigError } from '../../src/errors.js';
import type { PlanStep } from '../../src/types.js';
import { withLockedKeyPolicy } from '../apply/state-fixtures.js';
import {
  applyOptions,
  BUCKET,
  createRoles,
  motoClients,
  planFor,
  REGION,
  recordingUi,
  useMotoEnvironment,
} from '../apply/support.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { useMoto } from '../helpers/use-moto.js';

/*
 * apply's guards, each proven by the requests apply sends (an SDK middleware records every
 * S3 input) or does not send: ExpectedBucketOwner on every bucket read and write, and no key
 * policy that would leave the key without an administrator.
 */

const moto = useMoto();

beforeEach(async () => {
  useMotoEnvironment(moto);
  const setup = motoClients(moto);
  await createRoles(setup);
  setup.destroy();
});

interface SentInput {
  command: string;
  input: Record<string, unknown>;
}

/** Clients whose S3 inputs are recorded, and whose calls of every service are logged. */
function recorded(): { clients: AwsClients; s3Inputs: SentInput[]; log: ReturnType<typeof recordCalls> } {
  const clients = motoClients(moto);
  const s3Inputs: SentInput[] = [];
  clients.s3.middlewareStack.add(
    (next, context) => async (args) => {
      s3Inputs.push({
        command: (context.commandName ?? '').replace(/Command$/, ''),
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'initialize', name: 'recordS3Inputs' },
  );
  return { clients, s3Inputs, log: recordCalls(clients) };
}

/** CreateBucket is the one S3 call that has no ExpectedBucketOwner (there is no owner yet). */
function withoutOwner(inputs: SentInput[]): string[] {
  return inputs
    .filter((sent) => sent.command !== 'CreateBucket' && sent.input.ExpectedBucketOwner !== MOTO_ACCOUNT_ID)
    .map((sent) => `${sent.command} ExpectedBucketOwner=${String(sent.input.ExpectedBucketOwner)}`);
}

describe('ExpectedBucketOwner', () => {
  it('is on every S3 read and write of a fresh apply, and of a re-run that changes the bucket', async () => {
    const first = recorded();
    await runApply(planFor(), applyOptions(first.clients), recordingUi());
    first.clients.destroy();
    expect(first.s3Inputs.map((sent) => sent.command)).toEqual(
      expect.arrayContaining([
        'HeadBucket',
        'PutBucketEncryption',
        'PutPublicAccessBlock',
        'PutBucketPolicy',
      ]),
    );
    expect(withoutOwner(first.s3Inputs)).toEqual([]);

    // The bucket now exists: discovery reads all of it, and the changed plan rewrites the policy.
    const second = recorded();
    await runApply(planFor({ enforcement: 'compatible' }), applyOptions(second.clients), recordingUi());
    second.clients.destroy();
    const commands = second.s3Inputs.map((sent) => sent.command);
    expect(commands).toEqual(
      expect.arrayContaining([
        'HeadBucket',
        'GetBucketEncryption',
        'GetBucketPolicy',
        'GetPublicAccessBlock',
        'ListObjectsV2',
        'PutBucketPolicy',
      ]),
    );
    expect(withoutOwner(second.s3Inputs)).toEqual([]);
  });

  it('is on every discovery read, the region lookup included, with the plan account', async () => {
    const s3 = mockClient(S3Client);
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    s3.on(GetBucketEncryptionCommand).resolves({});
    s3.on(GetBucketPolicyCommand).resolves({});
    s3.on(GetPublicAccessBlockCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    const state = await discoverBucket(new S3Client({ region: REGION }), BUCKET, 'eu-west-1', '444455556666');
    s3.restore();

    expect(state).toMatchObject({ status: 'exists', region: 'eu-west-1' });
    const calls = s3.calls().map((call) => ({
      command: call.args[0].constructor.name.replace(/Command$/, ''),
      input: call.args[0].input as Record<string, unknown>,
    }));
    expect(calls.map((call) => call.command).sort()).toEqual(
      [
        'GetBucketEncryption',
        'GetBucketLocation',
        'GetBucketPolicy',
        'GetPublicAccessBlock',
        'HeadBucket',
        'ListObjectsV2',
      ].sort(),
    );
    for (const call of calls) {
      expect(call.input, call.command).toMatchObject({ Bucket: BUCKET, ExpectedBucketOwner: '444455556666' });
    }
  });
});

async function refusal(run: Promise<unknown>): Promise<AppError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const NO_ADMINISTRATOR = /key policy would leave no administrator/;

describe('a key policy that would lose its administrator', () => {
  it('is refused before the first write of a fresh apply, and shown on a dry run', async () => {
    const plan = withLockedKeyPolicy(planFor());
    const { clients, log } = recorded();
    const dry = await runApply(plan, applyOptions(clients, { dryRun: true }), recordingUi());
    expect(dry.blockers?.join('\n')).toMatch(NO_ADMINISTRATOR);

    const error = await refusal(runApply(plan, applyOptions(clients), recordingUi()));
    clients.destroy();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(NO_ADMINISTRATOR);
    expect(log.writes()).toEqual([]);
  });

  it('is refused on a key found again: no write, and the key keeps its policy', async () => {
    const plan = planFor();
    const setup = recorded();
    const applied = await runApply(plan, applyOptions(setup.clients), recordingUi());
    setup.clients.destroy();
    const keyArn = applied.keyArn as string;

    const { clients, log } = recorded();
    const error = await refusal(runApply(withLockedKeyPolicy(plan), applyOptions(clients), recordingUi()));
    clients.destroy();

    expect(error.message).toMatch(NO_ADMINISTRATOR);
    expect(log.writes()).toEqual([]);
    const reader = motoClients(moto);
    const stored = await reader.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }));
    reader.destroy();
    expect(JSON.parse(stored.Policy ?? '{}')).toEqual(plan.documents.keyPolicy);
  });

  /*
   * Defence in depth: the executors check again, whatever preflight decided, so a step that
   * reaches them (a later change to preflight, a caller other than runApply) still never
   * sends the policy.
   */
  it.each(['kms.createKey', 'kms.putKeyPolicy'] as const)(
    '%s refuses it by itself, sending nothing',
    async (kind) => {
      const plan = withLockedKeyPolicy(planFor());
      const step = plan.steps.find((candidate) => candidate.kind === kind) as PlanStep;
      const { clients, log } = recorded();
      const state = { caller: { account: MOTO_ACCOUNT_ID, arn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:root` } };
      const planned = [{ step, diff: { step: kind, title: kind, status: 'update' as const, details: [] } }];
      const keyArn = `arn:aws:kms:${REGION}:${MOTO_ACCOUNT_ID}:key/0b7e1c52-5d1a-4c5e-9f5e-4a7f8e2d9c01`;
      const error = await refusal(
        execute(planned, { clients, plan, state: state as unknown as AccountState, keyArn }, recordingUi()),
      );
      clients.destroy();
      expect(error.code).toBe('UNSAFE_KEY_POLICY');
      expect(error.message).toMatch(NO_ADMINISTRATOR);
      expect(log.calls).toEqual([]);
    },
  );
});
