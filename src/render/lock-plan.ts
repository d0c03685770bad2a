import { mergeBucketPolicy } from '../apply/merge-bucket-policy.js';
import type { AccountState } from '../apply/state.js';
import { AppError, ConfigError } from '../errors.js';
import { guardrailAdministrators } from '../plan/bucket-policy.js';
import { planOperations } from '../plan/operations.js';
import { keepsBucketAdministrator } from '../plan/policy-guard.js';
import type { Plan, PolicyDocument } from '../types.js';
import { lockFromAccount, type SetupLock } from './lock.js';

export interface LockedPlan {
  /** The plan, its bucket policy merged into the one the account holds, as apply merges it. */
  plan: Plan;
  lock: SetupLock;
  /** Statements of others kept in the merged bucket policy, by Sid or position. */
  kept: string[];
}

/**
 * Render's half of apply: the account as discovery read it decides what setup.sh will put,
 * here in TypeScript, so that setup.sh only runs commands. Refuses what apply refuses before
 * its first write: a blocker (such as an alias naming somebody else's key), a bucket it cannot
 * reach, and a merged bucket policy that would lock every administrator out. Pure.
 */
export function lockPlan(plan: Plan, state: AccountState): LockedPlan {
  const [blocker] = state.blockers;
  if (blocker) {
    throw new ConfigError(blocker.message, blocker.field ? { field: blocker.field } : {});
  }
  const { bucket, region } = plan.config;
  if (state.bucket.status === 'forbidden') {
    throw new AppError(
      'BUCKET_FORBIDDEN',
      `cannot read bucket ${bucket}: another account owns it, or the caller may not`,
    );
  }
  if (state.bucket.status === 'elsewhere') {
    throw new ConfigError(`bucket ${bucket} is in ${state.bucket.region}, not ${region}`, {
      field: '--region',
    });
  }
  const current = state.bucket.status === 'exists' ? state.bucket.policy?.document : undefined;
  const merged = mergeBucketPolicy(current, plan.documents.bucketPolicy);
  const policy = merged.policy as unknown as PolicyDocument;
  const administrators = guardrailAdministrators(plan.config);
  if (!keepsBucketAdministrator(policy, administrators)) {
    throw new AppError(
      'UNSAFE_BUCKET_POLICY',
      `the merged bucket policy of ${bucket} would let none of ${administrators.join(', ')} change it again`,
      { hint: "every Deny of s3:PutBucketPolicy must except a key administrator's aws:PrincipalArn" },
    );
  }
  const desired = { ...plan.desired, bucket: { ...plan.desired.bucket, policy } };
  return {
    plan: {
      ...plan,
      desired,
      steps: planOperations(desired),
      documents: { ...plan.documents, bucketPolicy: policy },
    },
    lock: lockFromAccount(plan, state),
    kept: merged.kept,
  };
}
