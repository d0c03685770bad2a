import { describe, expect, it, vi } from 'vitest';
import {
  checkGivenAnswers,
  DEFAULT_REQUESTS_PER_MONTH,
  DEFAULT_ROTATION_DAYS,
  parseConfig,
  ROLE_FLAGS,
  validateBeforeAccountIsKnown,
  withCallerAsKeyAdmin,
} from '../../src/config/parse-config.js';
import { ConfigError } from '../../src/errors.js';
import type { Answers } from '../../src/types.js';

/*
 * parseConfig's rules, each with the exact problem lines it reports: which flag, what message,
 * and that nothing else is blamed.
 */

const ACCOUNT = '111122223333';
const BASE: Answers = { bucket: 'acme-data', region: 'eu-west-1', accountId: ACCOUNT };
const KMS: Answers = { ...BASE, keyAdminRoles: ['custodian'] };
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const HINT = 'fix the values above and run again; nothing was written';

function caught(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('no ConfigError was thrown');
}

/** The "  --flag: message" lines of the error parseConfig throws for these answers. */
function problems(answers: Answers, run: (answers: Answers) => unknown = (a) => parseConfig(a)): string[] {
  const error = caught(() => run(answers));
  const [title, ...lines] = error.message.split('\n');
  expect(title).toBe('Invalid input:');
  expect(error.hint).toBe(HINT);
  expect(error.exitCode).toBe(2);
  return lines;
}

describe('required values', () => {
  it('a complete run names every missing flag, in order, and blames the first', () => {
    const error = caught(() => parseConfig({ scheme: 'sse-s3' }));
    expect(error.message).toBe(
      'Invalid input:\n  --bucket: missing: pass --bucket\n  --region: missing: pass --region\n  --account-id: missing: pass --account-id',
    );
    expect(error.field).toBe('--bucket');
    expect(error.hint).toBe(HINT);
  });

  it('an empty answer counts as missing', () => {
    expect(problems({ ...BASE, scheme: 'sse-s3', region: '' })).toEqual([
      '  --region: missing: pass --region',
    ]);
    expect(problems({ ...BASE, scheme: 'sse-s3', bucket: '' })).toEqual([
      '  --bucket: missing: pass --bucket',
    ]);
    expect(problems({ ...BASE, scheme: 'sse-s3', accountId: '' })).toEqual([
      '  --account-id: missing: pass --account-id',
    ]);
  });

  it('before the first question, what is missing is left to the wizard and what is there is checked', () => {
    expect(() => checkGivenAnswers({})).not.toThrow();
    expect(() => checkGivenAnswers({ region: 'eu-west-1' })).not.toThrow();
    // No key administrator yet: the wizard still asks.
    expect(() => checkGivenAnswers({ ...BASE })).not.toThrow();
    expect(problems({ bucket: 'Bad_Name' }, checkGivenAnswers)).toEqual([
      '  --bucket: bucket name "Bad_Name" may contain only lowercase letters, digits, dots and hyphens (S3 bucket naming rules)',
    ]);
    expect(problems({ region: 'eu-west1' }, checkGivenAnswers)).toEqual([
      '  --region: unknown region "eu-west1"; did you mean eu-west-1?',
    ]);
    expect(problems({ accountId: '123' }, checkGivenAnswers)).toEqual([
      '  --account-id: account id "123" must be exactly 12 digits, e.g. 123456789012',
    ]);
    expect(problems({ rotationDays: '30' }, checkGivenAnswers)).toEqual([
      '  --rotation-days: rotation period "30" must be a whole number of days from 90 to 2560',
    ]);
  });
});

