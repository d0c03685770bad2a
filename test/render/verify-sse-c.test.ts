import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FakeOptions, type FakeS3, startFakeS3 } from '../verify/sse-c-fake-s3.js';
import { caseNamed, planFor } from './helpers/cases.js';
import { render, writeToTemp } from './helpers/render-case.js';
import { removeTempDirs } from './helpers/temp-dirs.js';

/*
 * verify.sh for SSE-C, run with the real aws CLI against an endpoint that answers SSE-C as the
 * S3 guide documents and records the requests (moto ignores SSE-C: see
 * test/verify/sse-c-verify.test.ts). The same checks, names and order as the TypeScript verifier.
 */

const run = promisify(execFile);
afterAll(removeTempDirs);
let s3: FakeS3 | undefined;
afterEach(async () => {
  await s3?.stop();
  s3 = undefined;
});

async function runVerify(options: FakeOptions = {}) {
  s3 = await startFakeS3(options);
  const dir = await writeToTemp(await render(planFor(caseNamed('sse-c-new-bucket'))));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: s3.endpoint,
  };
  return run('bash', [join(dir, 'verify.sh')], { env, timeout: 120_000 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

const rowsOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^(PASS|FAIL) /.test(line))
    .map((line) =>
      line
        .split(/\s{2,}/)
        .slice(0, 2)
        .join(' '),
    );

describe('verify.sh for SSE-C, with the aws CLI', () => {
  it('passes every check, with a fresh key of its own, and leaves nothing behind', async () => {
    const { code, stdout } = await runVerify();
    expect(rowsOf(stdout)).toEqual([
      'PASS upload with SSE-C (a throwaway key) accepted',
      'PASS object: SSE-C algorithm',
      'PASS object: SSE-C key MD5',
      'PASS HeadObject without the key fails',
      'PASS GetObject without the key fails',
      'PASS upload without SSE-C refused',
      'PASS AES256 upload refused',
      'PASS bucket default encryption',
      'PASS public access block',
      'PASS test object cleaned up',
    ]);
    expect(code).toBe(0);
    const upload = s3?.requests.find(
      (request) => request.method === 'PUT' && request.headers['x-amz-server-side-encryption-customer-key'],
    );
    expect(
      Buffer.from(upload?.headers['x-amz-server-side-encryption-customer-key'] ?? '', 'base64'),
    ).toHaveLength(32);
    expect(s3?.objects.size).toBe(0);
  });

  it('fails when S3 serves the object without its key, and when SSE-C is still blocked', async () => {
    const served = await runVerify({ servesWithoutKey: true });
    expect(served.code).toBe(1);
    expect(rowsOf(served.stdout)).toEqual(
      expect.arrayContaining([
        'FAIL HeadObject without the key fails',
        'FAIL GetObject without the key fails',
      ]),
    );
    await s3?.stop();
    const blocked = await runVerify({ blockedEncryptionType: 'SSE-C' });
    expect(blocked.code).toBe(1);
    expect(rowsOf(blocked.stdout)).toContain('FAIL bucket default encryption');
  });
});
