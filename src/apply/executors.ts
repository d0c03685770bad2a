import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  EnableKeyRotationCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import { AppError } from '../errors.js';
import { accountRootArn } from '../plan/arns.js';
import { bucketEncryptionConfiguration } from '../plan/bucket-encryption.js';
import { guardrailAdministrators } from '../plan/bucket-policy.js';
import { keepsAdministrator, keepsBucketAdministrator } from '../plan/policy-guard.js';
import type { Plan, PlanStep, PlanStepKind, PolicyDocument } from '../types.js';
import { resolved } from './diff.js';
import { mergeBucketPolicy } from './merge-bucket-policy.js';
import type { AccountState } from './state.js';

export interface Run {
  clients: AwsClients;
  plan: Plan;
  state: AccountState;
  /** Known once the key is found or created. */
  keyArn: string | undefined;
  keyCreatedNow: boolean;
}

type StepOf<K extends PlanStepKind> = Extract<PlanStep, { kind: K }>;
/** Carries out one step; returns the line for ApplyResult.actions, or undefined if nothing needed writing. */
export type Executor<K extends PlanStepKind> = (
  step: StepOf<K>,
  run: Run,
  label: string,
) => Promise<string | undefined>;

/** The one write call each step makes; errors name it together with the step. */
export const WRITE_OPERATION: Record<PlanStepKind, string> = {
  's3.createBucket': 'CreateBucket',
  'kms.createKey': 'CreateKey',
  'kms.createAlias': 'CreateAlias',
  'kms.enableRotation': 'EnableKeyRotation',
  'kms.putKeyPolicy': 'PutKeyPolicy',
  's3.putBucketEncryption': 'PutBucketEncryption',
  's3.putPublicAccessBlock': 'PutPublicAccessBlock',
  's3.putBucketPolicy': 'PutBucketPolicy',
  'iam.putRolePolicy': 'PutRolePolicy',
};

