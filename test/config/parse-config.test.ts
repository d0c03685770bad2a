import { describe, expect, it } from 'vitest';
import { parseConfig, validateBeforeAccountIsKnown } from '../../src/config/parse-config.js';
import { ConfigError } from '../../src/errors.js';

const BASE = { bucket: 'acme-contracts', region: 'eu-west-1', accountId: '111122223333' };

describe('parseConfig', () => {
  it('fills the documented defaults', () => {
    const config = parseConfig(BASE);
    expect(config).toMatchObject({
      scheme: 'sse-kms',
      enforcement: 'strict',
      createBucket: false,
      requestsPerMonth: 100_000,
      key: { kind: 'new', alias: 'alias/acme-contracts', rotationDays: 365 },
      partition: 'aws',
    });
  });

  it('turns dots into hyphens for the default alias, which may not contain dots', () => {
    expect(parseConfig({ ...BASE, bucket: 'acme.contracts' }).key).toMatchObject({
      alias: 'alias/acme-contracts',
    });
  });

  it('accepts role names and ARNs with paths, keeping the name for IAM calls', () => {
    const config = parseConfig({
      ...BASE,
      appRoles: ['arn:aws:iam::111122223333:role/service/contracts-app', 'worker'],
    });
    expect(config.roles.app).toEqual([
      { name: 'contracts-app', arn: 'arn:aws:iam::111122223333:role/service/contracts-app' },
      { name: 'worker', arn: 'arn:aws:iam::111122223333:role/worker' },
    ]);
  });

  it('reports every problem at once, each with its flag', () => {
    let caught: unknown;
    try {
      parseConfig({ bucket: 'Bad', region: 'mars-1', appRoles: ['a b'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    for (const flag of ['--bucket', '--region', '--account-id', '--app-role'])
      expect(message).toContain(flag);
    expect((caught as ConfigError).exitCode).toBe(2);
  });

  it('does not blame the default alias for a missing bucket name', () => {
    expect(() => parseConfig({ region: 'eu-west-1', accountId: '111122223333' })).toThrow(
      /--bucket: missing/,
    );
    expect(() => parseConfig({ region: 'eu-west-1', accountId: '111122223333' })).not.toThrow(/--key-alias/);
  });

  it('refuses key administrators without a key, and key flags with sse-s3', () => {
    expect(() => parseConfig({ ...BASE, scheme: 'sse-s3', keyAdminRoles: ['admin'] })).toThrow(
      '--key-admin-role',
    );
    expect(() => parseConfig({ ...BASE, scheme: 'sse-s3', rotationDays: '365' })).toThrow('--scheme');
  });

  it('validates all but the account id before STS is asked, using a role ARN account when given', () => {
    expect(() =>
      validateBeforeAccountIsKnown({ bucket: 'acme-contracts', region: 'eu-west-1' }),
    ).not.toThrow();
    expect(() => validateBeforeAccountIsKnown({ bucket: 'acme_contracts', region: 'eu-west-1' })).toThrow(
      '--bucket',
    );
    expect(() =>
      validateBeforeAccountIsKnown({
        ...BASE,
        accountId: undefined,
        appRoles: ['arn:aws:iam::111122223333:role/a', 'arn:aws:iam::999988887777:role/b'],
      }),
    ).toThrow('999988887777');
  });
});
