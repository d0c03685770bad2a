import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffPlan, knownKeyArn } from '../../src/apply/diff.js';
import { execute } from '../../src/apply/execute.js';
import type { AccountState } from '../../src/apply/state.js';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { AppError, AwsError } from '../../src/errors.js';
import { resolveKeyArn } from '../../src/plan/build-plan.js';
import { KEY_ARN_PLACEHOLDER, type Plan, type PolicyDocument } from '../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { appliedState, freshState, KEY_ARN, storedDocument, withLockedKeyPolicy } from './state-fixtures.js';
import { ALIAS, BUCKET, planFor, REGION, ROLES, recordingUi } from './support.js';

/*
 * Layer: unit, the AWS clients mocked (aws-sdk-client-mock). The executors through execute(),
 * as runApply calls it: the exact request each step sends (what moto would accept anyway:
 * ExpectedBucketOwner, the key's full ARN where the plan holds a placeholder, no
 * LocationConstraint in us-east-1), the line each step reports, and the guards that refuse
 * before sending.
 */

let s3: AwsClientStub<S3Client>;
let kms: AwsClientStub<KMSClient>;
let iam: AwsClientStub<IAMClient>;
let clients: AwsClients;

beforeEach(() => {
  expect.hasAssertions();
  s3 = mockClient(S3Client);
  kms = mockClient(KMSClient);
  iam = mockClient(IAMClient);
  kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN } });
  clients = createClients({ region: REGION });
});

afterEach(() => {
  clients.destroy();
  for (const stub of [s3, kms, iam]) stub.restore();
});

/** Runs every step the diff says is due, as runApply does after preflight. */
const run = (plan: Plan, state: AccountState) =>
  execute(diffPlan(plan, state), { clients, plan, state, keyArn: knownKeyArn(plan, state) }, recordingUi());

/** The inputs sent with one command, in order. */
function inputs(
  stub: AwsClientStub<S3Client> | AwsClientStub<KMSClient> | AwsClientStub<IAMClient>,
  command: string,
) {
  return stub
    .calls()
    .filter((call) => call.args[0].constructor.name === `${command}Command`)
    .map((call) => call.args[0].input as Record<string, unknown>);
}

const allCalls = () => [...s3.calls(), ...kms.calls(), ...iam.calls()];
const parsed = (text: unknown) => JSON.parse(String(text)) as PolicyDocument;

