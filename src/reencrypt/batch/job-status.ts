import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeJobCommand, type JobDescriptor, type S3ControlClient } from '@aws-sdk/client-s3-control';
import { awsCall } from '../../aws/aws-call.js';
import { formatCount } from '../../scan/units.js';

/*
 * `reencrypt --job ID`: a Batch Operations job's state, and once it is done a summary of its
 * completion report (done, failed, and why). DescribeJob gives the counts; the report's
 * manifest.json names the result CSVs, whose failed rows carry the error code and message.
 * The failed rows are streamed line by line and only tallied, so a report of any size fits.
 */

export interface FailureReason {
  code: string;
  count: number;
  example: { key: string; message: string };
}

export interface JobStatus {
  jobId: string;
  /** As S3 names it: Suspended (waiting for confirmation), Active, Complete, Failed, ... */
  status: string;
  state: 'waiting-confirmation' | 'running' | 'complete' | 'failed' | 'cancelled' | 'other';
  operation: string;
  total: number;
  succeeded: number;
  failed: number;
  /** Why the job itself failed (not its tasks). */
  jobFailures: string[];
  /** Failed tasks by error code, from the completion report. */
  reasons: FailureReason[];
  reportRead: boolean;
  reportNote?: string;
  confirmCommand?: string;
}

const MAX_REASONS = 10;

export async function describeReencryptJob(
  request: { jobId: string; accountId: string; bucket: string; region?: string },
  clients: { s3: S3Client; s3control: S3ControlClient },
): Promise<JobStatus> {
  const described = await awsCall('reencrypt', 'DescribeJob', () =>
    clients.s3control.send(new DescribeJobCommand({ AccountId: request.accountId, JobId: request.jobId })),
  );
  const job: JobDescriptor = described.Job ?? {};
  const status = job.Status ?? 'Unknown';
  const progress = job.ProgressSummary ?? {};
  const result: JobStatus = {
    jobId: request.jobId,
    status,
    state: stateOf(status),
    operation: Object.keys(job.Operation ?? {})[0] ?? 'unknown',
    total: progress.TotalNumberOfTasks ?? 0,
    succeeded: progress.NumberOfTasksSucceeded ?? 0,
    failed: progress.NumberOfTasksFailed ?? 0,
    jobFailures: (job.FailureReasons ?? []).map((reason) => `${reason.FailureCode}: ${reason.FailureReason}`),
    reasons: [],
    reportRead: false,
  };
  if (result.state === 'waiting-confirmation') {
    result.confirmCommand = `aws s3control update-job-status --account-id ${request.accountId} --job-id ${request.jobId} --requested-job-status Ready`;
  }
  const report = job.Report;
  if ((result.state === 'complete' || result.state === 'failed') && report?.Enabled && report.Bucket) {
    const bucket = report.Bucket.replace(/^arn:[^:]+:s3:::/, '');
    const prefix = report.Prefix ? `${report.Prefix.replace(/\/$/, '')}/` : '';
    const manifestKey = `${prefix}job-${request.jobId}/manifest.json`;
    try {
      const manifest = JSON.parse(await readText(clients.s3, bucket, manifestKey)) as {
        Results?: { TaskExecutionStatus?: string; Bucket?: string; Key?: string }[];
      };
      const tally = new Map<string, FailureReason>();
      for (const entry of manifest.Results ?? []) {
        if (entry.TaskExecutionStatus !== 'failed' || !entry.Key) continue;
        await tallyFailures(clients.s3, entry.Bucket ?? bucket, entry.Key, tally);
      }
      result.reasons = [...tally.values()].sort((a, b) => b.count - a.count).slice(0, MAX_REASONS);
      result.reportRead = true;
    } catch (error) {
      result.reportNote = `the completion report s3://${bucket}/${manifestKey} could not be read (${(error as Error).message}); the counts above come from DescribeJob`;
    }
  }
  return result;
}

function stateOf(status: string): JobStatus['state'] {
  switch (status) {
    case 'Suspended':
    case 'New':
    case 'Preparing':
      return status === 'Suspended' ? 'waiting-confirmation' : 'running';
    case 'Ready':
    case 'Active':
    case 'Pausing':
    case 'Paused':
    case 'Completing':
      return 'running';
    case 'Complete':
      return 'complete';
    case 'Failed':
    case 'Failing':
      return 'failed';
    case 'Cancelled':
    case 'Cancelling':
      return 'cancelled';
    default:
      return 'other';
  }
}

async function body(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  const answer = await awsCall('reencrypt', 'GetObject', () =>
    s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
  );
  return answer.Body as Readable;
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await body(s3, bucket, key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** Report_CSV_20180820 rows: Bucket,Key,VersionId,TaskStatus,ErrorCode,HTTPStatusCode,ResultMessage. */
async function tallyFailures(s3: S3Client, bucket: string, key: string, tally: Map<string, FailureReason>) {
  const lines = createInterface({ input: await body(s3, bucket, key), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const [, objectKey = '', , taskStatus = '', errorCode = '', httpStatus = '', ...message] = splitCsv(line);
    if (taskStatus.toLowerCase() !== 'failed') continue;
    const code = errorCode || `HTTP ${httpStatus || '?'}`;
    const reason = tally.get(code) ?? {
      code,
      count: 0,
      example: { key: decodeURIComponent(objectKey), message: message.join(',') },
    };
    reason.count += 1;
    tally.set(code, reason);
  }
}

function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quoted && char === '"' && line[index + 1] === '"') {
      cell += '"';
      index += 1;
    } else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

export function formatJobStatus(status: JobStatus): string {
  const lines = [`Job ${status.jobId} (${status.operation}): ${status.status}`];
  if (status.state === 'waiting-confirmation') {
    lines.push('It waits for your confirmation (ConfirmationRequired). Review it, then start it with:');
    lines.push(`  ${status.confirmCommand}`);
  }
  if (status.total > 0 || status.state === 'complete') {
    lines.push(
      `Tasks: ${formatCount(status.total)}; done ${formatCount(status.succeeded)}, failed ${formatCount(status.failed)}`,
    );
  }
  for (const failure of status.jobFailures) lines.push(`The job failed: ${failure}`);
  if (status.reasons.length > 0) {
    lines.push('Why tasks failed (from the completion report):');
    for (const reason of status.reasons) {
      lines.push(
        `  ${reason.code}: ${formatCount(reason.count)}, e.g. ${reason.example.key}${reason.example.message ? `: ${reason.example.message}` : ''}`,
      );
    }
  }
  if (status.reportNote) lines.push(`Note: ${status.reportNote}`);
  if (status.state === 'running') lines.push('Still running: run the same command again later.');
  return lines.join('\n');
}
