import {
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface BucketFacts {
  versioned: boolean;
  /** ACLs are disabled (BucketOwnerEnforced), so a copy loses no per-object grants. */
  aclsDisabled: boolean;
}

/** Reads what changes the meaning of a copy in place; a refusal here only costs a note. */
export async function readBucketFacts(s3: S3Client, bucket: string): Promise<BucketFacts> {
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })).catch(() => undefined);
  const ownership = await s3
    .send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))
    .catch(() => undefined);
  const rules = ownership?.OwnershipControls?.Rules ?? [];
  return {
    versioned: versioning?.Status === 'Enabled' || versioning?.Status === 'Suspended',
    aclsDisabled: rules.some((rule) => rule.ObjectOwnership === 'BucketOwnerEnforced'),
  };
}

export function versioningNote(bucket: string): string {
  return [
    `Versioning is on for ${bucket}: re-encryption changed the current versions only (add --all-versions for the noncurrent ones). Older versions keep their old`,
    'encryption (some may be unencrypted) and stay readable by anyone allowed s3:GetObjectVersion; every copied',
    'object also leaves its previous version behind, billed as storage. When you no longer need them, add a lifecycle',
    'rule with NoncurrentVersionExpiration (e.g. 30 days), or delete specific ones with',
    '`aws s3api delete-object --bucket B --key K --version-id V`.',
  ].join(' ');
}

export const ACL_NOTE =
  'ACLs are enabled on this bucket (Object Ownership is not BucketOwnerEnforced): CopyObject does not copy object ACLs, so copied objects are left with the default private ACL. Re-grant any per-object ACLs you rely on, or switch the bucket to BucketOwnerEnforced.';

export const COPY_NOTE =
  'Objects re-encrypted by CopyObject got a new LastModified (and a new ETag if copied in parts), and each copy sent an s3:ObjectCreated:Copy event to any notification or replication set up on the bucket.';

export const KMS_DENIED_NOTE =
  'Some copies were refused by KMS. The caller needs kms:GenerateDataKey and kms:Decrypt on this key (and kms:Decrypt on any key objects are on now). The key policy this tool writes grants key use only to application roles, through S3, for this bucket: run reencrypt as an application role.';
