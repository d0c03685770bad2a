import type { Config, KeyReference, PolicyDocument, PolicyStatement, RoleKind } from '../types.js';
import { aliasArn, bucketArn, cloudTrailTrailsArn, objectsArn, s3ServiceName } from './arns.js';
import { CLIENT_SIDE_KEY_ACTIONS, clientSideContextCondition } from './client-side-context.js';
import { BUCKET_GUARDRAIL_ACTIONS, BUCKET_GUARDRAIL_READS } from './guardrails.js';
import { keyArnInDocuments } from './key-reference.js';
import {
  ALIAS_ACTIONS,
  APP_KEY_ACTIONS,
  APP_KEY_READ_ACTIONS,
  AUDITOR_KEY_ACTIONS,
  KEY_ADMIN_ACTIONS,
  REENCRYPT_KEY_ACTIONS,
} from './kms-actions.js';

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
  ...BUCKET_GUARDRAIL_READS,
  's3:GetBucketVersioning',
  's3:GetBucketLogging',
];

/**
 * CloudTrail reads, scoped where the service authorization reference lets them be:
 * GetTrailStatus and GetEventSelectors take a trail ARN; LookupEvents, DescribeTrails and
 * ListTrails support only "*".
 */
const CLOUDTRAIL_TRAIL_READS = ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'];
const CLOUDTRAIL_ACCOUNT_READS = [
  'cloudtrail:LookupEvents',
  'cloudtrail:DescribeTrails',
  'cloudtrail:ListTrails',
];

/**
 * Every S3 call the re-encryption code makes (src/reencrypt): UpdateObjectEncryption; the copy
 * in place (CopyObject and multipart UploadPartCopy: GetObject on the source, PutObject on the
 * target, tags read and written again, an aborted multipart cleaned up); and S3 Batch
 * Operations, whose manifests and completion reports live in this bucket's objects.
 */
const REENCRYPT_OBJECT_ACTIONS = [
  's3:UpdateObjectEncryption',
  's3:GetObject',
  's3:GetObjectVersion',
  's3:PutObject',
  's3:GetObjectTagging',
  's3:PutObjectTagging',
  's3:AbortMultipartUpload',
];
/** Listing (scan, generated manifests), and the bucket notes the re-encryption prints. */
const REENCRYPT_BUCKET_ACTIONS = [
  's3:ListBucket',
  's3:GetBucketLocation',
  's3:GetBucketVersioning',
  's3:GetBucketOwnershipControls',
];

/**
 * Identity policies, least privilege per duty. Operators manage the bucket's day-to-day
 * configuration but not its security settings (bucket policy, default encryption, public
 * access block), which stay with whoever runs this tool.
 */
export function buildRolePolicy(
  config: Config,
  kind: RoleKind,
  key: KeyReference | undefined,
): PolicyDocument {
  const keyArn = key && keyArnInDocuments(key);
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
        // Through S3 only, as the key policy says too: under an existing key whose policy still
        // defers to IAM, this condition is all that keeps the role from decrypting directly.
        statements.push({
          Sid: 'UseBucketKeyThroughS3',
          Effect: 'Allow',
          Action: APP_KEY_ACTIONS,
          Resource: keyArn,
          Condition: { StringEquals: { 'kms:ViaService': s3ServiceName(config) } },
        });
        if (config.scheme === 'client-kms') {
          // The application's own Encryption SDK calls, under this bucket's encryption context.
          statements.push({
            Sid: 'ClientSideDataKeys',
            Effect: 'Allow',
            Action: CLIENT_SIDE_KEY_ACTIONS,
            Resource: keyArn,
            Condition: clientSideContextCondition(config),
          });
        }
        statements.push({
          Sid: 'DescribeBucketKey',
          Effect: 'Allow',
          Action: APP_KEY_READ_ACTIONS,
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
          { Sid: 'ReadKeyConfiguration', Effect: 'Allow', Action: AUDITOR_KEY_ACTIONS, Resource: keyArn },
          { Sid: 'ListKeyAliases', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
        );
      }
      statements.push(
        {
          Sid: 'ReadTrails',
          Effect: 'Allow',
          Action: CLOUDTRAIL_TRAIL_READS,
          Resource: cloudTrailTrailsArn(config),
        },
        {
          // These three accept no resource narrower than "*".
          Sid: 'ReadCloudTrailEvents',
          Effect: 'Allow',
          Action: CLOUDTRAIL_ACCOUNT_READS,
          Resource: '*',
        },
      );
      break;
    case 'keyAdmin': {
      // The owners of this setup: the bucket's security settings, and the key.
      statements.push({
        Sid: 'AdministerBucketSecurity',
        Effect: 'Allow',
        Action: [...BUCKET_GUARDRAIL_ACTIONS, ...BUCKET_GUARDRAIL_READS],
        Resource: bucket,
      });
      if (!keyArn) break;
      const alias = config.key?.kind === 'new' ? aliasArn(config, config.key.alias) : undefined;
      statements.push(
        { Sid: 'AdministerBucketKey', Effect: 'Allow', Action: KEY_ADMIN_ACTIONS, Resource: keyArn },
        { Sid: 'ListKeyAliases', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
      );
      if (alias) {
        // Alias actions are authorized on the alias and on the key it points to: both named.
        statements.push({
          Sid: 'ManageKeyAlias',
          Effect: 'Allow',
          Action: ALIAS_ACTIONS,
          Resource: [alias, keyArn],
        });
      }
      break;
    }
    case 'reencrypt':
      statements.push(
        {
          Sid: 'ReencryptObjects',
          Effect: 'Allow',
          Action: REENCRYPT_OBJECT_ACTIONS,
          Resource: objectsArn(config),
        },
        { Sid: 'ListBucket', Effect: 'Allow', Action: REENCRYPT_BUCKET_ACTIONS, Resource: bucket },
      );
      if (keyArn) {
        statements.push({
          Sid: 'UseBucketKeyThroughS3',
          Effect: 'Allow',
          Action: REENCRYPT_KEY_ACTIONS,
          Resource: keyArn,
          Condition: { StringEquals: { 'kms:ViaService': s3ServiceName(config) } },
        });
      }
      break;
  }
  return { Version: '2012-10-17', Statement: statements };
}
