import { partitionOf } from '../config/regions.js';
import type { ParsedArgs } from './args.js';
import type { RoleChoices } from './wizard-roles.js';

/**
 * The account's roles for the wizard's pick-list. Loads the SDK lazily (this module is only
 * imported once credentials are found), and never fails the run: a refusal or a slow answer
 * becomes the one-line path.
 */
export async function listRolesQuietly(args: ParsedArgs, region: string): Promise<RoleChoices> {
  const { createClients, listAccountRoles } = await import('../aws-entry.js');
  const clients = createClients({
    region,
    partition: partitionOf(region) ?? 'aws',
    ...(args.run.profile ? { profile: args.run.profile } : {}),
    ...(args.run.endpointUrl ? { endpoint: args.run.endpointUrl } : {}),
  });
  const timeout = new Promise<RoleChoices>((resolve) =>
    setTimeout(
      () => resolve({ ok: false, note: 'listing the roles took too long; type them instead' }),
      5000,
    ).unref(),
  );
  try {
    return await Promise.race([listAccountRoles(clients.iam), timeout]);
  } finally {
    clients.destroy();
  }
}
