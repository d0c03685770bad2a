import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../aws/aws-call.js';
import type { ListedObject } from './list-objects.js';

/** A noncurrent version, as ListObjectVersions describes it. */
export type ListedVersion = ListedObject & { versionId: string };

export async function* listNoncurrentVersions(
  s3: S3Client,
  bucket: string,
  step = 'reencrypt',
): AsyncGenerator<ListedVersion> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await awsCall(step, 'ListObjectVersions', () =>
      s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
        }),
      ),
    );
    for (const version of page.Versions ?? []) {
      if (version.IsLatest || !version.Key || !version.VersionId) continue;
      yield {
        key: version.Key,
        versionId: version.VersionId,
        size: version.Size ?? 0,
        storageClass: version.StorageClass ?? 'STANDARD',
      };
    }
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}
