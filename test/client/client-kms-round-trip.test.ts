import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/types.js';
import { type Clients, clientsAs, createRoles, refusalOf } from '../standin/accounts.js';
import type { Credentials } from '../standin/standin.js';
import { useStandIn } from '../standin/use-standin.js';
import { BUCKET, clientPlan, ROLES, renderClient, runClient, setUp } from './support.js';
import { itRefusesTampering } from './tampering.js';

/*
 * client-kms end to end: the rendered client/ module, run as a command and as a library by the
 * application role through the stand-in (moto's KMS does GenerateDataKey and Decrypt; the
 * stand-in decides each call on the key policy, with the encryption context as condition keys).
 * The bucket and key are set up from the Plan's own documents, by the administrator.
 */
const standIn = useStandIn();
const KMS_STAR: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllKms', Effect: 'Allow', Action: 'kms:*', Resource: '*' }],
};
const PLAINTEXT = 'ledger 2026: 1,204,332.18 EUR\n';
const OBJECT = 'ledgers/2026/q1.csv';
/** The Encryption SDK message format: version 2, then the default committing, signing suite. */
const MESSAGE_VERSION = 0x02;
const SUITE_COMMIT_KEY_ECDSA_P384 = 0x0578;

let dir = '';
let keyArn = '';
let app: Credentials;
let appClients: Clients;

beforeAll(async () => {
  dir = await renderClient(clientPlan('client-kms'));
});

beforeEach(async () => {
  await createRoles(standIn, [
    { name: ROLES.app },
    // The threat model: an operator may hold far more than its own policy in IAM.
    { name: ROLES.operator, managed: ['AmazonS3FullAccess'], inline: KMS_STAR },
    { name: ROLES.auditor },
  ]);
  keyArn = (await setUp(standIn, clientPlan('client-kms'))) ?? '';
  expect(keyArn).toMatch(/^arn:aws:kms:eu-west-1:\d{12}:key\//);
  app = await standIn.assumeRole(ROLES.app);
  appClients = await clientsAs(standIn, app);
  writeFileSync(join(dir, 'plain.csv'), PLAINTEXT);
});

const asApp = (args: string[]) => runClient(standIn, dir, args, app, { KMS_KEY_ARN: keyArn });
const stored = async (key: string) => {
  const answer = await appClients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(
    await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
};
/** Puts bytes as the application would, with the bucket layer's headers. */
const putAsApp = (key: string, body: Buffer) =>
  appClients.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      Body: body,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
    }),
  );
const upload = async () => {
  const run = await asApp(['encrypt-and-upload', 'plain.csv', OBJECT]);
  expect(run.code, run.stderr).toBe(0);
};

describe('client-kms: the rendered module as the application role', () => {
  it('encrypts, uploads, downloads and decrypts; S3 holds an Encryption SDK message under the bucket layer', async () => {
    await upload();
    const back = await asApp(['download-and-decrypt', OBJECT, 'back.csv']);
    expect(back.code, back.stderr).toBe(0);
    expect(readFileSync(join(dir, 'back.csv'), 'utf8')).toBe(PLAINTEXT);

    const bytes = await stored(OBJECT);
    expect(bytes.includes(Buffer.from('1,204,332.18'))).toBe(false);
    expect(bytes[0]).toBe(MESSAGE_VERSION);
    expect(bytes.readUInt16BE(1)).toBe(SUITE_COMMIT_KEY_ECDSA_P384);
    const head = await appClients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: OBJECT }));
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId }).toEqual({
      sse: 'aws:kms',
      key: keyArn,
    });
    // KMS was asked directly, with the bucket and object key as encryption context.
    const direct = standIn.decisions
      .filter(
        (each) =>
          each.action === 'kms:GenerateDataKey' && each.request.context['kms:ViaService'] === undefined,
      )
      .map((each) => [each.verdict, each.request.context['kms:EncryptionContext:object-key']]);
    expect(direct).toEqual([['Allowed', OBJECT]]);
  });

  it('works as a library: encryptObject and decryptObject', async () => {
    const code = `import { encryptObject, decryptObject } from './client.mjs';
const message = await encryptObject(Buffer.from('as a library'), 'lib/x');
process.stdout.write((await decryptObject(message, 'lib/x')).toString());`;
    const run = await asApp(['--input-type=module', '-e', code]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('as a library');
  });

  itRefusesTampering({ object: OBJECT, movedTo: 'ledgers/2026/q2.csv', upload, stored, putAsApp, asApp });

  it("the operator's Decrypt fails: no download (the bucket layer), and no decryption of the ciphertext either", async () => {
    await upload();
    const operator = await standIn.assumeRole(ROLES.operator);
    const download = await runClient(standIn, dir, ['download-and-decrypt', OBJECT], operator, {
      KMS_KEY_ARN: keyArn,
    });
    expect(download.code).toBe(1);
    expect(download.stderr).toContain('AccessDenied');

    // Handed the ciphertext anyway, it cannot get the data key out of KMS.
    writeFileSync(join(dir, 'stolen.bin'), await stored(OBJECT));
    const code = `import { readFileSync } from 'node:fs';
import { decryptObject } from './client.mjs';
await decryptObject(readFileSync('stolen.bin'), ${JSON.stringify(OBJECT)});`;
    const decrypt = await runClient(standIn, dir, ['--input-type=module', '-e', code], operator, {
      KMS_KEY_ARN: keyArn,
    });
    expect(decrypt.code).not.toBe(0);
    expect(decrypt.stderr).toMatch(/kms:Decrypt on resource: arn:aws:kms:[^ ]+ with an explicit deny/);
  });
});

describe('client-kms: the key policy asks for the encryption context of direct calls', () => {
  const context = (objectKey: string, bucket = BUCKET) => ({ bucket, 'object-key': objectKey });

  it('GenerateDataKey directly: with the context allowed, without it or for another bucket refused', async () => {
    const { kms } = appClients;
    const generate = (EncryptionContext?: Record<string, string>) =>
      kms.send(
        new GenerateDataKeyCommand({
          KeyId: keyArn,
          KeySpec: 'AES_256',
          ...(EncryptionContext ? { EncryptionContext } : {}),
        }),
      );
    expect((await generate(context('a/b'))).CiphertextBlob).toBeDefined();
    for (const wrong of [
      undefined,
      context('a/b', `${BUCKET}-other`),
      { bucket: BUCKET },
      { ...context('a/b'), extra: 'x' },
    ]) {
      const refused = await refusalOf(generate(wrong));
      expect(refused.name, JSON.stringify(wrong)).toBe('AccessDeniedException');
    }
  });

  it('Decrypt directly: refused without the context and with a wrong one', async () => {
    const { kms } = appClients;
    const made = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: context('a/b') }),
    );
    const decrypt = (EncryptionContext?: Record<string, string>) =>
      kms.send(
        new DecryptCommand({
          KeyId: keyArn,
          CiphertextBlob: made.CiphertextBlob,
          ...(EncryptionContext ? { EncryptionContext } : {}),
        }),
      );
    expect((await decrypt(context('a/b'))).Plaintext).toEqual(made.Plaintext);
    const without = await refusalOf(decrypt());
    expect(without.name).toBe('AccessDeniedException');
    const otherBucket = await refusalOf(decrypt(context('a/b', `${BUCKET}-other`)));
    expect(otherBucket.name).toBe('AccessDeniedException');
    // Right bucket, another object: the policy allows asking, KMS refuses the mismatched context.
    const otherObject = await refusalOf(decrypt(context('a/c')));
    expect(otherObject.name).toBe('InvalidCiphertextException');
  });
});
