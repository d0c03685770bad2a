import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { ConfigError } from '../../src/errors.js';
import type { Answers } from '../../src/types.js';

/*
 * Input guards, through parseConfig(answers) only (its signature is the contract; the
 * validators behind it are being rewritten): an answer that would be silently ignored or
 * that AWS would reject later must be refused now, as a ConfigError naming what was given.
 */

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BASE: Answers = {
  bucket: 'acme-data',
  region: 'eu-west-1',
  accountId: '111122223333',
  appRoles: ['app'],
};
/** A KMS key needs a key administrator; SSE-S3 refuses one, so only the key cases add it. */
const KEY_ADMIN: Answers = { keyAdminRoles: ['key-admin'] };

function refusal(answers: Answers): ConfigError {
  try {
    parseConfig(answers);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(answers)}`);
}

describe('SSE-S3 uses no KMS key, so key answers are refused, not ignored', () => {
  it.each([
    ['--existing-key', { existingKey: KEY_ARN }],
    ['--key-alias', { keyAlias: 'alias/acme-data' }],
    ['--rotation-days', { rotationDays: '365' }],
  ] as const)('%s with --scheme sse-s3', (flag, answer) => {
    const error = refusal({ ...BASE, scheme: 'sse-s3', ...answer });
    expect(error.message).toContain(flag);
    expect(error.message).toContain('sse-s3');
  });

  it('the same answers without a key choice are accepted, and the config holds no key', () => {
    expect(parseConfig({ ...BASE, scheme: 'sse-s3' }).key).toBeUndefined();
    expect(parseConfig({ ...BASE, ...KEY_ADMIN, scheme: 'sse-kms', existingKey: KEY_ARN }).key).toEqual({
      kind: 'existing',
      arn: KEY_ARN,
    });
  });
});

describe('the rotation period is what KMS accepts: whole days from 90 to 2560', () => {
  it.each(['90', '365', '2560'])('%s days is accepted as that number', (days) => {
    const config = parseConfig({ ...BASE, ...KEY_ADMIN, scheme: 'sse-kms', rotationDays: days });
    expect(config.key).toMatchObject({ kind: 'new', rotationDays: Number(days) });
  });

  it.each(['89', '2561', '100000', '0', '-365', '365.5', '1e3', ' 365', ''])('%j days is refused', (days) => {
    const error = refusal({ ...BASE, scheme: 'sse-kms', rotationDays: days });
    expect(error.message).toMatch(/rotation/i);
  });
});
