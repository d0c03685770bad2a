import { beforeEach, describe, expect, it, vi } from 'vitest';

/*
 * Every field validator, with the exact message it gives. The schema, the reserved names and
 * the regular expressions are module-level constants: each test imports the module afresh, so
 * they are built inside the test (mutation testing sees them covered by the test that checks them).
 */
let fields: typeof import('../../src/config/fields.js');
beforeEach(async () => {
  vi.resetModules();
  fields = await import('../../src/config/fields.js');
});

const NAMING_RULES = '(S3 bucket naming rules)';
const bucketProblem = (name: string, problem: string) =>
  `bucket name ${JSON.stringify(name)} ${problem} ${NAMING_RULES}`;

describe('validateBucket', () => {
  it('accepts names S3 accepts: 3 to 63 lowercase letters, digits, dots and hyphens', () => {
    for (const name of [
      'abc',
      'a'.repeat(63),
      'acme.contracts-2',
      '1bucket9',
      'x1.2.3.4',
      '1.2.3.4x',
      'a-b.c',
      'axn--b',
      'b-s3aliasx',
    ])
      expect([name, fields.validateBucket(name)]).toEqual([name, undefined]);
  });

  it('asks for a name when none is typed', () => {
    expect(fields.validateBucket('')).toBe(
      'type a bucket name, e.g. acme-contracts (the grey text is only an example)',
    );
  });

  it('refuses a name of the wrong length', () => {
    for (const name of ['ab', 'a'.repeat(64)])
      expect(fields.validateBucket(name)).toBe(bucketProblem(name, 'must be 3 to 63 characters long'));
  });

  it('refuses any character but lowercase letters, digits, dots and hyphens, anywhere', () => {
    for (const name of ['Acme', 'ac_me', 'acme_x', 'x_acme', 'acme!x', 'ac me'])
      expect(fields.validateBucket(name)).toBe(
        bucketProblem(name, 'may contain only lowercase letters, digits, dots and hyphens'),
      );
  });

  it('refuses a name beginning or ending with a dot or hyphen', () => {
    for (const name of ['-acme', 'acme-', '.acme', 'acme.'])
      expect(fields.validateBucket(name)).toBe(
        bucketProblem(name, 'must begin and end with a lowercase letter or digit'),
      );
  });

  it('refuses two dots in a row', () => {
    expect(fields.validateBucket('acme..x')).toBe(
      bucketProblem('acme..x', 'must not contain two dots in a row'),
    );
  });

  it('refuses a name that looks like an IP address', () => {
    for (const name of ['192.168.10.1', '1.2.3.4'])
      expect(fields.validateBucket(name)).toBe(bucketProblem(name, 'must not look like an IP address'));
  });

  it('refuses each reserved prefix and suffix, naming them all', () => {
    const prefixes = 'must not start with a reserved prefix (xn--, sthree-, amzn-s3-demo-)';
    for (const name of ['xn--abc', 'sthree-abc', 'amzn-s3-demo-abc'])
      expect(fields.validateBucket(name)).toBe(bucketProblem(name, prefixes));
    const suffixes = 'must not end with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)';
    for (const name of ['abc-s3alias', 'abc--ol-s3', 'abc.mrap', 'abc--x-s3', 'abc--table-s3'])
      expect(fields.validateBucket(name)).toBe(bucketProblem(name, suffixes));
  });

  it('gives the first problem only', () => {
    expect(fields.validateBucket('A')).toBe(bucketProblem('A', 'must be 3 to 63 characters long'));
  });
});

describe('validateRegion', () => {
  it('accepts a known region', () => {
    expect(fields.validateRegion('eu-west-1')).toBeUndefined();
    expect(fields.validateRegion('cn-north-1')).toBeUndefined();
  });

  it('suggests the closest region, or gives an example', () => {
    expect(fields.validateRegion('eu-west1')).toBe('unknown region "eu-west1"; did you mean eu-west-1?');
    expect(fields.validateRegion('mars-1')).toBe(
      'unknown region "mars-1"; use a region code such as eu-west-1',
    );
  });
});

