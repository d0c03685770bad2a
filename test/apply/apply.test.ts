import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordCalls } from '../../src/apply/call-log.js';
import { runApply } from '../../src/apply/run-apply.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { CancelledError, ConfigError } from '../../src/errors.js';
import { KEY_TAG_KEY, resolveKeyArn } from '../../src/plan/build-plan.js';
import { MOTO_ACCOUNT_ID, type Moto, startMoto } from '../helpers/moto.js';
import { readEndState } from './read-back.js';
import {
  ALIAS,
  applyOptions,
  BUCKET,
  createRoles,
  motoClients,
  planFor,
  REGION,
  ROLES,
  recordingUi,
  useMotoEnvironment,
} from './support.js';

/*
 * Layer: integration against a real moto_server. Proves discovery, diff, ordering, merge and
 * convergence on real request/response shapes. moto 5.2 does not echo RotationPeriodInDays,
 * so the period is proven here by what apply *sends* (a request middleware), and the diff of
 * a different period is proven in diff.test.ts with the state real KMS returns.
 */

let moto: Moto;
let clients: AwsClients;

beforeAll(async () => {
  moto = await startMoto();
  useMotoEnvironment(moto);
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  expect.hasAssertions();
  await moto.reset();
  clients?.destroy();
  clients = motoClients(moto);
  await createRoles(clients);
});

/** Fresh clients per run, as main() creates them, each with its own call log. */
function instrumented(failWrite?: number) {
  const runClients = motoClients(moto);
  const log = recordCalls(runClients, failWrite === undefined ? {} : { failWrite });
  return { runClients, log };
}

