/*
 * Layer: pure plan. The warnings the summary, the README and apply's output show: each one
 * present exactly when its condition holds, saying what the user must know, absent otherwise.
 * Every plan is built inside its test (Stryker activates a mutant after the file loads).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, withCallerAsKeyAdmin } from '../../src/config/parse-config.js';
import { buildPlan, SSE_C_WARNINGS } from '../../src/plan/build-plan.js';
import { SCHEME_TRAITS, SCHEMES } from '../../src/plan/schemes.js';
import type { Answers, Scheme } from '../../src/types.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Roles every scheme accepts; the key administrator only where a test wants one. */
const answersFor = (scheme: Scheme, more: Partial<Answers> = {}): Answers => ({
  bucket: 'acme-contracts',
  region: 'eu-west-1',
  accountId: '111122223333',
  scheme,
  appRoles: ['contracts-app'],
  operatorRoles: ['platform-ops'],
  auditorRoles: ['security-audit'],
  keyAdminRoles: ['key-custodian'],
  ...more,
});
const warningsOf = (answers: Answers) => buildPlan(parseConfig(answers)).warnings;
const matching = (warnings: string[], pattern: RegExp) => warnings.filter((each) => pattern.test(each));

const KMS_SCHEMES = SCHEMES.filter((scheme) => SCHEME_TRAITS[scheme].usesKmsKey);
const KEYLESS_SCHEMES = SCHEMES.filter((scheme) => !SCHEME_TRAITS[scheme].usesKmsKey);

const DEFAULT_ENCRYPTION =
  /^Default encryption applies to objects written from now on; existing objects keep/;
const NO_APP_ROLE = /^No application role: nobody will be able to read or write objects until one is added/;
const EXISTING_KEY =
  /^An existing key is used as it is: its key policy and rotation are not changed\..*policies\/key-policy\.json/;
const KEY_ADMINS = /^Key administrators may change the key policy, and so could grant themselves Decrypt/;
const BUCKET_ADMINS = /^Administrators may change the bucket policy, and so could grant themselves reads/;
const NO_ADMIN =
  /^No administrator: only the root user may change the bucket's security settings.*--key-admin-role ROLE/;
const STRICT = /^Strict enforcement/;
const STRICT_KMS =
  /^Strict enforcement: every upload must send both encryption headers \(aws:kms and this key\); headerless clients .* will be refused/;
const STRICT_S3 =
  /^Strict enforcement: every upload must send x-amz-server-side-encryption: AES256; headerless clients .* will be refused/;
const DOTS =
  /^The bucket name contains dots: virtual-hosted HTTPS requests fail certificate checks; clients need path-style/;