describe('account ids', () => {
  it('normalises the console form 1111-2222-3333, with spaces or without separators', () => {
    for (const value of [
      '1111-2222-3333',
      '1111 2222 3333',
      '111122223333',
      ' 111122223333 ',
      '11112222-3333',
      '1111-22223333',
      '1111\t2222 3333',
    ])
      expect([value, fields.normaliseAccountId(value)]).toEqual([value, '111122223333']);
  });

  it('leaves anything else as typed, trimmed', () => {
    for (const value of [
      '1111-2222-33334',
      'x1111-2222-3333',
      '1111-2222-3333x',
      '1111--2222-3333',
      '111-12222-3333',
    ])
      expect([value, fields.normaliseAccountId(value)]).toEqual([value, value]);
    expect(fields.normaliseAccountId(' abc ')).toBe('abc');
  });

  it('accepts 12 digits, in either form', () => {
    expect(fields.validateAccountId('111122223333')).toBeUndefined();
    expect(fields.validateAccountId('1111-2222-3333')).toBeUndefined();
  });

  it('refuses anything but exactly 12 digits, quoting what was typed', () => {
    for (const value of [
      '11112222333',
      '1111222233334',
      'x111122223333',
      '111122223333x',
      'abcdefghijkl',
      '',
    ])
      expect(fields.validateAccountId(value)).toBe(
        `account id ${JSON.stringify(value)} must be exactly 12 digits, e.g. 123456789012`,
      );
  });
});

describe('validateRole', () => {
  const arn = (resource: string, partition = 'aws', account = '111122223333') =>
    `arn:${partition}:iam::${account}:role${resource}`;

  it('accepts a role name of 1 to 64 letters, digits and +=,.@_-', () => {
    for (const name of ['app', 'a', 'a'.repeat(64), 'a+b=c,d.e@f_g-h', 'App_2'])
      expect([name, fields.validateRole(name)]).toEqual([name, undefined]);
  });

  it('refuses a name with a space, pointing to repeated flags', () => {
    for (const name of ['a b', 'a\tb', 'app, worker'])
      expect(fields.validateRole(name)).toBe(
        `role name ${JSON.stringify(name)} contains a space; IAM role names have none. Several roles: repeat the flag (or separate them with commas in the wizard)`,
      );
  });

  it('refuses any other invalid name, surrounding spaces included', () => {
    for (const name of ['', 'a'.repeat(65), 'a$b', 'a"b', "a'b", 'a/b', ' app', 'app ', 'a*'])
      expect(fields.validateRole(name)).toBe(
        `role name ${JSON.stringify(name)} is invalid: 1 to 64 letters, digits or +=,.@_- (no spaces, quotes or $)`,
      );
  });

  it('accepts a role ARN of each partition, with or without a path, in the given account', () => {
    for (const value of [
      arn('/app'),
      arn('/service/app'),
      arn('/a/b/c/app'),
      arn('/app', 'aws-cn'),
      arn('/app', 'aws-us-gov'),
      arn(`/${'a'.repeat(64)}`),
      arn('/p+=,.@_-/n+=,.@_-'),
    ]) {
      expect([value, fields.validateRole(value)]).toEqual([value, undefined]);
      expect([value, fields.validateRole(value, '111122223333')]).toEqual([value, undefined]);
    }
  });

  it('refuses a malformed ARN with the expected form', () => {
    for (const value of [
      'arn:',
      arn('/app', 'aws-iso'),
      arn('/app', 'aws', '11112222333'),
      arn('/app', 'aws', '1111222233334'),
      arn('/app', 'aws', 'x11122223333'),
      arn('app'),
      'arn:aws:iam::111122223333:user/app',
      'arn:aws:sts::111122223333:role/app',
      'arn:aws:iam:eu-west-1:111122223333:role/app',
      `x${arn('/app')}`.replace('xarn', 'arn:x'),
      `${arn('/app')}\nextra`,
      `arn:x:${arn('/app')}`,
      ` ${arn('/app')}`.trimStart().replace('arn:aws', 'arn:awsx'),
    ])
      expect(fields.validateRole(value)).toBe(
        `role ARN ${JSON.stringify(value)} is malformed; expected arn:aws:iam::123456789012:role/NAME`,
      );
  });

  it('refuses an ARN with an invalid path or name', () => {
    for (const value of [
      arn('/'),
      arn('//app'),
      arn('/a b/app'),
      arn('/a/b c'),
      arn(`/${'a'.repeat(65)}`),
      arn('/app$'),
      arn('/path$/app'),
    ])
      expect(fields.validateRole(value)).toBe(
        `role ARN ${JSON.stringify(value)} has an invalid path or name; names use letters, digits and +=,.@_-`,
      );
  });

  it('refuses an ARN of another account, naming both', () => {
    expect(fields.validateRole(arn('/app', 'aws', '999988887777'), '111122223333')).toBe(
      `role "${arn('/app', 'aws', '999988887777')}" is in account 999988887777, not 111122223333; only roles of the bucket's account can be given policies here`,
    );
  });
});