describe('apply against moto', () => {
  it('brings a fresh account to the plan, and every piece of state reads back as planned', async () => {
    const plan = planFor();
    const { runClients, log } = instrumented();
    const sent: Record<string, unknown>[] = [];
    runClients.kms.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push({ command: context.commandName, ...(args.input as Record<string, unknown>) });
        return next(args);
      },
      { step: 'initialize', name: 'captureKmsInput' },
    );

    const result = await runApply(plan, applyOptions(runClients), recordingUi());

    const end = await readEndState(clients, plan);
    expect(end.taggedKeys).toHaveLength(1);
    const keyArn = end.taggedKeys[0] as string;
    expect(result.keyArn).toBe(keyArn);
    expect(result.accountId).toBe(MOTO_ACCOUNT_ID);
    expect(end.aliases).toEqual({ [ALIAS]: keyArn });
    expect(end.rotationEnabled).toBe(true);
    expect(end.keyPolicy).toEqual(plan.documents.keyPolicy);
    expect(end.location).toBe(REGION);
    expect(end.ownership).toBe('BucketOwnerEnforced');
    expect(end.encryption).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
        BucketKeyEnabled: true,
      },
    ]);
    expect(end.publicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(end.bucketPolicy).toEqual(resolveKeyArn(plan.documents.bucketPolicy, keyArn));
    for (const [kind, name] of Object.entries(ROLES)) {
      const planned = plan.documents.rolePolicies[kind as keyof typeof ROLES];
      expect(end.rolePolicies[name]).toEqual(resolveKeyArn(planned, keyArn));
    }

    // What moto cannot show: the period is sent, the lockout check is never bypassed.
    expect(sent.find((input) => input.command === 'EnableKeyRotationCommand')).toMatchObject({
      RotationPeriodInDays: 365,
    });
    for (const input of sent) expect(input).not.toHaveProperty('BypassPolicyLockoutSafetyCheck');
    expect(sent.find((input) => input.command === 'CreateKeyCommand')).toMatchObject({
      Tags: [{ TagKey: KEY_TAG_KEY, TagValue: BUCKET }],
    });

    expect(log.writes().map((call) => call.operation)).toEqual([
      'CreateBucket',
      'CreateKey',
      'CreateAlias',
      'EnableKeyRotation',
      'PutBucketEncryption',
      'PutPublicAccessBlock',
      'PutBucketPolicy',
      'PutRolePolicy',
      'PutRolePolicy',
      'PutRolePolicy',
      'PutRolePolicy',
    ]);
    expect(result.actions).toHaveLength(log.writes().length);
    expect(result.diff.every((step) => step.status !== 'update')).toBe(true);
  });

  it('a second run makes zero write calls and reports every step in place', async () => {
    const plan = planFor();
    await runApply(plan, applyOptions(motoClients(moto)), recordingUi());

    const { runClients, log } = instrumented();
    const ui = recordingUi();
    const again = await runApply(plan, applyOptions(runClients, { yes: false }), ui);

    expect(log.writes()).toEqual([]);
    expect(again.diff.map((step) => step.status)).toEqual(plan.steps.map(() => 'in-place'));
    expect(again.actions).toEqual([]);
    expect(again.backupPath).toBeUndefined();
    // Nothing to write, so nothing to confirm, even without --yes and without a terminal.
    expect(ui.confirms).toBe(0);
  });

  it('--dry-run shows the diff and makes zero write calls', async () => {
    const { runClients, log } = instrumented();
    const ui = recordingUi();
    const result = await runApply(planFor(), applyOptions(runClients, { dryRun: true, yes: false }), ui);

    expect(log.writes()).toEqual([]);
    expect(log.calls.length).toBeGreaterThan(0);
    expect(result.diff.map((step) => step.status)).toContain('create');
    expect(result.backupPath).toBeUndefined();
    expect(ui.lines.some((line) => line.startsWith('note') && line.includes('create KMS key'))).toBe(true);
  });

  it('without a terminal and without --yes it refuses with a ConfigError (exit 2), writing nothing', async () => {
    const { runClients, log } = instrumented();
    const error = await runApply(planFor(), applyOptions(runClients, { yes: false }), recordingUi()).catch(
      (e) => e,
    );

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('pass --yes to apply without a terminal');
    expect(error.exitCode).toBe(2);
    expect(log.writes()).toEqual([]);
  });

  it('asks in a terminal, and a "no" writes nothing', async () => {
    const { runClients, log } = instrumented();
    const ui = recordingUi({ interactive: true, confirmAnswer: false });
    const error = await runApply(planFor(), applyOptions(runClients, { yes: false }), ui).catch((e) => e);

    expect(ui.confirms).toBe(1);
    expect(error).toBeInstanceOf(CancelledError);
    expect(log.writes()).toEqual([]);
  });

  it('refuses before any write when a role does not exist, and says to create it', async () => {
    const plan = planFor({ auditorRoles: ['missing-auditor'] });
    const { runClients, log } = instrumented();
    const dry = await runApply(plan, applyOptions(runClients, { dryRun: true }), recordingUi());
    expect(dry.blockers?.join('\n')).toContain('create role missing-auditor first');
    expect(dry.warnings.join('\n')).toContain('create role missing-auditor first');

    const error = await runApply(plan, applyOptions(runClients), recordingUi()).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.field).toBe('--auditor-role');
    expect(log.writes()).toEqual([]);
  });

  it('refuses when the bucket is missing and --create-bucket was not given', async () => {
    const { runClients, log } = instrumented();
    const error = await runApply(
      planFor({ createBucket: false }),
      applyOptions(runClients),
      recordingUi(),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.field).toBe('--create-bucket');
    expect(log.writes()).toEqual([]);
  });

  it('refuses a bucket that lives in another region, naming the region to use', async () => {
    const west = motoClients(moto, 'us-west-2');
    await west.s3.send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
      }),
    );
    west.destroy();
    const { runClients, log } = instrumented();
    const error = await runApply(
      planFor({ createBucket: false }),
      applyOptions(runClients),
      recordingUi(),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('is in us-west-2');
    expect(error.field).toBe('--region');
    expect(log.writes()).toEqual([]);
  });

  it('refuses to adopt a key the alias already points to when this tool did not create it for the bucket', async () => {
    const foreign = await clients.kms.send(new CreateKeyCommand({ Description: 'someone else' }));
    await clients.kms.send(
      new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: foreign.KeyMetadata?.KeyId }),
    );
    const { runClients, log } = instrumented();
    const error = await runApply(planFor(), applyOptions(runClients), recordingUi()).catch((e) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.field).toBe('--key-alias');
    expect(error.message).toContain('did not create');
    expect(log.writes()).toEqual([]);
  });

  it('finds its key again by tag when the alias is gone, and only adds the alias', async () => {
    const plan = planFor();
    const first = await runApply(plan, applyOptions(motoClients(moto)), recordingUi());
    const { DeleteAliasCommand } = await import('@aws-sdk/client-kms');
    await clients.kms.send(new DeleteAliasCommand({ AliasName: ALIAS }));

    const { runClients, log } = instrumented();
    const again = await runApply(plan, applyOptions(runClients), recordingUi());

    expect(log.writes().map((call) => call.operation)).toEqual(['CreateAlias']);
    expect(again.keyArn).toBe(first.keyArn);
    expect(again.diff.find((step) => step.step === 'kms.createKey')?.details.join()).toContain(
      'found by its tag',
    );
    const end = await readEndState(clients, plan);
    expect(end.taggedKeys).toEqual([first.keyArn]);
    expect(end.aliases).toEqual({ [ALIAS]: first.keyArn });
  });
});