export const EXECUTORS: { [K in PlanStepKind]: Executor<K> } = {
  async 's3.createBucket'(step, { clients }, label) {
    await awsCall(label, 'CreateBucket', () =>
      clients.s3.send(
        new CreateBucketCommand({
          Bucket: step.bucket,
          ObjectOwnership: 'BucketOwnerEnforced',
          // us-east-1 is the one region that must not be named.
          ...(step.region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: step.region as BucketLocationConstraint } }),
        }),
      ),
    );
    return `created bucket ${step.bucket} in ${step.region}`;
  },
  async 'kms.createKey'(step, run, label) {
    requireAdministrator(step.policy, run, label);
    const created = await awsCall(label, 'CreateKey', () =>
      run.clients.kms.send(
        new CreateKeyCommand({
          Description: step.description,
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeySpec: 'SYMMETRIC_DEFAULT',
          // Tagged at creation, so a re-run finds the key even if every later step failed.
          Tags: step.tags.map((tag) => ({ TagKey: tag.Key, TagValue: tag.Value })),
          Policy: JSON.stringify(step.policy),
        }),
      ),
    );
    run.keyArn = created.KeyMetadata?.Arn;
    run.keyCreatedNow = true;
    if (!run.keyArn) throw new AppError('AWS', `${label}: CreateKey returned no key ARN`);
    return `created KMS key ${run.keyArn}`;
  },
  async 'kms.createAlias'(step, run, label) {
    const keyArn = requireKey(run, label);
    await awsCall(label, 'CreateAlias', () =>
      run.clients.kms.send(new CreateAliasCommand({ AliasName: step.alias, TargetKeyId: keyArn })),
    );
    return `created alias ${step.alias} -> ${keyArn}`;
  },
  async 'kms.enableRotation'(step, run, label) {
    const keyArn = requireKey(run, label);
    await awsCall(label, 'EnableKeyRotation', () =>
      run.clients.kms.send(
        new EnableKeyRotationCommand({ KeyId: keyArn, RotationPeriodInDays: step.rotationDays }),
      ),
    );
    return `enabled rotation of ${keyArn} every ${step.rotationDays} days`;
  },
  async 'kms.putKeyPolicy'(step, run, label) {
    // A key created in this run already carries exactly this policy.
    if (run.keyCreatedNow) return undefined;
    const keyArn = requireKey(run, label);
    requireAdministrator(step.policy, run, label);
    await awsCall(label, 'PutKeyPolicy', () =>
      run.clients.kms.send(
        new PutKeyPolicyCommand({
          KeyId: keyArn,
          PolicyName: 'default',
          Policy: JSON.stringify(step.policy),
        }),
      ),
    );
    return `put the key policy of ${keyArn}`;
  },
  async 's3.putBucketEncryption'(step, run, label) {
    const { algorithm } = step.encryption;
    const { key } = step.encryption;
    const keyArn = key && (key.kind === 'existing' ? key.arn : requireKey(run, label));
    await awsCall(label, 'PutBucketEncryption', () =>
      run.clients.s3.send(
        new PutBucketEncryptionCommand({
          Bucket: step.bucket,
          ExpectedBucketOwner: run.plan.config.accountId,
          ServerSideEncryptionConfiguration: bucketEncryptionConfiguration(step.encryption, keyArn),
        }),
      ),
    );
    return `set default encryption of ${step.bucket} to ${algorithm}${keyArn ? ` with ${keyArn}` : ''}`;
  },
  async 's3.putPublicAccessBlock'(step, run, label) {
    await awsCall(label, 'PutPublicAccessBlock', () =>
      run.clients.s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: step.bucket,
          ExpectedBucketOwner: run.plan.config.accountId,
          PublicAccessBlockConfiguration: step.block,
        }),
      ),
    );
    return `blocked public access to ${step.bucket}`;
  },
  async 's3.putBucketPolicy'(step, run, label) {
    const current = run.state.bucket.status === 'exists' ? run.state.bucket.policy?.document : undefined;
    const merged = mergeBucketPolicy(current, resolved(step.policy, run.keyArn));
    const administrators = guardrailAdministrators(run.plan.config);
    if (!keepsBucketAdministrator(merged.policy as unknown as PolicyDocument, administrators)) {
      throw new AppError(
        'UNSAFE_BUCKET_POLICY',
        `${label}: refused: the bucket policy would let none of ${administrators.join(', ')} change it again`,
        { hint: "every Deny of s3:PutBucketPolicy must except a key administrator's aws:PrincipalArn" },
      );
    }
    await awsCall(label, 'PutBucketPolicy', () =>
      run.clients.s3.send(
        new PutBucketPolicyCommand({
          Bucket: step.bucket,
          ExpectedBucketOwner: run.plan.config.accountId,
          Policy: JSON.stringify(merged.policy),
        }),
      ),
    );
    return `put the bucket policy of ${step.bucket} (${merged.kept.length} statements of others kept)`;
  },
  async 'iam.putRolePolicy'(step, run, label) {
    const document = resolved(step.policy, run.keyArn);
    await awsCall(label, 'PutRolePolicy', () =>
      run.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: step.role.name,
          PolicyName: step.policyName,
          PolicyDocument: JSON.stringify(document),
        }),
      ),
    );
    return `put inline policy ${step.policyName} on role ${step.role.name}`;
  },
};

function requireKey(run: Run, label: string): string {
  if (!run.keyArn) throw new AppError('INTERNAL', `${label}: the key is neither found nor created`);
  return run.keyArn;
}

/** Never BypassPolicyLockoutSafetyCheck: refuse a key policy that leaves no administrator. */
function requireAdministrator(policy: PolicyDocument, run: Run, label: string): void {
  const rootArn = accountRootArn(run.plan.config);
  const administrators = run.plan.config.roles.keyAdmin.map((role) => role.arn);
  if (!keepsAdministrator(policy, rootArn, administrators)) {
    throw new AppError(
      'UNSAFE_KEY_POLICY',
      `${label}: refused: the key policy would leave no administrator`,
      {
        hint: `the policy must let ${rootArn} or a key administrator call kms:PutKeyPolicy past every Deny, or the key can never be managed again`,
      },
    );
  }
}
