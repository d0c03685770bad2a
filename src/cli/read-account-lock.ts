import type { AccountState } from '../apply/state.js';
import { type LockedPlan, lockPlan } from '../render/lock-plan.js';
import type { Plan } from '../types.js';
import type { Ui } from '../ui/ui.js';

/**
 * Render with credentials reads the account with apply's discovery (read-only) and merges into
 * it. With --discover a failed read fails the run; without, render goes on offline, and setup.sh
 * then refuses if it finds anything to merge. What discovery found (a blocker) always refuses.
 */
export async function readAccountLock(
  session: { discover: (plan: Plan) => Promise<AccountState> },
  plan: Plan,
  required: boolean,
  ui: Ui,
): Promise<LockedPlan | undefined> {
  let state: AccountState;
  try {
    state = await session.discover(plan);
  } catch (error) {
    if (required) throw error;
    ui.warn(
      `Could not read the account (${error instanceof Error ? error.message : String(error)}); rendering offline: setup.sh refuses if the bucket already has a policy or a key exists for it (under the alias, or tagged for the bucket). Pass --discover to make this an error.`,
    );
    return undefined;
  }
  const locked = lockPlan(plan, state);
  ui.info(
    locked.kept.length > 0
      ? `Read the account: policies/bucket-policy.json keeps ${locked.kept.length} statement(s) of others (${locked.kept.join(', ')}).`
      : 'Read the account: setup.sh refuses to run if it changes before then.',
  );
  return locked;
}
