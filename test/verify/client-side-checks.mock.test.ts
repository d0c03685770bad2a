/*
 * Layer: aws-sdk-client-mock. client-side-checks.ts's logic: the exact KMS requests it sends
 * for client-kms, what counts as KMS's refusal (AccessDeniedException, HTTP 400 only), that a
 * refusal proves nothing when the allowed call failed too, and the not-run rows. The stand-in
 * tests (test/client/client-verify.test.ts) prove the same against the key policy itself.
 */
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { CLIENT_APP_KEY_CHECK, CLIENT_APP_KEY_ROUND_TRIP } from '../../src/verify/check-definitions.js';
import { clientSideChecks, clientSideNotRun } from '../../src/verify/client-side-checks.js';
import type { VerifyTarget } from '../../src/verify/verify-target.js';
import { serviceError } from './fakes.js';

const REGION = 'eu-west-1';
const KEY_ARN = `arn:aws:kms:${REGION}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TARGET: VerifyTarget = { bucket: 'acme-data', region: REGION, scheme: 'client-kms', keyArn: KEY_ARN };
const OBJECT = '.create-encrypted-bucket/verify-x';
const OWN = { bucket: 'acme-data', 'object-key': OBJECT };
const BLOB = new Uint8Array([1, 2, 3]);
const DATA_KEY = new Uint8Array(32).fill(7);
const denied = () =>
  serviceError('AccessDeniedException', 400, 'not authorized to perform: kms:GenerateDataKey');

const kms = mockClient(KMSClient);
let clients: AwsClients;
beforeEach(() => {
  kms.reset();
  clients = createClients({ region: REGION });
});
afterEach(() => clients.destroy());

/** KMS as the key policy answers: only this bucket's exact context. */
function policyLikeKms() {
  const matches = (context: unknown) => JSON.stringify(context) === JSON.stringify(OWN);
  kms.on(GenerateDataKeyCommand).callsFake((input) => {
    if (!matches(input.EncryptionContext)) throw denied();
    return { CiphertextBlob: BLOB, Plaintext: DATA_KEY, KeyId: KEY_ARN };
  });
  kms.on(DecryptCommand).callsFake((input) => {
    if (!matches(input.EncryptionContext)) throw denied();
    return { Plaintext: DATA_KEY, KeyId: KEY_ARN };
  });
}

describe('client-kms', () => {
  it('sends exactly these requests, and every check passes against a key policy that holds', async () => {
    policyLikeKms();
    const rows = await clientSideChecks(TARGET, clients, OBJECT);
    expect(rows.filter((row) => !row.ok)).toEqual([]);
    expect(rows).toHaveLength(6);
    const generates = kms.commandCalls(GenerateDataKeyCommand).map((call) => call.args[0].input);
    expect(generates).toEqual([
      { KeyId: KEY_ARN, KeySpec: 'AES_256', EncryptionContext: OWN },
      { KeyId: KEY_ARN, KeySpec: 'AES_256' },
      { KeyId: KEY_ARN, KeySpec: 'AES_256', EncryptionContext: { ...OWN, bucket: 'acme-data-other' } },
      {
        KeyId: KEY_ARN,
        KeySpec: 'AES_256',
        EncryptionContext: { ...OWN, purpose: 'create-encrypted-bucket-verify' },
      },
    ]);
    const decrypts = kms.commandCalls(DecryptCommand).map((call) => call.args[0].input);
    expect(decrypts).toEqual([
      { KeyId: KEY_ARN, CiphertextBlob: BLOB, EncryptionContext: OWN },
      { KeyId: KEY_ARN, CiphertextBlob: BLOB },
    ]);
  });

  it('a call that succeeds without the context fails its check', async () => {
    kms.on(GenerateDataKeyCommand).resolves({ CiphertextBlob: BLOB, Plaintext: DATA_KEY });
    kms.on(DecryptCommand).resolves({ Plaintext: DATA_KEY });
    const rows = await clientSideChecks(TARGET, clients, OBJECT);
    expect(rows.map((row) => [row.check, row.ok])).toEqual([
      ["GenerateDataKey with this bucket's context allowed", true],
      ['GenerateDataKey without a context refused', false],
      ["GenerateDataKey with another bucket's context refused", false],
      ['GenerateDataKey with an extra context entry refused', false],
      ['Decrypt of that data key with the context allowed', true],
      ['Decrypt without the context refused', false],
    ]);
  });

  it('only AccessDeniedException with HTTP 400 is a refusal: InvalidCiphertext is not', async () => {
    policyLikeKms();
    kms.on(DecryptCommand).callsFake((input) => {
      if (!input.EncryptionContext) throw serviceError('InvalidCiphertextException', 400, 'context mismatch');
      return { Plaintext: DATA_KEY };
    });
    const rows = await clientSideChecks(TARGET, clients, OBJECT);
    const without = rows.find((row) => row.check === 'Decrypt without the context refused');
    expect(without).toMatchObject({ ok: false });
    expect(without?.detail).toMatch(/^not a refusal \(only AccessDeniedException, HTTP 400 counts\)/);
  });

  it('refused everywhere (the operator): the allowed call fails and the refusals prove nothing', async () => {
    kms.on(GenerateDataKeyCommand).rejects(denied());
    const rows = await clientSideChecks(TARGET, clients, OBJECT);
    expect(rows.every((row) => !row.ok)).toBe(true);
    expect(rows[1]?.detail).toMatch(/so this proves nothing$/);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(0);
  });

  it('from the administrator seat without an application role: not run, with the command', () => {
    const rows = clientSideNotRun(TARGET, 'create-encrypted-bucket verify --verify-role app');
    expect(rows).toHaveLength(6);
    expect(rows.every((row) => row.ok && row.notRun && row.detail.endsWith('--verify-role app'))).toBe(true);
  });
});

describe('client-app-key', () => {
  it('one not-run row naming client/README.md and the round trip; no KMS call', async () => {
    const rows = await clientSideChecks(
      { bucket: 'acme-data', region: REGION, scheme: 'client-app-key' },
      clients,
      OBJECT,
    );
    expect(rows).toEqual([
      {
        check: CLIENT_APP_KEY_CHECK,
        ok: true,
        notRun: true,
        detail: expect.stringContaining(CLIENT_APP_KEY_ROUND_TRIP),
      },
    ]);
    expect(rows[0]?.detail).toContain('client/README.md');
    expect(kms.calls()).toHaveLength(0);
  });
});
