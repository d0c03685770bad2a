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

/** Everything that turns the key into plaintext or ciphertext. */
export const KEY_USAGE_ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
  'kms:GenerateDataKeyPair*',
  'kms:DeriveSharedSecret',
];

/**
 * Changes to the key or who may use it. Whoever may call kms:PutKeyPolicy or kms:CreateGrant
 * can give themselves Decrypt, so these are denied outright to operators and auditors.
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
];

/** What the application needs so that S3 can encrypt and decrypt objects for it. */
export const APP_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/** Reads that let an application role verify its own setup (the key's state and rotation). */
export const APP_KEY_READ_ACTIONS = ['kms:DescribeKey', 'kms:GetKeyRotationStatus'];

export const KEY_READ_ACTIONS = ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus'];