describe('executors: a fresh account', () => {
  it('sends each write with exactly what the plan holds, the new key by its full ARN', async () => {
    const plan = planFor();
    await run(plan, freshState(plan));

    expect(inputs(s3, 'CreateBucket')).toEqual([
      {
        Bucket: BUCKET,
        ObjectOwnership: 'BucketOwnerEnforced',
        CreateBucketConfiguration: { LocationConstraint: REGION },
      },
    ]);
    const createKey = plan.steps.find((step) => step.kind === 'kms.createKey');
    if (createKey?.kind !== 'kms.createKey') throw new Error('fixture');
    const [created, ...more] = inputs(kms, 'CreateKey');
    expect(more).toEqual([]);
    expect(created).toEqual({
      Description: createKey.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      Tags: createKey.tags.map((tag) => ({ TagKey: tag.Key, TagValue: tag.Value })),
      Policy: expect.any(String),
    });
    expect(createKey.tags.length).toBeGreaterThan(0);
    expect(parsed(created?.Policy)).toEqual(plan.documents.keyPolicy);
    expect(inputs(kms, 'CreateAlias')).toEqual([{ AliasName: ALIAS, TargetKeyId: KEY_ARN }]);
    expect(inputs(kms, 'EnableKeyRotation')).toEqual([{ KeyId: KEY_ARN, RotationPeriodInDays: 365 }]);
    // CreateKey already set the policy of the key it made.
    expect(inputs(kms, 'PutKeyPolicy')).toEqual([]);

    const [encryption] = inputs(s3, 'PutBucketEncryption');
    expect(encryption).toMatchObject({ Bucket: BUCKET, ExpectedBucketOwner: MOTO_ACCOUNT_ID });
    expect(encryption?.ServerSideEncryptionConfiguration).toMatchObject({
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } }],
    });
    expect(inputs(s3, 'PutPublicAccessBlock')).toEqual([
      {
        Bucket: BUCKET,
        ExpectedBucketOwner: MOTO_ACCOUNT_ID,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
    ]);
    const [bucketPolicy] = inputs(s3, 'PutBucketPolicy');
    expect(bucketPolicy).toMatchObject({ Bucket: BUCKET, ExpectedBucketOwner: MOTO_ACCOUNT_ID });
    expect(parsed(bucketPolicy?.Policy)).toEqual(resolveKeyArn(plan.documents.bucketPolicy, KEY_ARN));

    const expected = plan.steps.flatMap((step) =>
      step.kind === 'iam.putRolePolicy'
        ? [
            {
              RoleName: step.role.name,
              PolicyName: step.policyName,
              PolicyDocument: resolveKeyArn(step.policy, KEY_ARN),
            },
          ]
        : [],
    );
    const sent = inputs(iam, 'PutRolePolicy').map((input) => ({
      ...input,
      PolicyDocument: parsed(input.PolicyDocument),
    }));
    expect(sent).toHaveLength(Object.values(ROLES).length);
    expect(sent).toEqual(expect.arrayContaining(expected));
    expect(JSON.stringify(sent)).not.toContain(KEY_ARN_PLACEHOLDER);
  });

  it('reports one line per write, naming what it did and to which resource', async () => {
    const plan = planFor();
    const { actions, keyArn } = await run(plan, freshState(plan));
    expect(keyArn).toBe(KEY_ARN);
    const line = (...parts: string[]) => {
      const found = actions.filter((action) => parts.every((part) => action.includes(part)));
      expect(found, parts.join(' + ')).toHaveLength(1);
    };
    line('created bucket', BUCKET, REGION);
    line('created KMS key', KEY_ARN);
    line('alias', ALIAS, KEY_ARN);
    line('rotation', KEY_ARN, '365 days');
    line('default encryption', BUCKET, 'aws:kms', `with ${KEY_ARN}`);
    line('blocked public access', BUCKET);
    line('bucket policy', BUCKET, '0 statements of others kept');
    for (const role of Object.values(ROLES))
      line('inline policy', `role ${role}`, `encrypted-bucket-${BUCKET}-`);
    expect(actions).toHaveLength(7 + Object.values(ROLES).length);
  });

  it('creates a us-east-1 bucket without a LocationConstraint (S3 refuses one naming us-east-1)', async () => {
    const plan = planFor({ region: 'us-east-1' });
    await run(plan, freshState(plan));
    expect(inputs(s3, 'CreateBucket')).toEqual([{ Bucket: BUCKET, ObjectOwnership: 'BucketOwnerEnforced' }]);
  });

  it('SSE-S3: AES256 without a key, and the line says so', async () => {
    const plan = planFor({
      scheme: 'sse-s3',
      keyAlias: undefined,
      rotationDays: undefined,
      keyAdminRoles: [],
    });
    const { actions } = await run(plan, freshState(plan));
    const [encryption] = inputs(s3, 'PutBucketEncryption');
    const rule = (encryption?.ServerSideEncryptionConfiguration as { Rules: unknown[] } | undefined)
      ?.Rules[0];
    expect(rule).toMatchObject({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } });
    expect(JSON.stringify(rule)).not.toContain('KMSMasterKeyID');
    const line = actions.find((action) => action.includes('default encryption'));
    // No key to name: the line ends with the algorithm.
    expect(line).toMatch(new RegExp(`${BUCKET} to AES256$`));
  });

  it('a CreateKey answer without a key ARN stops the run, naming the step; nothing after it runs', async () => {
    kms.on(CreateKeyCommand).resolves({});
    const plan = planFor();
    const error = await run(plan, freshState(plan)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('create KMS key');
    expect((error as AppError).message).toContain('CreateKey returned no key ARN');
    // AWS's answer is at fault (exit 1), not the user's input nor this tool.
    expect((error as AppError).code).toBe('AWS');
    expect(inputs(kms, 'CreateAlias')).toEqual([]);
    expect(inputs(s3, 'PutBucketEncryption')).toEqual([]);
  });
});

