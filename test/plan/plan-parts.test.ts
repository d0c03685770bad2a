import { describe, expect, it } from 'vitest';
import { parseConfig, withCallerAsKeyAdmin } from '../../src/config/parse-config.js';
import { buildAccessTable } from '../../src/plan/access-table.js';
import { bucketEncryptionConfiguration } from '../../src/plan/bucket-encryption.js';
import { estimateCost } from '../../src/plan/cost.js';
import { buildRolePolicy, rolePolicyName } from '../../src/plan/role-policies.js';
import { answerTraits, isScheme, layerAlgorithm, SCHEME_TRAITS } from '../../src/plan/schemes.js';
import { buildTakeoverScp } from '../../src/plan/takeover-scp.js';
import type { Answers } from '../../src/types.js';

/*
 * The small builders of the plan, each by the property its consumer relies on: the exact
 * PutBucketEncryption body apply sends, the prices the summary quotes, the SCP's scope, the
 * access table the summary prints, the inline policy names a re-run looks for.
 */

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BASE: Answers = {
  bucket: 'acme-data',
  region: 'eu-west-1',
  accountId: '111122223333',
  appRoles: ['app'],
  operatorRoles: ['ops'],
  auditorRoles: ['audit'],
};
const KMS: Answers = { ...BASE, keyAdminRoles: ['key-admin'] };
const config = (answers: Answers) => parseConfig(answers);

describe('the PutBucketEncryption body', () => {
  it('names the key and turns the Bucket Key on for SSE-KMS, and blocks SSE-C', () => {
    expect(
      bucketEncryptionConfiguration({
        algorithm: 'aws:kms',
        key: { kind: 'existing', arn: KEY_ARN },
        bucketKeyEnabled: true,
        blockedEncryptionTypes: ['SSE-C'],
      }),
    ).toEqual({
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
          BucketKeyEnabled: true,
          BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
        },
      ],
    });
  });

  it('sends no KMSMasterKeyID at all for AES256 (S3 refuses one there)', () => {
    const body = bucketEncryptionConfiguration({
      algorithm: 'AES256',
      bucketKeyEnabled: false,
      blockedEncryptionTypes: ['NONE'],
    });
    expect(body.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    expect(body.Rules?.[0]?.BucketKeyEnabled).toBe(false);
    expect(body.Rules?.[0]?.BlockedEncryptionTypes).toEqual({ EncryptionType: ['NONE'] });
  });
});

describe('the cost estimate', () => {
  it('rounds to cents, charges requests past the free tier only, and a Bucket Key takes 1% of them', () => {
    const cost = estimateCost(config({ ...KMS, requestsPerMonth: '1234567' }));
    expect(cost).toEqual({
      keysPerMonthUsd: 1,
      requestsPerMonth: 1_234_567,
      kmsRequestsWithoutBucketKey: 1_234_567,
      // 12,345.67 rounded up: a request is never split
      kmsRequestsWithBucketKey: 12_346,
      // 1 + (1,214,567 / 10,000) * 0.03 = 4.643701
      monthlyUsdWithoutBucketKey: 4.64,
      // 12,346 is under the free 20,000: the key alone
      monthlyUsdWithBucketKey: 1,
      yearlyUsdWithBucketKey: 12,
    });
  });

  it('charges the requests of a Bucket Key past the free tier, twelve times a year', () => {
    const cost = estimateCost(config({ ...KMS, requestsPerMonth: '10000000' }));
    expect(cost.kmsRequestsWithBucketKey).toBe(100_000);
    // 1 + (80,000 / 10,000) * 0.03
    expect(cost.monthlyUsdWithBucketKey).toBe(1.24);
    expect(cost.yearlyUsdWithBucketKey).toBe(14.88);
    // 1 + (9,980,000 / 10,000) * 0.03
    expect(cost.monthlyUsdWithoutBucketKey).toBe(30.94);
  });

  it('charges no key for an existing one, and client-kms like sse-kms', () => {
    const existing = estimateCost(config({ ...KMS, existingKey: KEY_ARN, requestsPerMonth: '10000000' }));
    expect(existing.keysPerMonthUsd).toBe(0);
    expect(existing.monthlyUsdWithBucketKey).toBe(0.24);
    const clientKms = estimateCost(config({ ...KMS, scheme: 'client-kms', requestsPerMonth: '10000000' }));
    expect(clientKms).toEqual(estimateCost(config({ ...KMS, requestsPerMonth: '10000000' })));
  });

  it.each(['sse-s3', 'sse-c', 'client-app-key'] as const)(
    '%s makes no KMS request and costs nothing',
    (scheme) => {
      expect(estimateCost(config({ ...BASE, scheme, requestsPerMonth: '5000000' }))).toEqual({
        keysPerMonthUsd: 0,
        requestsPerMonth: 5_000_000,
        kmsRequestsWithoutBucketKey: 0,
        kmsRequestsWithBucketKey: 0,
        monthlyUsdWithoutBucketKey: 0,
        monthlyUsdWithBucketKey: 0,
        yearlyUsdWithBucketKey: 0,
      });
    },
  );
});

