import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { assumeRoleClients, roleArnFor } from '../aws/assume-role.js';
import type { AwsClients, AwsOptions } from '../aws/clients.js';
import { ConfigError } from '../errors.js';
import { describeReencryptJob, formatJobStatus } from '../reencrypt/batch/job-status.js';
import { defaultCheckpointPath } from '../reencrypt/checkpoint.js';
import { formatReencryptReport } from '../reencrypt/format-report.js';
import { formatReencryptProgress, progressReporter } from '../reencrypt/progress.js';
import { reencryptBucket } from '../reencrypt/reencrypt-bucket.js';
import { createS3ControlClient } from '../reencrypt/s3-control-client.js';
import type { ReencryptMethod } from '../reencrypt/types.js';
import { shellQuote } from '../render/shell-quote.js';
import type { Ui } from '../ui/ui.js';
import type { ParsedArgs } from './args.js';
import type { AwsCommandTarget } from './aws-command-target.js';
import { fromUserCwd, userCwd } from './user-cwd.js';

/**
 * `reencrypt`: rewrites objects in place with the bucket's key. It changes LastModified and
 * fires notifications, so it asks first (or needs --yes), like apply. Ctrl-C stops cleanly
 * after the requests in flight; the same command continues from the checkpoint.
 */
export async function runReencryptCommand(
  args: ParsedArgs,
  target: AwsCommandTarget,
  aws: AwsOptions,
  clients: AwsClients,
  ui: Ui,
  json: (value: unknown) => void,
): Promise<number> {
  const keyArn = target.keyArn as string;
  const method = args.run.method ?? 'auto';
  if (method !== 'auto' && method !== 'update-encryption' && method !== 'copy') {
    throw new ConfigError(`--method ${JSON.stringify(method)} is not one of auto, update-encryption, copy`, {
      field: '--method',
      hint: 'auto uses UpdateObjectEncryption on AWS itself and CopyObject on other endpoints',
    });
  }
  // Re-encryption runs as the re-encryption role: assumed here when named, as verify does.
  const role = args.answers.reencryptRoles?.[0];
  const roleArn = role ? roleArnFor(role, await accountOf(clients, keyArn), target.partition) : undefined;
  const acting = roleArn ? await assumeRoleClients(aws, clients, roleArn, 'reencrypt') : clients;
  try {
    if (args.run.job !== undefined) {
      const s3control = createS3ControlClient(aws, acting);
      try {
        const status = await describeReencryptJob(
          { jobId: args.run.job, accountId: await accountOf(acting, keyArn), bucket: target.bucket },
          { s3: acting.s3, s3control },
        );
        ui.note(formatJobStatus(status), `Batch Operations job ${args.run.job}`);
        json({ ok: status.state !== 'failed', ...status });
        return status.state === 'failed' ? 1 : 0;
      } finally {
        s3control.destroy();
      }
    }
    return await reencrypt(args, target, aws, acting, ui, json, {
      keyArn,
      method,
      ...(roleArn ? { roleArn } : {}),
    });
  } finally {
    if (acting !== clients) acting.destroy();
  }
}

async function accountOf(clients: AwsClients, keyArn: string): Promise<string> {
  const identity = await clients.sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
  return identity?.Account ?? keyArn.split(':')[4] ?? '';
}

async function reencrypt(
  args: ParsedArgs,
  target: AwsCommandTarget,
  aws: AwsOptions,
  clients: AwsClients,
  ui: Ui,
  json: (value: unknown) => void,
  run: { keyArn: string; method: ReencryptMethod; roleArn?: string },
): Promise<number> {
  const { keyArn } = run;
  const checkpointPath =
    args.run.checkpoint === undefined
      ? defaultCheckpointPath(target.bucket, keyArn, userCwd())
      : fromUserCwd(args.run.checkpoint);
  if (!args.run.dryRun && !args.run.yes) {
    if (!ui.interactive) {
      throw new ConfigError('reencrypt rewrites objects: pass --yes to run it without a terminal', {
        field: '--yes',
        hint: 'or --dry-run to list what would change',
      });
    }
    const go = await ui.confirm({
      message: `Re-encrypt the objects of s3://${target.bucket} that are not on this key? (copies in place: LastModified changes, notifications fire)`,
      initialValue: false,
    });
    if (!go) return 130;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  const s3control = createS3ControlClient(aws, clients);
  const progress = progressReporter(ui, formatReencryptProgress, {
    title: `${args.run.dryRun ? 'Checking' : 'Re-encrypting'} s3://${target.bucket}`,
  });
  try {
    const report = await reencryptBucket(
      {
        bucket: target.bucket,
        keyArn,
        checkpointPath,
        dryRun: args.run.dryRun,
        batchOperations: args.run.batchOperations,
        method: run.method,
        allVersions: args.run.allVersions,
        ...(run.roleArn ? { roleArn: run.roleArn } : {}),
        ...(target.concurrency ? { concurrency: target.concurrency } : {}),
        signal: controller.signal,
        onProgress: progress.onProgress,
      },
      { s3: clients.s3, iam: clients.iam, sts: clients.sts, s3control },
    );
    progress.done(report.aborted ? 'Stopped; progress is saved.' : 'Finished.');
    // The retry command must reach the same account and endpoint as this run.
    const connection = [
      ...(args.run.profile ? [`--profile ${shellQuote(args.run.profile)}`] : []),
      ...(args.run.endpointUrl ? [`--endpoint-url ${shellQuote(args.run.endpointUrl)}`] : []),
      ...(args.answers.reencryptRoles?.[0]
        ? [`--reencrypt-role ${shellQuote(args.answers.reencryptRoles[0])}`]
        : []),
      ...(run.method !== 'auto' ? [`--method ${run.method}`] : []),
      ...(args.run.allVersions ? ['--all-versions'] : []),
    ];
    const shown =
      report.retryCommand && connection.length > 0
        ? { ...report, retryCommand: [report.retryCommand, ...connection].join(' ') }
        : report;
    ui.note(formatReencryptReport(shown), `Re-encryption of s3://${target.bucket}`);
    json({ ok: !report.aborted && report.failed.length === 0, ...shown });
    if (report.aborted) return 130;
    return report.failed.length > 0 ? 1 : 0;
  } catch (error) {
    progress.failed('Stopped by an error; progress is saved.');
    throw error;
  } finally {
    process.off('SIGINT', stop);
    s3control.destroy();
  }
}
