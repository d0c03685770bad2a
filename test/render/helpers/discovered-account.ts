import type { AccountState } from '../../../src/apply/state.js';

/* An account as apply's discovery reports it, for render's pure lock stage: one existing bucket. */

export const DISCOVERED_CALLER = { account: '123456789012', arn: 'arn:aws:iam::123456789012:role/admin' };

/** An existing bucket in eu-west-1 holding `policyText` (none when undefined), no key, no role policy. */
export function discoveredAccount(
  policyText: string | undefined,
  overrides: Partial<AccountState> = {},
): AccountState {
  return {
    caller: DISCOVERED_CALLER,
    bucket: {
      status: 'exists',
      region: 'eu-west-1',
      encryption: undefined,
      policy: policyText === undefined ? undefined : { text: policyText, document: JSON.parse(policyText) },
      publicAccessBlock: undefined,
      holdsObjects: false,
    },
    key: undefined,
    roles: [],
    blockers: [],
    warnings: [],
    ...overrides,
  };
}