describe('the config parseConfig returns', () => {
  it('carries every answer, normalised', () => {
    expect(
      parseConfig({
        ...KMS,
        accountId: '1111-2222-3333',
        scheme: 'client-kms',
        enforcement: 'compatible',
        createBucket: true,
        requestsPerMonth: '2_500,000',
        keyAlias: 'alias/custom',
        rotationDays: '90',
      }),
    ).toEqual({
      bucket: 'acme-data',
      region: 'eu-west-1',
      partition: 'aws',
      accountId: ACCOUNT,
      scheme: 'client-kms',
      roles: {
        app: [],
        operator: [],
        auditor: [],
        keyAdmin: [{ name: 'custodian', arn: `arn:aws:iam::${ACCOUNT}:role/custodian` }],
        reencrypt: [],
      },
      key: { kind: 'new', alias: 'alias/custom', rotationDays: 90 },
      enforcement: 'compatible',
      createBucket: true,
      requestsPerMonth: 2_500_000,
    });
  });

  it('fills the defaults: sse-kms, strict, a new key named after the bucket, 365 days, 100,000 requests', () => {
    expect(DEFAULT_ROTATION_DAYS).toBe(365);
    expect(DEFAULT_REQUESTS_PER_MONTH).toBe(100_000);
    const config = parseConfig(KMS);
    expect(config.scheme).toBe('sse-kms');
    expect(config.enforcement).toBe('strict');
    expect(config.createBucket).toBe(false);
    expect(config.requestsPerMonth).toBe(100_000);
    expect(config.key).toEqual({ kind: 'new', alias: 'alias/acme-data', rotationDays: 365 });
  });

  it('has no key entry at all without a KMS key', () => {
    expect('key' in parseConfig({ ...BASE, scheme: 'sse-s3' })).toBe(false);
  });

  it('builds role ARNs in the partition of the region and the given account', () => {
    const config = parseConfig({
      ...KMS,
      region: 'cn-north-1',
      keyAdminRoles: ['custodian'],
      appRoles: ['app'],
      operatorRoles: ['ops'],
      auditorRoles: ['audit'],
      reencryptRoles: ['rekey'],
    });
    expect(config.partition).toBe('aws-cn');
    expect(config.roles).toEqual({
      app: [{ name: 'app', arn: `arn:aws-cn:iam::${ACCOUNT}:role/app` }],
      operator: [{ name: 'ops', arn: `arn:aws-cn:iam::${ACCOUNT}:role/ops` }],
      auditor: [{ name: 'audit', arn: `arn:aws-cn:iam::${ACCOUNT}:role/audit` }],
      keyAdmin: [{ name: 'custodian', arn: `arn:aws-cn:iam::${ACCOUNT}:role/custodian` }],
      reencrypt: [{ name: 'rekey', arn: `arn:aws-cn:iam::${ACCOUNT}:role/rekey` }],
    });
  });

  it('lists a role repeated under one flag once', () => {
    expect(parseConfig({ ...KMS, appRoles: ['app', 'app'] }).roles.app).toEqual([
      { name: 'app', arn: `arn:aws:iam::${ACCOUNT}:role/app` },
    ]);
  });
});

describe('schemes and enforcement', () => {
  it('refuses an unknown scheme or enforcement, listing the choices', () => {
    expect(problems({ ...KMS, scheme: 'sse-x' })).toEqual([
      '  --scheme: "sse-x" is not one of sse-kms, sse-s3, sse-c, client-kms, client-app-key',
    ]);
    expect(problems({ ...KMS, enforcement: 'lenient' })).toEqual([
      '  --enforcement: "lenient" is not one of strict, compatible',
    ]);
  });

  it('refuses compatible enforcement with sse-c, which refuses every upload without its headers', () => {
    expect(problems({ ...BASE, scheme: 'sse-c', enforcement: 'compatible' })).toEqual([
      '  --enforcement: sse-c refuses every upload without the SSE-C headers, so compatible does not apply; leave --enforcement out (strict)',
    ]);
    expect(parseConfig({ ...BASE, scheme: 'sse-c' }).enforcement).toBe('strict');
    expect(parseConfig({ ...BASE, scheme: 'sse-s3', enforcement: 'compatible' }).enforcement).toBe(
      'compatible',
    );
  });

  it('refuses every key answer with a scheme that has no KMS key, once, naming the scheme', () => {
    for (const scheme of ['sse-s3', 'sse-c', 'client-app-key'])
      expect(
        problems({ ...BASE, scheme, existingKey: KEY_ARN, keyAlias: 'alias/x', rotationDays: '365' }),
      ).toEqual([
        `  --scheme: --existing-key, --key-alias and --rotation-days need --scheme sse-kms or client-kms; ${scheme} uses no KMS key`,
      ]);
  });

  it('refuses a re-encryption role without a KMS key, and takes administrators (they maintain the guardrails)', () => {
    expect(
      problems({ ...BASE, scheme: 'sse-c', keyAdminRoles: ['custodian'], reencryptRoles: ['rekey'] }),
    ).toEqual([
      '  --reencrypt-role: a re-encryption role needs --scheme sse-kms or client-kms; sse-c uses no KMS key',
    ]);
    expect(parseConfig({ ...BASE, scheme: 'sse-c', keyAdminRoles: ['custodian'] }).roles.keyAdmin).toEqual([
      { name: 'custodian', arn: 'arn:aws:iam::111122223333:role/custodian' },
    ]);
  });
});