describe('executors: an account that holds the bucket and the key', () => {
  it('puts a drifted key policy on the key found, by its ARN, and reports it', async () => {
    const plan = planFor();
    const drifted = {
      Version: '2012-10-17',
      Statement: [(plan.documents.keyPolicy as PolicyDocument).Statement[0]],
    };
    const state = appliedState(plan, { policy: storedDocument(drifted) });
    const { actions } = await run(plan, state);
    const [put, ...more] = inputs(kms, 'PutKeyPolicy');
    expect(more).toEqual([]);
    expect(put).toMatchObject({ KeyId: KEY_ARN, PolicyName: 'default' });
    expect(parsed(put?.Policy)).toEqual(plan.documents.keyPolicy);
    expect(actions).toEqual([expect.stringContaining(`key policy of ${KEY_ARN}`)]);
    expect(inputs(kms, 'CreateKey')).toEqual([]);
  });

  it("keeps the others' statements of the bucket policy and counts them in the line", async () => {
    const plan = planFor();
    const state = appliedState(plan);
    if (state.bucket.status !== 'exists') throw new Error('fixture');
    const theirs = {
      Sid: 'LogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${BUCKET}/logs/*`,
    };
    state.bucket.policy = storedDocument({ Version: '2012-10-17', Statement: [theirs] });
    const { actions } = await run(plan, state);
    const [put] = inputs(s3, 'PutBucketPolicy');
    expect(put?.ExpectedBucketOwner).toBe(MOTO_ACCOUNT_ID);
    expect(parsed(put?.Policy).Statement[0]).toEqual(theirs);
    expect(actions).toEqual([
      expect.stringContaining(`bucket policy of ${BUCKET} (1 statements of others kept)`),
    ]);
  });

  it('a bucket with no policy yet gets exactly ours', async () => {
    const plan = planFor();
    const state = appliedState(plan);
    if (state.bucket.status !== 'exists') throw new Error('fixture');
    state.bucket.policy = undefined;
    const { actions } = await run(plan, state);
    const [put] = inputs(s3, 'PutBucketPolicy');
    expect(parsed(put?.Policy)).toEqual(resolveKeyArn(plan.documents.bucketPolicy, KEY_ARN));
    expect(actions).toEqual([expect.stringContaining('(0 statements of others kept)')]);
  });

  it('refuses a bucket policy under which no administrator could change it again, sending nothing', async () => {
    const plan = planFor();
    const state = appliedState(plan);
    if (state.bucket.status !== 'exists') throw new Error('fixture');
    state.bucket.policy = storedDocument({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Freeze', Effect: 'Deny', Principal: '*', Action: 's3:PutBucketPolicy', Resource: '*' },
      ],
    });
    const error = (await run(plan, state).catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('UNSAFE_BUCKET_POLICY');
    expect(error.message).toContain(`merge bucket policy of ${BUCKET}`);
    // Every administrator it judged, one by one.
    expect(error.message).toContain(
      `none of arn:aws:iam::${MOTO_ACCOUNT_ID}:root, arn:aws:iam::${MOTO_ACCOUNT_ID}:role/${ROLES.keyAdmin}`,
    );
    expect(error.hint).toContain('s3:PutBucketPolicy');
    expect(error.hint).toContain('aws:PrincipalArn');
    expect(inputs(s3, 'PutBucketPolicy')).toEqual([]);
  });
});

