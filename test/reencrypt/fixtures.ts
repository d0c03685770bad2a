import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';

export const REGION = 'eu-west-1';

export async function createKey(kms: KMSClient, description: string): Promise<string> {
  const created = await kms.send(new CreateKeyCommand({ Description: description }));
  const arn = created.KeyMetadata?.Arn;
  if (!arn) throw new Error('moto returned no key ARN');
  return arn;
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(
    new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }),
  );
}

export interface SeedObject {
  key: string;
  body?: string;
  extra?: Omit<PutObjectCommandInput, 'Bucket' | 'Key' | 'Body'>;
}

export async function seed(s3: S3Client, bucket: string, objects: SeedObject[]): Promise<void> {
  await Promise.all(
    objects.map((object) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: object.body ?? `body of ${object.key}`,
          ...object.extra,
        }),
      ),
    ),
  );
}

/** What a re-encryption must keep, and what it must change. */
export async function describe(s3: S3Client, bucket: string, key: string) {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return {
    encryption: head.ServerSideEncryption,
    keyId: head.SSEKMSKeyId,
    bucketKey: head.BucketKeyEnabled,
    contentType: head.ContentType,
    cacheControl: head.CacheControl,
    metadata: head.Metadata,
    storageClass: head.StorageClass ?? 'STANDARD',
    lastModified: head.LastModified?.toISOString(),
    tags: Object.fromEntries((tags.TagSet ?? []).map((tag) => [tag.Key, tag.Value])),
  };
}

export interface CallLog {
  /** `CopyObject key`, `HeadObject key`, ... in the order sent. */
  calls: string[];
  count(command: string, key?: string): number;
  keys(command: string): string[];
  reset(): void;
}

/**
 * A client for the code under test with a middleware recording every command it sends,
 * so tests count requests on the wire side of our code rather than trusting its report.
 */
export function countingClient(
  endpoint: string,
  fail?: (command: string, key: string | undefined) => boolean,
) {
  const client = new S3Client({ region: REGION, endpoint, forcePathStyle: true, maxAttempts: 1 });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const key = (args.input as { Key?: string }).Key;
      const command = context.commandName ?? 'UnknownCommand';
      calls.push(`${command.replace(/Command$/, '')} ${key ?? ''}`.trim());
      if (fail?.(command, key)) {
        throw Object.assign(new Error('injected failure'), {
          name: 'InternalError',
          $metadata: { httpStatusCode: 500 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordCalls' },
  );
  const log: CallLog = {
    calls,
    count: (command, key) =>
      calls.filter((call) =>
        key === undefined ? call.split(' ')[0] === command : call === `${command} ${key}`,
      ).length,
    keys: (command) =>
      calls.filter((call) => call.startsWith(`${command} `)).map((call) => call.slice(command.length + 1)),
    reset: () => {
      calls.length = 0;
    },
  };
  return { client, log };
}
