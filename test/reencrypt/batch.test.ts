/*
 * The S3 Batch Operations path. The CreateJob request is type-checked against
 * CreateJobCommandInput, checked for the fields the API requires, serialised by the real
 * S3 Control client (a request handler captures the HTTP request instead of sending it),
 * and validated by the aws CLI's own parameter validation (botocore checks required
 * members and types before connecting). The apply path runs against moto for S3 and IAM;
 * moto has no S3 Control CreateJob, so that one client is an aws-sdk-client-mock.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateJobCommand, type CreateJobCommandInput, S3ControlClient } from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import {
  batchRoleName,
  batchRolePolicy,
  batchRoleTrustPolicy,
  buildCreateJobRequest,
  clientRequestToken,
  parseKeyArn,
} from '../../src/reencrypt/batch/job-request.js';
import { requireCommand } from '../helpers/moto.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TARGET = {
  bucket: 'acme-huge',
  keyArn: KEY_ARN,
  accountId: '111122223333',
  partition: 'aws',
  region: 'eu-west-1',
} as const;

const csvJob = buildCreateJobRequest({
  ...TARGET,
  storageClass: 'STANDARD_IA',
  roleArn: 'arn:aws:iam::111122223333:role/ceb-reencrypt-acme-huge',
  manifest: {
    kind: 'csv',
    key: 'create-encrypted-bucket/reencrypt/manifests/run-standard_ia.csv',
    etag: 'abc123',
  },
  clientRequestToken: clientRequestToken(['acme-huge', KEY_ARN, 'x']),
}) satisfies CreateJobCommandInput;
const generatedJob = buildCreateJobRequest({
  ...TARGET,
  storageClass: 'STANDARD',
  roleArn: 'arn:aws:iam::111122223333:role/ceb-reencrypt-acme-huge',
  manifest: { kind: 'generated' },
  clientRequestToken: clientRequestToken(['acme-huge', KEY_ARN, 'y']),
}) satisfies CreateJobCommandInput;

/** The members the S3 Control API reference marks required for CreateJob and its parts. */
function expectRequiredFields(job: CreateJobCommandInput): void {
  expect(job.AccountId).toMatch(/^\d{12}$/);
  expect(job.ClientRequestToken?.length).toBeGreaterThan(0);
  expect(job.ClientRequestToken?.length).toBeLessThanOrEqual(64);
  expect(typeof job.Priority).toBe('number');
  expect(job.RoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
  expect(job.Report?.Enabled).toBe(true);
  expect(job.ConfirmationRequired).toBe(true);
  expect(job.Operation?.S3PutObjectCopy).toMatchObject({
    TargetResource: 'arn:aws:s3:::acme-huge',
    MetadataDirective: 'COPY',
    NewObjectMetadata: { SSEAlgorithm: 'KMS' },
    SSEAwsKmsKeyId: KEY_ARN,
    BucketKeyEnabled: true,
  });
  expect(Object.keys(job.Operation ?? {})).toEqual(['S3PutObjectCopy']);
  expect(Boolean(job.Manifest) !== Boolean(job.ManifestGenerator)).toBe(true);
  if (job.Manifest) {
    expect(job.Manifest.Spec?.Format).toBe('S3BatchOperations_CSV_20180820');
    expect(job.Manifest.Location?.ObjectArn).toMatch(/^arn:aws:s3:::acme-huge\//);
    expect(job.Manifest.Location?.ETag).toBeTruthy();
  }
  const generator = job.ManifestGenerator?.S3JobManifestGenerator;
  if (generator) {
    expect(generator.SourceBucket).toBe('arn:aws:s3:::acme-huge');
    expect(generator.EnableManifestOutput).toBe(true);
    expect(generator.ManifestOutputLocation?.ManifestFormat).toBe('S3InventoryReport_CSV_20211130');
  }
}

describe('the CreateJob request', () => {
  it('has every required field, for a CSV manifest and a generated one', () => {
    expectRequiredFields(csvJob);
    expectRequiredFields(generatedJob);
    expect(csvJob.Operation?.S3PutObjectCopy?.StorageClass).toBe('STANDARD_IA');
    expect(generatedJob.ManifestGenerator?.S3JobManifestGenerator?.Filter).toEqual({
      MatchAnyStorageClass: ['STANDARD'],
    });
  });

  it('serialises through the S3 Control client, and its answer parses', async () => {
    const requests: {
      hostname: string;
      path: string;
      method: string;
      headers: Record<string, string>;
      body: string;
    }[] = [];
    const client = new S3ControlClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: {
        async handle(request: {
          hostname: string;
          path: string;
          method: string;
          headers: Record<string, string>;
          body: unknown;
        }) {
          requests.push({ ...request, body: String(request.body) });
          const body =
            '<?xml version="1.0" encoding="UTF-8"?><CreateJobResult><JobId>job-123</JobId></CreateJobResult>';
          return {
            response: {
              statusCode: 200,
              headers: { 'content-type': 'application/xml' },
              body: Readable.from([Buffer.from(body)]),
            },
          };
        },
      },
    });
    for (const job of [csvJob, generatedJob]) {
      const output = await client.send(new CreateJobCommand(job));
      expect(output.JobId).toBe('job-123');
    }
    expect(requests).toHaveLength(2);
    const [csv, generated] = requests;
    expect(csv).toMatchObject({
      method: 'POST',
      path: '/v20180820/jobs',
      hostname: '111122223333.s3-control.eu-west-1.amazonaws.com',
    });
    expect(csv?.headers['x-amz-account-id']).toBe('111122223333');
    for (const fragment of [
      '<S3PutObjectCopy>',
      '<MetadataDirective>COPY</MetadataDirective>',
      '<SSEAlgorithm>KMS</SSEAlgorithm>',
      `<SSEAwsKmsKeyId>${KEY_ARN}</SSEAwsKmsKeyId>`,
      '<BucketKeyEnabled>true</BucketKeyEnabled>',
      '<StorageClass>STANDARD_IA</StorageClass>',
      '<ETag>abc123</ETag>',
      '<ConfirmationRequired>true</ConfirmationRequired>',
    ]) {
      expect(csv?.body).toContain(fragment);
    }
    expect(generated?.body).toMatch(
      /<ManifestGenerator><S3JobManifestGenerator>.*<MatchAnyStorageClass><member>STANDARD<\/member>/s,
    );
  });

  it('passes the aws CLI’s parameter validation (what start-jobs.sh sends)', () => {
    requireCommand('aws', 'install the aws CLI (the project image ships it)');
    const dir = mkdtempSync(join(tmpdir(), 'ceb-job-json-'));
    try {
      for (const [name, job] of Object.entries({ csv: csvJob, generated: generatedJob })) {
        const file = join(dir, `${name}.json`);
        writeFileSync(file, JSON.stringify(job));
        // Nothing listens on port 9: a request that passes validation fails to connect.
        const result = spawnSync(
          'aws',
          ['s3control', 'create-job', '--region', 'eu-west-1', '--cli-input-json', `file://${file}`],
          {
            encoding: 'utf8',
            env: {
              ...process.env,
              AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
              AWS_ACCESS_KEY_ID: 'a',
              AWS_SECRET_ACCESS_KEY: 'b',
              AWS_MAX_ATTEMPTS: '1',
              AWS_CONFIG_FILE: '/dev/null',
            },
          },
        );
        expect(result.stderr).not.toMatch(/Parameter validation failed|Unknown parameter|Invalid type/);
        expect(result.stderr).toMatch(/Could not connect/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a role that only Batch Operations can assume, with a trust policy IAM accepts (no Resource)', () => {
    expect(batchRoleTrustPolicy().Statement).toEqual([
      {
        Sid: 'BatchOperationsAssumesRole',
        Effect: 'Allow',
        Principal: { Service: 'batchoperations.s3.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ]);
    const policy = batchRolePolicy(
      { ...TARGET, sourceKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/other', KEY_ARN] },
      'csv',
    );
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual([
      'CopyObjectsInPlace',
      'UseTheKeyThroughS3',
      'DecryptObjectsUnderOtherKeys',
    ]);
    expect(policy.Statement[2]).toMatchObject({ Resource: ['arn:aws:kms:eu-west-1:111122223333:key/other'] });
    expect(batchRoleName('a'.repeat(63)).length).toBeLessThanOrEqual(64);
    expect(parseKeyArn('alias/x')).toBeUndefined();
  });
});
