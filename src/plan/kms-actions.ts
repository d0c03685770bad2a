/**
 * KMS action sets, from the KMS developer guide ("Default key policy": the key
 * administrators statement) and its permissions reference.
 */

/** Administer the key, but never use it: the default key-administrator statement. */
export const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/**
 * Every cryptographic operation on a key (the KMS permissions reference). Sign, Verify and
 * the MAC operations fail on a symmetric key anyway; they are denied so the list is complete.
 */
export const KEY_USAGE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
  'kms:GenerateDataKeyPair*',
  'kms:DeriveSharedSecret',
  'kms:Sign',
  'kms:Verify',
  'kms:GenerateMac',
  'kms:VerifyMac',
];

/**
 * Changes to the key or who may use it. Whoever may call kms:PutKeyPolicy or kms:CreateGrant
 * can give themselves Decrypt, so the key policy denies these to every principal but the key
 * administrators and the account root user. kms:ReplicateKey is here because a replica gets
 * the policy its creator gives it, in another region. kms:SynchronizeMultiRegionKey is not:
 * only KMS's service-linked role calls it.
 */
export const KEY_CHANGE_ACTIONS = [
  'kms:PutKeyPolicy',
  'kms:CreateGrant',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:UpdateKeyDescription',
  // Reached through the root's kms:Update*; moves a multi-Region key's primary (existing mrk- keys).
  'kms:UpdatePrimaryRegion',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RevokeGrant',
  'kms:RetireGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:ReplicateKey',
];

/** What the application needs so that S3 can encrypt and decrypt objects for it. */
export const APP_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** Reads that let an application role verify its own setup (the key's state and rotation). */
export const APP_KEY_READ_ACTIONS = ['kms:DescribeKey', 'kms:GetKeyRotationStatus'];

/**
 * What S3 asks KMS for when UpdateObjectEncryption (or a copy in place) moves an object to
 * this key: the S3 user guide lists exactly these for UpdateObjectEncryption.
 */
export const REENCRYPT_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*'];

export const KEY_READ_ACTIONS = ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus'];

/** Auditors also list grants: a grant is the other way, besides the key policy, to use a key. */
export const AUDITOR_KEY_ACTIONS = [...KEY_READ_ACTIONS, 'kms:ListGrants', 'kms:ListResourceTags'];

/** Alias actions need permission on the alias (IAM only) and on the key (key policy and IAM). */
export const ALIAS_ACTIONS = ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'];
