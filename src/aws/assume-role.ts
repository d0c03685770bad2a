import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Partition } from '../types.js';
import { awsCall } from './aws-call.js';
import { type AwsClients, type AwsOptions, createClients } from './clients.js';

/** A role name (with or without a path) or ARN -> the ARN to assume in `accountId`. */
export function roleArnFor(role: string, accountId: string, partition: Partition = 'aws'): string {
  if (role.startsWith('arn:')) return role;
  const path = role.includes('/') ? `/${role.replace(/^\/+/, '')}` : `/${role}`;
  return `arn:${partition}:iam::${accountId}:role${path}`;
}

/**
 * Clients acting as `roleArn`, through STS AssumeRole with the caller's credentials: how apply
 * and verify run the checks only an application role may pass (--verify-role).
 */
export async function assumeRoleClients(
  options: AwsOptions,
  caller: AwsClients,
  roleArn: string,
  step: string,
): Promise<AwsClients> {
  const answer = await awsCall(step, 'AssumeRole', () =>
    caller.sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'create-encrypted-bucket-verify' }),
    ),
  );
  const issued = answer.Credentials;
  if (!issued?.AccessKeyId || !issued.SecretAccessKey) {
    throw new Error(`AssumeRole ${roleArn} returned no credentials`);
  }
  return createClients({
    ...options,
    credentials: {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      ...(issued.SessionToken ? { sessionToken: issued.SessionToken } : {}),
    },
  });
}
