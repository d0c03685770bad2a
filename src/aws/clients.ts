import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { Partition } from '../types.js';

export interface AwsOptions {
  region: string;
  partition?: Partition;
  profile?: string;
  /** LocalStack, moto or a VPC endpoint; falls back to AWS_ENDPOINT_URL, which the SDK reads itself. */
  endpoint?: string;
  /** Fixed credentials (an assumed role's); otherwise the standard chain (or the profile). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface AwsClients {
  s3: S3Client;
  kms: KMSClient;
  iam: IAMClient;
  sts: STSClient;
  destroy(): void;
}

/** IAM is global and answers in one region per partition. */
const IAM_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** Throttling backs off adaptively; attempts and socket timeouts bound the total wait. */
const RETRY = { retryMode: 'adaptive', maxAttempts: 6 } as const;
const TIMEOUTS = { requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 } };

/** Retry, timeouts, profile and endpoint: what every client of this tool is made with. */
export function commonClientConfig(options: AwsOptions) {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  return {
    ...RETRY,
    ...TIMEOUTS,
    ...(options.credentials
      ? { credentials: options.credentials }
      : options.profile
        ? { profile: options.profile }
        : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

export function createClients(options: AwsOptions): AwsClients {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const common = commonClientConfig(options);
  const s3 = new S3Client({ ...common, region: options.region, forcePathStyle: endpoint !== undefined });
  const kms = new KMSClient({ ...common, region: options.region });
  const iam = new IAMClient({ ...common, region: IAM_REGION[options.partition ?? 'aws'] });
  const sts = new STSClient({ ...common, region: options.region });
  return {
    s3,
    kms,
    iam,
    sts,
    destroy() {
      for (const client of [s3, kms, iam, sts]) client.destroy();
    },
  };
}
