import {
  assumeRoleClients,
  callerAccountId,
  callerPrincipalArn,
  createClients,
  discover,
  roleArnFor,
  runApply,
  runVerifyCommand,
} from '../aws-entry.js';
import { partitionOf } from '../config/regions.js';
import type { Plan } from '../types.js';
import type { Ui } from '../ui/ui.js';
import type { ParsedArgs } from './args.js';
import { reportOlderObjects } from './older-objects.js';
import { userCwd } from './user-cwd.js';

/** One set of AWS clients for a run: reads the account id, applies the plan, verifies it. */
export function openApplySession(args: ParsedArgs, region: string | undefined) {
  const resolvedRegion = region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const aws = {
    region: resolvedRegion,
    partition: partitionOf(resolvedRegion) ?? 'aws',
    ...(args.run.profile ? { profile: args.run.profile } : {}),
    ...(args.run.endpointUrl ? { endpoint: args.run.endpointUrl } : {}),
  };
  const clients = createClients(aws);
  return {
    accountId: () => callerAccountId(clients),
    /** The principal running apply, as an IAM ARN (its role's ARN with the path). */
    callerArn: () => callerPrincipalArn(clients),
    /** Apply's discovery, read-only: what render merges into and locks. */
    discover: (plan: Plan) => discover(clients, plan),
    async apply(plan: Plan, ui: Ui) {
      const result = await runApply(
        plan,
        {
          aws,
          clients,
          dryRun: args.run.dryRun,
          yes: args.run.yes,
          verify: args.run.verify,
          backupDir: userCwd(),
        },
        ui,
      );
      const bucketIsNew = result.diff.some(
        (step) => step.step === 's3.createBucket' && step.status === 'create',
      );
      const olderObjects = bucketIsNew
        ? undefined
        : await reportOlderObjects(plan, result.keyArn, clients, ui);
      if (args.run.dryRun || !args.run.verify) return { ...result, olderObjects };
      const { config } = plan;
      const verifyRole = args.answers.verifyRole;
      const applicationClients = verifyRole
        ? await assumeRoleClients(
            aws,
            clients,
            roleArnFor(verifyRole, result.accountId, aws.partition),
            'verify',
          )
        : undefined;
      const exampleRole = config.roles.app[0]?.name ?? '<application role>';
      try {
        const verification = await runVerifyCommand(
          {
            bucket: config.bucket,
            region: config.region,
            // The bucket layer verify checks: the client-side schemes reuse sse-kms's and sse-s3's.
            scheme: config.key ? 'sse-kms' : 'sse-s3',
            ...(result.keyArn ? { keyArn: result.keyArn } : {}),
            ...(config.key?.kind === 'new' ? { rotationDays: config.key.rotationDays } : {}),
            // apply runs as whoever administers the account, never as an application role.
            seat: 'administrator',
            applicationCommand: [
              'npx create-encrypted-bucket verify',
              `--bucket ${config.bucket} --region ${config.region}`,
              ...(result.keyArn ? [`--key ${result.keyArn}`] : []),
              `--verify-role ${exampleRole}`,
            ].join(' '),
          },
          clients,
          ui,
          applicationClients,
        );
        return { ...result, olderObjects, verification };
      } finally {
        applicationClients?.destroy();
      }
    },
    close: () => clients.destroy(),
  };
}
