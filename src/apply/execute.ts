import type { AwsClients } from '../aws/clients.js';
import type { Plan, PlanStep, PlanStepKind } from '../types.js';
import type { Ui } from '../ui/ui.js';
import type { PlannedStep } from './diff.js';
import { EXECUTORS, type Executor, type Run } from './executors.js';
import type { AccountState } from './state.js';
import { stepLabel } from './step-labels.js';

export { WRITE_OPERATION } from './executors.js';

/**
 * Dependency order; the steps of one phase run together. Default encryption is in place
 * before the bucket policy starts judging uploads, so a headerless upload is never stored
 * with the wrong encryption in between.
 */
export const PHASES: readonly (readonly PlanStepKind[])[] = [
  ['s3.createBucket'],
  ['kms.createKey'],
  [
    'kms.createAlias',
    'kms.enableRotation',
    'kms.putKeyPolicy',
    's3.putBucketEncryption',
    's3.putPublicAccessBlock',
  ],
  ['s3.putBucketPolicy', 'iam.putRolePolicy'],
];

/**
 * Runs every step whose diff is not "in-place", phase by phase. A failed step stops the run:
 * its phase's other calls are awaited (so the record is true), no later phase starts, and
 * the AwsError names the step. A re-run picks up from there.
 */
export async function execute(
  planned: PlannedStep[],
  context: { clients: AwsClients; plan: Plan; state: AccountState; keyArn: string | undefined },
  ui: Ui,
): Promise<{ actions: string[]; keyArn: string | undefined }> {
  const run: Run = { ...context, keyCreatedNow: false };
  const actions: string[] = [];
  for (const phase of PHASES) {
    const due = planned.filter(
      (entry) => phase.includes(entry.step.kind) && entry.diff.status !== 'in-place',
    );
    if (due.length === 0) continue;
    const spinner = ui.spinner();
    spinner.start(due.map((entry) => entry.diff.title).join(', '));
    const settled = await Promise.allSettled(due.map((entry) => runStep(entry.step, run)));
    const done = settled.flatMap((outcome) =>
      outcome.status === 'fulfilled' && outcome.value ? [outcome.value] : [],
    );
    actions.push(...done);
    const failure = settled.find(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    if (failure) {
      spinner.error([...done, 'stopped: a step failed, nothing after it ran'].join('\n'));
      throw failure.reason;
    }
    spinner.stop(done.join('\n') || 'nothing to write');
  }
  return { actions, keyArn: run.keyArn };
}

function runStep(step: PlanStep, run: Run): Promise<string | undefined> {
  const executor = EXECUTORS[step.kind] as Executor<PlanStepKind>;
  return executor(step, run, stepLabel(step));
}