describe('the KMS key', () => {
  it('takes an existing key as given, and refuses one outside the bucket region', () => {
    expect(parseConfig({ ...KMS, existingKey: KEY_ARN }).key).toEqual({ kind: 'existing', arn: KEY_ARN });
    const other = KEY_ARN.replace('eu-west-1', 'us-east-1');
    expect(problems({ ...KMS, existingKey: other })).toEqual([
      `  --existing-key: key "${other}" is in us-east-1, but the bucket is in eu-west-1; S3 needs a key in the bucket's region`,
    ]);
  });

  it('checks an existing key only for its form when the region is unknown (the region is blamed)', () => {
    const other = KEY_ARN.replace('eu-west-1', 'us-east-1');
    expect(problems({ ...KMS, region: 'mars-1', existingKey: other })).toEqual([
      '  --region: unknown region "mars-1"; use a region code such as eu-west-1',
    ]);
    expect(problems({ ...KMS, existingKey: 'alias/mine' })[0]).toMatch(
      /^ {2}--existing-key: key "alias\/mine" is not a full KMS key ARN/,
    );
  });

  it('refuses an existing key and an alias together', () => {
    expect(problems({ ...KMS, existingKey: KEY_ARN, keyAlias: 'alias/new' })).toEqual([
      '  --key-alias: give either --existing-key or --key-alias (for a new key), not both',
    ]);
  });

  it('refuses a bad alias or rotation period for a new key', () => {
    expect(problems({ ...KMS, keyAlias: 'alias/aws/s3', rotationDays: '2561' })).toEqual([
      '  --key-alias: key alias "alias/aws/s3" uses the prefix alias/aws/, which AWS reserves',
      '  --rotation-days: rotation period "2561" must be a whole number of days from 90 to 2560',
    ]);
  });

  it('checks the default alias made from a valid bucket name, and blames only the bucket for a bad one', () => {
    const long = `a${'.b'.repeat(120)}`; // 241 characters: too long for a bucket, its alias would be valid
    expect(problems({ ...KMS, bucket: long })).toEqual([
      `  --bucket: bucket name "${long}" must be 3 to 63 characters long (S3 bucket naming rules)`,
    ]);
    // Its default alias (alias/Bad_Name!) would be invalid too: only the bucket is blamed.
    expect(problems({ ...KMS, bucket: 'Bad_Name!' })).toEqual([
      '  --bucket: bucket name "Bad_Name!" may contain only lowercase letters, digits, dots and hyphens (S3 bucket naming rules)',
    ]);
    // An alias given explicitly is checked whatever the bucket.
    expect(problems({ ...KMS, bucket: 'Bad_Name!', keyAlias: 'nope' })).toEqual([
      '  --bucket: bucket name "Bad_Name!" may contain only lowercase letters, digits, dots and hyphens (S3 bucket naming rules)',
      '  --key-alias: key alias "nope" must be alias/ followed by letters, digits, /, _ or - (e.g. alias/my-bucket)',
    ]);
    expect(problems({ ...KMS, bucket: 'acme..data' })).toEqual([
      '  --bucket: bucket name "acme..data" must not contain two dots in a row (S3 bucket naming rules)',
    ]);
  });

  it('requires a key administrator for a complete run without apply, whatever the key', () => {
    const line =
      '  --key-admin-role: missing: a KMS key needs at least one key administrator (who maintains this setup?); pass --key-admin-role ROLE, or apply, which adds the principal running it';
    expect(problems(BASE)).toEqual([line]);
    expect(problems({ ...BASE, existingKey: KEY_ARN })).toEqual([line]);
    expect(problems({ ...BASE, mode: 'render' })).toEqual([line]);
    expect(
      problems({ ...BASE, mode: 'apply' }, (a) => parseConfig(a, { callerBecomesKeyAdmin: false })),
    ).toEqual([line]);
    expect(parseConfig({ ...BASE, mode: 'render' }, { callerBecomesKeyAdmin: true }).roles.keyAdmin).toEqual(
      [],
    );
    expect(parseConfig({ ...BASE, mode: 'apply' }).roles.keyAdmin).toEqual([]);
  });
});

