import { expect, it } from 'vitest';
import { classifyHead, isArchived, isSseCHeadError, sameKey } from '../../src/scan/classify.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = 'arn:aws:kms:eu-west-1:111122223333:key/99999999-12ab-34cd-56ef-1234567890ab';

it('tells every encryption apart from what HeadObject says', () => {
  expect(classifyHead({}, KEY)).toEqual({ encryption: 'none' });
  expect(classifyHead({ ServerSideEncryption: 'AES256' }, KEY)).toEqual({ encryption: 'sse-s3' });
  expect(classifyHead({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY }, KEY)).toEqual({
    encryption: 'sse-kms-this-key',
    kmsKeyId: KEY,
  });
  expect(classifyHead({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: OTHER }, KEY)).toEqual({
    encryption: 'sse-kms-other-key',
    kmsKeyId: OTHER,
  });
  expect(classifyHead({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: OTHER })).toEqual({
    encryption: 'sse-kms',
    kmsKeyId: OTHER,
  });
  expect(classifyHead({ ServerSideEncryption: 'aws:kms:dsse', SSEKMSKeyId: KEY }, KEY)).toEqual({
    encryption: 'dsse-kms',
    kmsKeyId: KEY,
  });
  expect(classifyHead({ SSECustomerAlgorithm: 'AES256' }, KEY)).toEqual({ encryption: 'sse-c' });
  expect(classifyHead({ ServerSideEncryption: 'aws:fsx' }, KEY)).toEqual({ encryption: 'other' });
});

it('matches a key by full ARN, or by a bare key id, never by an id of another key', () => {
  expect(sameKey(KEY, KEY)).toBe(true);
  expect(sameKey('1234abcd-12ab-34cd-56ef-1234567890ab', KEY)).toBe(true);
  expect(sameKey('99999999-12ab-34cd-56ef-1234567890ab', KEY)).toBe(false);
  expect(sameKey(OTHER, KEY)).toBe(false);
  // An ARN of the same key id in another account is another key.
  expect(sameKey(KEY.replace('111122223333', '444455556666'), KEY)).toBe(false);
  expect(sameKey(undefined, KEY)).toBe(false);
});

it('knows archived objects by storage class or Intelligent-Tiering archive status', () => {
  expect(isArchived('GLACIER')).toBe(true);
  expect(isArchived('DEEP_ARCHIVE')).toBe(true);
  expect(isArchived('GLACIER_IR')).toBe(false);
  expect(isArchived('INTELLIGENT_TIERING')).toBe(false);
  expect(isArchived('INTELLIGENT_TIERING', 'ARCHIVE_ACCESS')).toBe(true);
  expect(isArchived(undefined)).toBe(false);
});

it('reads a 400 on HEAD as SSE-C', () => {
  expect(isSseCHeadError({ name: 'BadRequest', $metadata: { httpStatusCode: 400 } })).toBe(true);
  expect(isSseCHeadError({ name: 'Forbidden', $metadata: { httpStatusCode: 403 } })).toBe(false);
  expect(isSseCHeadError(undefined)).toBe(false);
});
