import type { AwsOptions } from '../aws/clients.js';
import {
  assumeRoleClients,
  callerAccountId,
  createClients,
  roleArnFor,
  runVerifyCommand,
} from '../aws-entry.js';
import type { Io } from '../io.js';
import { isScheme } from '../plan/schemes.js';
import { formatScanProgress, progressReporter } from '../reencrypt/progress.js';
import { formatScanReport } from '../scan/format-scan-report.js';
import { scanBucket } from '../scan/scan-bucket.js';
import type { Ui } from '../ui/ui.js';
import type { ParsedArgs } from './args.js';
import { parseAwsCommandTarget } from './aws-command-target.js';
import { runReencryptCommand } from './reencrypt-command.js';

/** verify, scan and reencrypt: commands that work on an existing bucket through the SDK. */
export async function runAwsCommand(args: ParsedArgs, ui: Ui, io: Io): Promise<number> {
  const target = parseAwsCommandTarget(args, { keyRequired: args.command !== 'scan' });
  const aws: AwsOptions = {
    region: target.region,
    partition: target.partition,
    ...(args.run.profile ? { profile: args.run.profile } : {}),
    ...(args.run.endpointUrl ? { endpoint: args.run.endpointUrl } : {}),
  };
  const clients = createClients(aws);
  const json = (value: unknown) => {
    if (args.run.json) io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };
  try {
    switch (args.command) {
      case 'verify': {
        const verifyRole = args.answers.verifyRole;
        const applicationClients = verifyRole
          ? await assumeRoleClients(
              aws,
              clients,
              roleArnFor(verifyRole, await callerAccountId(clients), target.partition),
              'verify',
            )
          : undefined;
        try {
          const report = await runVerifyCommand(
            { ...target, ...(args.run.object ? { object: args.run.object } : {}) },
            clients,
            ui,
            applicationClients,
          );
          json(report);
          return report.ok ? 0 : 1;
        } finally {
          applicationClients?.destroy();
        }
      }
      case 'scan': {
        const progress = progressReporter(ui, formatScanProgress, {
          title: `Scanning s3://${target.bucket}`,
        });
        const report = await scanBucket(
          {
            bucket: target.bucket,
            ...(target.keyArn ? { keyArn: target.keyArn } : {}),
            full: args.run.full,
            ...(target.concurrency ? { concurrency: target.concurrency } : {}),
            onProgress: progress.onProgress,
          },
          clients.s3,
        ).finally(() => progress.done('Scan finished'));
        // With --scheme, the report says what moving the objects to that scheme takes.
        const scheme = isScheme(args.answers.scheme) ? args.answers.scheme : undefined;
        ui.note(formatScanReport(report, scheme), `Objects in s3://${target.bucket} by encryption`);
        // "Could not read" is not "nothing to do".
        const ok = report.couldNotRead.count === 0;
        json({ ok, ...report });
        return ok ? 0 : 1;
      }
      case 'reencrypt':
        return await runReencryptCommand(args, target, aws, clients, ui, json);
      default:
        return 2;
    }
  } finally {
    clients.destroy();
  }
}