describe('role names and paths', () => {
  it('splits an ARN into name and path; a bare name has the path /', () => {
    expect(fields.roleNameAndPath('app')).toEqual({ name: 'app', path: '/' });
    expect(fields.roleNameAndPath('arn:aws:iam::111122223333:role/app')).toEqual({ name: 'app', path: '/' });
    expect(fields.roleNameAndPath('arn:aws:iam::111122223333:role/a/b/app')).toEqual({
      name: 'app',
      path: '/a/b/',
    });
    expect(fields.roleName('arn:aws:iam::111122223333:role/a/b/app')).toBe('app');
    expect(fields.roleName('worker')).toBe('worker');
  });
});

describe('validateKeyAlias', () => {
  it('accepts alias/ followed by 1 to 250 letters, digits, /, _ or -', () => {
    for (const alias of [
      'alias/my-bucket',
      'alias/a',
      'alias/A/b_c-D9',
      `alias/${'a'.repeat(250)}`,
      'alias/aws',
      'alias/awsx/y',
    ])
      expect([alias, fields.validateKeyAlias(alias)]).toEqual([alias, undefined]);
  });

  it('refuses anything else, with the expected form', () => {
    for (const alias of [
      'my-bucket',
      'alias/',
      `alias/${'a'.repeat(251)}`,
      'alias/a.b',
      'alias/a b',
      'xalias/a',
      'alias/a!',
      'Alias/a',
      'alias:a',
    ])
      expect(fields.validateKeyAlias(alias)).toBe(
        `key alias ${JSON.stringify(alias)} must be alias/ followed by letters, digits, /, _ or - (e.g. alias/my-bucket)`,
      );
  });

  it('refuses the prefix AWS reserves', () => {
    expect(fields.validateKeyAlias('alias/aws/s3')).toBe(
      'key alias "alias/aws/s3" uses the prefix alias/aws/, which AWS reserves',
    );
  });
});

describe('validateKeyArn', () => {
  const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
  const MRK = `mrk-${'0123456789abcdef'.repeat(2)}`;
  const keyArn = (keyId = KEY_ID, region = 'eu-west-1', partition = 'aws', account = '111122223333') =>
    `arn:${partition}:kms:${region}:${account}:key/${keyId}`;
  const notAnArn = (value: string) =>
    `key ${JSON.stringify(value)} is not a full KMS key ARN; expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID (an alias or key id resolves in the requester's account, so the full ARN is required)`;

  it('accepts a full key ARN, single- or multi-Region, in each partition', () => {
    for (const value of [
      keyArn(),
      keyArn(MRK),
      keyArn(KEY_ID, 'cn-north-1', 'aws-cn'),
      keyArn(KEY_ID, 'us-gov-west-1', 'aws-us-gov'),
      keyArn('0'.repeat(36)),
      keyArn('-'.repeat(36)),
    ])
      expect([value, fields.validateKeyArn(value)]).toEqual([value, undefined]);
    expect(fields.validateKeyArn(keyArn(), 'eu-west-1')).toBeUndefined();
  });

  it('refuses an alias, a bare key id and any ARN that is not exactly a key', () => {
    for (const value of [
      'alias/my-key',
      KEY_ID,
      'arn:aws:kms:eu-west-1:111122223333:alias/my-key',
      keyArn(KEY_ID.slice(1)),
      keyArn(`${KEY_ID}0`),
      keyArn(KEY_ID.toUpperCase()),
      keyArn(KEY_ID.replace('a', 'g')),
      keyArn(MRK.slice(0, -1)),
      keyArn(`${MRK}0`),
      keyArn(MRK.replace('a', 'g')),
      keyArn(`MRK-${MRK.slice(4)}`),
      keyArn(KEY_ID, 'EU-WEST-1'),
      keyArn(KEY_ID, ''),
      keyArn(KEY_ID, 'eu_west_1'),
      keyArn(KEY_ID, 'eu-west-1', 'aws-iso'),
      keyArn(KEY_ID, 'eu-west-1', 'aws', '11112222333'),
      keyArn(KEY_ID, 'eu-west-1', 'aws', '1111222233334'),
      keyArn(KEY_ID, 'eu-west-1', 'aws', 'a11122223333'),
      `x${keyArn()}`,
      `${keyArn()}x`,
      `${keyArn()}\n`,
      keyArn().replace(':kms:', ':iam:'),
    ])
      expect(fields.validateKeyArn(value)).toBe(notAnArn(value));
  });

  it('refuses a key in another region than the bucket, naming both', () => {
    const value = keyArn(KEY_ID, 'us-east-1');
    expect(fields.validateKeyArn(value, 'eu-west-1')).toBe(
      `key ${JSON.stringify(value)} is in us-east-1, but the bucket is in eu-west-1; S3 needs a key in the bucket's region`,
    );
  });
});

