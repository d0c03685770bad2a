import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { resolveKeyArn } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/types.js';
import { clientKmsPlan } from './client-kms-plan.js';
import {
  ACCOUNT,
  BUCKET,
  type Context,
  KEY_ARN,
  KMS_STAR,
  kmsRequest,
  REGION,
  ROLE_NAMES,
  viaS3,
  type Who,
} from './simulate.js';

/*
 * client-kms, the key side: the application roles call KMS themselves (the Encryption SDK's
 * KMS keyring) for GenerateDataKey and Decrypt, only under this bucket's encryption context;
 * nobody else ever gets plaintext, whatever kms:* they hold. Each context entry is flipped
 * alone from a request that is allowed, so a misspelt condition key cannot pass.
 */
const documents = (existing: boolean): Plan['documents'] => {
  const plan = clientKmsPlan(
    parseConfig({
      bucket: BUCKET,
      region: REGION,
      accountId: ACCOUNT,
      scheme: 'client-kms',
      ...(existing ? { existingKey: KEY_ARN } : {}),
      appRoles: [ROLE_NAMES.app],
      operatorRoles: [ROLE_NAMES.operator],
      auditorRoles: [ROLE_NAMES.auditor],
      keyAdminRoles: [ROLE_NAMES.keyAdmin],
      reencryptRoles: [ROLE_NAMES.reencrypt],
    }),
  );
  return existing ? plan.documents : resolveKeyArn(plan.documents, KEY_ARN);
};

const OBJECT_KEY = 'reports/2024.csv';
const PUBLIC_KEY = 'A8q3c1m2n0bXJ5ZXMgYXJlIG5vdCByZWFsIGhlcmU=';
/** What KMS receives from the Encryption SDK: the three entries, and the list of their names. */
const sdkContext = (entries: Record<string, string>): Context =>
  ({
    ...Object.fromEntries(
      Object.entries(entries).map(([name, value]) => [`kms:EncryptionContext:${name}`, value]),
    ),
    'kms:EncryptionContextKeys': Object.keys(entries),
  }) as unknown as Context;
const GOOD = { bucket: BUCKET, 'object-key': OBJECT_KEY, 'aws-crypto-public-key': PUBLIC_KEY };
const DATA_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

describe.each([
  { label: 'new key', existing: false },
  { label: 'existing key', existing: true },
])('client-kms, $label', ({ existing }) => {
  const docs = () => documents(existing);

  it.each(DATA_KEY_ACTIONS)(
    'the app role may call %s directly with the bucket and object key as context',
    async (action) => {
      expect(await kmsRequest(docs(), 'app', action, sdkContext(GOOD))).toBe('Allowed');
      // The SDK's signing entry is optional: a non-signing suite leaves it out.
      const { 'aws-crypto-public-key': _signing, ...unsigned } = GOOD;
      expect(await kmsRequest(docs(), 'app', action, sdkContext(unsigned))).toBe('Allowed');
    },
  );

  const flips: { name: string; context: Context }[] = [
    { name: 'without any encryption context', context: {} },
    { name: "with another bucket's name", context: sdkContext({ ...GOOD, bucket: `${BUCKET}-other` }) },
    { name: 'without the bucket', context: sdkContext({ 'object-key': OBJECT_KEY }) },
    { name: 'without the object key', context: sdkContext({ bucket: BUCKET }) },
    { name: 'with another context entry', context: sdkContext({ ...GOOD, purpose: 'export' }) },
  ];
  const cases = DATA_KEY_ACTIONS.flatMap((action) => flips.map((flip) => ({ action, ...flip })));
  it.each(cases)('the app role may not call $action directly $name', async ({ action, context }) => {
    expect(await kmsRequest(docs(), 'app', action, context)).toBe('ExplicitlyDenied');
    // Explicit: even kms:* in IAM does not lift it.
    expect(await kmsRequest(docs(), 'app', action, context, [KMS_STAR])).toBe('ExplicitlyDenied');
  });

  it.each([
    'kms:Encrypt',
    'kms:GenerateDataKeyWithoutPlaintext',
    'kms:ReEncryptFrom',
    'kms:GenerateDataKeyPair',
  ])('the app role may not call %s directly, even with the right context', async (action) => {
    expect(await kmsRequest(docs(), 'app', action, sdkContext(GOOD), [KMS_STAR])).toBe('ExplicitlyDenied');
  });

  it.each(DATA_KEY_ACTIONS)(
    'the app role still uses the key through S3 (the bucket layer): %s',
    async (action) => {
      expect(await kmsRequest(docs(), 'app', action, viaS3())).toBe('Allowed');
    },
  );

  const others: Who[] = ['operator', 'auditor', 'keyAdmin', 'reencrypt', 'admin', 'poweruser', 'root'];
  const neverPlaintext = others.flatMap((who) => DATA_KEY_ACTIONS.map((action) => ({ who, action })));
  it.each(neverPlaintext)(
    'the operator never reads plaintext: $who may not $action, even with the right context and kms:*',
    async ({ who, action }) => {
      expect(await kmsRequest(docs(), who, action, sdkContext(GOOD), [KMS_STAR])).toBe('ExplicitlyDenied');
    },
  );

  it('the app identity policy asks for the same context', () => {
    const statement = docs().rolePolicies.app?.Statement.find((each) => each.Sid === 'ClientSideDataKeys');
    expect(statement?.Condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:bucket': BUCKET },
      Null: { 'kms:EncryptionContext:object-key': 'false' },
      'ForAllValues:StringEquals': {
        'kms:EncryptionContextKeys': ['bucket', 'object-key', 'aws-crypto-public-key'],
      },
    });
  });
});

describe('the sse-kms key policy is unchanged by the client-kms branches', () => {
  it('sse-kms refuses the direct call client-kms allows', async () => {
    const { documentsFor } = await import('./simulate.js');
    const docs = documentsFor({ label: 'sse-kms', scheme: 'sse-kms', enforcement: 'strict', key: 'new' });
    expect(await kmsRequest(docs, 'app', 'kms:Decrypt', sdkContext(GOOD))).toBe('ExplicitlyDenied');
  });
});
