export { formatVerificationTable } from './format-verification-table.js';
export { runVerifyCommand } from './run-verify-command.js';
export { verifySetup } from './verify-setup.js';
export type { VerifyTarget } from './verify-target.js';
