import { ROLE_FLAGS } from '../config/parse-config.js';
import { accountRootArn } from '../plan/arns.js';
import { keepsAdministrator } from '../plan/key-policy.js';
import type { Plan, PolicyDocument } from '../types.js';
import type { PlannedStep } from './diff.js';
import type { AccountState, Blocker } from './state.js';

export interface Preflight {
  blockers: Blocker[];
  warnings: string[];
}

/**
 * Decides, before any write, what would make apply fail half-way or hurt someone: a missing
 * role (KMS rejects a key policy naming a principal that does not exist, and PutRolePolicy
 * needs the role), a bucket in another region or account, credentials of another account.
 * Pure: reads only the discovered state.
 */
export function preflight(plan: Plan, state: AccountState, planned: PlannedStep[]): Preflight {
  const { config } = plan;
  const blockers: Blocker[] = [...state.blockers];
  const warnings: string[] = [...state.warnings];

  if (state.caller.account !== config.accountId) {
    blockers.push({
      field: '--account-id',
      message: `the credentials are for account ${state.caller.account} (${state.caller.arn}), but the plan is for ${config.accountId}; use a profile of ${config.accountId}`,
    });
  }
  const bucket = state.bucket;
  if (bucket.status === 'missing' && !config.createBucket) {
    blockers.push({
      field: '--create-bucket',
      message: `bucket ${config.bucket} does not exist in account ${config.accountId}; pass --create-bucket to create it, or check --bucket`,
    });
  } else if (bucket.status === 'forbidden') {
    blockers.push({
      field: '--bucket',
      message: `bucket ${config.bucket} exists but account ${config.accountId} may not read it: another account owns the name, or the caller lacks s3:ListBucket`,
    });
  } else if (bucket.status === 'elsewhere') {
    blockers.push({
      field: '--region',
      message: `bucket ${config.bucket} is in ${bucket.region}, not ${config.region}; re-run with --region ${bucket.region} (S3 needs a KMS key in the bucket's region)`,
    });
  }

  for (const role of state.roles) {
    if (role.actualArn === undefined) {
      blockers.push({
        field: ROLE_FLAGS[role.kind],
        message: `role ${role.role.name} does not exist: create role ${role.role.name} first (KMS rejects key policies naming missing principals, and its inline policy needs the role)`,
      });
    } else if (role.actualArn !== role.role.arn) {
      blockers.push({
        field: ROLE_FLAGS[role.kind],
        message: `role ${role.role.name} is ${role.actualArn}, not ${role.role.arn}; pass its full ARN (with its path) to ${ROLE_FLAGS[role.kind]}`,
      });
    }
  }

  const encryption = planned.find((entry) => entry.step.kind === 's3.putBucketEncryption');
  if (bucket.status === 'exists' && bucket.holdsObjects && encryption?.diff.status !== 'in-place') {
    warnings.push(
      `bucket ${config.bucket} already holds objects, which keep their current encryption: default encryption applies to new objects only (re-encrypt old ones with a copy in place or S3 Batch Operations)`,
    );
  }

  const rootArn = accountRootArn(config);
  // The executors refuse such a policy too; here it stops apply before its first write.
  for (const { step, diff } of planned) {
    if ((step.kind === 'kms.createKey' || step.kind === 'kms.putKeyPolicy') && diff.status !== 'in-place') {
      if (!keepsAdministrator(step.policy, rootArn)) {
        blockers.push({
          message: `the key policy would leave no administrator: it must let ${rootArn} call kms:PutKeyPolicy, or the key can never be managed again`,
        });
        break;
      }
    }
  }
  const foundPolicy = state.key?.policy?.document as PolicyDocument | undefined;
  const callerNamed = foundPolicy ? JSON.stringify(foundPolicy).includes(state.caller.arn) : false;
  if (state.key && foundPolicy && !callerNamed && !safeKeepsAdministrator(foundPolicy, rootArn)) {
    warnings.push(
      `key ${state.key.arn}: its current policy gives administration neither to ${rootArn} nor to the caller, so the caller may lack kms:PutKeyPolicy on it; ask a key administrator to apply the key policy`,
    );
  }
  return { blockers, warnings: [...warnings, ...blockers.map((blocker) => blocker.message)] };
}

/** keepsAdministrator expects our typed statements; a foreign policy may hold other shapes. */
function safeKeepsAdministrator(policy: PolicyDocument, rootArn: string): boolean {
  try {
    return keepsAdministrator({ ...policy, Statement: [policy.Statement].flat() }, rootArn);
  } catch {
    return false;
  }
}