describe('the plan warnings', () => {
  it('under sse-c, open with the three SSE-C warnings: key loss, the required headers, rotation', () => {
    const warnings = warningsOf(answersFor('sse-c', { keyAdminRoles: [] }));
    expect(warnings.slice(0, 3)).toEqual(SSE_C_WARNINGS);
    expect(SSE_C_WARNINGS[0]).toMatch(/LOSE THE KEY AND THE DATA IS GONE/);
    expect(SSE_C_WARNINGS[1]).toMatch(/every upload must send the SSE-C headers/);
    expect(SSE_C_WARNINGS[2]).toMatch(/SSE-C key rotation is yours/);
    expect(warnings[3]).toMatch(DEFAULT_ENCRYPTION);
    expect(matching(warnings, /^SSE-C/)).toHaveLength(3);
  });

  it('under every other scheme, say nothing of SSE-C and open with what default encryption leaves alone', () => {
    for (const scheme of SCHEMES.filter((each) => each !== 'sse-c')) {
      const warnings = warningsOf(answersFor(scheme));
      expect(warnings[0], scheme).toMatch(DEFAULT_ENCRYPTION);
      expect(matching(warnings, /SSE-C/), scheme).toEqual([]);
    }
  });

  it('say nobody can read or write without an application role, only for the schemes with a KMS key', () => {
    for (const scheme of KMS_SCHEMES) {
      expect(matching(warningsOf(answersFor(scheme, { appRoles: [] })), NO_APP_ROLE), scheme).toHaveLength(1);
      expect(matching(warningsOf(answersFor(scheme)), NO_APP_ROLE), scheme).toEqual([]);
    }
    for (const scheme of KEYLESS_SCHEMES) {
      const answers = answersFor(scheme, { appRoles: [], keyAdminRoles: [] });
      expect(matching(warningsOf(answers), /^No application role/), scheme).toEqual([]);
    }
  });

  it('say an existing key is used as it is, and its policy is for the user to apply; nothing for a new key', () => {
    expect(matching(warningsOf(answersFor('sse-kms', { existingKey: KEY_ARN })), EXISTING_KEY)).toHaveLength(
      1,
    );
    expect(
      matching(warningsOf(answersFor('client-kms', { existingKey: KEY_ARN })), EXISTING_KEY),
    ).toHaveLength(1);
    expect(matching(warningsOf(answersFor('sse-kms')), /existing key/)).toEqual([]);
    expect(matching(warningsOf(answersFor('sse-s3', { keyAdminRoles: [] })), /existing key/)).toEqual([]);
  });

  it('name the principal running apply that became a key administrator, and nobody otherwise', () => {
    const caller = 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1';
    const config = parseConfig(answersFor('sse-kms', { keyAdminRoles: ['key-custodian'], mode: 'apply' }));
    const withCaller = buildPlan(withCallerAsKeyAdmin(config, caller)).warnings;
    expect(matching(withCaller, /runs this apply/)).toEqual([
      `${caller} runs this apply, so it becomes a key administrator: the only principals besides the root user that may change the key policy and the bucket's security settings.`,
    ]);
    expect(matching(buildPlan(config).warnings, /runs this apply/)).toEqual([]);
  });

  it('warn that key administrators could grant themselves Decrypt, under a KMS key', () => {
    for (const scheme of KMS_SCHEMES) {
      const warnings = warningsOf(answersFor(scheme));
      expect(matching(warnings, KEY_ADMINS), scheme).toHaveLength(1);
      expect(matching(warnings, /Keep that role rare/), scheme).toHaveLength(1);
      expect(matching(warnings, /^No administrator/), scheme).toEqual([]);
    }
  });

  it('warn that administrators could grant themselves reads through the bucket policy, without a KMS key', () => {
    for (const scheme of KEYLESS_SCHEMES) {
      const warnings = warningsOf(answersFor(scheme));
      expect(matching(warnings, BUCKET_ADMINS), scheme).toHaveLength(1);
      expect(matching(warnings, /Keep that role rare/), scheme).toHaveLength(1);
      expect(matching(warnings, /key policy|Decrypt|^No administrator/), scheme).toEqual([]);
    }
  });

  it('without an administrator, say only the root user can change the settings, and how to name one', () => {
    for (const scheme of KEYLESS_SCHEMES) {
      const warnings = warningsOf(answersFor(scheme, { keyAdminRoles: [] }));
      expect(matching(warnings, NO_ADMIN), scheme).toHaveLength(1);
      expect(matching(warnings, /Keep that role rare/), scheme).toEqual([]);
    }
    // A KMS plan for apply may still lack one until apply adds its caller.
    const forApply = warningsOf(answersFor('sse-kms', { keyAdminRoles: [], mode: 'apply' }));
    expect(matching(forApply, NO_ADMIN)).toHaveLength(1);
    expect(matching(forApply, KEY_ADMINS)).toEqual([]);
  });

  it('under strict enforcement, say which headers every upload must send, per bucket layer', () => {
    for (const scheme of SCHEMES.filter((each) => each !== 'sse-c')) {
      const warnings = warningsOf(answersFor(scheme, { enforcement: 'strict' }));
      const expected = SCHEME_TRAITS[scheme].bucketLayer === 'sse-kms' ? STRICT_KMS : STRICT_S3;
      expect(matching(warnings, STRICT), scheme).toHaveLength(1);
      expect(matching(warnings, expected), scheme).toHaveLength(1);
      // strict is the default
      expect(matching(warningsOf(answersFor(scheme)), expected), scheme).toHaveLength(1);
    }
  });

  it('say nothing of strict enforcement when compatible, nor under sse-c (its own warnings say the headers)', () => {
    for (const scheme of SCHEMES.filter((each) => each !== 'sse-c')) {
      const warnings = warningsOf(answersFor(scheme, { enforcement: 'compatible' }));
      expect(matching(warnings, /Strict enforcement|refused/), scheme).toEqual([]);
    }
    const sseC = warningsOf(answersFor('sse-c', { keyAdminRoles: [], enforcement: 'strict' }));
    expect(matching(sseC, STRICT)).toEqual([]);
  });

  it('tell a bucket name with dots to use path-style, and say nothing of it otherwise', () => {
    expect(matching(warningsOf(answersFor('sse-kms', { bucket: 'acme.contracts' })), DOTS)).toHaveLength(1);
    expect(matching(warningsOf(answersFor('sse-kms')), /dots|path-style/)).toEqual([]);
  });

  it('are all sentences: none of them empty', () => {
    const warnings = [
      ...warningsOf(answersFor('sse-c', { keyAdminRoles: [], bucket: 'acme.contracts' })),
      ...warningsOf(answersFor('sse-kms', { existingKey: KEY_ARN, appRoles: [], bucket: 'acme.contracts' })),
      ...warningsOf(answersFor('sse-s3', { keyAdminRoles: [] })),
    ];
    for (const warning of warnings) expect(warning.length).toBeGreaterThan(40);
  });
});