describe('the optional SCP', () => {
  it('guards every named role, and exempts the key administrators by aws:PrincipalArn', () => {
    const scp = buildTakeoverScp(config({ ...KMS, reencryptRoles: ['rekey'] }));
    const statement = scp?.Statement[0];
    expect(statement?.Effect).toBe('Deny');
    expect([statement?.Resource].flat().sort()).toEqual(
      ['app', 'audit', 'key-admin', 'ops', 'rekey'].map((name) => `arn:aws:iam::111122223333:role/${name}`),
    );
    expect(statement?.Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/key-admin'] },
    });
  });

  it('without key administrators, exempts nobody', () => {
    const scp = buildTakeoverScp(config({ ...BASE, scheme: 'sse-s3' }));
    expect(scp?.Statement[0]).not.toHaveProperty('Condition');
    expect(scp?.Statement[0]?.Resource).toHaveLength(3);
  });

  it('leaves out the caller apply added: it is no role the configuration names', () => {
    const caller = 'arn:aws:iam::111122223333:role/Admin';
    const withCaller = withCallerAsKeyAdmin(config({ ...BASE, keyAdminRoles: [], mode: 'apply' }), caller);
    const scp = JSON.stringify(buildTakeoverScp(withCaller));
    expect(scp).not.toContain(caller);
    expect(scp).not.toContain('ArnNotEquals');
    expect(scp).toContain('role/app');
  });

  it('is left out when no role could be taken over', () => {
    const caller = 'arn:aws:iam::111122223333:role/Admin';
    const base = withCallerAsKeyAdmin(config({ ...BASE, keyAdminRoles: [], mode: 'apply' }), caller);
    const none = { ...base, roles: { ...base.roles, app: [], operator: [], auditor: [], reencrypt: [] } };
    expect(buildTakeoverScp(none)).toBeUndefined();
  });
});

describe('the scheme traits', () => {
  it('reads an unknown or missing scheme as the default sse-kms, for validation to report', () => {
    expect(answerTraits(undefined)).toBe(SCHEME_TRAITS['sse-kms']);
    expect(answerTraits('sse-kmz')).toBe(SCHEME_TRAITS['sse-kms']);
    expect(answerTraits('sse-c')).toBe(SCHEME_TRAITS['sse-c']);
    expect(isScheme(undefined)).toBe(false);
    expect(isScheme('client-kms')).toBe(true);
    expect(isScheme('kms')).toBe(false);
  });

  it('names the header value of each bucket layer', () => {
    expect(layerAlgorithm('sse-kms')).toBe('aws:kms');
    expect(layerAlgorithm('sse-s3')).toBe('AES256');
    expect(layerAlgorithm('sse-c')).toBe('AES256');
  });
});

describe('the inline policy names', () => {
  it('are one per bucket and kind, so a re-run replaces exactly its own', () => {
    const c = config(KMS);
    expect(rolePolicyName(c, 'app')).toBe('encrypted-bucket-acme-data-app');
    expect(rolePolicyName(c, 'keyAdmin')).toBe('encrypted-bucket-acme-data-key-admin');
    expect(rolePolicyName(c, 'reencrypt')).toBe('encrypted-bucket-acme-data-reencrypt');
  });
});

