import type { Config, PolicyStatement } from '../types.js';

/**
 * The encryption context of the client-side schemes: the rendered client/ module sends it to
 * KMS (and binds it into every message), and client-kms's key and role policies require it.
 * Named once here so the module and the policies cannot drift apart.
 */
export const CONTEXT_BUCKET = 'bucket';
export const CONTEXT_OBJECT_KEY = 'object-key';
/**
 * The Encryption SDK adds this one itself under its default (committing, signing) suite: the
 * public half of the message's signing key. It is part of what KMS receives.
 */
export const CONTEXT_SDK_PUBLIC_KEY = 'aws-crypto-public-key';
export const CONTEXT_KEYS = [CONTEXT_BUCKET, CONTEXT_OBJECT_KEY, CONTEXT_SDK_PUBLIC_KEY];

/** The KMS calls the Encryption SDK's KMS keyring makes: one per encrypt, one per decrypt. */
export const CLIENT_SIDE_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * A data key for this bucket only, for a named object, with no other context entry: the
 * conditions of every Allow of a direct (not through S3) KMS call.
 */
export function clientSideContextCondition(config: Config): NonNullable<PolicyStatement['Condition']> {
  return {
    StringEquals: { [`kms:EncryptionContext:${CONTEXT_BUCKET}`]: config.bucket },
    Null: { [`kms:EncryptionContext:${CONTEXT_OBJECT_KEY}`]: 'false' },
    'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': CONTEXT_KEYS },
  };
}
