import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Answers, RenderedFile } from '../../src/types.js';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { fileAt, render } from '../render/helpers/render-case.js';

/*
 * The upload snippets are run for real: the rendered boto3 module under python3 + boto3, the
 * rendered JavaScript module under Node with the SDK. Each one's client builds and signs the
 * request it would send to AWS; a hook at the very end (botocore's before-send, an SDK
 * finalizeRequest middleware) records it and answers locally. So the assertions are on the
 * exact URL (addressing style) and encryption headers, per scheme and for a dotted bucket.
 */

const run = promisify(execFile);
const SUPPORT = join(import.meta.dirname, 'support');
// Inside the repository, so the JavaScript snippet's `import '@aws-sdk/client-s3'` resolves.
const TMP = join(import.meta.dirname, '..', '..', '.tmp');
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const EXISTING_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b7e1c52-5d1a-4c5e-9f5e-4a7f8e2d9c01`;
// AWS credentials that sign locally and reach no one; nothing else from the environment.
const ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function renderedSnippets(answers: Partial<Answers>): Promise<string> {
  const files: RenderedFile[] = await render(
    buildPlan(
      parseConfig({
        bucket: 'acme-invoices',
        region: REGION,
        accountId: ACCOUNT,
        appRoles: ['app'],
        ...(answers.scheme === 'sse-s3' ? {} : { keyAdminRoles: ['key-admin'] }),
        ...answers,
      }),
    ),
  );
  await mkdir(TMP, { recursive: true });
  const dir = await mkdtemp(join(TMP, 'snippets-'));
  dirs.push(dir);
  for (const name of ['upload_boto3.py', 'upload.mjs']) {
    await writeFile(join(dir, name), fileAt(files, `snippets/${name}`).content);
  }
  await writeFile(join(dir, 'hello.txt'), 'hello\n');
  return dir;
}

interface Captured {
  sent: SentRequest[];
  /** The client asks for path-style itself (boto3 addressing_style "path", SDK forcePathStyle). */
  pathStyle: boolean;
}

async function capture(language: 'python' | 'javascript', dir: string): Promise<Captured> {
  const [command, args] =
    language === 'python'
      ? ['python3', [join(SUPPORT, 'capture_boto3_upload.py'), dir, join(dir, 'hello.txt'), 'in/hello.txt']]
      : [
          'node',
          [
            join(SUPPORT, 'capture-js-upload.mjs'),
            join(dir, 'upload.mjs'),
            join(dir, 'hello.txt'),
            'in/hello.txt',
          ],
        ];
  const { stdout } = await run(command, args, { env: ENV, timeout: 30_000 });
  return JSON.parse(stdout) as Captured;
}

const LANGUAGES = ['python', 'javascript'] as const;

describe.each(LANGUAGES)('the %s upload snippet, run', (language) => {
  it('SSE-KMS with an existing key: one PutObject naming aws:kms and the full key ARN', async () => {
    const dir = await renderedSnippets({ scheme: 'sse-kms', existingKey: EXISTING_KEY });
    const { sent } = await capture(language, dir);
    expect(sent).toHaveLength(1);
    const [put] = sent as [SentRequest];
    expect(put.method).toBe('PUT');
    expect(put.url).toBe(`https://acme-invoices.s3.${REGION}.amazonaws.com/in/hello.txt`);
    expect(put.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(put.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(EXISTING_KEY);
  });

  it('SSE-KMS with a new key: the key id sent is the placeholder the comment says to replace', async () => {
    const dir = await renderedSnippets({ scheme: 'sse-kms' });
    const [put] = (await capture(language, dir)).sent as [SentRequest];
    expect(put.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(put.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(KEY_ARN_PLACEHOLDER);
  });

  it('SSE-S3: AES256, and no KMS key id at all', async () => {
    const dir = await renderedSnippets({ scheme: 'sse-s3' });
    const { sent } = await capture(language, dir);
    expect(sent).toHaveLength(1);
    const [put] = sent as [SentRequest];
    expect(put.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect(put.headers).not.toHaveProperty('x-amz-server-side-encryption-aws-kms-key-id');
  });

  /*
   * The SDKs pinned here (boto3 1.43, SDK v3) already fall back to path-style for a dotted
   * name over HTTPS, so the URL alone cannot tell whether the snippet asked for it; the
   * snippet asks explicitly, for older SDKs and for readers, and that is asserted too.
   */
  it('a bucket name with dots is addressed path-style (virtual-hosted HTTPS would fail its certificate)', async () => {
    const dir = await renderedSnippets({ bucket: 'invoices.acme.example', scheme: 'sse-s3' });
    const { sent, pathStyle } = await capture(language, dir);
    expect((sent[0] as SentRequest).url).toBe(
      `https://s3.${REGION}.amazonaws.com/invoices.acme.example/in/hello.txt`,
    );
    expect(pathStyle).toBe(true);
  });

  it('a bucket name without dots keeps the default (virtual-hosted) addressing', async () => {
    const dir = await renderedSnippets({ bucket: 'acme-invoices', scheme: 'sse-s3' });
    const { pathStyle } = await capture(language, dir);
    expect(pathStyle).toBe(false);
  });
});
