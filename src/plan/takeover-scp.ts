import type { Config, PolicyDocument, TrustPolicyDocument } from '../types.js';

/**
 * The IAM actions that let an IAM administrator become one of the named roles: change who may
 * assume it, give it more permissions, or delete it and create it again under the same name
 * (the same ARN, so every aws:PrincipalArn condition would match the impostor).
 */
export const ROLE_TAKEOVER_ACTIONS = [
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:TagRole',
  'iam:UntagRole',
];

/**
 * The residual risk no key or bucket policy can close: an IAM administrator may change an
 * application role's trust policy and assume it. An AWS Organizations SCP can, for member
 * accounts (SCPs never restrict the management account or service-linked roles). Rendered to
 * policies/optional-scp.json for an organization administrator to attach; never applied.
 * The key administrators stay exempt: they could change the key policy anyway.
 */
export function buildTakeoverScp(config: Config): PolicyDocument | undefined {
  const { app, reencrypt, keyAdmin, operator, auditor } = config.roles;
  const guarded = [...app, ...reencrypt, ...keyAdmin, ...operator, ...auditor]
    .filter((role) => !role.addedAsCaller && role.arn.includes(':role/'))
    .map((role) => role.arn);
  const administrators = keyAdmin.filter((role) => !role.addedAsCaller).map((role) => role.arn);
  if (guarded.length === 0) return undefined;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyTakeoverOfEncryptedBucketRoles',
        Effect: 'Deny',
        Action: ROLE_TAKEOVER_ACTIONS,
        Resource: guarded,
        ...(administrators.length > 0
          ? { Condition: { ArnNotEquals: { 'aws:PrincipalArn': administrators } } }
          : {}),
      },
    ],
  };
}

/**
 * The re-encryption role also runs the S3 Batch Operations jobs, so S3 Batch Operations must
 * be able to assume it. Rendered (merge it into the role's trust policy); apply never changes
 * a trust policy.
 */
export function buildReencryptTrustPolicy(): TrustPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'BatchOperationsAssumesRole',
        Effect: 'Allow',
        Principal: { Service: 'batchoperations.s3.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}
