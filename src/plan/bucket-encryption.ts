import type { ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import type { BucketEncryption } from '../types.js';

/** The S3 PutBucketEncryption request body: apply sends it, setup.sh and Terraform carry it. */
export function bucketEncryptionConfiguration(
  encryption: BucketEncryption,
): ServerSideEncryptionConfiguration {
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: encryption.algorithm,
          ...(encryption.keyArn ? { KMSMasterKeyID: encryption.keyArn } : {}),
        },
        BucketKeyEnabled: encryption.bucketKeyEnabled,
        BlockedEncryptionTypes: { EncryptionType: encryption.blockedEncryptionTypes },
      },
    ],
  };
}
