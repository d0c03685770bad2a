/**
 * The bucket's security settings. Each Delete* call is authorized as the Put* action here
 * (S3 API reference: DeleteBucketEncryption needs s3:PutEncryptionConfiguration,
 * DeletePublicAccessBlock s3:PutBucketPublicAccessBlock, DeleteBucketOwnershipControls
 * s3:PutBucketOwnershipControls, DeleteBucketReplication s3:PutReplicationConfiguration),
 * except DeleteBucketPolicy, which has its own action.
 */
export const BUCKET_GUARDRAIL_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutEncryptionConfiguration',
  's3:PutBucketPublicAccessBlock',
  's3:PutBucketOwnershipControls',
  's3:PutReplicationConfiguration',
  's3:PutBucketAcl',
];

/** ACLs on objects: off under BucketOwnerEnforced, and denied too, in case ownership changes. */
export const OBJECT_GUARDRAIL_ACTIONS = ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'];

/** Reads of the same settings, for key administrators and auditors. */
export const BUCKET_GUARDRAIL_READS = [
  's3:GetBucketPolicy',
  's3:GetBucketPolicyStatus',
  's3:GetEncryptionConfiguration',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketOwnershipControls',
  's3:GetReplicationConfiguration',
  's3:GetBucketAcl',
];
