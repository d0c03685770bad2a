/*
 * REST operation -> the IAM actions it needs and on what, from the S3 API reference and the
 * service authorization reference ("Actions, resources, and condition keys for Amazon S3").
 * Every operation the product, its rendered scripts and snippets, and `aws s3 cp` send is
 * here; anything else is refused as unmodelled, so a gap shows as a failure, never a pass.
 */
export type Target = 'service' | 'bucket' | 'object';
type On = 'bucket' | 'object' | 'copy-source' | '*';

export interface S3Operation {
  name: string;
  method: string;
  target: Target;
  /** A sub-resource that must be in the query string (e.g. "policy", "uploadId"). */
  query?: string[];
  /** A header that must be present (x-amz-copy-source). */
  header?: string;
  actions: { action: string; on: On }[];
}

const op = (
  name: string,
  method: string,
  target: Target,
  actions: S3Operation['actions'],
  match: Pick<S3Operation, 'query' | 'header'> = {},
): S3Operation => ({ name, method, target, actions, ...match });
const onObject = (action: string) => [{ action, on: 'object' as const }];
const onBucket = (action: string) => [{ action, on: 'bucket' as const }];

/** Bucket sub-resources whose GET, PUT and DELETE map to one read and one write action. */
const BUCKET_SETTINGS: [query: string, read: string, write: string][] = [
  ['policy', 's3:GetBucketPolicy', 's3:PutBucketPolicy'],
  ['encryption', 's3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'],
  ['publicAccessBlock', 's3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'],
  ['ownershipControls', 's3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'],
  ['replication', 's3:GetReplicationConfiguration', 's3:PutReplicationConfiguration'],
  ['acl', 's3:GetBucketAcl', 's3:PutBucketAcl'],
  ['versioning', 's3:GetBucketVersioning', 's3:PutBucketVersioning'],
  ['lifecycle', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
  ['tagging', 's3:GetBucketTagging', 's3:PutBucketTagging'],
  ['logging', 's3:GetBucketLogging', 's3:PutBucketLogging'],
  ['notification', 's3:GetBucketNotification', 's3:PutBucketNotification'],
  ['cors', 's3:GetBucketCORS', 's3:PutBucketCORS'],
  ['object-lock', 's3:GetBucketObjectLockConfiguration', 's3:PutBucketObjectLockConfiguration'],
];
/** DeleteBucketPolicy has its own action; the other deletes are authorized as their Put. */
const DELETE_ACTION: Record<string, string> = { policy: 's3:DeleteBucketPolicy' };

export const S3_OPERATIONS: S3Operation[] = [
  // Objects: the most specific match first.
  op('UpdateObjectEncryption', 'PUT', 'object', onObject('s3:UpdateObjectEncryption'), {
    query: ['encryption'],
  }),
  op('PutObjectTagging', 'PUT', 'object', onObject('s3:PutObjectTagging'), { query: ['tagging'] }),
  op('GetObjectTagging', 'GET', 'object', onObject('s3:GetObjectTagging'), { query: ['tagging'] }),
  op('DeleteObjectTagging', 'DELETE', 'object', onObject('s3:DeleteObjectTagging'), { query: ['tagging'] }),
  op('PutObjectAcl', 'PUT', 'object', onObject('s3:PutObjectAcl'), { query: ['acl'] }),
  op('GetObjectAcl', 'GET', 'object', onObject('s3:GetObjectAcl'), { query: ['acl'] }),
  op('PutObjectRetention', 'PUT', 'object', onObject('s3:PutObjectRetention'), { query: ['retention'] }),
  op('PutObjectLegalHold', 'PUT', 'object', onObject('s3:PutObjectLegalHold'), { query: ['legal-hold'] }),
  op(
    'UploadPartCopy',
    'PUT',
    'object',
    [
      { action: 's3:PutObject', on: 'object' },
      { action: 's3:GetObject', on: 'copy-source' },
    ],
    { query: ['uploadId', 'partNumber'], header: 'x-amz-copy-source' },
  ),
  op('UploadPart', 'PUT', 'object', onObject('s3:PutObject'), { query: ['uploadId', 'partNumber'] }),
  op(
    'CopyObject',
    'PUT',
    'object',
    [
      { action: 's3:PutObject', on: 'object' },
      { action: 's3:GetObject', on: 'copy-source' },
    ],
    { header: 'x-amz-copy-source' },
  ),
  op('PutObject', 'PUT', 'object', onObject('s3:PutObject')),
  op('CreateMultipartUpload', 'POST', 'object', onObject('s3:PutObject'), { query: ['uploads'] }),
  op('CompleteMultipartUpload', 'POST', 'object', onObject('s3:PutObject'), { query: ['uploadId'] }),
  op('AbortMultipartUpload', 'DELETE', 'object', onObject('s3:AbortMultipartUpload'), {
    query: ['uploadId'],
  }),
  op('ListParts', 'GET', 'object', onObject('s3:ListMultipartUploadParts'), { query: ['uploadId'] }),
  op(
    'GetObjectAttributes',
    'GET',
    'object',
    [...onObject('s3:GetObject'), ...onObject('s3:GetObjectAttributes')],
    {
      query: ['attributes'],
    },
  ),
  op('GetObject', 'GET', 'object', onObject('s3:GetObject')),
  op('HeadObject', 'HEAD', 'object', onObject('s3:GetObject')),
  op('DeleteObject', 'DELETE', 'object', onObject('s3:DeleteObject')),
  // Buckets.
  ...BUCKET_SETTINGS.flatMap(([query, read, write]) => [
    op(`Get:${query}`, 'GET', 'bucket', onBucket(read), { query: [query] }),
    op(`Put:${query}`, 'PUT', 'bucket', onBucket(write), { query: [query] }),
    op(`Delete:${query}`, 'DELETE', 'bucket', onBucket(DELETE_ACTION[query] ?? write), { query: [query] }),
  ]),
  op('GetBucketLocation', 'GET', 'bucket', onBucket('s3:GetBucketLocation'), { query: ['location'] }),
  op('ListMultipartUploads', 'GET', 'bucket', onBucket('s3:ListBucketMultipartUploads'), {
    query: ['uploads'],
  }),
  op('ListObjectVersions', 'GET', 'bucket', onBucket('s3:ListBucketVersions'), { query: ['versions'] }),
  // Judged per key named in the body (see s3-requests.ts).
  op('DeleteObjects', 'POST', 'bucket', [], { query: ['delete'] }),
  op('ListObjects', 'GET', 'bucket', onBucket('s3:ListBucket')),
  op('HeadBucket', 'HEAD', 'bucket', onBucket('s3:ListBucket')),
  op('CreateBucket', 'PUT', 'bucket', onBucket('s3:CreateBucket')),
  op('DeleteBucket', 'DELETE', 'bucket', onBucket('s3:DeleteBucket')),
  op('ListBuckets', 'GET', 'service', [{ action: 's3:ListAllMyBuckets', on: '*' }]),
];

export function findS3Operation(
  method: string,
  target: Target,
  query: URLSearchParams,
  headers: Record<string, string>,
): S3Operation | undefined {
  return S3_OPERATIONS.find(
    (candidate) =>
      candidate.method === method &&
      candidate.target === target &&
      (candidate.query ?? []).every((name) => query.has(name)) &&
      (candidate.header === undefined || headers[candidate.header] !== undefined) &&
      // A plain GET/PUT/DELETE must not swallow a sub-resource the table does not know.
      (candidate.query !== undefined || !hasUnknownSubresource(query)),
  );
}

/** Query parameters that only select options of an operation, never a different operation. */
const OPTION_PARAMETERS = new Set([
  'versionId',
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'marker',
  'x-id',
  'partNumber',
  'response-content-type',
  'response-content-disposition',
  'key-marker',
  'version-id-marker',
  'max-uploads',
  'upload-id-marker',
  'max-parts',
  'part-number-marker',
]);

function hasUnknownSubresource(query: URLSearchParams): boolean {
  return [...query.keys()].some((name) => !OPTION_PARAMETERS.has(name) && !name.startsWith('X-Amz-'));
}
