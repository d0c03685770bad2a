import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { RenderedFile } from '../../src/types.js';
import { fileAt, render } from '../render/helpers/render-case.js';
import { type CapturedRequest, type FakeS3, startFakeS3 } from '../verify/sse-c-fake-s3.js';

/*
 * The SSE-C snippets run for real (JS SDK v3 under Node, boto3 under python3, the aws CLI v1
 * under bash) against an endpoint that answers SSE-C as the S3 guide documents and records
 * every request on the wire (moto ignores SSE-C: test/verify/sse-c-verify.test.ts). Each
 * loads the key from where a user keeps it and sends algorithm, key and key-MD5 on PUT, GET,
 * HEAD and copy; rotation sends the old key as the copy-source key and the new one as the target.
 */

const run = promisify(execFile);
const SUPPORT = join(import.meta.dirname, 'support');
// Inside the repository, so the JavaScript snippet's `import '@aws-sdk/client-s3'` resolves.
const TMP = join(import.meta.dirname, '..', '..', '.tmp');
const ALGORITHM = 'x-amz-server-side-encryption-customer-algorithm';
const KEY = 'x-amz-server-side-encryption-customer-key';
const KEY_MD5 = 'x-amz-server-side-encryption-customer-key-md5';
const COPY_KEY = 'x-amz-copy-source-server-side-encryption-customer-key';
const COPY_KEY_MD5 = 'x-amz-copy-source-server-side-encryption-customer-key-md5';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const md5 = (key: Buffer) => createHash('md5').update(key).digest('base64');

let files: RenderedFile[] = [];
let dir = '';
let s3: FakeS3;
const dirs: string[] = [];

beforeEach(async () => {
  files = await render(
    buildPlan(
      parseConfig({
        bucket: 'acme-invoices',
        region: 'eu-west-1',
        accountId: '111122223333',
        scheme: 'sse-c',
        appRoles: ['app'],
      }),
    ),
  );
  await mkdir(TMP, { recursive: true });
  dir = await mkdtemp(join(TMP, 'sse-c-snippets-'));
  dirs.push(dir);
  for (const name of ['upload_boto3.py', 'upload.mjs', 'aws-cli.sh']) {
    await writeFile(join(dir, name), fileAt(files, `snippets/${name}`).content);
  }
  await writeFile(join(dir, 'hello.txt'), 'hello\n');
  await writeFile(join(dir, 'old.key'), oldKey, { mode: 0o600 });
  await writeFile(join(dir, 'new.key'), newKey, { mode: 0o600 });
  s3 = await startFakeS3();
});
afterEach(async () => {
  await s3.stop();
});
afterAll(async () => {
  await Promise.all(dirs.map((each) => rm(each, { recursive: true, force: true })));
});

const env = (extra: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  HOME: dir,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_ENDPOINT_URL: s3.endpoint,
  ...extra,
});

const objectPath = (request: CapturedRequest) => request.path.split('/').slice(2).join('/');
const sseCOf = (request: CapturedRequest) => [
  request.headers[ALGORITHM],
  request.headers[KEY],
  request.headers[KEY_MD5],
];
const withKey = (key: Buffer) => ['AES256', key.toString('base64'), md5(key)];

/** The requests each snippet must send, the SSE-C headers of each on the wire. */
function expectSseCRequests(requests: CapturedRequest[]) {
  const on = (method: string, path: string, copy = false) =>
    requests.filter(
      (request) =>
        request.method === method &&
        objectPath(request) === path &&
        (request.headers['x-amz-copy-source'] !== undefined) === copy,
    );
  const uploads = on('PUT', 'in/hello.txt');
  expect(uploads.length).toBeGreaterThan(0);
  for (const upload of uploads) expect(sseCOf(upload)).toEqual(withKey(oldKey));
  const heads = on('HEAD', 'in/hello.txt');
  const gets = on('GET', 'in/hello.txt');
  expect(heads.length + gets.length).toBeGreaterThan(1);
  for (const read of [...heads, ...gets]) expect(sseCOf(read)).toEqual(withKey(oldKey));
  const [copy] = on('PUT', 'in/copy.txt', true);
  expect(copy && sseCOf(copy)).toEqual(withKey(oldKey));
  expect(copy?.headers[COPY_KEY]).toBe(oldKey.toString('base64'));
  expect(copy?.headers[COPY_KEY_MD5]).toBe(md5(oldKey));
  const [rotate] = on('PUT', 'in/hello.txt', true);
  expect(rotate && sseCOf(rotate)).toEqual(withKey(newKey));
  expect(rotate?.headers[COPY_KEY]).toBe(oldKey.toString('base64'));
  // After rotation only the new key opens the object.
  expect(s3.objects.get('acme-invoices/in/hello.txt')?.keyMd5).toBe(md5(newKey));
}

