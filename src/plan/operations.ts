import type { DesiredState, PlanStep } from '../types.js';

/**
 * The operations that bring an account to the desired state, in the order setup.sh runs them
 * (apply groups them by dependency, apply/execute.ts). The one list apply's diff and executors
 * and setup.sh follow. Pure: every document is the desired state's own object.
 */
export function planOperations(desired: DesiredState): PlanStep[] {
  const { bucket, key } = desired;
  const steps: PlanStep[] = [];
  if (bucket.createdByThisPlan)
    steps.push({ kind: 's3.createBucket', bucket: bucket.name, region: bucket.region });
  if (key?.kind === 'new') {
    steps.push(
      { kind: 'kms.createKey', description: key.description, tags: key.tags, policy: key.policy },
      { kind: 'kms.createAlias', alias: key.alias },
      { kind: 'kms.enableRotation', rotationDays: key.rotationDays },
      // A key found again on a re-run may carry an older policy; this step converges it.
      { kind: 'kms.putKeyPolicy', policy: key.policy },
    );
  }
  steps.push(
    { kind: 's3.putBucketEncryption', bucket: bucket.name, encryption: bucket.encryption },
    { kind: 's3.putPublicAccessBlock', bucket: bucket.name, block: bucket.publicAccessBlock },
    { kind: 's3.putBucketPolicy', bucket: bucket.name, policy: bucket.policy },
  );
  for (const rolePolicy of desired.rolePolicies) steps.push({ kind: 'iam.putRolePolicy', ...rolePolicy });
  return steps;
}