describe('the role policies without a key', () => {
  it('give the key administrator the bucket only, and no role a KMS action', () => {
    const c = config(KMS);
    expect(buildRolePolicy(c, 'keyAdmin', undefined).Statement.map((s) => s.Sid)).toEqual([
      'AdministerBucketSecurity',
    ]);
    for (const kind of ['app', 'operator', 'auditor', 'reencrypt'] as const) {
      expect(JSON.stringify(buildRolePolicy(c, kind, undefined)), kind).not.toMatch(/"kms:(?!ListAliases)/);
    }
  });

  it('an existing key has no alias to manage', () => {
    const c = config({ ...KMS, existingKey: KEY_ARN });
    const policy = buildRolePolicy(c, 'keyAdmin', { kind: 'existing', arn: KEY_ARN });
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual([
      'AdministerBucketSecurity',
      'AdministerBucketKey',
      'ListKeyAliases',
    ]);
    expect(JSON.stringify(policy)).not.toMatch(/alias\/|kms:CreateAlias/);
  });
});

describe('the access table', () => {
  const rows = (answers: Answers) => buildAccessTable(config(answers));
  const row = (answers: Answers, who: string) => rows(answers).find((each) => each.who === who);

  it('names each configured role under its duty, and says every row', () => {
    const table = rows({ ...KMS, reencryptRoles: ['rekey'] });
    expect(table.map((each) => each.who)).toEqual([
      'application',
      're-encryption',
      'operator',
      'auditor',
      'key administrator',
      'anyone else in the account',
      'account root user',
      'anyone',
    ]);
    expect(table.find((each) => each.who === 're-encryption')?.principals).toEqual(['rekey']);
    expect(table.find((each) => each.who === 'key administrator')?.principals).toEqual(['key-admin']);
    expect(table.find((each) => each.who === 'account root user')?.principals).toEqual([
      'arn:aws:iam::111122223333:root',
    ]);
    for (const each of table) {
      expect(each.may, each.who).not.toBe('');
      expect(each.mustNever, each.who).not.toBe('');
    }
  });

  it('has no re-encryption row without a re-encryption role', () => {
    expect(row(KMS, 're-encryption')).toBeUndefined();
  });

  it('says who never decrypts under a KMS key, and what each may do', () => {
    expect(row(KMS, 'application')?.may).toMatch(/only through S3 and this bucket/);
    expect(row(KMS, 'application')?.mustNever).toMatch(/administer the key/);
    expect(row(KMS, 'operator')?.mustNever).toMatch(
      /^decrypt or generate data keys \(even with kms:\* in IAM\)/,
    );
    expect(row(KMS, 'operator')?.may).toMatch(/lifecycle, versioning, tags, logging, notifications and CORS/);
    expect(row(KMS, 'auditor')?.mustNever).toMatch(/read an object, decrypt, or change anything/);
    expect(row(KMS, 'auditor')?.may).toMatch(/CloudTrail/);
    expect(row(KMS, 'key administrator')?.mustNever).toBe('decrypt');
    expect(row(KMS, 'key administrator')?.may).toMatch(/administer the key/);
    expect(row(KMS, 'anyone else in the account')?.mustNever).toMatch(/decrypt, create grants/);
    expect(row(KMS, 'anyone else in the account')?.may).toMatch(/nothing on this key/);
    expect(row(KMS, 'anyone else in the account')?.principals).toEqual([
      'any other principal, whatever its IAM policy',
    ]);
    expect(row(KMS, 'anyone')?.principals).toEqual(['*']);
    expect(row(KMS, 'account root user')?.mustNever).toBe('decrypt');
    expect(row(KMS, 'account root user')?.may).toMatch(/break-glass/);
    expect(row({ ...KMS, reencryptRoles: ['rekey'] }, 're-encryption')?.mustNever).toMatch(
      /decrypt outside S3/,
    );
    expect(row({ ...KMS, reencryptRoles: ['rekey'] }, 're-encryption')?.may).toMatch(
      /UpdateObjectEncryption/,
    );
  });

  it('says, without a KMS key, who holds the key and what protects the objects', () => {
    const s3 = { ...BASE, scheme: 'sse-s3' } as Answers;
    expect(rows(s3).map((each) => each.who)).toEqual([
      'application',
      'operator',
      'auditor',
      'administrator',
      'account root user',
      'anyone',
    ]);
    expect(row(s3, 'application')?.may).toBe('read, write, delete and list objects');
    expect(row(s3, 'application')?.mustNever).toBe('change the bucket policy or default encryption');
    expect(row(s3, 'operator')?.mustNever).toMatch(/S3 itself decrypts SSE-S3 objects/);
    expect(row(s3, 'operator')?.may).toMatch(/lifecycle/);
    expect(row(s3, 'auditor')?.may).toMatch(/CloudTrail/);
    expect(row(s3, 'auditor')?.mustNever).toMatch(/read an object/);
    expect(row(s3, 'anyone')?.mustNever).toMatch(/upload with a customer-provided key \(SSE-C\)/);
    expect(row(s3, 'anyone')?.mustNever).toMatch(/plain HTTP or TLS older than 1\.2/);

    const appKey = { ...BASE, scheme: 'client-app-key' } as Answers;
    expect(row(appKey, 'application')?.may).toMatch(
      /encrypts them itself and decrypts them with the key it holds/,
    );
    expect(row(appKey, 'application')?.mustNever).toMatch(/lose the key \(the data would be gone\)/);
    expect(row(appKey, 'operator')?.mustNever).toMatch(/ciphertext without the application key/);

    const sseC = { ...BASE, scheme: 'sse-c' } as Answers;
    expect(row(sseC, 'application')?.may).toMatch(/encrypts them with the customer key it holds/);
    expect(row(sseC, 'operator')?.mustNever).toMatch(/only to a request carrying its key/);
    expect(row(sseC, 'anyone')?.mustNever).toMatch(/upload without a customer-provided key/);
  });
});
