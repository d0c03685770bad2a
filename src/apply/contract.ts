import type { AwsClients, AwsOptions } from '../aws/clients.js';

/*
 * What main() hands to apply/ and verify/, and what they hand back. main() lazy-loads
 * those modules, so --help, --version and render never load the AWS SDK.
 */

export interface ApplyOptions {
  aws: AwsOptions;
  /** Stop after showing the diff: no write call at all. */
  dryRun: boolean;
  /** Skip the confirmation; without a TTY and without --yes, apply refuses (exit 2). */
  yes: boolean;
  /** Run the verification after writing (on by default; --no-verify turns it off). */
  verify: boolean;
  /** Folder the backup JSON is written to before the first write. */
  backupDir: string;
  /** Injected by tests; created from `aws` otherwise. */
  clients?: AwsClients;
}

export type StepStatus = 'create' | 'update' | 'in-place';

export interface StepDiff {
  /** The plan step's kind, e.g. 's3.putBucketPolicy', plus a target for per-role steps. */
  step: string;
  /** What the step does, in words; also the step named by an AwsError if it fails. */
  title: string;
  status: StepStatus;
  /** Human-readable lines: statements added/replaced/kept, settings changed. */
  details: string[];
}

export interface VerificationCheck {
  check: string;
  /** False only for a check that ran and failed. */
  ok: boolean;
  detail: string;
  /** The check needs another principal's credentials; `detail` says which and how to run it. */
  notRun?: boolean;
}

export interface VerificationReport {
  ok: boolean;
  checks: VerificationCheck[];
}

export interface ApplyResult {
  accountId: string;
  keyArn?: string;
  diff: StepDiff[];
  /** Found in the account (the plan's own warnings are not repeated); includes every blocker. */
  warnings: string[];
  /** Why apply refused to write (a missing role, a bucket elsewhere...); set on a dry run too. */
  blockers?: string[];
  /** One line per write call actually made, in order. */
  actions: string[];
  backupPath?: string;
  verification?: VerificationReport;
}
