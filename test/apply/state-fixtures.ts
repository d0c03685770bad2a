import type { AccountState, FoundKey } from '../../src/apply/state.js';
import { resolveKeyArn } from '../../src/plan/build-plan.js';
import type { Plan, PolicyDocument } from '../../src/types.js';
import { MOTO_ACCOUNT_ID } from '../helpers/moto.js';
import { REGION } from './support.js';

/*
 * Discovered states written by hand, in the shapes real AWS returns, for the pure stages
 * (diff, preflight) and for executors driven with mocked clients.
 */

export const KEY_ID = '11111111-2222-3333-4444-555555555555';
export const KEY_ARN = `arn:aws:kms:${REGION}:${MOTO_ACCOUNT_ID}:key/${KEY_ID}`;
export const CALLER_ARN = `arn:aws:iam::${MOTO_ACCOUNT_ID}:user/admin`;

const stored = (document: unknown) => ({
  text: JSON.stringify(document),
  document: document as Record<string, unknown>,
});

/** The state right after a successful apply of `plan`: the bucket, its key and every role in place. */
export function appliedState(plan: Plan, keyOverrides: Partial<FoundKey> = {}): AccountState {
  const resolve = <T>(document: T) => resolveKeyArn(document, KEY_ARN);
  return {
    caller: { account: MOTO_ACCOUNT_ID, arn: CALLER_ARN },
    bucket: {
      status: 'exists',
      region: REGION,
      encryption: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
          BucketKeyEnabled: true,
        },
      ],
      policy: stored(resolve(plan.documents.bucketPolicy)),
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
      holdsObjects: true,
    },
    key: {
      arn: KEY_ARN,
      keyId: KEY_ID,
      foundBy: 'alias',
      hasAlias: true,
      policy: stored(plan.documents.keyPolicy),
      rotation: { enabled: true, periodDays: 365 },
      ...keyOverrides,
    },
    roles: plan.steps.flatMap((step) =>
      step.kind === 'iam.putRolePolicy'
        ? [
            {
              role: step.role,
              kind: step.roleKind,
              policyName: step.policyName,
              actualArn: step.role.arn,
              policy: stored(resolve(step.policy)),
            },
          ]
        : [],
    ),
    blockers: [],
    warnings: [],
  };
}

/** The state of an account that has the roles and nothing else: no bucket, no key, no inline policy. */
export function freshState(plan: Plan): AccountState {
  const applied = appliedState(plan);
  return {
    ...applied,
    bucket: { status: 'missing' },
    key: undefined,
    roles: applied.roles.map((role) => ({ ...role, policy: undefined })),
  };
}

export { stored as storedDocument };

/** `policy` plus a Deny under which nobody may ever change the key policy again. */
export function lockedOut(policy: PolicyDocument): PolicyDocument {
  return {
    ...policy,
    Statement: [
      ...policy.Statement,
      {
        Sid: 'NobodyChangesThePolicy',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:PutKeyPolicy',
        Resource: '*',
      },
    ],
  };
}

/** The same plan, its key policy locked out wherever a step would send it. */
export function withLockedKeyPolicy(plan: Plan): Plan {
  return {
    ...plan,
    documents: { ...plan.documents, keyPolicy: lockedOut(plan.documents.keyPolicy as PolicyDocument) },
    steps: plan.steps.map((step) =>
      step.kind === 'kms.createKey' || step.kind === 'kms.putKeyPolicy'
        ? { ...step, policy: lockedOut(step.policy) }
        : step,
    ),
  };
}
