import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverBucket } from '../../src/apply/discover-bucket.js';
import { AwsError } from '../../src/errors.js';

/*
 * Layer: unit, S3 mocked (aws-sdk-client-mock). The answers moto cannot give: a 301 from
 * HeadBucket with the region header, the legacy GetBucketLocation answers (no constraint for
 * us-east-1, "EU" for eu-west-1), 403 for a bucket another account owns.
 */

const BUCKET = 'acme-invoices';
const ACCOUNT = '444455556666';

/** An SDK error as S3 answers it, with the HTTP status (and headers) the SDK attaches. */
function s3Error(name: string, status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(name), {
    name,
    $metadata: { httpStatusCode: status },
    $response: { statusCode: status, headers },
  });
}

let s3: AwsClientStub<S3Client>;

/** A bucket in eu-west-1 with nothing set, each read answered as "none". */
function emptyBucket(): void {
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
  s3.on(GetBucketEncryptionCommand).rejects(s3Error('ServerSideEncryptionConfigurationNotFoundError', 404));
  s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy', 404));
  s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));
  s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
}

const discover = (region = 'eu-west-1') => discoverBucket(new S3Client({ region }), BUCKET, region, ACCOUNT);

const sent = (command: string) =>
  s3.calls().filter((call) => call.args[0].constructor.name === `${command}Command`);

beforeEach(() => {
  expect.hasAssertions();
  s3 = mockClient(S3Client);
});

afterEach(() => {
  s3.restore();
});

describe('discoverBucket: what the bucket holds', () => {
  it('a bucket with nothing set is one that exists with no encryption, policy or public access block', async () => {
    emptyBucket();
    expect(await discover()).toEqual({
      status: 'exists',
      region: 'eu-west-1',
      encryption: undefined,
      policy: undefined,
      publicAccessBlock: undefined,
      holdsObjects: false,
    });
    // The region came with HeadBucket: no extra lookup.
    expect(sent('GetBucketLocation')).toEqual([]);
  });

  it('reads the rules, the policy (parsed, text kept), the public access block and whether objects exist', async () => {
    const rules = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const } }];
    const policy = { Version: '2012-10-17', Statement: [] };
    const block = { BlockPublicAcls: true, IgnorePublicAcls: false };
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: rules } });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(policy) });
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: block });
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 1 });

    expect(await discover()).toEqual({
      status: 'exists',
      region: 'eu-west-1',
      encryption: rules,
      policy: { text: JSON.stringify(policy), document: policy },
      publicAccessBlock: block,
      holdsObjects: true,
    });
    // One key is enough to know the bucket is not empty.
    expect(sent('ListObjectsV2')[0]?.args[0].input).toMatchObject({ MaxKeys: 1 });
  });

  it('a listing without KeyCount counts as empty; a denied listing leaves it unknown, not "empty"', async () => {
    emptyBucket();
    s3.on(ListObjectsV2Command).resolves({});
    expect(await discover()).toMatchObject({ status: 'exists', holdsObjects: false });

    s3.on(ListObjectsV2Command).rejects(s3Error('AccessDenied', 403));
    const state = await discover();
    expect(state.status).toBe('exists');
    expect(state).toHaveProperty('holdsObjects', undefined);
  });

  it('a read that fails for another reason than "none set" stops discovery, naming the read', async () => {
    for (const [command, operation] of [
      [GetBucketEncryptionCommand, 'GetBucketEncryption'],
      [GetBucketPolicyCommand, 'GetBucketPolicy'],
      [GetPublicAccessBlockCommand, 'GetPublicAccessBlock'],
    ] as const) {
      emptyBucket();
      s3.on(command).rejects(s3Error('AccessDenied', 403));
      const error = await discover().catch((e: unknown) => e);
      expect(error, operation).toBeInstanceOf(AwsError);
      expect((error as AwsError).operation).toBe(operation);
      expect((error as AwsError).step).toBe('discover: bucket');
      s3.reset();
    }
    // The listing only adds information when denied; any other failure stops discovery too.
    emptyBucket();
    s3.on(ListObjectsV2Command).rejects(s3Error('InternalError', 500));
    expect(await discover().catch((e: unknown) => e)).toMatchObject({
      operation: 'ListObjectsV2',
      httpStatus: 500,
    });
  });

  it("sends every read with ExpectedBucketOwner, so another account's bucket is never read", async () => {
    emptyBucket();
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'eu-west-1' });
    await discover();
    expect(s3.calls()).toHaveLength(6);
    for (const call of s3.calls()) {
      expect(call.args[0].input, call.args[0].constructor.name).toMatchObject({
        Bucket: BUCKET,
        ExpectedBucketOwner: ACCOUNT,
      });
    }
  });
});

