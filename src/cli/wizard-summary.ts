import { defaultKeyAlias } from '../config/fields.js';
import { DEFAULT_ROTATION_DAYS } from '../config/parse-config.js';
import { answerTraits } from '../plan/schemes.js';
import type { Answers } from '../types.js';
import { DUTIES } from './roles-line.js';

const NO_KMS_KEY = {
  'sse-s3': 'SSE-S3 (AES256, keys managed by S3; no KMS key)',
  'sse-c': 'SSE-C (your application sends its own key with every request; no KMS key)',
  'client-app-key': 'client-side (Encryption SDK, your application key) over SSE-S3; no KMS key',
};

/** What the quick path chose, with the defaults it will use, before the last choice. */
export function summariseAnswers(answers: Answers): string {
  const traits = answerTraits(answers.scheme);
  const kms = traits.usesKmsKey;
  const sseC = traits.bucketLayer === 'sse-c';
  const key = !kms
    ? NO_KMS_KEY[traits.bucketLayer === 'sse-c' ? 'sse-c' : traits.clientSide ? 'client-app-key' : 'sse-s3']
    : answers.existingKey
      ? `SSE-KMS with the existing key ${answers.existingKey}`
      : `SSE-KMS with a new key ${answers.keyAlias ?? defaultKeyAlias(answers.bucket ?? '')}, rotated every ${answers.rotationDays ?? DEFAULT_ROTATION_DAYS} days`;
  const roles = DUTIES.filter((duty) => (answers[duty.field]?.length ?? 0) > 0)
    .map((duty) => `${duty.word}=${answers[duty.field]?.join(',')}`)
    .join(' ');
  const enforcement = sseC
    ? 'every upload must send the SSE-C headers (your key); all others are refused'
    : (answers.enforcement ?? 'strict') === 'strict'
      ? kms
        ? 'strict: every upload must name this key'
        : 'strict: every upload must ask for AES256'
      : 'compatible: uploads without headers get the bucket default';
  return [
    `Protection  ${traits.clientSide && kms ? `client-side (Encryption SDK, KMS data keys) over ${key}` : key}`,
    `Bucket      ${answers.bucket} in ${answers.region}, account ${answers.accountId}${answers.createBucket ? ' (created)' : ''}`,
    `Roles       ${roles || 'none'}`,
    `Uploads     ${enforcement}`,
  ].join('\n');
}
