import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../aws/aws-call.js';

/** One entry of a ListObjectsV2 page: what S3 tells about an object without a HeadObject. */
export interface ListedObject {
  key: string;
  size: number;
  /** ListObjectsV2 always names the class; STANDARD when it does not. */
  storageClass: string;
}

export interface ListOptions {
  bucket: string;
  /** Resume after this key (exclusive); keys come back in UTF-8 binary order. */
  startAfter?: string;
  /** The step name errors carry, e.g. "scan" or "reencrypt". */
  step: string;
}

/**
 * Streams a bucket's listing one object at a time, so memory holds at most two pages (the
 * one being handed out and the next, fetched ahead so workers never wait on a page turn).
 */
export async function* listObjects(s3: S3Client, options: ListOptions): AsyncGenerator<ListedObject> {
  const fetchPage = (token: string | undefined): Promise<ListObjectsV2CommandOutput> => {
    const page = awsCall(options.step, 'ListObjectsV2', () =>
      s3.send(
        new ListObjectsV2Command({
          Bucket: options.bucket,
          ...(token ? { ContinuationToken: token } : {}),
          ...(!token && options.startAfter ? { StartAfter: options.startAfter } : {}),
        }),
      ),
    );
    // An abandoned prefetch (the consumer stopped early) must not become an unhandled rejection.
    page.catch(() => {});
    return page;
  };
  let pending: Promise<ListObjectsV2CommandOutput> | undefined = fetchPage(undefined);
  while (pending) {
    const page: ListObjectsV2CommandOutput = await pending;
    const token = page.NextContinuationToken;
    pending = page.IsTruncated && token ? fetchPage(token) : undefined;
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      yield { key: object.Key, size: object.Size ?? 0, storageClass: object.StorageClass ?? 'STANDARD' };
    }
  }
}
