import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  type HeadObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { copyInPlace, multipartCopyInPlace } from '../../src/reencrypt/copy-object.js';

/*
 * Re-encryption rewrites every object in place; what HeadObject said about it must come
 * through. CopyObject with the COPY directives keeps metadata, content headers and tags, but
 * AWS resets the storage class and drops the website redirect; a multipart upload keeps
 * nothing by itself. The requests are asserted field by field from a HEAD that has them all.
 */

const BUCKET = 'acme-data';
const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const REF = { bucket: BUCKET, key: 'site/index.html', keyArn: KEY_ARN };

const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const mock = mockClient(s3);
afterEach(() => mock.reset());

/** Every header of an object that a rewrite in place must not lose. */
const CONTENT_HEADERS = {
  CacheControl: 'max-age=60',
  ContentDisposition: 'inline; filename="index.html"',
  ContentEncoding: 'gzip',
  ContentLanguage: 'de-CH',
  ContentType: 'text/html; charset=utf-8',
  Expires: new Date('2031-01-01T00:00:00Z'),
};
const HEAD: HeadObjectCommandOutput = {
  $metadata: {},
  ETag: '"abc"',
  VersionId: 'v7',
  ContentLength: 6 * 1024 ** 3,
  ...CONTENT_HEADERS,
  Metadata: { owner: 'web-team' },
  StorageClass: 'STANDARD_IA',
  WebsiteRedirectLocation: '/new/index.html',
  TagCount: 0,
};

describe('CopyObject in place', () => {
  it('copies metadata and tags, and sends again what COPY does not keep: storage class, website redirect', async () => {
    mock.on(CopyObjectCommand).resolves({});
    expect(await copyInPlace(s3, REF, HEAD)).toEqual({ kind: 'copied' });
    const input = mock.commandCalls(CopyObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Bucket: BUCKET,
      Key: REF.key,
      CopySource: `${BUCKET}/site/index.html?versionId=v7`,
      CopySourceIfMatch: '"abc"',
      MetadataDirective: 'COPY',
      TaggingDirective: 'COPY',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN,
      BucketKeyEnabled: true,
      StorageClass: 'STANDARD_IA',
      WebsiteRedirectLocation: '/new/index.html',
    });
  });

  it('sends no redirect for an object that has none (a redirect to "" would be a change)', async () => {
    mock.on(CopyObjectCommand).resolves({});
    const { WebsiteRedirectLocation: _, ...plain } = HEAD;
    await copyInPlace(s3, REF, { ...plain, StorageClass: 'STANDARD' });
    const input = mock.commandCalls(CopyObjectCommand)[0]?.args[0].input ?? {};
    expect(input).not.toHaveProperty('WebsiteRedirectLocation');
    expect(input).not.toHaveProperty('StorageClass');
  });
});

describe('the multipart copy of an object over 5 GiB', () => {
  it('sends every content header, the metadata, storage class and website redirect explicitly', async () => {
    mock.on(CreateMultipartUploadCommand).rejects(new Error('stop after the first request'));
    await multipartCopyInPlace(s3, REF, HEAD, {});
    const input = mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input;
    expect(input).toEqual({
      Bucket: BUCKET,
      Key: REF.key,
      ...CONTENT_HEADERS,
      Metadata: { owner: 'web-team' },
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN,
      BucketKeyEnabled: true,
      StorageClass: 'STANDARD_IA',
      WebsiteRedirectLocation: '/new/index.html',
    });
  });

  it.each(Object.keys(CONTENT_HEADERS))(
    'keeps %s when it is the only header the object has',
    async (name) => {
      mock.on(CreateMultipartUploadCommand).rejects(new Error('stop after the first request'));
      const only = { [name]: CONTENT_HEADERS[name as keyof typeof CONTENT_HEADERS] };
      await multipartCopyInPlace(
        s3,
        REF,
        { $metadata: {}, ContentLength: 6 * 1024 ** 3, TagCount: 0, ...only },
        {},
      );
      const input = mock.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input ?? {};
      expect(input).toMatchObject(only);
      // Headers the object does not have are not invented (not even as undefined).
      for (const other of Object.keys(CONTENT_HEADERS).filter((key) => key !== name)) {
        expect(Object.keys(input)).not.toContain(other);
      }
    },
  );
});
