import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach } from 'vitest';

/* What the re-encryption request tests share: an account, its key, and an S3 client whose every call is mocked. */

export const ACCOUNT = '111122223333';
export const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** A client and its mock, reset after each test of the calling file. */
export function mockedS3() {
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(s3);
  afterEach(() => mock.reset());
  return { s3, mock };
}
