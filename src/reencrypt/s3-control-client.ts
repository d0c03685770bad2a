import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { type AwsOptions, commonClientConfig } from '../aws/clients.js';

/** S3 Control, made like the other clients; Batch Operations jobs are created in the bucket's region. */
export function createS3ControlClient(options: AwsOptions): S3ControlClient {
  return new S3ControlClient({ ...commonClientConfig(options), region: options.region });
}
