import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Moto, startMoto } from '../helpers/moto.js';
import { BUILT_BIN, ensureBuilt, runProgram, strangerEnv } from './support/built-cli.js';

/*
 * The scan and reencrypt commands of the built CLI against moto: flags, confirmation, exit
 * codes and the account state afterwards. The engines are proven in test/scan and
 * test/reencrypt (resume, multipart, UpdateObjectEncryption through aws-sdk-client-mock).
 */

const BUCKET = 'acme-archive';
let moto: Moto;
let home: string;
let keyArn: string;

function aws(...args: string[]) {
  const result = runProgram('aws', [...args, '--region', 'eu-west-1', '--output', 'json'], {
    cwd: home,
    env: strangerEnv(home, moto.env),
  });
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
}

function cli(...args: string[]) {
  return runProgram('node', [BUILT_BIN, ...args], { cwd: home, env: strangerEnv(home, moto.env) });
}

const TARGET = () => ['--bucket', BUCKET, '--region', 'eu-west-1', '--key', keyArn];

function encryptionOf(key: string): string {
  const head = aws('s3api', 'head-object', '--bucket', BUCKET, '--key', key);
  return `${head.ServerSideEncryption ?? 'none'} ${head.SSEKMSKeyId ?? ''}`.trim();
}

beforeAll(async () => {
  ensureBuilt();
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  home = mkdtempSync(join(tmpdir(), 'ceb-reencrypt-cli-'));
  keyArn = aws('kms', 'create-key').KeyMetadata.Arn;
  aws(
    's3api',
    'create-bucket',
    '--bucket',
    BUCKET,
    '--create-bucket-configuration',
    'LocationConstraint=eu-west-1',
  );
  const body = join(home, 'body.txt');
  writeFileSync(body, 'contract text');
  aws('s3api', 'put-object', '--bucket', BUCKET, '--key', 'plain.txt', '--body', body);
  aws(
    's3api',
    'put-object',
    '--bucket',
    BUCKET,
    '--key',
    'sse-s3.txt',
    '--body',
    body,
    '--server-side-encryption',
    'AES256',
  );
  aws(
    's3api',
    'put-object',
    '--bucket',
    BUCKET,
    '--key',
    'right.txt',
    '--body',
    body,
    '--server-side-encryption',
    'aws:kms',
    '--ssekms-key-id',
    keyArn,
  );
});

describe('scan and reencrypt commands against moto', () => {
  it('scan counts the objects by encryption and exits 0', () => {
    const run = cli('scan', ...TARGET(), '--full', '--json');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.sampled).toBe(false);
    expect(JSON.stringify(report.classes)).toContain('right.txt');
  });

  it('reencrypt without a terminal and without --yes refuses with exit 2 and changes nothing', () => {
    const run = cli('reencrypt', ...TARGET());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--yes');
    expect(encryptionOf('plain.txt')).not.toContain(keyArn);
  });

  it('reencrypt --dry-run changes nothing; --yes puts every object on the key', () => {
    const dry = cli('reencrypt', ...TARGET(), '--dry-run', '--checkpoint', join(home, 'dry.json'));
    expect(dry.code).toBe(0);
    expect(encryptionOf('plain.txt')).not.toContain(keyArn);

    const run = cli('reencrypt', ...TARGET(), '--yes', '--json', '--checkpoint', join(home, 'run.json'));
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.status).toBe('complete');
    expect(report.done.count).toBe(2);
    for (const key of ['plain.txt', 'sse-s3.txt', 'right.txt'])
      expect(encryptionOf(key)).toBe(`aws:kms ${keyArn}`);
  });

  it('a bad --concurrency or a key in another region is a usage error before any AWS call', () => {
    const bad = cli('reencrypt', ...TARGET(), '--concurrency', 'lots', '--yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--concurrency');
    const elsewhere = cli('scan', '--bucket', BUCKET, '--region', 'us-east-1', '--key', keyArn);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('--key');
  });
});
