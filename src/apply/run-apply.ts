import { type AwsClients, createClients } from '../aws/clients.js';
import { CancelledError, ConfigError } from '../errors.js';
import type { Plan } from '../types.js';
import { plural } from '../ui/plural.js';
import type { Ui } from '../ui/ui.js';
import { buildBackup, writeBackup } from './backup.js';
import type { ApplyOptions, ApplyResult } from './contract.js';
import { diffPlan, knownKeyArn } from './diff.js';
import { callerIdentity, callerPrincipalArn, discover } from './discover.js';
import { execute } from './execute.js';
import { countChanges, formatDiff } from './format-diff.js';
import { preflight } from './preflight.js';

/** The account the credentials belong to; main() fills the plan's account id with it. */
export async function callerAccountId(clients: AwsClients): Promise<string> {
  return (await callerIdentity(clients)).account;
}

export { callerPrincipalArn };

/**
 * Brings the account to the plan: discover (reads only), diff, show, refuse or confirm,
 * back up, write. Converges: a re-run after success writes nothing, a re-run after a
 * failure finishes the job. Verification is main()'s next stage; `verification` stays unset.
 */
export async function runApply(plan: Plan, options: ApplyOptions, ui: Ui): Promise<ApplyResult> {
  const clients = options.clients ?? createClients(options.aws);
  try {
    return await applyWith(clients, plan, options, ui);
  } finally {
    if (!options.clients) clients.destroy();
  }
}

async function applyWith(
  clients: AwsClients,
  plan: Plan,
  options: ApplyOptions,
  ui: Ui,
): Promise<ApplyResult> {
  const reading = ui.spinner();
  reading.start(`Reading account state for s3://${plan.config.bucket}`);
  const state = await discover(clients, plan).catch((error: unknown) => {
    reading.error('Could not read the account; nothing was written');
    throw error;
  });
  reading.stop(`Read the state of account ${state.caller.account}`);

  const planned = diffPlan(plan, state);
  const { blockers, warnings } = preflight(plan, state, planned);
  const diff = planned.map((entry) => entry.diff);
  const keyArn = knownKeyArn(plan, state);
  const result: ApplyResult = {
    accountId: state.caller.account,
    ...(keyArn ? { keyArn } : {}),
    diff,
    warnings,
    ...(blockers.length > 0 ? { blockers: blockers.map((blocker) => blocker.message) } : {}),
    actions: [],
  };
  ui.note(formatDiff(diff), `Changes to account ${state.caller.account}`);
  for (const warning of warnings) ui.warn(warning);

  if (options.dryRun) {
    ui.info(`Dry run: ${plural(countChanges(diff), 'change')} shown, nothing written.`);
    return result;
  }
  if (blockers.length > 0) {
    throw new ConfigError(
      `Apply refused before writing anything:\n${blockers.map((b) => `  ${b.message}`).join('\n')}`,
      {
        ...(blockers[0]?.field ? { field: blockers[0].field } : {}),
        hint: 'fix the above and re-run; nothing was written',
      },
    );
  }
  const changes = countChanges(diff);
  if (changes === 0) {
    ui.success('Everything is already in place; nothing was written.');
    return result;
  }
  if (!options.yes) {
    if (!ui.interactive) {
      throw new ConfigError('pass --yes to apply without a terminal', {
        field: '--yes',
        hint: 'or pass --dry-run to only show the changes; nothing was written',
      });
    }
    const confirmed = await ui.confirm({
      message: `Apply ${plural(changes, 'change')} to account ${state.caller.account}?`,
      initialValue: false,
    });
    if (!confirmed) throw new CancelledError();
  }

  result.backupPath = await writeBackup(options.backupDir, buildBackup(plan, state, planned, new Date()));
  ui.info(`Backed up the state about to change to ${result.backupPath}`);
  const outcome = await execute(planned, { clients, plan, state, keyArn }, ui);
  result.actions = outcome.actions;
  if (outcome.keyArn) result.keyArn = outcome.keyArn;
  // A change can take more than one call (or none: CreateKey sets the key policy too).
  ui.success(`Applied ${plural(changes, 'change')} in ${plural(outcome.actions.length, 'write call')}.`);
  return result;
}
