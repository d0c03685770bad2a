import {
  CreateJobCommand,
  type CreateJobCommandInput,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { toAwsError } from '../../aws/aws-call.js';
import {
  buildGeneratedJobRequest,
  type GeneratedJobKind,
  type GeneratedJobTarget,
  generatedJobKinds,
} from '../../plan/reencrypt-jobs.js';

export interface BatchJob {
  kind: GeneratedJobKind;
  /** Set once CreateJob answered; the job then waits for confirmation (ConfirmationRequired). */
  jobId?: string;
  request: CreateJobCommandInput;
}

export interface BatchJobsResult {
  dryRun: boolean;
  roleArn: string;
  jobs: BatchJob[];
  /** One per job: the aws CLI command that lets it start. */
  confirmCommands: string[];
}

export interface BatchRun extends GeneratedJobTarget {
  region: string;
  dryRun: boolean;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the jobs, each over a manifest S3 generates, each waiting for confirmation. Nothing
 * is listed from here. A dry run builds the requests and sends nothing. CreateJob with the
 * same client request token returns the job already created, so a re-run after a failure
 * creates only what is missing.
 */
export async function runBatchJobs(
  run: BatchRun,
  clients: { s3control?: S3ControlClient | undefined },
  sleep = sleepFor,
): Promise<BatchJobsResult> {
  const jobs: BatchJob[] = generatedJobKinds().map((kind) => ({
    kind,
    request: buildGeneratedJobRequest(run, kind),
  }));
  if (!run.dryRun) {
    if (!clients.s3control) throw new Error('S3 Batch Operations needs the S3 Control client');
    for (const job of jobs) job.jobId = await createJob(clients.s3control, job.request, sleep);
  }
  return {
    dryRun: run.dryRun,
    roleArn: run.roleArn,
    jobs,
    confirmCommands: jobs.map(
      (job) =>
        `aws s3control update-job-status --region ${run.region} --account-id ${run.accountId} --job-id ${job.jobId ?? '<job id>'} --requested-job-status Ready`,
    ),
  };
}

/** Throttled or briefly unavailable: try again with the same token (the same job). */
async function createJob(
  s3control: S3ControlClient,
  request: CreateJobCommandInput,
  sleep: (ms: number) => Promise<void>,
): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const output = await s3control.send(new CreateJobCommand(request));
      return output.JobId ?? '';
    } catch (error) {
      const wrapped = toAwsError('reencrypt', 'CreateJob', error);
      const status = wrapped.httpStatus ?? 0;
      if (attempt >= 3 || !(status >= 500 || /TooManyRequests|Throttl/.test(wrapped.errorName)))
        throw wrapped;
      await sleep(2_000 * (attempt + 1));
    }
  }
}
