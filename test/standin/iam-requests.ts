import type { MotoState } from './moto-state.js';
import type { AuthorizationRequest, Caller, RequestContext } from './types.js';

/** An IAM or STS query-protocol request -> what IAM authorizes: iam:ACTION on the role or policy. */
export async function judgeIam(
  parameters: URLSearchParams,
  caller: Caller,
  state: MotoState,
): Promise<AuthorizationRequest> {
  const operation = parameters.get('Action') ?? '';
  const context = principalContext(caller);
  const roleName = parameters.get('RoleName');
  const policyArn = parameters.get('PolicyArn');
  let resource = '*';
  if (roleName) {
    const path = parameters.get('Path') ?? '/';
    resource = (await state.roleArn(roleName)) ?? `arn:aws:iam::${caller.accountId}:role${path}${roleName}`;
    if (policyArn) context['iam:PolicyARN'] = policyArn;
  } else if (policyArn) {
    resource = policyArn;
  }
  return { action: `iam:${operation}`, resource, context, service: 'iam' };
}

/** sts:AssumeRole: the caller's identity policies and the role's trust policy both decide. */
export async function judgeAssumeRole(
  parameters: URLSearchParams,
  caller: Caller,
  state: MotoState,
): Promise<AuthorizationRequest> {
  const roleArn = parameters.get('RoleArn') ?? '';
  const roleName = roleArn.split('/').pop() ?? '';
  const trust = await state.trustPolicy(roleName);
  return {
    action: 'sts:AssumeRole',
    resource: roleArn,
    context: principalContext(caller),
    ...(trust ? { resourcePolicy: trust } : {}),
    service: 'sts',
  };
}

function principalContext(caller: Caller): RequestContext {
  return { 'aws:PrincipalArn': caller.principalArn, 'aws:PrincipalAccount': caller.accountId };
}
