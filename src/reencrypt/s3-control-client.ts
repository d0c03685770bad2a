import { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { AwsOptions } from '../aws/clients.js';

/*
 * S3 Control, made like the clients in aws/clients.ts (adaptive retry, bounded timeouts).
 * Batch Operations jobs are created in the bucket's region.
 */
const RETRY = { retryMode: 'adaptive', maxAttempts: 6 } as const;
const TIMEOUTS = { requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 } };

export function createS3ControlClient(options: AwsOptions): S3ControlClient {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  return new S3ControlClient({
    ...RETRY,
    ...TIMEOUTS,
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
}