describe('executors: the key guards', () => {
  /** The plan's key policy without the root user's administration: only the key administrators keep it. */
  function adminsOnly(plan: Plan): Plan {
    const only = (policy: PolicyDocument): PolicyDocument => ({
      ...policy,
      Statement: policy.Statement.filter((statement) => statement.Sid !== 'EnableAccountAdministration'),
    });
    return {
      ...plan,
      steps: plan.steps.map((step) =>
        step.kind === 'kms.createKey' || step.kind === 'kms.putKeyPolicy'
          ? { ...step, policy: only(step.policy) }
          : step,
      ),
    };
  }

  it('a key policy that only the key administrators may change is sent: they count as administrators', async () => {
    const fresh = adminsOnly(planFor());
    await run(fresh, freshState(fresh));
    expect(inputs(kms, 'CreateKey')).toHaveLength(1);

    const plan = adminsOnly(planFor());
    await run(plan, appliedState(planFor()));
    expect(inputs(kms, 'PutKeyPolicy')).toHaveLength(1);
  });

  it('refuses a key policy that would leave no administrator by itself, naming the step and the fix, sending nothing', async () => {
    const fresh = withLockedKeyPolicy(planFor());
    const found = appliedState(planFor());
    for (const [plan, state, title] of [
      [fresh, freshState(fresh), 'create KMS key'],
      [fresh, found, 'put key policy'],
    ] as const) {
      const error = (await run(plan, state).catch((e: unknown) => e)) as AppError;
      expect(error, title).toBeInstanceOf(AppError);
      expect(error.code).toBe('UNSAFE_KEY_POLICY');
      expect(error.message).toContain(`${title}: refused`);
      expect(error.message).toContain('would leave no administrator');
      expect(error.hint).toContain(`arn:aws:iam::${MOTO_ACCOUNT_ID}:root`);
      expect(error.hint).toContain('kms:PutKeyPolicy');
    }
    expect(kms.calls()).toEqual([]);
  });

  it('a key step with no key found nor created is an internal error, and sends nothing', async () => {
    const plan = planFor();
    const state = appliedState(plan, {
      hasAlias: false,
      rotation: { enabled: false, periodDays: undefined },
    });
    const planned = diffPlan(plan, state).filter((entry) =>
      ['kms.createAlias', 'kms.enableRotation', 'kms.putKeyPolicy'].includes(entry.step.kind),
    );
    const withDrift = planned.map((entry) => ({
      ...entry,
      diff: { ...entry.diff, status: 'update' as const },
    }));
    for (const entry of withDrift) {
      const error = (await execute([entry], { clients, plan, state, keyArn: undefined }, recordingUi()).catch(
        (e: unknown) => e,
      )) as AppError;
      expect(error, entry.step.kind).toBeInstanceOf(AppError);
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain(entry.diff.title);
      expect(error.message).toContain('neither found nor created');
    }
    expect(withDrift).toHaveLength(3);
    expect(allCalls()).toEqual([]);
  });
});

describe('executors: a write AWS refuses', () => {
  it('names the step, the operation and the permission to grant', async () => {
    const plan = planFor();
    const drifted = () =>
      appliedState(plan, {
        hasAlias: false,
        rotation: { enabled: false, periodDays: undefined },
        policy: storedDocument({ Version: '2012-10-17', Statement: [] }),
      });
    const denied = () =>
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const cases = [
      {
        operation: 'CreateBucket',
        permission: 's3:CreateBucket',
        deny: () => s3.on(CreateBucketCommand),
        state: freshState,
      },
      {
        operation: 'CreateKey',
        permission: 'kms:CreateKey',
        deny: () => kms.on(CreateKeyCommand),
        state: freshState,
      },
      {
        operation: 'CreateAlias',
        permission: 'kms:CreateAlias',
        deny: () => kms.on(CreateAliasCommand),
        state: drifted,
      },
      {
        operation: 'EnableKeyRotation',
        permission: 'kms:EnableKeyRotation',
        deny: () => kms.on(EnableKeyRotationCommand),
        state: drifted,
      },
      {
        operation: 'PutKeyPolicy',
        permission: 'kms:PutKeyPolicy',
        deny: () => kms.on(PutKeyPolicyCommand),
        state: drifted,
      },
      {
        operation: 'PutBucketEncryption',
        permission: 's3:PutEncryptionConfiguration',
        deny: () => s3.on(PutBucketEncryptionCommand),
        state: freshState,
      },
      {
        operation: 'PutPublicAccessBlock',
        permission: 's3:PutBucketPublicAccessBlock',
        deny: () => s3.on(PutPublicAccessBlockCommand),
        state: freshState,
      },
      {
        operation: 'PutBucketPolicy',
        permission: 's3:PutBucketPolicy',
        deny: () => s3.on(PutBucketPolicyCommand),
        state: freshState,
      },
      {
        operation: 'PutRolePolicy',
        permission: 'iam:PutRolePolicy',
        deny: () => iam.on(PutRolePolicyCommand),
        state: freshState,
      },
    ];
    for (const { operation, permission, deny, state } of cases) {
      for (const stub of [s3, kms, iam]) stub.reset();
      kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN } });
      deny().rejects(denied());
      const planned = diffPlan(plan, state(plan));
      const error = (await run(plan, state(plan)).catch((e: unknown) => e)) as AwsError;
      expect(error, operation).toBeInstanceOf(AwsError);
      expect(error.operation).toBe(operation);
      const titles = planned.map((entry) => entry.diff.title);
      expect(titles).toContain(error.step);
      expect(error.message).toContain(`${error.step}: ${operation} failed`);
      expect(error.hint).toContain(permission);
    }
  });
});