describe('discoverBucket: missing, foreign and elsewhere', () => {
  it('404 is a missing bucket, 403 one this account may not read (another owner under ExpectedBucketOwner)', async () => {
    emptyBucket();
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound', 404));
    expect(await discover()).toEqual({ status: 'missing' });
    s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 403));
    expect(await discover()).toEqual({ status: 'forbidden' });
  });

  it('any other HeadBucket failure stops discovery as an AwsError naming HeadBucket', async () => {
    emptyBucket();
    s3.on(HeadBucketCommand).rejects(s3Error('InternalError', 500));
    const error = await discover().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect(error).toMatchObject({ operation: 'HeadBucket', httpStatus: 500 });
  });

  it('waits for the reads sent with HeadBucket before answering, so none is left in flight', async () => {
    emptyBucket();
    let settled = false;
    s3.on(GetBucketPolicyCommand).callsFake(
      () =>
        new Promise((_, reject) =>
          setTimeout(() => {
            settled = true;
            reject(s3Error('NoSuchBucket', 404));
          }, 20),
        ),
    );
    s3.on(HeadBucketCommand).rejects(s3Error('NotFound', 404));
    expect(await discover()).toEqual({ status: 'missing' });
    expect(settled).toBe(true);
  });

  it('a 301 names the region in x-amz-bucket-region: the bucket is elsewhere, its settings unread', async () => {
    emptyBucket();
    s3.on(HeadBucketCommand).rejects(
      s3Error('PermanentRedirect', 301, { 'x-amz-bucket-region': 'ap-south-1' }),
    );
    // Its settings answer 301 too; they must not be what the caller sees.
    s3.on(GetBucketPolicyCommand).rejects(s3Error('PermanentRedirect', 301));
    expect(await discover()).toEqual({ status: 'elsewhere', region: 'ap-south-1' });
    expect(sent('GetBucketLocation')).toEqual([]);
  });

  it('a 301 without the header (or without the response headers at all) asks GetBucketLocation', async () => {
    const withoutResponse = Object.assign(new Error('PermanentRedirect'), {
      name: 'PermanentRedirect',
      $metadata: { httpStatusCode: 301 },
    });
    const withoutHeaders = Object.assign(new Error('PermanentRedirect'), {
      name: 'PermanentRedirect',
      $metadata: { httpStatusCode: 301 },
      $response: { statusCode: 301 },
    });
    for (const redirect of [s3Error('PermanentRedirect', 301), withoutResponse, withoutHeaders]) {
      emptyBucket();
      s3.on(HeadBucketCommand).rejects(redirect);
      s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'sa-east-1' });
      expect(await discover()).toEqual({ status: 'elsewhere', region: 'sa-east-1' });
      s3.reset();
    }
  });

  it('a HeadBucket answer without BucketRegion asks GetBucketLocation, and a match is the bucket found', async () => {
    emptyBucket();
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'eu-west-1' });
    expect(await discover()).toMatchObject({ status: 'exists', region: 'eu-west-1' });
    expect(sent('GetBucketLocation')).toHaveLength(1);
  });

  it('reads the legacy answers: no LocationConstraint is us-east-1, "EU" is eu-west-1', async () => {
    emptyBucket();
    s3.on(HeadBucketCommand).resolves({});

    s3.on(GetBucketLocationCommand).resolves({});
    expect(await discover('us-east-1')).toMatchObject({ status: 'exists', region: 'us-east-1' });
    expect(await discover('eu-west-1')).toEqual({ status: 'elsewhere', region: 'us-east-1' });

    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: '' as 'EU' });
    expect(await discover('us-east-1')).toMatchObject({ status: 'exists', region: 'us-east-1' });

    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    expect(await discover('eu-west-1')).toMatchObject({ status: 'exists', region: 'eu-west-1' });
    expect(await discover('us-east-1')).toEqual({ status: 'elsewhere', region: 'eu-west-1' });
  });

  it('a failed GetBucketLocation stops discovery, naming it', async () => {
    emptyBucket();
    s3.on(HeadBucketCommand).resolves({});
    s3.on(GetBucketLocationCommand).rejects(s3Error('AccessDenied', 403));
    const error = await discover().catch((e: unknown) => e);
    expect(error).toMatchObject({ operation: 'GetBucketLocation', step: 'discover: bucket' });
  });
});
