import { CreateRoleCommand, GetRoleCommand, type IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateJobCommand,
  type CreateJobCommandInput,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { awsCall, toAwsError } from '../../aws/aws-call.js';
import { isArchived } from '../../scan/classify.js';
import { listObjects } from '../../scan/list-objects.js';
import type { PolicyDocument } from '../../types.js';
import type { Tally } from '../types.js';
import {
  BATCH_PREFIX,
  type BatchTarget,
  batchRoleArn,
  batchRoleName,
  batchRolePolicy,
  batchRoleTrustPolicy,
  buildCreateJobRequest,
  COPYABLE_STORAGE_CLASSES,
  type CopyableStorageClass,
  clientRequestToken,
  isCopyableStorageClass,
  type TrustPolicyDocument,
} from './job-request.js';
import { ManifestWriter } from './manifest-writer.js';
import { BATCH_ROLE_POLICY_NAME } from './policy-name.js';

export interface BatchJob {
  storageClass: CopyableStorageClass;
  objects: number;
  bytes: number;
  manifestKey: string;
  /** Set once CreateJob answered; the job then waits for confirmation (ConfirmationRequired). */
  jobId?: string;
  request: CreateJobCommandInput;
}

export interface BatchJobsResult {
  dryRun: boolean;
  roleName: string;
  roleArn: string;
  trustPolicy: TrustPolicyDocument;
  rolePolicy: PolicyDocument;
  jobs: BatchJob[];
  /** Left out of the manifests: archived, classes a copy cannot write, this tool's own files. */
  excluded: { archived: Tally; otherClasses: Tally; toolFiles: number };
  /** One per job: the aws CLI command that lets it start. */
  confirmCommands: string[];
}

export interface BatchRun extends BatchTarget {
  dryRun: boolean;
  /** Names this run's manifests; the checkpoint keeps it, so a re-run finds them again. */
  runId: string;
  signal?: AbortSignal | undefined;
  onListed?: (listed: number) => void;
}

export interface BatchClients {
  s3: S3Client;
  iam?: IAMClient | undefined;
  s3control?: S3ControlClient | undefined;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Lists the bucket once into one CSV manifest per storage class, then creates the role and
 * one copy job per class, each waiting for confirmation. A dry run lists and builds the
 * requests but writes nothing.
 */
export async function runBatchJobs(
  run: BatchRun,
  clients: BatchClients,
  sleep = sleepFor,
): Promise<BatchJobsResult | undefined> {
  const writers = new Map<CopyableStorageClass, ManifestWriter>();
  const excluded = { archived: { count: 0, bytes: 0 }, otherClasses: { count: 0, bytes: 0 }, toolFiles: 0 };
  let listed = 0;
  for await (const object of listObjects(clients.s3, { bucket: run.bucket, step: 'reencrypt' })) {
    if (run.signal?.aborted) {
      await Promise.all([...writers.values()].map((writer) => writer.abort()));
      return undefined;
    }
    listed += 1;
    if (listed % 1000 === 0) run.onListed?.(listed);
    if (object.key.startsWith(`${BATCH_PREFIX}/`)) {
      excluded.toolFiles += 1;
      continue;
    }
    const storageClass = object.storageClass;
    if (!isCopyableStorageClass(storageClass)) {
      const bucketOf = isArchived(storageClass) ? excluded.archived : excluded.otherClasses;
      bucketOf.count += 1;
      bucketOf.bytes += object.size;
      continue;
    }
    let writer = writers.get(storageClass);
    if (!writer) {
      const key = `${BATCH_PREFIX}/manifests/${run.runId}-${storageClass.toLowerCase()}.csv`;
      writer = new ManifestWriter(clients.s3, run.bucket, key, run.keyArn);
      writers.set(storageClass, writer);
    }
    if (run.dryRun) {
      writer.objects += 1;
      writer.bytes += object.size;
    } else await writer.add(object.key, object.size);
  }
  run.onListed?.(listed);

  const roleName = batchRoleName(run.bucket);
  const roleArn = batchRoleArn(run);
  const trustPolicy = batchRoleTrustPolicy();
  const rolePolicy = batchRolePolicy(run, 'csv');
  const jobs: BatchJob[] = [];
  for (const storageClass of COPYABLE_STORAGE_CLASSES) {
    const writer = writers.get(storageClass);
    if (!writer) continue;
    const manifest = run.dryRun
      ? {
          key: writer.key,
          etag: '<manifest ETag, known once written>',
          objects: writer.objects,
          bytes: writer.bytes,
        }
      : await writer.finish();
    const request = buildCreateJobRequest({
      ...run,
      storageClass,
      roleArn,
      manifest: { kind: 'csv', key: manifest.key, etag: manifest.etag },
      clientRequestToken: clientRequestToken([run.bucket, run.keyArn, manifest.key, manifest.etag]),
    });
    jobs.push({
      storageClass,
      objects: manifest.objects,
      bytes: manifest.bytes,
      manifestKey: manifest.key,
      request,
    });
  }

  if (!run.dryRun && jobs.length > 0) {
    if (!clients.iam || !clients.s3control)
      throw new Error('S3 Batch Operations needs the IAM and S3 Control clients');
    const created = await ensureRole(clients.iam, roleName, trustPolicy, rolePolicy);
    for (const job of jobs) job.jobId = await createJob(clients.s3control, job.request, created, sleep);
  }
  return {
    dryRun: run.dryRun,
    roleName,
    roleArn,
    trustPolicy,
    rolePolicy,
    jobs,
    excluded,
    confirmCommands: jobs.map(
      (job) =>
        `aws s3control update-job-status --region ${run.region} --account-id ${run.accountId} --job-id ${job.jobId ?? '<job id>'} --requested-job-status Ready`,
    ),
  };
}

/** Creates the role if it is missing and (re)puts its policy; true when the role is new. */
async function ensureRole(
  iam: IAMClient,
  roleName: string,
  trustPolicy: TrustPolicyDocument,
  rolePolicy: PolicyDocument,
): Promise<boolean> {
  let created = false;
  try {
    await iam.send(new GetRoleCommand({ RoleName: roleName }));
  } catch (error) {
    if (
      (error as { name?: string }).name !== 'NoSuchEntityException' &&
      (error as { name?: string }).name !== 'NoSuchEntity'
    ) {
      throw toAwsError('reencrypt', 'GetRole', error);
    }
    await awsCall('reencrypt', 'CreateRole', () =>
      iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
          Description: 'Runs the S3 Batch Operations copy jobs of create-encrypted-bucket reencrypt',
        }),
      ),
    );
    created = true;
  }
  await awsCall('reencrypt', 'PutRolePolicy', () =>
    iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: BATCH_ROLE_POLICY_NAME,
        PolicyDocument: JSON.stringify(rolePolicy),
      }),
    ),
  );
  return created;
}

/** A new role takes a few seconds to be assumable everywhere: retry only that refusal. */
async function createJob(
  s3control: S3ControlClient,
  request: CreateJobCommandInput,
  roleIsNew: boolean,
  sleep: (ms: number) => Promise<void>,
): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const output = await s3control.send(new CreateJobCommand(request));
      return output.JobId ?? '';
    } catch (error) {
      const message = (error as { message?: string }).message ?? '';
      if (!roleIsNew || attempt >= 5 || !/role|assume/i.test(message))
        throw toAwsError('reencrypt', 'CreateJob', error);
      await sleep(5_000);
    }
  }
}
