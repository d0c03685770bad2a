import type { Config, PolicyDocument, PolicyStatement, RoleRef } from '../types.js';
import { accountRootArn, bucketArn, objectsArn, s3ServiceName } from './arns.js';
import {
  APP_KEY_ACTIONS,
  APP_KEY_READ_ACTIONS,
  KEY_ADMIN_ACTIONS,
  KEY_CHANGE_ACTIONS,
  KEY_READ_ACTIONS,
  KEY_USAGE_ACTIONS,
} from './kms-actions.js';

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
        Action: APP_KEY_READ_ACTIONS,
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
 * A key policy keeps an administrator when the account root may still call kms:PutKeyPolicy
 * and no Deny covering that action reaches the root (a Deny to "*", to {AWS: "*"}, or to the
 * account itself). Apply refuses to write a policy that fails this, instead of relying on
 * KMS's lockout check. Actions match as IAM matches them: wildcards, any letter case.
 */
export function keepsAdministrator(policy: PolicyDocument, rootArn: string): boolean {
  const accountId = rootArn.split(':')[4];
  const coversPut = (statement: PolicyStatement) =>
    [statement.Action].flat().some((pattern) => actionPattern(pattern).test('kms:PutKeyPolicy'));
  const principals = (statement: PolicyStatement): string[] => {
    if (statement.Principal === '*') return ['*'];
    return typeof statement.Principal === 'object' && 'AWS' in statement.Principal
      ? [statement.Principal.AWS].flat()
      : [];
  };
  const isRoot = (principal: string) => principal === rootArn || principal === accountId;
  const rootMayAdminister = policy.Statement.some(
    (statement) =>
      statement.Effect === 'Allow' &&
      statement.Condition === undefined &&
      coversPut(statement) &&
      principals(statement).some(isRoot),
  );
  const deniedToRoot = policy.Statement.some(
    (statement) =>
      statement.Effect === 'Deny' &&
      coversPut(statement) &&
      principals(statement).some((principal) => principal === '*' || isRoot(principal)),
  );
  return rootMayAdminister && !deniedToRoot;
}

function actionPattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, 'i');
}
