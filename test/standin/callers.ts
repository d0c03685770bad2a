import type { Caller } from './types.js';

/**
 * Access keys -> principals. The stand-in learns temporary keys from the AssumeRole responses
 * it forwards (moto's STS issues them), as AWS knows which session a key belongs to.
 */
export class Callers {
  private readonly byAccessKey = new Map<string, Caller>();

  constructor(private readonly fixed: ReadonlyMap<string, Caller>) {}

  find(accessKeyId: string): Caller | undefined {
    return this.fixed.get(accessKeyId) ?? this.byAccessKey.get(accessKeyId);
  }

  learn(accessKeyId: string, caller: Caller): void {
    this.byAccessKey.set(accessKeyId, caller);
  }

  forget(): void {
    this.byAccessKey.clear();
  }
}

/** An assumed-role session of role `roleArn` (path kept in the role ARN, dropped in the session). */
export function roleSession(roleArn: string, sessionName: string): Caller {
  const [, partition = 'aws', , , accountId = '', resource = ''] = roleArn.split(':');
  const roleName = resource.split('/').pop() ?? '';
  return {
    principal: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    principalArn: roleArn,
    accountId,
    roleName,
  };
}

export function rootUser(accountId: string): Caller {
  const arn = `arn:aws:iam::${accountId}:root`;
  return { principal: arn, principalArn: arn, accountId };
}
