import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { type AwsClients, type AwsOptions, commonClientConfig } from '../aws/clients.js';

/**
 * S3 Control, made like the other clients and with the same credentials (an assumed role's,
 * when the command assumed one); Batch Operations jobs are created in the bucket's region.
 */
export function createS3ControlClient(options: AwsOptions, acting?: AwsClients): S3ControlClient {
  return new S3ControlClient({
    ...commonClientConfig(options),
    ...(acting ? { credentials: acting.s3.config.credentials } : {}),
    region: options.region,
  });
}
