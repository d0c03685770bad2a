import type { Config, PolicyDocument, PolicyStatement, RoleRef } from '../types.js';
import { accountRootArn, bucketArn, objectsArn, s3ServiceName } from './arns.js';
import { APP_KEY_ACTIONS, KEY_ADMIN_ACTIONS, KEY_CHANGE_ACTIONS, KEY_READ_ACTIONS, KEY_USAGE_ACTIONS } from './kms-actions.js';

const arnsOf = (roles: RoleRef[]) => roles.map((role) => role.arn);

/**
 * The key policy is where separation really happens. The account root gets administration
 * only (never `kms:*`, which would let any principal whose identity policy allows Decrypt
 * decrypt), so usage is granted to the application roles by ARN and nobody else.
 */
export function buildKeyPolicy(config: Config): PolicyDocument {
  const { app, operator, auditor, keyAdmin } = config.roles;
  const statements: PolicyStatement[] = [
    {
      // Always present, so the key can never be locked out of administration.
      Sid: 'EnableAccountAdministration',
      Effect: 'Allow',
      Principal: { AWS: accountRootArn(config) },
      Action: KEY_ADMIN_ACTIONS,
      Resource: '*',
    },
  ];
  if (keyAdmin.length > 0) {
    statements.push({
      Sid: 'AllowKeyAdministrators',
      Effect: 'Allow',
      Principal: { AWS: arnsOf(keyAdmin) },
      Action: KEY_ADMIN_ACTIONS,
      Resource: '*',
    });
  }
  if (app.length > 0) {
    statements.push(
      {
        // Only through S3, and only for this bucket: with a Bucket Key the encryption
        // context is the bucket ARN, without one the object ARN.
        Sid: 'AllowApplicationsToUseKeyThroughS3',
        Effect: 'Allow',
        Principal: { AWS: arnsOf(app) },
        Action: APP_KEY_ACTIONS,
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:ViaService': s3ServiceName(config) },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn(config), objectsArn(config)] },
        },
      },
      {
        Sid: 'AllowApplicationsToDescribeKey',
        Effect: 'Allow',
        Principal: { AWS: arnsOf(app) },
        Action: 'kms:DescribeKey',
        Resource: '*',
      },
    );
  }
  if (auditor.length > 0) {
    statements.push({
      Sid: 'AllowAuditorsToReadKeyConfiguration',
      Effect: 'Allow',
      Principal: { AWS: arnsOf(auditor) },
      Action: [...KEY_READ_ACTIONS, 'kms:ListResourceTags'],
      Resource: '*',
    });
  }
  const nonUsers = [...operator, ...auditor, ...keyAdmin];
  if (nonUsers.length > 0) {
    statements.push({
      // Explicit, so that even an identity policy of kms:* on * cannot use the key.
      Sid: 'DenyKeyUsageToNonApplicationRoles',
      Effect: 'Deny',
      Principal: { AWS: arnsOf(nonUsers) },
      Action: KEY_USAGE_ACTIONS,
      Resource: '*',
    });
  }
  // Application roles too: their own policy grants no key changes, but an extra identity
  // policy (kms:*, PowerUserAccess) would otherwise reach the root's admin statement, and
  // PutKeyPolicy or CreateGrant would lift the "only through S3, only this bucket" limits.
  const neverChange = [...app, ...operator, ...auditor];
  if (neverChange.length > 0) {
    statements.push({
      // PutKeyPolicy or CreateGrant would let them grant themselves Decrypt.
      Sid: 'DenyKeyChangesToNonAdministrators',
      Effect: 'Deny',
      Principal: { AWS: arnsOf(neverChange) },
      Action: KEY_CHANGE_ACTIONS,
      Resource: '*',
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * A key policy keeps an administrator when the account root (or a named principal) may
 * still call kms:PutKeyPolicy and nothing denies it to everyone. Apply refuses to write a
 * policy that fails this, instead of relying on KMS's lockout check.
 */
export function keepsAdministrator(policy: PolicyDocument, rootArn: string): boolean {
  const grantsPut = (statement: PolicyStatement) => {
    const actions = [statement.Action].flat();
    return actions.some((action) => action === 'kms:*' || action === 'kms:Put*' || action === 'kms:PutKeyPolicy');
  };
  const principals = (statement: PolicyStatement) =>
    typeof statement.Principal === 'object' && 'AWS' in statement.Principal ? [statement.Principal.AWS].flat() : [];
  const rootMayAdminister = policy.Statement.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      statement.Condition === undefined &&
      grantsPut(statement) &&
      principals(statement).includes(rootArn),
  );
  const deniedToEveryone = policy.Statement.some(
    (statement) => statement.Effect === 'Deny' && statement.Principal === '*' && grantsPut(statement),
  );
  return rootMayAdminister && !deniedToEveryone;
}