describe('roles', () => {
  it('names the flag of each invalid role', () => {
    const kinds = Object.keys(ROLE_FLAGS) as (keyof typeof ROLE_FLAGS)[];
    expect(ROLE_FLAGS).toEqual({
      app: '--app-role',
      operator: '--operator-role',
      auditor: '--auditor-role',
      keyAdmin: '--key-admin-role',
      reencrypt: '--reencrypt-role',
    });
    const answersKey = {
      app: 'appRoles',
      operator: 'operatorRoles',
      auditor: 'auditorRoles',
      keyAdmin: 'keyAdminRoles',
      reencrypt: 'reencryptRoles',
    } as const;
    for (const kind of kinds) {
      // apply adds its caller as key administrator: an invalid one is then the only problem.
      const lines = problems({ ...KMS, mode: 'apply', [answersKey[kind]]: ['a$b'] });
      const message = `  ${ROLE_FLAGS[kind]}: role name "a$b" is invalid: 1 to 64 letters, digits or +=,.@_- (no spaces, quotes or $)`;
      // Once: re-encryption roles were once validated twice, so their problem showed twice.
      expect(lines).toEqual([message]);
    }
  });

  it('refuses a role ARN of another account, under its flag', () => {
    const arn = 'arn:aws:iam::999988887777:role/app';
    expect(problems({ ...KMS, appRoles: [arn] })).toEqual([
      `  --app-role: role "${arn}" is in account 999988887777, not ${ACCOUNT}; only roles of the bucket's account can be given policies here`,
    ]);
  });

  it('checks a role ARN against the account once the account id is valid, in its console form too', () => {
    const arn = 'arn:aws:iam::999988887777:role/app';
    expect(problems({ ...KMS, accountId: '1111-2222-3333', appRoles: [arn] })).toHaveLength(1);
    expect(problems({ ...KMS, accountId: '1234', appRoles: [arn] })).toEqual([
      '  --account-id: account id "1234" must be exactly 12 digits, e.g. 123456789012',
    ]);
  });

  it('validates the verify role like any other role', () => {
    expect(problems({ ...KMS, verifyRole: 'a b' })[0]).toMatch(
      /^ {2}--verify-role: role name "a b" contains a space/,
    );
    expect(problems({ ...KMS, verifyRole: 'arn:aws:iam::999988887777:role/v' })).toEqual([
      `  --verify-role: role "arn:aws:iam::999988887777:role/v" is in account 999988887777, not ${ACCOUNT}; only roles of the bucket's account can be given policies here`,
    ]);
    expect(() => parseConfig({ ...KMS, verifyRole: 'app' })).not.toThrow();
  });

  it('reports a role holding two duties under the later flag', () => {
    const error = caught(() => parseConfig({ ...KMS, appRoles: ['custodian'] }));
    expect(error.field).toBe('--key-admin-role');
    expect(error.message).toContain('role custodian is given as both --app-role and --key-admin-role');
  });
});

