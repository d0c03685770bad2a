import { describe, expect, it } from 'vitest';
import {
  parseConfig,
  validateBeforeAccountIsKnown,
  withCallerAsKeyAdmin,
} from '../../src/config/parse-config.js';
import { ConfigError } from '../../src/errors.js';

const BASE = { bucket: 'acme-contracts', region: 'eu-west-1', accountId: '111122223333' };
/** sse-kms (the default) needs a key administrator. */
const KMS_BASE = { ...BASE, keyAdminRoles: ['key-custodian'] };

describe('parseConfig', () => {
  it('fills the documented defaults', () => {
    const config = parseConfig(KMS_BASE);
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
    expect(parseConfig({ ...KMS_BASE, bucket: 'acme.contracts' }).key).toMatchObject({
      alias: 'alias/acme-contracts',
    });
  });

  it('accepts role names and ARNs with paths, keeping the name for IAM calls', () => {
    const config = parseConfig({
      ...KMS_BASE,
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

  it('accepts administrators without a key (they maintain the guardrails), and refuses key flags with sse-s3', () => {
    expect(parseConfig({ ...BASE, scheme: 'sse-s3', keyAdminRoles: ['admin'] }).roles.keyAdmin).toEqual([
      { name: 'admin', arn: 'arn:aws:iam::111122223333:role/admin' },
    ]);
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

  it('requires a key administrator with a KMS key, naming --key-admin-role, except for apply', () => {
    expect(() => parseConfig(BASE)).toThrow(/--key-admin-role: missing/);
    expect(parseConfig({ ...BASE, mode: 'apply' }).roles.keyAdmin).toEqual([]);
    expect(() => parseConfig({ ...BASE, scheme: 'sse-s3' })).not.toThrow();
  });

  it('accepts re-encryption roles with --reencrypt-role, and only with a key', () => {
    expect(parseConfig({ ...KMS_BASE, reencryptRoles: ['rekey'] }).roles.reencrypt).toEqual([
      { name: 'rekey', arn: 'arn:aws:iam::111122223333:role/rekey' },
    ]);
    expect(() => parseConfig({ ...BASE, scheme: 'sse-s3', reencryptRoles: ['rekey'] })).toThrow(
      '--reencrypt-role',
    );
    expect(() => parseConfig({ ...KMS_BASE, appRoles: ['rekey'], reencryptRoles: ['rekey'] })).toThrow(
      /one duty only/,
    );
  });
});

describe('withCallerAsKeyAdmin', () => {
  const config = parseConfig({ ...BASE, mode: 'apply', appRoles: ['contracts-app'] });
  const sso =
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123';
  it('adds the caller, with its path, marked as added by apply', () => {
    expect(withCallerAsKeyAdmin(config, sso).roles.keyAdmin).toEqual([
      { name: 'AWSReservedSSO_Admin_0123', arn: sso, addedAsCaller: true },
    ]);
  });
  it('adds an IAM user, not the root user, and never twice', () => {
    const user = 'arn:aws:iam::111122223333:user/ops/alice';
    expect(withCallerAsKeyAdmin(config, user).roles.keyAdmin.map((role) => role.arn)).toEqual([user]);
    expect(withCallerAsKeyAdmin(config, 'arn:aws:iam::111122223333:root')).toBe(config);
    const once = withCallerAsKeyAdmin(config, sso);
    expect(withCallerAsKeyAdmin(once, sso)).toBe(once);
  });
  it('refuses a caller that already holds another duty, and an STS session ARN', () => {
    expect(() => withCallerAsKeyAdmin(config, 'arn:aws:iam::111122223333:role/contracts-app')).toThrow(
      '--app-role',
    );
    expect(() => withCallerAsKeyAdmin(config, 'arn:aws:sts::111122223333:assumed-role/x/y')).toThrow(
      /not an IAM role or user/,
    );
  });
});