describe('the SSE-C snippets, run', () => {
  it('JavaScript: the key from SSE_C_KEY_BASE64 on PUT, HEAD, GET and copy; rotation with both keys', async () => {
    const { stdout } = await run(
      'node',
      [join(SUPPORT, 'run-sse-c-snippet.mjs'), join(dir, 'upload.mjs'), join(dir, 'hello.txt')],
      {
        env: env({ SSE_C_KEY_BASE64: oldKey.toString('base64'), NEW_KEY_BASE64: newKey.toString('base64') }),
        timeout: 60_000,
      },
    );
    expect(JSON.parse(stdout)).toEqual({ body: 'hello\n', algorithm: 'AES256', md5: md5(oldKey) });
    expectSseCRequests(s3.requests);
  });

  it('boto3: the key from SSE_C_KEY_FILE on PUT, HEAD, GET and copy; rotation with both keys', async () => {
    const { stdout } = await run(
      'python3',
      [join(SUPPORT, 'run_sse_c_snippet.py'), dir, join(dir, 'hello.txt')],
      {
        env: env({ SSE_C_KEY_FILE: join(dir, 'old.key'), NEW_KEY_BASE64: newKey.toString('base64') }),
        timeout: 60_000,
      },
    );
    expect(JSON.parse(stdout)).toEqual({ body: 'hello\n', algorithm: 'AES256', md5: md5(oldKey) });
    expectSseCRequests(s3.requests);
  });

  it('aws CLI: the key from SSE_C_KEY_BASE64 (a private temporary file) on put, head, get and copy; rotate', async () => {
    const script = join(dir, 'aws-cli.sh');
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      run('bash', [script, ...args], {
        cwd: dir,
        env: env({ SSE_C_KEY_BASE64: oldKey.toString('base64'), ...extra }),
        timeout: 60_000,
      });
    await cli(['put', join(dir, 'hello.txt'), 'in/hello.txt']);
    const head = JSON.parse((await cli(['head', 'in/hello.txt'])).stdout) as Record<string, string>;
    expect(head.SSECustomerKeyMD5).toBe(md5(oldKey));
    await cli(['get', 'in/hello.txt', join(dir, 'back.txt')]);
    await cli(['copy', 'in/hello.txt', 'in/copy.txt']);
    await run('bash', [script, 'rotate', 'in/hello.txt'], {
      cwd: dir,
      env: env({ SSE_C_KEY_FILE: join(dir, 'new.key'), SSE_C_OLD_KEY_FILE: join(dir, 'old.key') }),
      timeout: 60_000,
    });
    expectSseCRequests(s3.requests);
  });

  it('refuses a key that is not 32 bytes, before any request', async () => {
    await writeFile(join(dir, 'short.key'), randomBytes(16));
    const failed = await run(
      'node',
      [
        '-e',
        `import(${JSON.stringify(join(dir, 'upload.mjs'))}).then((m) => m.upload(${JSON.stringify(join(dir, 'hello.txt'))}, 'x'))`,
      ],
      {
        env: env({ SSE_C_KEY_FILE: join(dir, 'short.key') }),
      },
    ).catch((error: { stderr: string }) => error.stderr);
    expect(failed).toMatch(/32 bytes/);
    expect(s3.requests).toEqual([]);
  });

  it('writes no key into the output folder', () => {
    for (const file of files) {
      // A 256-bit key in base64 is 43 characters and one "="; in hex, 64.
      expect(file.content, file.path).not.toMatch(/[A-Za-z0-9+/]{43}=|\b[0-9a-f]{64}\b/);
    }
    expect(
      files.map((file) => file.path).filter((path) => /key/i.test(path) && !path.startsWith('policies/')),
    ).toEqual([]);
  });
});
