/*
 * Batch Operations with UpdateObjectEncryption over manifests S3 generates. moto's S3 Control
 * has no CreateJob, so the requests are proven with the real S3 Control client's
 * serialisation (a request handler captures the HTTP request), and the runs with
 * aws-sdk-client-mock: no listing from here, confirmation required, stable tokens.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, expect, it } from 'vitest';
import { buildGeneratedJobRequest, generatedJobKinds } from '../../src/plan/reencrypt-jobs.js';
import { describeReencryptJob, formatJobStatus } from '../../src/reencrypt/batch/job-status.js';
import { formatReencryptReport, reencryptBucket } from '../../src/reencrypt/index.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/reencrypt-job';
const TARGET = {
  bucket: 'acme-big',
  keyArn: KEY_ARN,
  accountId: '111122223333',
  partition: 'aws' as const,
  roleArn: ROLE_ARN,
  runId: '20261201T090000',
};

const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const s3 = new S3Client({ region: 'eu-west-1', credentials });
const s3Mock = mockClient(s3);
const s3control = new S3ControlClient({ region: 'eu-west-1', credentials });
const control = mockClient(s3control);
let scratch: string;

beforeEach(() => {
  s3Mock.reset();
  control.reset();
  s3Mock.on(GetBucketVersioningCommand).resolves({});
  s3Mock.on(GetBucketOwnershipControlsCommand).resolves({});
  scratch = mkdtempSync(join(tmpdir(), 'ceb-batch-gen-'));
  return () => rmSync(scratch, { recursive: true, force: true });
});

it('serialises the UpdateObjectEncryption job over a generated, encryption-filtered manifest', async () => {
  const bodies: string[] = [];
  const client = new S3ControlClient({
    region: 'eu-west-1',
    credentials,
    requestHandler: {
      async handle(request: { body: unknown; headers: Record<string, string>; path: string }) {
        bodies.push(`${request.path} ${request.headers['x-amz-account-id']} ${String(request.body)}`);
        const body =
          '<?xml version="1.0" encoding="UTF-8"?><CreateJobResult><JobId>job-1</JobId></CreateJobResult>';
        return { response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from(body)]) } };
      },
    },
  });
  const [update, copy] = generatedJobKinds().map((kind) => buildGeneratedJobRequest(TARGET, kind));
  if (!update || !copy) throw new Error('no jobs');
  expect((await client.send(new CreateJobCommand(update))).JobId).toBe('job-1');
  await client.send(new CreateJobCommand(copy));
  const [updateBody = '', copyBody = ''] = bodies;
  expect(updateBody).toMatch(/^\/v20180820\/jobs 111122223333 /);
  for (const fragment of [
    '<ConfirmationRequired>true</ConfirmationRequired>',
    `<ClientRequestToken>ceb-${TARGET.runId}-update-encryption</ClientRequestToken>`,
    `<RoleArn>${ROLE_ARN}</RoleArn>`,
    `<S3UpdateObjectEncryption><ObjectEncryption><SSE-KMS><KMSKeyArn>${KEY_ARN}</KMSKeyArn><BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption></S3UpdateObjectEncryption>`,
    '<S3JobManifestGenerator>',
    '<EnableManifestOutput>true</EnableManifestOutput>',
    '<SourceBucket>arn:aws:s3:::acme-big</SourceBucket>',
  ]) {
    expect(updateBody).toContain(fragment);
  }
  expect(updateBody).toMatch(
    /<MatchAnyObjectEncryption><ObjectEncryption><SSE-S3\s*\/?>(<\/SSE-S3>)?<\/ObjectEncryption><ObjectEncryption><SSE-KMS\s*\/?>/,
  );
  expect(updateBody).not.toContain('<Manifest>');
  expect(copyBody).toContain('<S3PutObjectCopy>');
  expect(copyBody).toMatch(/<MatchAnyObjectEncryption><ObjectEncryption><NOT-SSE\s*\/?>/);
  expect(copyBody).toContain('<MatchAnyStorageClass><member>STANDARD</member></MatchAnyStorageClass>');
});

it('creates the jobs as the re-encryption role without listing the bucket, and a re-run creates none', async () => {
  control
    .on(CreateJobCommand)
    .callsFake((input) => Promise.resolve({ JobId: `job-${input.ClientRequestToken}` }));
  const options = {
    bucket: TARGET.bucket,
    keyArn: KEY_ARN,
    checkpointPath: join(scratch, 'cp.json'),
    batchOperations: true,
    roleArn: ROLE_ARN,
  };
  const report = await reencryptBucket(options, { s3, s3control });

  expect(s3Mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
  const jobs = control.commandCalls(CreateJobCommand).map((call) => call.args[0].input);
  expect(jobs).toHaveLength(6);
  expect(jobs.every((job) => job.ConfirmationRequired === true && job.RoleArn === ROLE_ARN)).toBe(true);
  expect(jobs.filter((job) => job.Operation?.S3UpdateObjectEncryption)).toHaveLength(1);
  expect(new Set(jobs.map((job) => job.ClientRequestToken)).size).toBe(6);
  const text = formatReencryptReport(report);
  expect(text).toContain('nothing listed from here');
  expect(text).toContain('--requested-job-status Ready');

  const again = await reencryptBucket(options, { s3, s3control });
  expect(control.commandCalls(CreateJobCommand)).toHaveLength(6);
  expect(again.notes.join('\n')).toContain('already created');
});

it('refuses Batch Operations without the role the jobs run as, naming --reencrypt-role', async () => {
  const failure = await reencryptBucket(
    {
      bucket: TARGET.bucket,
      keyArn: KEY_ARN,
      checkpointPath: join(scratch, 'cp.json'),
      batchOperations: true,
    },
    { s3, s3control },
  ).catch((error: unknown) => error);
  expect(failure).toMatchObject({ exitCode: 2, field: '--reencrypt-role' });
  expect(control.commandCalls(CreateJobCommand)).toHaveLength(0);
});

// The report reader streams the body; a Node stream is what the SDK hands it.
const stream = (text: string) => Readable.from([Buffer.from(text)]) as never;

it('--job shows a finished job: done, failed, and why, from its completion report', async () => {
  control.on(DescribeJobCommand).resolves({
    Job: {
      JobId: 'job-9',
      Status: 'Complete',
      Operation: { S3UpdateObjectEncryption: {} },
      ProgressSummary: { TotalNumberOfTasks: 5, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 3 },
      Report: {
        Bucket: 'arn:aws:s3:::acme-big',
        Enabled: true,
        Prefix: 'create-encrypted-bucket/reencrypt/reports',
      },
    },
  });
  s3Mock
    .on(GetObjectCommand, { Key: 'create-encrypted-bucket/reencrypt/reports/job-job-9/manifest.json' })
    .resolves({
      Body: stream(
        JSON.stringify({
          Results: [
            { TaskExecutionStatus: 'succeeded', Bucket: 'acme-big', Key: 'reports/ok.csv' },
            { TaskExecutionStatus: 'failed', Bucket: 'acme-big', Key: 'reports/failed.csv' },
          ],
        }),
      ),
    });
  s3Mock.on(GetObjectCommand, { Key: 'reports/failed.csv' }).resolves({
    Body: stream(
      [
        'acme-big,locked%2Fa.txt,,failed,AccessDenied,403,"Object is WORM protected, cannot update"',
        'acme-big,locked/b.txt,,failed,AccessDenied,403,Object is WORM protected',
        'acme-big,plain.txt,,failed,InvalidRequest,400,The object is not encrypted',
      ].join('\n'),
    ),
  });
  const status = await describeReencryptJob(
    { jobId: 'job-9', accountId: '111122223333', bucket: 'acme-big' },
    { s3, s3control },
  );
  expect(status).toMatchObject({ state: 'complete', total: 5, succeeded: 2, failed: 3, reportRead: true });
  expect(status.reasons).toEqual([
    {
      code: 'AccessDenied',
      count: 2,
      example: { key: 'locked/a.txt', message: 'Object is WORM protected, cannot update' },
    },
    {
      code: 'InvalidRequest',
      count: 1,
      example: { key: 'plain.txt', message: 'The object is not encrypted' },
    },
  ]);
  const text = formatJobStatus(status);
  expect(text).toContain('done 2, failed 3');
  expect(text).toContain('AccessDenied: 2, e.g. locked/a.txt');
});

it('--job on a job waiting for confirmation says how to start it', async () => {
  control
    .on(DescribeJobCommand)
    .resolves({ Job: { JobId: 'job-1', Status: 'Suspended', Operation: { S3PutObjectCopy: {} } } });
  const status = await describeReencryptJob(
    { jobId: 'job-1', accountId: '111122223333', bucket: 'acme-big' },
    { s3, s3control },
  );
  expect(status.state).toBe('waiting-confirmation');
  expect(formatJobStatus(status)).toContain(
    'update-job-status --account-id 111122223333 --job-id job-1 --requested-job-status Ready',
  );
});
