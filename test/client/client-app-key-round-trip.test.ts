import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Clients, clientsAs, createRoles } from '../standin/accounts.js';
import type { Credentials } from '../standin/standin.js';
import { useStandIn } from '../standin/use-standin.js';
import { BUCKET, clientPlan, ROLES, renderClient, runClient, setUp } from './support.js';
import { itRefusesTampering } from './tampering.js';

/*
 * client-app-key end to end: the rendered client/ module with a raw AES keyring and a master
 * key only the application holds, run as the application role through the stand-in. The bucket
 * layer is sse-s3's, set up from the Plan's documents by the administrator.
 */
const standIn = useStandIn();
const PLAINTEXT = 'payroll 2026-03: 88 employees\n';
const OBJECT = 'payroll/2026/03.csv';
const SUITE_COMMIT_KEY_ECDSA_P384 = 0x0578;

let dir = '';
let keyFile = '';
let app: Credentials;
let appClients: Clients;

/** A master key as --generate-master-key writes it: 32 random bytes, base64, outside client/. */
const newKeyFile = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ceb-master-')), 'master.key');
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return file;
};

beforeAll(async () => {
  dir = await renderClient(clientPlan('client-app-key'));
  keyFile = newKeyFile();
});

beforeEach(async () => {
  await createRoles(standIn, [
    { name: ROLES.app },
    { name: ROLES.operator, managed: ['AmazonS3FullAccess'] },
    { name: ROLES.auditor },
  ]);
  expect(await setUp(standIn, clientPlan('client-app-key'))).toBeUndefined();
  app = await standIn.assumeRole(ROLES.app);
  appClients = await clientsAs(standIn, app);
  writeFileSync(join(dir, 'plain.csv'), PLAINTEXT);
});

const asApp = (args: string[], env: Record<string, string> = { APP_MASTER_KEY_FILE: keyFile }) =>
  runClient(standIn, dir, args, app, env);
const stored = async (key: string) => {
  const answer = await appClients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(
    await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
};
const putAsApp = (key: string, body: Buffer) =>
  appClients.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ServerSideEncryption: 'AES256' }),
  );
const upload = async () => {
  const run = await asApp(['encrypt-and-upload', 'plain.csv', OBJECT]);
  expect(run.code, run.stderr).toBe(0);
};

describe('client-app-key: the rendered module as the application role', () => {
  it('round trip; S3 holds an Encryption SDK message under SSE-S3; the key also comes from APP_MASTER_KEY', async () => {
    await upload();
    const back = await asApp(['download-and-decrypt', OBJECT, 'back.csv']);
    expect(back.code, back.stderr).toBe(0);
    expect(readFileSync(join(dir, 'back.csv'), 'utf8')).toBe(PLAINTEXT);
    const fromEnv = await asApp(['download-and-decrypt', OBJECT], {
      APP_MASTER_KEY: readFileSync(keyFile, 'utf8').trim(),
    });
    expect(fromEnv.stdout).toBe(PLAINTEXT);

    const bytes = await stored(OBJECT);
    expect(bytes.includes(Buffer.from('88 employees'))).toBe(false);
    expect(bytes[0]).toBe(0x02);
    expect(bytes.readUInt16BE(1)).toBe(SUITE_COMMIT_KEY_ECDSA_P384);
    const head = await appClients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: OBJECT }));
    expect(head.ServerSideEncryption).toBe('AES256');
    // No KMS anywhere.
    expect(standIn.decisions.filter((each) => each.action.startsWith('kms:'))).toEqual([]);
  });

  it('the raw keyring with the wrong key fails, and so does no key at all', async () => {
    await upload();
    const wrong = await asApp(['download-and-decrypt', OBJECT], { APP_MASTER_KEY_FILE: newKeyFile() });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    const none = await asApp(['download-and-decrypt', OBJECT], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('set APP_MASTER_KEY_FILE');
  });

  itRefusesTampering({ object: OBJECT, movedTo: 'payroll/2026/04.csv', upload, stored, putAsApp, asApp });

  it('the operator reads the ciphertext (SSE-S3 separates nothing) but, without the master key, never the plaintext', async () => {
    await upload();
    const operator = await standIn.assumeRole(ROLES.operator);
    const run = await runClient(standIn, dir, ['download-and-decrypt', OBJECT], operator, {
      APP_MASTER_KEY_FILE: newKeyFile(),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('AccessDenied');
  });
});
