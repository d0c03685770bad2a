import type { Config, PolicyDocument, PolicyStatement, RoleRef } from '../types.js';
import { accountRootArn, bucketArn, objectsArn, s3ServiceName } from './arns.js';
import {
  CLIENT_SIDE_KEY_ACTIONS,
  CONTEXT_BUCKET,
  CONTEXT_KEYS,
  CONTEXT_OBJECT_KEY,
  clientSideContextCondition,
} from './client-side-context.js';
import {
  APP_KEY_ACTIONS,
  APP_KEY_READ_ACTIONS,
  AUDITOR_KEY_ACTIONS,
  KEY_ADMIN_ACTIONS,
  KEY_CHANGE_ACTIONS,
  KEY_USAGE_ACTIONS,
  REENCRYPT_KEY_ACTIONS,
} from './kms-actions.js';

export { keepsAdministrator } from './policy-guard.js';

const arnsOf = (roles: RoleRef[]) => roles.map((role) => role.arn);

/**
 * Every Deny names its principals through aws:PrincipalArn, never in Principal: IAM stores a
 * role ARN in a Principal as the role's unique id, so a role deleted and created again under
 * the same name would no longer match, and would escape the Deny. aws:PrincipalArn is the
 * role's ARN (never the session's) for every assumed-role session.
 *
 * ArnNotEquals, not StringNotLike: the ARNs are exact (with their paths), and no wildcard may
 * widen an exception. A request without aws:PrincipalArn (an AWS service principal acting in
 * its own name) makes the negated operator true, so the Deny covers it too: nothing in this
 * design needs a service principal to use or administer the key. Services acting for a
 * caller (S3 through kms:ViaService, grants for AWS resources) carry that caller's ARN.
 */
const exceptPrincipals = (arns: string[]): Pick<PolicyStatement, 'Condition'> =>
  arns.length === 0 ? {} : { Condition: { ArnNotEquals: { 'aws:PrincipalArn': arns } } };

/**
 * The key policy is where separation really happens. The account root gets administration
 * only (never `kms:*`, which would let any principal whose identity policy allows Decrypt
 * decrypt); usage is granted to the application and re-encryption roles by ARN. Then three
 * Denies to `*` hold against every principal in the account, whatever its IAM policy:
 * usage only for those roles, administration only for the key administrators and the root
 * user (break-glass), and grants only for AWS resources. Under client-kms the application roles
 * may also ask KMS directly for data keys, only under this bucket's encryption context.
 */