describe('validateRotationDays', () => {
  it('accepts whole days from 90 to 2560', () => {
    for (const days of ['90', '91', '365', '2559', '2560'])
      expect([days, fields.validateRotationDays(days)]).toEqual([days, undefined]);
  });

  it('refuses anything else, giving the range', () => {
    for (const days of ['89', '2561', '0', '-365', '365.5', '1e3', ' 365', '365 ', 'x365', '365x', ''])
      expect(fields.validateRotationDays(days)).toBe(
        `rotation period ${JSON.stringify(days)} must be a whole number of days from 90 to 2560`,
      );
  });
});

describe('requests per month', () => {
  it('accepts a whole number of up to 15 digits, with _ or , as separators', () => {
    for (const value of ['0', '100000', '100_000', '1,000,000', '9'.repeat(15), '1_000,000'])
      expect([value, fields.validateRequestsPerMonth(value)]).toEqual([value, undefined]);
    expect(fields.parseCount('1_000,000')).toBe(1_000_000);
    expect(fields.parseCount('1,000')).toBe(1000);
  });

  it('refuses anything else', () => {
    for (const value of ['', '9'.repeat(16), 'abc', '-1', '1.5', 'x1', '1x', '1 000', '1e6'])
      expect(fields.validateRequestsPerMonth(value)).toBe(
        `requests per month ${JSON.stringify(value)} must be a whole number, e.g. 100000`,
      );
  });
});

describe('defaultKeyAlias', () => {
  it('is alias/ and the bucket name, every dot a hyphen', () => {
    expect(fields.defaultKeyAlias('a.b.c')).toBe('alias/a-b-c');
    expect(fields.defaultKeyAlias('acme')).toBe('alias/acme');
  });
});

describe('findDutyConflict: one role, one duty', () => {
  const ARN_WITH_PATH = 'arn:aws:iam::111122223333:role/team/app';

  it('finds nothing when every role name holds one duty, a repeated identical value included', () => {
    expect(
      fields.findDutyConflict([
        { flag: '--app-role', roles: ['app', 'app', ARN_WITH_PATH.replace('/app', '/worker')] },
        { flag: '--operator-role', roles: ['ops'] },
      ]),
    ).toBeUndefined();
    expect(fields.findDutyConflict([])).toBeUndefined();
  });

  it('refuses one role name under two flags, even via another path, naming the later flag', () => {
    expect(
      fields.findDutyConflict([
        { flag: '--app-role', roles: [ARN_WITH_PATH] },
        { flag: '--operator-role', roles: ['ops'] },
        { flag: '--auditor-role', roles: ['app'] },
      ]),
    ).toEqual({
      flag: '--auditor-role',
      message:
        'role app is given as both --app-role and --auditor-role; each role may hold one duty only, or the separation of access is lost (IAM role names are unique in an account, whatever the path)',
    });
  });

  it('refuses one role name given twice to a flag in two forms', () => {
    expect(fields.findDutyConflict([{ flag: '--app-role', roles: [ARN_WITH_PATH, 'app'] }])).toEqual({
      flag: '--app-role',
      message: `role app is given twice to --app-role, as "${ARN_WITH_PATH}" and "app"; IAM role names are unique in an account, so give it once (with its full ARN if it has a path)`,
    });
  });

  it('skips invalid values (validateRole reports them)', () => {
    expect(
      fields.findDutyConflict([
        { flag: '--app-role', roles: ['a b'] },
        { flag: '--operator-role', roles: ['a b'] },
      ]),
    ).toBeUndefined();
  });
});
