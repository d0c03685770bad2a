import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { KEY_ARN_PLACEHOLDER } from '../../src/types.js';
import { REPO_ROOT } from '../e2e/support/built-cli.js';
import { clientsAs, createRoles } from '../standin/accounts.js';
import type { Credentials } from '../standin/standin.js';
import { readRendered, renderInto, runScript } from './scripts-support.js';
import { BUCKET, keyArnOf, ROLES, SETUP_FLAGS, useFlows } from './support.js';

/*
 * The rendered snippets as an application runs them: as the application role, through the
 * stand-in, each uploading the way it is written (JS SDK v3, boto3 upload_file, the
 * upload_extra_args dictionary with boto3, the aws CLI). Over 8 MB the aws CLI and boto3 switch
 * to multipart, where AWS does not document which SSE condition keys UploadPart carries
 * (test/standin/assumptions.ts): each multipart case runs under both readings.
 */
const flows = useFlows('ceb-flow-snippets-');
const SLOW = 300_000;
/** Over the 8 MB multipart threshold of the aws CLI and boto3. */
const BIG = 9 * 1024 * 1024;

interface Uploaded {
  code: number | null;
  output: string;
}

async function setUp(enforcement: 'strict' | 'compatible') {
  await createRoles(
    flows.standIn,
    Object.values(ROLES).map((name) => ({ name })),
  );
  const applied = await flows.cli([
    ...SETUP_FLAGS,
    '--enforcement',
    enforcement,
    '--apply',
    '--yes',
    '--json',
    '--no-verify',
  ]);
  expect(applied.code, applied.stderr).toBe(0);
  const keyArn = keyArnOf(applied);
  const dir = await renderInto(flows, 'out', [...SETUP_FLAGS, '--enforcement', enforcement]);
  // As the snippets' comments say: put in the ARN setup printed.
  for (const snippet of ['upload.mjs', 'upload_boto3.py', 'upload_extra_args.py']) {
    const path = join(dir, 'snippets', snippet);
    writeFileSync(path, readRendered(dir, join('snippets', snippet)).replaceAll(KEY_ARN_PLACEHOLDER, keyArn));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(flows.home, 'small.txt'), 'hello\n');
  writeFileSync(join(flows.home, 'big.bin'), Buffer.alloc(BIG, 7));
  const app = await flows.standIn.assumeRole(ROLES.app);
  return { dir, keyArn, app };
}

/** Each snippet, run as written, uploading `file` to `key`. */
function snippets(dir: string, as: Credentials, endpoint?: string) {
  const options = { as, ...(endpoint ? { endpoint } : {}) };
  const done = async (run: Promise<{ code: number | null; stdout: string; stderr: string }>) => {
    const result = await run;
    return { code: result.code, output: result.stdout + result.stderr } satisfies Uploaded;
  };
  const python = (code: string, file: string, key: string) =>
    done(flows.run('python3', ['-c', code, join(dir, 'snippets'), file, key], options));
  return {
    javascript: (file: string, key: string) =>
      done(
        flows.run(
          'node',
          [
            '--input-type=module',
            '-e',
            `import { upload } from ${JSON.stringify(join(dir, 'snippets', 'upload.mjs'))};\nawait upload(process.argv[1], process.argv[2]);`,
            file,
            key,
          ],
          options,
        ),
      ),
    boto3: (file: string, key: string) =>
      python(
        'import sys; sys.path.insert(0, sys.argv[1]); import upload_boto3 as s; s.upload(sys.argv[2], sys.argv[3])',
        file,
        key,
      ),
    extraArgs: (file: string, key: string) =>
      python(
        'import sys, boto3; sys.path.insert(0, sys.argv[1]); import upload_extra_args as s\n' +
          `boto3.client("s3").upload_file(sys.argv[2], ${JSON.stringify(BUCKET)}, sys.argv[3], ExtraArgs=s.UPLOAD_EXTRA_ARGS)`,
        file,
        key,
      ),
    awsCli: (file: string, key: string) =>
      done(
        runScript(flows, join(dir, 'snippets', 'aws-cli.sh'), {
          cli: 'v1',
          as,
          ...(endpoint ? { endpoint } : {}),
          args: [file, key],
        }),
      ),
    headerless: (file: string, key: string) =>
      done(
        flows.run('aws', ['s3api', 'put-object', '--bucket', BUCKET, '--key', key, '--body', file], options),
      ),
  };
}