export function buildKeyPolicy(config: Config): PolicyDocument {
  const { app, auditor, keyAdmin, reencrypt } = config.roles;
  const clientKms = config.scheme === 'client-kms';
  const onlyThroughS3ForThisBucket = {
    // With a Bucket Key the encryption context is the bucket ARN, without one the object ARN.
    StringEquals: { 'kms:ViaService': s3ServiceName(config) },
    StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn(config), objectsArn(config)] },
  };
  const statements: PolicyStatement[] = [
    {
      // Always present, so the key can never be locked out of administration. It delegates to
      // IAM, but the Deny below leaves that delegation to the root user and key administrators.
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
        Sid: 'AllowApplicationsToUseKeyThroughS3',
        Effect: 'Allow',
        Principal: { AWS: arnsOf(app) },
        Action: APP_KEY_ACTIONS,
        Resource: '*',
        Condition: onlyThroughS3ForThisBucket,
      },
      {
        Sid: 'AllowApplicationsToDescribeKey',
        Effect: 'Allow',
        Principal: { AWS: arnsOf(app) },
        Action: APP_KEY_READ_ACTIONS,
        Resource: '*',
      },
    );
    if (clientKms) {
      statements.push({
        // The Encryption SDK's KMS keyring, called by the application itself (no kms:ViaService).
        Sid: 'AllowApplicationsClientSideDataKeys',
        Effect: 'Allow',
        Principal: { AWS: arnsOf(app) },
        Action: CLIENT_SIDE_KEY_ACTIONS,
        Resource: '*',
        Condition: clientSideContextCondition(config),
      });
    }
  }
  if (reencrypt.length > 0) {
    statements.push({
      // UpdateObjectEncryption and the copy in place, through S3, for this bucket only.
      Sid: 'AllowReencryptionThroughS3',
      Effect: 'Allow',
      Principal: { AWS: arnsOf(reencrypt) },
      Action: REENCRYPT_KEY_ACTIONS,
      Resource: '*',
      Condition: onlyThroughS3ForThisBucket,
    });
  }
  if (auditor.length > 0) {
    statements.push({
      Sid: 'AllowAuditorsToReadKeyConfiguration',
      Effect: 'Allow',
      Principal: { AWS: arnsOf(auditor) },
      Action: AUDITOR_KEY_ACTIONS,
      Resource: '*',
    });
  }
  const users = [...arnsOf(app), ...arnsOf(reencrypt)];
  // client-kms: the application roles also call KMS directly; their own Denies follow.
  const onlyThroughS3 = clientKms ? arnsOf(reencrypt) : users;
  statements.push({
    // Even kms:* on * in IAM, a grant, or a key administrator cannot use the key.
    Sid: 'DenyKeyUsageExceptApplications',
    Effect: 'Deny',
    Principal: '*',
    Action: KEY_USAGE_ACTIONS,
    Resource: '*',
    ...exceptPrincipals(users),
  });
  if (onlyThroughS3.length > 0) {
    statements.push({
      // The roles that may use the key may do so only through S3: explicit, not only for
      // want of an Allow, so no extra identity policy or grant can lift it.
      Sid: 'DenyKeyUsageOutsideS3',
      Effect: 'Deny',
      Principal: '*',
      Action: KEY_USAGE_ACTIONS,
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': onlyThroughS3 },
        StringNotEquals: { 'kms:ViaService': s3ServiceName(config) },
      },
    });
  }
  if (clientKms && app.length > 0) statements.push(...clientSideDenies(config, arnsOf(app)));
  statements.push(
    {
      // PutKeyPolicy or CreateGrant would let anyone else grant themselves Decrypt. The root
      // user keeps them: the documented break-glass path.
      Sid: 'DenyKeyAdministrationExceptKeyAdministrators',
      Effect: 'Deny',
      Principal: '*',
      Action: KEY_CHANGE_ACTIONS,
      Resource: '*',
      ...exceptPrincipals([accountRootArn(config), ...arnsOf(keyAdmin)]),
    },
    {
      // A grant is only for an AWS service acting on an AWS resource, never for a person.
      // BoolIfExists: a CreateGrant without the key counts as not for an AWS resource.
      Sid: 'DenyGrantsNotForAwsResources',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } },
    },
  );
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * client-kms: outside S3 the application roles may only ask for data keys (and their
 * decryption) under this bucket's encryption context. Explicit, like DenyKeyUsageOutsideS3,
 * so no identity policy or grant can widen the Allow; each Deny is one way to miss the context
 * (conditions within a statement are ANDed, so one statement cannot say "any of these").
 */
function clientSideDenies(config: Config, apps: string[]): PolicyStatement[] {
  const direct = {
    ArnEquals: { 'aws:PrincipalArn': apps },
    StringNotEquals: { 'kms:ViaService': s3ServiceName(config) },
  };
  return [
    {
      Sid: 'DenyApplicationKeyUsageOutsideS3ButDataKeys',
      Effect: 'Deny',
      Principal: '*',
      Action: KEY_USAGE_ACTIONS.filter(
        (action) => !['kms:Decrypt', 'kms:GenerateDataKey*'].includes(action),
      ).concat('kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair*'),
      Resource: '*',
      Condition: direct,
    },
    {
      Sid: 'DenyApplicationDataKeysForOtherBuckets',
      Effect: 'Deny',
      Principal: '*',
      Action: CLIENT_SIDE_KEY_ACTIONS,
      Resource: '*',
      Condition: {
        ArnEquals: direct.ArnEquals,
        StringNotEquals: {
          ...direct.StringNotEquals,
          [`kms:EncryptionContext:${CONTEXT_BUCKET}`]: config.bucket,
        },
      },
    },
    {
      Sid: 'DenyApplicationDataKeysWithoutObjectKey',
      Effect: 'Deny',
      Principal: '*',
      Action: CLIENT_SIDE_KEY_ACTIONS,
      Resource: '*',
      Condition: { ...direct, Null: { [`kms:EncryptionContext:${CONTEXT_OBJECT_KEY}`]: 'true' } },
    },
    {
      Sid: 'DenyApplicationDataKeysWithOtherContextEntries',
      Effect: 'Deny',
      Principal: '*',
      Action: CLIENT_SIDE_KEY_ACTIONS,
      Resource: '*',
      Condition: { ...direct, 'ForAnyValue:StringNotEquals': { 'kms:EncryptionContextKeys': CONTEXT_KEYS } },
    },
  ];
}
