import type { ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import type { BucketEncryption } from '../types.js';
import { keyArnFor, keyArnInDocuments } from './key-reference.js';

/**
 * The S3 PutBucketEncryption request body: apply sends it (with the created key's ARN as
 * `newKeyArn`), setup.sh and Terraform carry it (the new key's ARN as the documents spell it).
 */
export function bucketEncryptionConfiguration(
  encryption: BucketEncryption,
  newKeyArn?: string,
): ServerSideEncryptionConfiguration {
  const { key } = encryption;
  const keyArn = key && (newKeyArn === undefined ? keyArnInDocuments(key) : keyArnFor(key, newKeyArn));
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: encryption.algorithm,
          ...(keyArn ? { KMSMasterKeyID: keyArn } : {}),
        },
        BucketKeyEnabled: encryption.bucketKeyEnabled,
        BlockedEncryptionTypes: { EncryptionType: encryption.blockedEncryptionTypes },
      },
    ],
  };
}
