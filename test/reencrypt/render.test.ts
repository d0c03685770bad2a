/*
 * reencrypt.sh and batch-operations/: rendered from the real templates, linted with
 * shellcheck and `bash -n`, and reencrypt.sh run for real with the aws CLI against moto.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateJobCommandInput } from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, expect, describe as group, it, vi } from 'vitest';
import { type AwsClients, createClients } from '../../src/aws/clients.js';
import { readTemplates } from '../../src/output/read-templates.js';
import { renderReencryptFiles, renderReencryptReadmeSection } from '../../src/render/reencrypt/index.js';
import { KEY_ARN_PLACEHOLDER, type RenderedFile } from '../../src/types.js';
import { type Moto, requireCommand, startMoto } from '../helpers/moto.js';
import { createBucket, createKey, describe, seed } from './fixtures.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const INPUT = {
  bucket: 'acme-data',
  region: 'eu-west-1',
  accountId: '111122223333',
  partition: 'aws',
  keyArn: KEY_ARN,
} as const;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ceb-render-reencrypt-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeOut(files: RenderedFile[], folder: string): string {
  const root = join(scratch, folder);
  for (const file of files) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
    if (file.executable) chmodSync(path, 0o755);
  }
  return root;
}

group('rendered files', () => {
  it('are the script, the job per storage class, the role documents and a README', async () => {
    const files = renderReencryptFiles(INPUT, await readTemplates());
    expect(files.map((file) => [file.path, file.executable ?? false])).toEqual([
      ['reencrypt.sh', true],
      ['batch-operations/start-jobs.sh', true],
      ['batch-operations/README.md', false],
      ['batch-operations/role-trust-policy.json', false],
      ['batch-operations/role-policy.json', false],
      ['batch-operations/create-job-standard.json', false],
      ['batch-operations/create-job-standard-ia.json', false],
      ['batch-operations/create-job-intelligent-tiering.json', false],
      ['batch-operations/create-job-onezone-ia.json', false],
      ['batch-operations/create-job-glacier-ir.json', false],
    ]);
    const job = JSON.parse(
      files.find((file) => file.path.endsWith('create-job-standard-ia.json'))?.content ?? '',
    ) as CreateJobCommandInput;
    expect(job).toMatchObject({
      AccountId: '111122223333',
      ConfirmationRequired: true,
      RoleArn: 'arn:aws:iam::111122223333:role/ceb-reencrypt-acme-data',
      Operation: {
        S3PutObjectCopy: { SSEAwsKmsKeyId: KEY_ARN, StorageClass: 'STANDARD_IA', MetadataDirective: 'COPY' },
      },
      ManifestGenerator: { S3JobManifestGenerator: { Filter: { MatchAnyStorageClass: ['STANDARD_IA'] } } },
    });
    const script = files[0]?.content ?? '';
    expect(script).toContain(`BUCKET='acme-data'`);
    expect(script).toContain(`KEY_ARN='${KEY_ARN}'`);
    expect(files.find((file) => file.path === 'batch-operations/README.md')?.content).toContain(
      './start-jobs.sh STANDARD',
    );
  });

  it('pass shellcheck and bash -n, for a known key and for a key still to be created', async () => {
    requireCommand('shellcheck', 'apt-get install -y shellcheck');
    const templates = await readTemplates();
    const known = writeOut(renderReencryptFiles(INPUT, templates), 'known');
    const placeholder = renderReencryptFiles(
      { ...INPUT, keyArn: KEY_ARN_PLACEHOLDER, keyAlias: 'alias/acme-data' },
      templates,
    );
    const fresh = writeOut(placeholder, 'new');
    expect(placeholder[0]?.content).toContain(`--key-id 'alias/acme-data'`);
    expect(placeholder.find((file) => file.path.endsWith('create-job-standard.json'))?.content).toContain(
      KEY_ARN_PLACEHOLDER,
    );
    const scripts = [known, fresh].flatMap((root) => [
      join(root, 'reencrypt.sh'),
      join(root, 'batch-operations/start-jobs.sh'),
    ]);
    const lint = spawnSync('shellcheck', ['--severity=style', ...scripts], { encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    for (const script of scripts) expect(spawnSync('bash', ['-n', script]).status).toBe(0);
  });

  it('give the main README a section', async () => {
    const section = renderReencryptReadmeSection(INPUT, await readTemplates());
    expect(section).toContain(
      `create-encrypted-bucket scan --bucket 'acme-data' --region 'eu-west-1' --key '${KEY_ARN}'`,
    );
    expect(section).toContain('`batch-operations/`');
  });
});

/**
 * Not spawnSync: this process reads moto's log (test/helpers/moto.ts), and a blocked event
 * loop lets that pipe fill until moto stops answering the script.
 */
function runAsync(command: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

group('reencrypt.sh against moto', () => {
  let moto: Moto;
  let clients: AwsClients;

  beforeAll(async () => {
    requireCommand('aws', 'install the aws CLI (the project image ships it)');
    moto = await startMoto();
    for (const [name, value] of Object.entries(moto.env)) vi.stubEnv(name, value);
    clients = createClients({ region: 'eu-west-1', endpoint: moto.endpoint });
  }, 60_000);
  afterAll(async () => {
    clients?.destroy();
    vi.unstubAllEnvs();
    await moto?.stop();
  });

  it('re-encrypts what is not on the key, keeps metadata, tags and storage class, and skips the rest', async () => {
    const keyArn = await createKey(clients.kms, 'script key');
    const bucket = 'acme-script-data';
    await createBucket(clients.s3, bucket);
    const kept = { ContentType: 'text/csv', Metadata: { owner: 'team-a' }, Tagging: 'project=atlas' };
    await seed(clients.s3, bucket, [
      { key: 'plain.csv', extra: { ...kept, StorageClass: 'STANDARD_IA' } },
      { key: 'dir/with space+plus & ü.csv', extra: kept },
      { key: '-starts-with-dash', extra: { ServerSideEncryption: 'AES256' } },
      { key: 'right.txt', extra: { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn } },
      { key: 'frozen.tar', extra: { StorageClass: 'GLACIER' } },
    ]);
    const root = writeOut(
      renderReencryptFiles({ ...INPUT, bucket, accountId: '123456789012', keyArn }, await readTemplates()),
      'moto',
    );
    const run = await runAsync('bash', [join(root, 'reencrypt.sh')], moto.env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Re-encrypted 3, skipped 2, failed 0.');
    expect(run.stdout).toContain('skip  frozen.tar: archived (GLACIER)');
    expect(run.stdout).toContain('skip  right.txt: already on the key');
    expect(run.stdout).not.toMatch(/done {2}right\.txt/);
    for (const key of ['plain.csv', 'dir/with space+plus & ü.csv', '-starts-with-dash']) {
      expect(await describe(clients.s3, bucket, key)).toMatchObject({
        encryption: 'aws:kms',
        keyId: keyArn,
        bucketKey: true,
      });
    }
    expect(await describe(clients.s3, bucket, 'plain.csv')).toMatchObject({
      contentType: 'text/csv',
      metadata: { owner: 'team-a' },
      tags: { project: 'atlas' },
      storageClass: 'STANDARD_IA',
    });
  }, 60_000);
});
