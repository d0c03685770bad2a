import type { Config, PolicyDocument, PolicyStatement, RoleKind } from '../types.js';
import { bucketArn, objectsArn } from './arns.js';
import { APP_KEY_ACTIONS, APP_KEY_READ_ACTIONS, KEY_ADMIN_ACTIONS, KEY_READ_ACTIONS } from './kms-actions.js';

/** The inline policy name this tool puts on a role; a re-run finds and replaces exactly this one. */
export function rolePolicyName(config: Config, kind: RoleKind): string {
  const suffix = kind === 'keyAdmin' ? 'key-admin' : kind;
  return `encrypted-bucket-${config.bucket}-${suffix}`;
}

const OPERATOR_BUCKET_ACTIONS = [
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:GetBucketLocation',
  's3:GetBucketPolicy',
  's3:GetBucketPolicyStatus',
  's3:GetEncryptionConfiguration',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketOwnershipControls',
  's3:GetBucketVersioning',
  's3:GetLifecycleConfiguration',
  's3:GetBucketTagging',
  's3:GetBucketLogging',
  's3:GetBucketNotification',
  's3:GetBucketCORS',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketTagging',
  's3:PutBucketLogging',
  's3:PutBucketNotification',
  's3:PutBucketCORS',
];

const APP_BUCKET_READ_ACTIONS = ['s3:GetEncryptionConfiguration', 's3:GetBucketPublicAccessBlock'];

const AUDITOR_BUCKET_ACTIONS = [
  's3:GetBucketLocation',
  's3:GetBucketPolicy',
  's3:GetBucketPolicyStatus',
  's3:GetEncryptionConfiguration',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketOwnershipControls',
  's3:GetBucketVersioning',
  's3:GetBucketLogging',
];

const CLOUDTRAIL_READ_ACTIONS = [
  'cloudtrail:LookupEvents',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
  'cloudtrail:ListTrails',
];

/**
 * Identity policies, least privilege per duty. Operators manage the bucket's day-to-day
 * configuration but not its security settings (bucket policy, default encryption, public
 * access block), which stay with whoever runs this tool.
 */
export function buildRolePolicy(config: Config, kind: RoleKind, keyArn: string | undefined): PolicyDocument {
  const statements: PolicyStatement[] = [];
  const bucket = bucketArn(config);
  switch (kind) {
    case 'app':
      statements.push(
        {
          Sid: 'ReadWriteObjects',
          Effect: 'Allow',
          // Tagging too: re-encrypting an object in place (CopyObject, TaggingDirective COPY)
          // runs as this role, the only one that may use the key, and must keep its tags.
          Action: [
            's3:GetObject',
            's3:PutObject',
            's3:DeleteObject',
            's3:GetObjectTagging',
            's3:PutObjectTagging',
          ],
          Resource: objectsArn(config),
        },
        { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket },
        {
          // Read-only, so `verify` run as this role can check what protects its own uploads.
          Sid: 'ReadEncryptionSettings',
          Effect: 'Allow',
          Action: APP_BUCKET_READ_ACTIONS,
          Resource: bucket,
        },
      );
      if (keyArn) {
        statements.push({
          Sid: 'UseBucketKey',
          Effect: 'Allow',
          Action: [...APP_KEY_ACTIONS, ...APP_KEY_READ_ACTIONS],
          Resource: keyArn,
        });
      }
      break;
    case 'operator':
      statements.push({
        Sid: 'ManageBucket',
        Effect: 'Allow',
        Action: OPERATOR_BUCKET_ACTIONS,
        Resource: bucket,
      });
      if (keyArn)
        statements.push({
          Sid: 'DescribeBucketKey',
          Effect: 'Allow',
          Action: 'kms:DescribeKey',
          Resource: keyArn,
        });
      break;
    case 'auditor':
      statements.push({
        Sid: 'ReadBucketSecurity',
        Effect: 'Allow',
        Action: AUDITOR_BUCKET_ACTIONS,
        Resource: bucket,
      });
      if (keyArn) {
        statements.push(
          { Sid: 'ReadKeyConfiguration', Effect: 'Allow', Action: KEY_READ_ACTIONS, Resource: keyArn },
          { Sid: 'ListKeyAliases', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
        );
      }
      statements.push({
        Sid: 'ReadCloudTrail',
        Effect: 'Allow',
        Action: CLOUDTRAIL_READ_ACTIONS,
        Resource: '*',
      });
      break;
    case 'keyAdmin':
      if (!keyArn) break;
      statements.push(
        { Sid: 'AdministerBucketKey', Effect: 'Allow', Action: KEY_ADMIN_ACTIONS, Resource: keyArn },
        { Sid: 'ListKeyAliases', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
      );
      break;
  }
  return { Version: '2012-10-17', Statement: statements };
}
