import { type IAMClient, paginateListRoles } from '@aws-sdk/client-iam';

export interface AccountRole {
  /** What a roles answer takes: the name for roles at /, the ARN (with its path) otherwise. */
  value: string;
  name: string;
  path: string;
}

export type RoleListing = { ok: true; roles: AccountRole[] } | { ok: false; note: string };

/**
 * Every role of the account, for the wizard's pick-list. Service-linked roles
 * (/aws-service-role/) are left out: AWS owns their policies and they take no duty here.
 * A refusal is a note, never a failure: the wizard falls back to typing the names.
 */
export async function listAccountRoles(iam: IAMClient): Promise<RoleListing> {
  const roles: AccountRole[] = [];
  try {
    for await (const page of paginateListRoles({ client: iam }, {})) {
      for (const role of page.Roles ?? []) {
        const path = role.Path ?? '/';
        if (!role.RoleName || !role.Arn || path.startsWith('/aws-service-role/')) continue;
        roles.push({ name: role.RoleName, path, value: path === '/' ? role.RoleName : role.Arn });
      }
    }
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const note =
      status === 403 || /AccessDenied|NotAuthorized/.test(name)
        ? 'cannot list the roles (iam:ListRoles denied); type them instead'
        : `cannot list the roles (${name || (error as Error).message}); type them instead`;
    return { ok: false, note };
  }
  roles.sort((a, b) => a.name.localeCompare(b.name));
  return { ok: true, roles };
}