async function storedUnder(as: Credentials, key: string) {
  const { s3 } = await clientsAs(flows.standIn, as);
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  return { sse: head.ServerSideEncryption, key: head.SSEKMSKeyId, bucketKey: head.BucketKeyEnabled };
}

const SMALL_WRITERS = ['javascript', 'boto3', 'extraArgs', 'awsCli'] as const;
const MULTIPART_WRITERS = ['awsCli', 'boto3'] as const;

async function multipartUnderBothReadings(
  run: ReturnType<typeof snippets>,
  keyArn: string,
  app: Credentials,
) {
  const results: Record<string, Uploaded> = {};
  for (const reading of ['request-headers', 'upload-settings'] as const) {
    flows.standIn.setMultipartReading(reading);
    try {
      for (const writer of MULTIPART_WRITERS) {
        const key = `big-${writer}-${reading}.bin`;
        const result = await run[writer](join(flows.home, 'big.bin'), key);
        results[`${writer} ${reading}`] = result;
        if (result.code === 0)
          expect(await storedUnder(app, key)).toEqual({ sse: 'aws:kms', key: keyArn, bucketKey: true });
      }
    } finally {
      flows.standIn.setMultipartReading('request-headers');
    }
  }
  return results;
}

describe('the rendered snippets, as the application role', () => {
  it(
    'strict: every snippet is accepted and stored under the key; a headerless upload is refused; multipart is refused under the request-headers reading only',
    async () => {
      const { dir, keyArn, app } = await setUp('strict');
      const run = snippets(dir, app);
      const small = join(flows.home, 'small.txt');
      for (const writer of SMALL_WRITERS) {
        const result = await run[writer](small, `small-${writer}.txt`);
        expect(result.code, `${writer}: ${result.output}`).toBe(0);
        expect(await storedUnder(app, `small-${writer}.txt`)).toEqual({
          sse: 'aws:kms',
          key: keyArn,
          bucketKey: true,
        });
      }
      const headerless = await run.headerless(small, 'headerless.txt');
      expect(headerless.code).not.toBe(0);
      expect(headerless.output).toMatch(/AccessDenied.*explicit deny in a resource-based policy/);

      const multipart = await multipartUnderBothReadings(run, keyArn, app);
      for (const writer of MULTIPART_WRITERS) {
        // UploadPart carries no SSE header, and strict's StringNotEquals is true without one.
        expect(multipart[`${writer} request-headers`]?.code, writer).not.toBe(0);
        expect(multipart[`${writer} request-headers`]?.output, writer).toMatch(/AccessDenied/);
        expect(multipart[`${writer} request-headers`]?.output, writer).toMatch(/UploadPart/);
        expect(
          multipart[`${writer} upload-settings`]?.code,
          multipart[`${writer} upload-settings`]?.output,
        ).toBe(0);
      }

      // Plain HTTP: the same snippet is refused by the bucket policy's transport deny.
      const overHttp = await snippets(dir, app, flows.standIn.httpEndpoint).awsCli(small, 'plain.txt');
      expect(overHttp.code).not.toBe(0);
      expect(overHttp.output).toMatch(/AccessDenied|Forbidden|403/);
    },
    SLOW,
  );

  it(
    'compatible: every snippet is accepted; a headerless upload is accepted and stored under the key; multipart works under both readings',
    async () => {
      const { dir, keyArn, app } = await setUp('compatible');
      const run = snippets(dir, app);
      const small = join(flows.home, 'small.txt');
      for (const writer of SMALL_WRITERS) {
        const result = await run[writer](small, `small-${writer}.txt`);
        expect(result.code, `${writer}: ${result.output}`).toBe(0);
      }
      const headerless = await run.headerless(small, 'headerless.txt');
      expect(headerless.code, headerless.output).toBe(0);
      expect(await storedUnder(app, 'headerless.txt')).toEqual({
        sse: 'aws:kms',
        key: keyArn,
        bucketKey: true,
      });

      const multipart = await multipartUnderBothReadings(run, keyArn, app);
      for (const [name, result] of Object.entries(multipart))
        expect(result.code, `${name}: ${result.output}`).toBe(0);
    },
    SLOW,
  );
});
