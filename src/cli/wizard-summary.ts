import { defaultKeyAlias } from '../config/fields.js';
import { DEFAULT_ROTATION_DAYS } from '../config/parse-config.js';
import type { Answers } from '../types.js';
import { DUTIES } from './roles-line.js';

/** What the quick path chose, with the defaults it will use, before the last choice. */
export function summariseAnswers(answers: Answers): string {
  const kms = answers.scheme !== 'sse-s3';
  const key = !kms
    ? 'SSE-S3 (AES256, keys managed by S3; no KMS key)'
    : answers.existingKey
      ? `SSE-KMS with the existing key ${answers.existingKey}`
      : `SSE-KMS with a new key ${answers.keyAlias ?? defaultKeyAlias(answers.bucket ?? '')}, rotated every ${answers.rotationDays ?? DEFAULT_ROTATION_DAYS} days`;
  const roles = DUTIES.filter((duty) => (answers[duty.field]?.length ?? 0) > 0)
    .map((duty) => `${duty.word}=${answers[duty.field]?.join(',')}`)
    .join(' ');
  const enforcement =
    (answers.enforcement ?? 'strict') === 'strict'
      ? kms
        ? 'strict: every upload must name this key'
        : 'strict: every upload must ask for AES256'
      : 'compatible: uploads without headers get the bucket default';
  return [
    `Protection  ${key}`,
    `Bucket      ${answers.bucket} in ${answers.region}, account ${answers.accountId}${answers.createBucket ? ' (created)' : ''}`,
    `Roles       ${roles || 'none'}`,
    `Uploads     ${enforcement}`,
  ].join('\n');
}
