import { GetRoleCommand, GetRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsCall } from '../aws/aws-call.js';
import type { AwsClients } from '../aws/clients.js';
import type { Plan, PlanStep } from '../types.js';
import { discoverBucket } from './discover-bucket.js';
import { discoverKey } from './discover-key.js';
import { storedPolicy } from './policy-json.js';
import { readIfExists } from './reads.js';
import type { AccountState, CallerIdentity, RoleState } from './state.js';

const NO_SUCH_ENTITY = ['NoSuchEntityException', 'NoSuchEntity'];

/** One answer per set of clients: main() asks for the account and the caller before apply does. */
const identities = new WeakMap<AwsClients, Promise<CallerIdentity>>();

export function callerIdentity(clients: AwsClients): Promise<CallerIdentity> {
  const known = identities.get(clients);
  if (known) return known;
  const asking = awsCall('identify the caller', 'GetCallerIdentity', () =>
    clients.sts.send(new GetCallerIdentityCommand({})),
  ).then((answer) => ({ account: answer.Account ?? '', arn: answer.Arn ?? '' }));
  identities.set(clients, asking);
  // A failure is not remembered: the next call asks again.
  asking.catch(() => identities.delete(clients));
  return asking;
}

/**
 * The IAM ARN of the principal behind an STS caller ARN: an assumed-role session
 * (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION) names its role without the path, so the
 * role's real ARN comes from IAM GetRole (SSO roles live under /aws-reserved/sso.amazonaws.com/
 * and policies must name that path). Users and the root already are IAM ARNs. Undefined when the
 * role cannot be read: the caller then has to be named with --key-admin-role.
 */
export async function callerPrincipalArn(clients: AwsClients): Promise<string | undefined> {
  const caller = await callerIdentity(clients);
  const roleName = assumedRoleName(caller.arn);
  if (roleName === undefined) return caller.arn.startsWith('arn:') ? caller.arn : undefined;
  const role = await clients.iam.send(new GetRoleCommand({ RoleName: roleName })).catch(() => undefined);
  return role?.Role?.Arn;
}

/** NAME of arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION, else undefined. */
export function assumedRoleName(stsArn: string): string | undefined {
  return /^arn:[\w-]+:sts::\d{12}:assumed-role\/([^/]+)\/[^/]+$/.exec(stsArn)?.[1];
}

/**
 * Reads everything apply may change, and nothing else; never writes. One round of reads:
 * the caller, the bucket, the key and the roles together; then one more for what needs the
 * key's id. A failure of the caller's read is the error reported (one clear error for missing
 * credentials or an unreachable endpoint), whatever else failed with it.
 */
export async function discover(clients: AwsClients, plan: Plan): Promise<AccountState> {
  const { bucket, region, accountId } = plan.config;
  const [callerRead, rest] = await Promise.allSettled([
    callerIdentity(clients),
    Promise.all([
      discoverBucket(clients.s3, bucket, region, accountId),
      discoverKey(clients.kms, plan),
      Promise.all(plan.steps.filter(isRoleStep).map((step) => discoverRole(clients.iam, step))),
    ]),
  ]);
  if (callerRead.status === 'rejected') throw callerRead.reason;
  if (rest.status === 'rejected') throw rest.reason;
  const caller = callerRead.value;
  const [bucketState, key, roles] = rest.value;
  const warnings = [...key.warnings];
  if (bucketState.status === 'exists' && bucketState.holdsObjects === undefined) {
    warnings.push(
      `discover: bucket: could not list s3://${bucket} (s3:ListBucket denied), so existing objects were not checked.`,
    );
  }
  return {
    caller,
    bucket: bucketState,
    key: key.key,
    ...(key.tagged ? { taggedKeys: key.tagged } : {}),
    roles,
    blockers: key.blockers,
    warnings,
  };
}

type RoleStep = Extract<PlanStep, { kind: 'iam.putRolePolicy' }>;

function isRoleStep(step: PlanStep): step is RoleStep {
  return step.kind === 'iam.putRolePolicy';
}

async function discoverRole(iam: IAMClient, step: RoleStep): Promise<RoleState> {
  const label = `discover: role ${step.role.name}`;
  const [role, inline] = await Promise.all([
    readIfExists(label, 'GetRole', NO_SUCH_ENTITY, () =>
      iam.send(new GetRoleCommand({ RoleName: step.role.name })),
    ),
    readIfExists(label, 'GetRolePolicy', NO_SUCH_ENTITY, () =>
      iam.send(new GetRolePolicyCommand({ RoleName: step.role.name, PolicyName: step.policyName })),
    ),
  ]);
  return {
    role: step.role,
    kind: step.roleKind,
    policyName: step.policyName,
    actualArn: role?.Role?.Arn,
    policy: inline?.PolicyDocument ? storedPolicy(inline.PolicyDocument) : undefined,
  };
}
