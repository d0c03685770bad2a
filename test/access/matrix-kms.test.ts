import { describe, expect, it } from 'vitest';
import {
  BUCKET_ARN,
  documentsFor,
  KMS_STAR,
  KMS_VARIANTS,
  kmsRequest,
  S3_CONTEXT,
  S3_VIA,
  type Variant,
  VIA_SERVICE,
  viaS3,
  type Who,
} from './simulate.js';

/*
 * DESIGN.md access matrix, the key side. (1) The app role's key use depends on two condition
 * keys; each is flipped alone, so a misspelling in the policy or in the test cannot pass.
 * (2) "must never" swept over every KMS action, for roles that also hold kms:* on *.
 */

const OTHER_BUCKET = `${BUCKET_ARN}-other`;
/** Flipped alone from a request via S3 for this bucket; `bad` undefined means the key is absent. */
const KMS_PAIRS: { name: string; key: string; good: string; bad?: string }[] = [
  { name: 'called directly, not through S3', key: VIA_SERVICE, good: S3_VIA },
  { name: 'through another service', key: VIA_SERVICE, good: S3_VIA, bad: 'ec2.eu-west-1.amazonaws.com' },
  { name: 'through S3 of another region', key: VIA_SERVICE, good: S3_VIA, bad: 's3.us-east-1.amazonaws.com' },
  { name: 'without an S3 encryption context', key: S3_CONTEXT, good: BUCKET_ARN },
  { name: "with another bucket's context", key: S3_CONTEXT, good: BUCKET_ARN, bad: OTHER_BUCKET },
  {
    name: "for a look-alike bucket's object",
    key: S3_CONTEXT,
    good: `${BUCKET_ARN}/x`,
    bad: `${OTHER_BUCKET}/x`,
  },
];

describe.each(KMS_VARIANTS)('app role uses the key only through S3, for this bucket, $label', (variant) => {
  const documents = () => documentsFor(variant);
  const actions = ['kms:Decrypt', 'kms:GenerateDataKey'];
  const cases = actions.flatMap((action) => KMS_PAIRS.map((pair) => ({ action, ...pair })));
  it.each(cases)('$action $name', async ({ action, key, good, bad }) => {
    const { [key]: _flipped, ...rest } = viaS3();
    expect(await kmsRequest(documents(), 'app', action, { ...rest, [key]: good })).toBe('Allowed');
    const flipped = bad === undefined ? rest : { ...rest, [key]: bad };
    // Outside S3 is denied explicitly (DenyKeyUsageOutsideS3); another bucket finds no Allow.
    const expected = key === VIA_SERVICE ? 'ExplicitlyDenied' : 'ImplicitlyDenied';
    expect(await kmsRequest(documents(), 'app', action, flipped)).toBe(expected);
  });
});

/** KMS actions on a key that write, grant or tag (Service Authorization Reference). */
const KEY_WRITE_ACTIONS = [
  ...['CancelKeyDeletion', 'CreateAlias', 'CreateGrant', 'DeleteAlias', 'DeleteImportedKeyMaterial'],
  ...['DisableKey', 'DisableKeyRotation', 'EnableKey', 'EnableKeyRotation', 'ImportKeyMaterial'],
  ...['PutKeyPolicy', 'ReplicateKey', 'RetireGrant', 'RevokeGrant', 'RotateKeyOnDemand'],
  ...['ScheduleKeyDeletion', 'SynchronizeMultiRegionKey', 'TagResource', 'UntagResource'],
  ...['UpdateAlias', 'UpdateKeyDescription', 'UpdatePrimaryRegion'],
].map((action) => `kms:${action}`);
/** KMS actions that turn a key into plaintext or ciphertext. */
const KEY_USAGE_ACTIONS = [
  ...['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair'],
  ...['GenerateDataKeyPairWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'DeriveSharedSecret'],
].map((action) => `kms:${action}`);

describe.each(KMS_VARIANTS.filter((variant) => variant.key === 'new'))(
  'no key changes, no key use, whatever kms:* a role also holds, $label',
  (variant: Variant) => {
    const documents = () => documentsFor(variant);
    const cases = (whos: Who[], actions: string[]) =>
      whos.flatMap((who) => actions.map((action) => ({ who, action })));
    it.each(cases(['app', 'operator', 'auditor'], KEY_WRITE_ACTIONS))(
      '$who may not $action',
      async (each) => {
        expect(await kmsRequest(documents(), each.who, each.action, {}, [KMS_STAR])).toMatch(/Denied$/);
      },
    );
    it.each(cases(['operator', 'auditor', 'keyAdmin', 'admin'], KEY_USAGE_ACTIONS))(
      '$who may not $action',
      async (each) => {
        expect(await kmsRequest(documents(), each.who, each.action, {}, [KMS_STAR])).toMatch(/Denied$/);
      },
    );
    it.each(['operator', 'auditor', 'keyAdmin', 'admin'] as Who[])(
      '%s may not Decrypt even via S3',
      async (who) => {
        expect(await kmsRequest(documents(), who, 'kms:Decrypt', viaS3(), [KMS_STAR])).toMatch(/Denied$/);
      },
    );
  },
);
