import type {
  CopyObjectCommandInput,
  CreateMultipartUploadCommandInput,
  HeadObjectCommandOutput,
  Tag,
  UpdateObjectEncryptionCommandInput,
} from '@aws-sdk/client-s3';

/*
 * The exact requests re-encryption sends, built from what HeadObject said, pure so tests
 * can assert them. CopyObject in place keeps metadata, content headers and tags with the
 * COPY directives, but not the storage class (it falls back to STANDARD) or the website
 * redirect, so those are sent again.
 */

export interface ObjectRef {
  bucket: string;
  key: string;
  keyArn: string;
  /** A noncurrent version (--all-versions); absent for the current one. */
  versionId?: string;
}

/** x-amz-copy-source: bucket/key URL-encoded, '/' kept; a version pins exactly what was inspected. */
export function copySource(bucket: string, key: string, versionId?: string): string {
  const encoded = key.split('/').map(encodeURIComponent).join('/');
  const version = versionId && versionId !== 'null' ? `?versionId=${encodeURIComponent(versionId)}` : '';
  return `${bucket}/${encoded}${version}`;
}

const keepStorageClass = (head: HeadObjectCommandOutput) =>
  head.StorageClass && head.StorageClass !== 'STANDARD' ? { StorageClass: head.StorageClass } : {};

const keepRedirect = (head: HeadObjectCommandOutput) =>
  head.WebsiteRedirectLocation ? { WebsiteRedirectLocation: head.WebsiteRedirectLocation } : {};

const encryptWith = (keyArn: string) =>
  ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true }) as const;

export function copyInPlaceRequest(ref: ObjectRef, head: HeadObjectCommandOutput): CopyObjectCommandInput {
  return {
    Bucket: ref.bucket,
    Key: ref.key,
    CopySource: copySource(ref.bucket, ref.key, head.VersionId),
    // Fails with 412 if the object changed since HeadObject; it is then inspected again.
    ...(head.ETag ? { CopySourceIfMatch: head.ETag } : {}),
    MetadataDirective: 'COPY',
    TaggingDirective: 'COPY',
    ...encryptWith(ref.keyArn),
    ...keepStorageClass(head),
    ...keepRedirect(head),
  };
}

export function updateEncryptionRequest(ref: ObjectRef): UpdateObjectEncryptionCommandInput {
  return {
    Bucket: ref.bucket,
    Key: ref.key,
    ...(ref.versionId ? { VersionId: ref.versionId } : {}),
    ObjectEncryption: { SSEKMS: { KMSKeyArn: ref.keyArn, BucketKeyEnabled: true } },
  };
}

/** x-amz-tagging: a URL query string. */
export function taggingHeader(tags: Tag[]): string | undefined {
  if (tags.length === 0) return undefined;
  return tags
    .map((tag) => `${encodeURIComponent(tag.Key ?? '')}=${encodeURIComponent(tag.Value ?? '')}`)
    .join('&');
}

/** A multipart upload has no COPY directive: everything CopyObject would keep is sent explicitly. */
export function createMultipartRequest(
  ref: ObjectRef,
  head: HeadObjectCommandOutput,
  tags: Tag[],
): CreateMultipartUploadCommandInput {
  const tagging = taggingHeader(tags);
  const headers = {
    CacheControl: head.CacheControl,
    ContentDisposition: head.ContentDisposition,
    ContentEncoding: head.ContentEncoding,
    ContentLanguage: head.ContentLanguage,
    ContentType: head.ContentType,
    Expires: head.Expires,
  };
  return {
    Bucket: ref.bucket,
    Key: ref.key,
    ...Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)),
    ...(head.Metadata && Object.keys(head.Metadata).length > 0 ? { Metadata: head.Metadata } : {}),
    ...(tagging ? { Tagging: tagging } : {}),
    ...encryptWith(ref.keyArn),
    ...keepStorageClass(head),
    ...keepRedirect(head),
  };
}

export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PARTS = 10_000;
/** CopyObject copies at most 5 GiB in one request. */
export const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;
export const DEFAULT_PART_SIZE = 512 * 1024 ** 2;

/** Inclusive byte ranges covering `size`, each at least 5 MiB (but the last) and at most 10,000 of them. */
export function partRanges(size: number, preferred = DEFAULT_PART_SIZE): { start: number; end: number }[] {
  const partSize = Math.max(MIN_PART_SIZE, preferred, Math.ceil(size / MAX_PARTS));
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < size; start += partSize)
    ranges.push({ start, end: Math.min(size, start + partSize) - 1 });
  return ranges;
}
