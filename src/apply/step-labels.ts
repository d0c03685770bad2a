import type { PlanStep } from '../types.js';

/** A stable id for --json: the step's kind, plus the role for per-role steps. */
export function stepId(step: PlanStep): string {
  return step.kind === 'iam.putRolePolicy' ? `${step.kind}:${step.role.name}` : step.kind;
}

/** What a person reads in the diff and in an error ("<label>: PutBucketPolicy failed: ..."). */
export function stepLabel(step: PlanStep): string {
  switch (step.kind) {
    case 's3.createBucket':
      return `create bucket ${step.bucket} in ${step.region}`;
    case 'kms.createKey':
      return 'create KMS key';
    case 'kms.createAlias':
      return `create key alias ${step.alias}`;
    case 'kms.enableRotation':
      return `enable key rotation every ${step.rotationDays} days`;
    case 'kms.putKeyPolicy':
      return 'put key policy';
    case 's3.putBucketEncryption':
      return `set default encryption of ${step.bucket}`;
    case 's3.putPublicAccessBlock':
      return `block public access to ${step.bucket}`;
    case 's3.putBucketPolicy':
      return `merge bucket policy of ${step.bucket}`;
    case 'iam.putRolePolicy':
      return `put inline policy ${step.policyName} on role ${step.role.name}`;
  }
}
