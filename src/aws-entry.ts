/*
 * Everything that needs the AWS SDK, behind one dynamic import: main() loads this module
 * only for apply, verify, scan and reencrypt, so --help, --version, the wizard's first
 * screen and render never pay for the SDK (esbuild splits it into its own chunk).
 */
export { discover } from './apply/discover.js';
export { callerAccountId, callerPrincipalArn, runApply } from './apply/run-apply.js';
export { assumeRoleClients, roleArnFor } from './aws/assume-role.js';
export { createClients } from './aws/clients.js';
export { listAccountRoles } from './aws/list-roles.js';
export { runVerifyCommand } from './verify/run-verify-command.js';
