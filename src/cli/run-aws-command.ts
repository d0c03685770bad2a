import { createClients, runVerifyCommand } from '../aws-entry.js';
import { validateBucket, validateKeyArn, validateRegion } from '../config/fields.js';
import { partitionOf } from '../config/regions.js';
import { ConfigError } from '../errors.js';
import type { Io } from '../io.js';
import type { Ui } from '../ui/ui.js';
import type { ParsedArgs } from './args.js';

/** verify, scan and reencrypt: commands that work on an existing bucket through the SDK. */
export async function runAwsCommand(args: ParsedArgs, ui: Ui, io: Io): Promise<number> {
  const { bucket, region } = requireTarget(args);
  const scheme = args.answers.scheme === 'sse-s3' ? 'sse-s3' : 'sse-kms';
  const keyArn = args.answers.existingKey;
  if (scheme === 'sse-kms') {
    if (keyArn === undefined)
      throw new ConfigError('missing: pass --key with the full key ARN', { field: '--key' });
    const problem = validateKeyArn(keyArn, region);
    if (problem) throw new ConfigError(`--key: ${problem}`, { field: '--key' });
  }
  const clients = createClients({
    region,
    partition: partitionOf(region) ?? 'aws',
    ...(args.run.profile ? { profile: args.run.profile } : {}),
    ...(args.run.endpointUrl ? { endpoint: args.run.endpointUrl } : {}),
  });
  try {
    const target = {
      bucket,
      region,
      scheme,
      ...(keyArn ? { keyArn } : {}),
      ...(args.run.object ? { object: args.run.object } : {}),
    } as const;
    switch (args.command) {
      case 'verify': {
        const report = await runVerifyCommand(target, clients, ui);
        if (args.run.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.ok ? 0 : 1;
      }
      default:
        throw new ConfigError(`the ${args.command} command is not available yet`, { field: 'command' });
    }
  } finally {
    clients.destroy();
  }
}

function requireTarget(args: ParsedArgs): { bucket: string; region: string } {
  const { bucket, region } = args.answers;
  const problems = [
    bucket === undefined
      ? '--bucket: missing: pass --bucket'
      : validateBucket(bucket) && `--bucket: ${validateBucket(bucket)}`,
    region === undefined
      ? '--region: missing: pass --region'
      : validateRegion(region) && `--region: ${validateRegion(region)}`,
  ].filter((problem): problem is string => Boolean(problem));
  if (problems.length > 0 || bucket === undefined || region === undefined) {
    throw new ConfigError(`Invalid input:\n  ${problems.join('\n  ')}`, {
      field: problems[0]?.split(':')[0],
    });
  }
  return { bucket, region };
}
