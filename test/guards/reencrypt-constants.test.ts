import { beforeEach, describe, expect, it, vi } from 'vitest';

/*
 * Re-encryption's module-level values: the key-ARN pattern, the Batch Operations prefix and
 * storage classes, the part-size limits. Each test imports the modules afresh, so these values
 * are built inside the test (mutation testing sees them covered by the test that checks them).
 */
let keyArn: typeof import('../../src/reencrypt/key-arn.js');
let jobs: typeof import('../../src/plan/reencrypt-jobs.js');
let requests: typeof import('../../src/reencrypt/object-requests.js');
beforeEach(async () => {
  vi.resetModules();
  keyArn = await import('../../src/reencrypt/key-arn.js');
  jobs = await import('../../src/plan/reencrypt-jobs.js');
  requests = await import('../../src/reencrypt/object-requests.js');
});

const ACCOUNT = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;

describe('parseKeyArn', () => {
  it('splits a full key ARN of each partition, multi-Region keys included', () => {
    expect(keyArn.parseKeyArn(KEY_ARN)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: ACCOUNT,
      keyId: KEY_ID,
    });
    expect(keyArn.parseKeyArn(`arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/mrk-0123abcdEF`)).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      accountId: ACCOUNT,
      keyId: 'mrk-0123abcdEF',
    });
    expect(keyArn.parseKeyArn(`arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT}:key/k`)).toMatchObject({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      keyId: 'k',
    });
  });

  it('is undefined for an alias, a bare id and every near miss', () => {
    for (const wrong of [
      KEY_ID,
      'alias/my-key',
      `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/my-key`,
      `x${KEY_ARN}`,
      ` ${KEY_ARN}`,
      `${KEY_ARN}x!`,
      `${KEY_ARN}/x`,
      `${KEY_ARN}\n`,
      KEY_ARN.replace('eu-west-1', ''),
      KEY_ARN.replace('eu-west-1', 'EU-WEST-1'),
      KEY_ARN.replace('eu-west-1', 'eu_west_1'),
      KEY_ARN.replace(ACCOUNT, '11112222333'),
      KEY_ARN.replace(ACCOUNT, '1111222233334'),
      KEY_ARN.replace(ACCOUNT, 'a'.repeat(12)),
      KEY_ARN.replace(KEY_ID, ''),
      KEY_ARN.replace(KEY_ID, '1234_abcd'),
      KEY_ARN.replace(KEY_ID, 'a b'),
      KEY_ARN.replace(':kms:', ':s3:'),
      KEY_ARN.replace('arn:aws:', 'arn:aws-iso:'),
      KEY_ARN.replace('arn:aws:', 'arn::'),
    ])
      expect([wrong, keyArn.parseKeyArn(wrong)]).toEqual([wrong, undefined]);
  });
});

describe('Batch Operations constants', () => {
  it('keeps manifests and reports under one prefix of the bucket', () => {
    expect(jobs.BATCH_PREFIX).toBe('create-encrypted-bucket/reencrypt');
    const [job] = jobs.renderedReencryptJobs(
      { bucket: 'b', accountId: ACCOUNT, partition: 'aws' },
      KEY_ARN,
      'r',
    );
    expect(job?.request.Report?.Prefix).toBe('create-encrypted-bucket/reencrypt/reports');
    // The bucket ARN helper is a module-level function too.
    expect(job?.request.Report?.Bucket).toBe('arn:aws:s3:::b');
    expect(job?.request.ManifestGenerator?.S3JobManifestGenerator?.SourceBucket).toBe('arn:aws:s3:::b');
  });

  it('copies the storage classes readable without a restore, in this order', () => {
    expect(jobs.COPYABLE_STORAGE_CLASSES).toEqual([
      'STANDARD',
      'STANDARD_IA',
      'INTELLIGENT_TIERING',
      'ONEZONE_IA',
      'GLACIER_IR',
    ]);
    expect(jobs.generatedJobKinds()).toEqual([
      { operation: 'update-encryption' },
      ...jobs.COPYABLE_STORAGE_CLASSES.map((storageClass) => ({ operation: 'copy', storageClass })),
    ]);
  });
});

describe('the request helpers (module-level functions)', () => {
  it('send the key, the storage class and the website redirect again', () => {
    const ref = { bucket: 'b', key: 'k', keyArn: KEY_ARN };
    const head = { $metadata: {}, StorageClass: 'GLACIER_IR' as const, WebsiteRedirectLocation: '/r' };
    const resent = {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN,
      BucketKeyEnabled: true,
      StorageClass: 'GLACIER_IR',
      WebsiteRedirectLocation: '/r',
    };
    expect(requests.copyInPlaceRequest(ref, head)).toMatchObject(resent);
    expect(requests.createMultipartRequest(ref, head, [])).toEqual({ Bucket: 'b', Key: 'k', ...resent });
  });
});

describe('part-size limits', () => {
  it('are S3 multipart limits: 5 MiB parts, 10,000 parts, 5 GiB CopyObject, 512 MiB parts by default', () => {
    expect(requests.MIN_PART_SIZE).toBe(5_242_880);
    expect(requests.MAX_PARTS).toBe(10_000);
    expect(requests.COPY_OBJECT_LIMIT).toBe(5_368_709_120);
    expect(requests.DEFAULT_PART_SIZE).toBe(536_870_912);
    expect(requests.partRanges(requests.DEFAULT_PART_SIZE + 1)).toEqual([
      { start: 0, end: 536_870_911 },
      { start: 536_870_912, end: 536_870_912 },
    ]);
  });
});