describe('withCallerAsKeyAdmin', () => {
  const config = () =>
    parseConfig({ ...BASE, mode: 'apply', appRoles: ['app'], keyAdminRoles: ['custodian'] });

  it('adds a role or user caller after the named key administrators', () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/alice`;
    expect(withCallerAsKeyAdmin(config(), user).roles.keyAdmin).toEqual([
      { name: 'custodian', arn: `arn:aws:iam::${ACCOUNT}:role/custodian` },
      { name: 'alice', arn: user, addedAsCaller: true },
    ]);
    const before = config();
    const after = withCallerAsKeyAdmin(before, `arn:aws-us-gov:iam::${ACCOUNT}:role/admin`);
    expect(after.roles.app).toBe(before.roles.app);
    expect(after.bucket).toBe('acme-data');
  });

  it('leaves the config alone for the root user and for a caller already a key administrator', () => {
    const base = config();
    expect(withCallerAsKeyAdmin(base, `arn:aws:iam::${ACCOUNT}:root`)).toBe(base);
    expect(withCallerAsKeyAdmin(base, `arn:aws:iam::${ACCOUNT}:role/custodian`)).toBe(base);
  });

  it('refuses anything but an IAM role, user or root ARN, with a hint', () => {
    for (const arn of [
      `arn:aws:sts::${ACCOUNT}:assumed-role/admin/session`,
      `arn:aws:iam::${ACCOUNT}:group/admins`,
      `arn:aws:iam::${ACCOUNT}:rootx`,
      `xarn:aws:iam::${ACCOUNT}:root`,
      `xarn:aws:iam::${ACCOUNT}:role/admin`,
      `arn:aws:iam::${ACCOUNT}:roles/admin`,
      `arn:aws:iam::${ACCOUNT}:role`,
      `arn:aws:iam::1234:role/admin`,
      `arn:aws:iam::${ACCOUNT}5:root`,
    ]) {
      const error = caught(() => withCallerAsKeyAdmin(config(), arn));
      expect(error.message).toBe(`the caller ${arn} is not an IAM role or user ARN`);
      expect(error.field).toBe('--key-admin-role');
      expect(error.hint).toBe('run apply with the credentials of an IAM role or user of the account');
    }
  });

  it('refuses a caller that holds another duty, naming that flag', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/app`;
    const error = caught(() => withCallerAsKeyAdmin(config(), arn));
    expect(error.message).toBe(
      `the caller ${arn} is given as --app-role; apply makes its caller a key administrator, and one role may hold one duty only`,
    );
    expect(error.field).toBe('--app-role');
    expect(error.hint).toBe('run apply as another principal (an administrator)');
  });
});

describe('validateBeforeAccountIsKnown', () => {
  it('checks everything as apply would, with a stand-in account', () => {
    expect(() => validateBeforeAccountIsKnown({ bucket: 'acme-data', region: 'eu-west-1' })).not.toThrow();
    expect(() =>
      validateBeforeAccountIsKnown({ bucket: 'acme-data', region: 'eu-west-1', mode: 'render' }),
    ).not.toThrow();
    expect(problems({ bucket: 'acme-data', region: 'mars-1' }, validateBeforeAccountIsKnown)).toEqual([
      '  --region: unknown region "mars-1"; use a region code such as eu-west-1',
    ]);
  });

  it('takes the account of the first role ARN of any duty, so ARNs of other accounts are refused', () => {
    const answers = (roles: Partial<Answers>) => ({ bucket: 'acme-data', region: 'eu-west-1', ...roles });
    for (const key of [
      'appRoles',
      'operatorRoles',
      'auditorRoles',
      'keyAdminRoles',
      'reencryptRoles',
    ] as const) {
      const lines = problems(
        answers({
          appRoles: ['plain'],
          [key]: ['arn:aws:iam::111122223333:role/a'],
          verifyRole: 'arn:aws:iam::999988887777:role/v',
        }),
        validateBeforeAccountIsKnown,
      );
      expect([key, lines]).toEqual([
        key,
        [
          '  --verify-role: role "arn:aws:iam::999988887777:role/v" is in account 999988887777, not 111122223333; only roles of the bucket\'s account can be given policies here',
        ],
      ]);
    }
    // Only a value that begins as an ARN names an account; an invalid one is reported as itself.
    expect(
      problems(
        answers({ appRoles: ['x-arn:aws:iam::222233334444:role/a', 'arn:aws:iam::111122223333:role/b'] }),
        validateBeforeAccountIsKnown,
      ),
    ).toEqual([
      '  --app-role: role name "x-arn:aws:iam::222233334444:role/a" is invalid: 1 to 64 letters, digits or +=,.@_- (no spaces, quotes or $)',
    ]);
    expect(() =>
      validateBeforeAccountIsKnown(
        answers({ appRoles: ['arn:aws-cn:iam::222233334444:role/a', 'arn:aws:iam::222233334444:role/b'] }),
      ),
    ).not.toThrow();
  });
});

describe('module-level values', () => {
  it('the flag of each duty, read from the freshly imported module (so mutation testing sees it per test)', async () => {
    vi.resetModules();
    const fresh = await import('../../src/config/parse-config.js');
    expect(fresh.ROLE_FLAGS).toEqual({
      app: '--app-role',
      operator: '--operator-role',
      auditor: '--auditor-role',
      keyAdmin: '--key-admin-role',
      reencrypt: '--reencrypt-role',
    });
    expect(() => fresh.parseConfig({ ...KMS, operatorRoles: ['a b'] })).toThrow(
      /^Invalid input:\n {2}--operator-role: /,
    );
  });
});
