import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUILT_BIN } from './support/built-cli.js';
import { useMotoCli } from './support/moto-cli.js';

/*
 * The scan and reencrypt commands of the built CLI against moto: flags, confirmation, exit
 * codes and the account state afterwards. The engines are proven in test/scan and
 * test/reencrypt (resume, multipart, UpdateObjectEncryption through aws-sdk-client-mock).
 */

const BUCKET = 'acme-archive';
const session = useMotoCli('ceb-reencrypt-cli-');
const { moto, aws, cli } = session;
let keyArn: string;

const TARGET = () => ['--bucket', BUCKET, '--region', 'eu-west-1', '--key', keyArn];

function encryptionOf(key: string): string {
  const head = aws('s3api', 'head-object', '--bucket', BUCKET, '--key', key);
  return `${head.ServerSideEncryption ?? 'none'} ${head.SSEKMSKeyId ?? ''}`.trim();
}

beforeEach(async () => {
  keyArn = aws('kms', 'create-key').KeyMetadata.Arn;
  aws(
    's3api',
    'create-bucket',
    '--bucket',
    BUCKET,
    '--create-bucket-configuration',
    'LocationConstraint=eu-west-1',
  );
  const body = join(session.home, 'body.txt');
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
    const dry = cli('reencrypt', ...TARGET(), '--dry-run', '--checkpoint', join(session.home, 'dry.json'));
    expect(dry.code).toBe(0);
    expect(encryptionOf('plain.txt')).not.toContain(keyArn);

    const run = cli(
      'reencrypt',
      ...TARGET(),
      '--yes',
      '--json',
      '--checkpoint',
      join(session.home, 'run.json'),
    );
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

describe('reencrypt and Ctrl-C', () => {
  it('SIGINT stops cleanly with exit 130 and saved progress; the same command then finishes', async () => {
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const keys = Array.from({ length: 400 }, (_, index) => `bulk/${String(index).padStart(4, '0')}.txt`);
    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(
        keys
          .slice(start, start + 50)
          .map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'x' }))),
      );
    }
    s3.destroy();
    const checkpoint = join(session.home, 'progress.json');
    const args = [
      BUILT_BIN,
      'reencrypt',
      ...TARGET(),
      '--yes',
      '--concurrency',
      '4',
      '--checkpoint',
      checkpoint,
    ];
    // spawn, not spawnSync: moto's log is read on this event loop and must keep flowing.
    const child = spawn('node', args, { cwd: session.home, env: session.env(), stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(checkpoint)).toBe(true);

    const again = spawn('node', args, { cwd: session.home, env: session.env(), stdio: 'ignore' });
    expect(await new Promise((resolve) => again.once('exit', resolve))).toBe(0);
    expect(existsSync(checkpoint)).toBe(false);
    for (const key of [keys[0] as string, keys[399] as string, 'plain.txt']) {
      expect(encryptionOf(key)).toBe(`aws:kms ${keyArn}`);
    }
  });
});
