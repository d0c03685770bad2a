import { hasCredentialHints } from './aws/credential-hints.js';
import { type ParsedArgs, parseCommandLine } from './cli/args.js';
import { HELP_TEXT } from './cli/help.js';
import { oneShotCommand } from './cli/one-shot-command.js';
import { showPlanSummary } from './cli/summary.js';
import { askMissingAnswers, defaultRenderDir } from './cli/wizard.js';
import { parseConfig, validateBeforeAccountIsKnown, withCallerAsKeyAdmin } from './config/parse-config.js';
import { ConfigError, exitCodeOf, formatDebugDetails, formatError } from './errors.js';
import { type Io, processIo } from './io.js';
import { buildPlan } from './plan/build-plan.js';
import type { Config, Plan } from './types.js';
import { createPlainUi } from './ui/plain-ui.js';
import type { Ui } from './ui/ui.js';
import { VERSION } from './version.js';

/** The whole program; returns the exit code (0 ok, 1 failure, 2 usage, 130 cancelled). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let ui: Ui | undefined;
  let debug = false;
  try {
    const args = parseCommandLine(argv);
    debug = args.run.debug;
    if (args.run.help) return print(io, HELP_TEXT);
    if (args.run.version) return print(io, `${VERSION}\n`);
    ui = await createUi(args, io);
    if (args.command !== 'create') {
      const { runAwsCommand } = await import('./cli/run-aws-command.js');
      return await runAwsCommand(args, ui, io);
    }
    return await create(args, ui, io);
  } catch (error) {
    io.stderr.write(`${formatError(error)}\n`);
    if (debug) io.stderr.write(`${formatDebugDetails(error)}\n`);
    if (ui?.interactive) ui.outro('Stopped.');
    return exitCodeOf(error);
  }
}

type Outcome = 'done' | 'blocked' | 'unverified';
const OUTCOMES: Record<Outcome, { message: string; exitCode: number }> = {
  done: { message: 'Done.', exitCode: 0 },
  blocked: { message: 'Apply would refuse: fix the blockers above; nothing was changed.', exitCode: 2 },
  unverified: { message: 'Finished, but verification failed: see the checks above.', exitCode: 1 },
};

/** answers -> config -> plan -> render | apply -> verify */
async function create(args: ParsedArgs, ui: Ui, io: Io): Promise<number> {
  ui.intro('create-encrypted-bucket');
  let answers = args.answers;
  if (ui.interactive) {
    const outcome = await askMissingAnswers(answers, ui, () => discoverAccountIdQuietly(args));
    if (outcome.kind === 'stopped') {
      ui.outro(outcome.reason);
      return 0;
    }
    answers = outcome.answers;
  }
  const mode = answers.mode ?? 'render';
  // Bad input must fail before any AWS call, even the read that finds the account id.
  if (mode === 'apply' && answers.accountId === undefined) validateBeforeAccountIsKnown(answers);
  const aws = mode === 'apply' ? await import('./cli/apply-session.js') : undefined;
  const session = aws ? aws.openApplySession(args, answers.region) : undefined;
  try {
    if (session && answers.accountId === undefined)
      answers = { ...answers, accountId: await session.accountId() };

    const config = session ? await withCaller(parseConfig(answers), session) : parseConfig(answers);
    const plan = buildPlan(config);
    showPlanSummary(plan, ui);

    let result: Record<string, unknown>;
    let outcome: Outcome = 'done';
    if (session) {
      const applied = await session.apply(plan, ui);
      // A dry run reports blockers instead of throwing; they are still what a real run refuses.
      if (applied.blockers?.length) outcome = 'blocked';
      else if (applied.verification?.ok === false) outcome = 'unverified';
      result = { mode: 'apply', ...applied };
    } else {
      const dir = answers.renderDir ?? defaultRenderDir(config.bucket);
      const { renderToFolder } = await import('./cli/render-to-folder.js');
      const written = await renderToFolder(plan, dir, answers.overwrite ?? false, ui);
      result = { mode: 'render', dir: written.dir, files: written.files };
    }
    const again = oneShotCommand(config, {
      mode,
      renderDir: answers.renderDir ?? defaultRenderDir(config.bucket),
    });
    ui.note(again, 'Run it again without questions (CI)');
    ui.outro(OUTCOMES[outcome].message);
    if (args.run.json) io.stdout.write(`${JSON.stringify(jsonResult(plan, result, again), null, 2)}\n`);
    return OUTCOMES[outcome].exitCode;
  } finally {
    session?.close();
  }
}

/** Apply makes the principal running it a key administrator, shown in the plan's warnings. */
async function withCaller(
  config: Config,
  session: { callerArn: () => Promise<string | undefined> },
): Promise<Config> {
  const callerArn = await session.callerArn();
  if (callerArn) return withCallerAsKeyAdmin(config, callerArn);
  if (config.scheme === 'sse-kms' && config.roles.keyAdmin.length === 0) {
    throw new ConfigError(
      'could not resolve the role running apply (iam:GetRole denied) to make it a key administrator',
      {
        field: '--key-admin-role',
        hint: 'pass --key-admin-role with the full ARN (and path) of the role that runs apply',
      },
    );
  }
  return config;
}

function jsonResult(plan: Plan, result: Record<string, unknown>, command: string) {
  return {
    ...result,
    plan: {
      steps: plan.steps.map((step) => step.kind),
      documents: plan.documents,
      cost: plan.cost,
      warnings: plan.warnings,
    },
    command,
  };
}

async function createUi(args: ParsedArgs, io: Io): Promise<Ui> {
  // clack exits silently when stdin is not a terminal, so interactivity is decided here, first.
  const interactive = io.stdin.isTTY === true && !args.run.yes && !args.run.json;
  if (!interactive) return createPlainUi(args.run.json ? io.stderr : io.stdout);
  const { createClackUi } = await import('./ui/clack-ui.js');
  return createClackUi({ input: io.stdin, output: io.stdout });
}

/** Best effort: fills the wizard's account id from STS when credentials are around; never fails the run. */
async function discoverAccountIdQuietly(args: ParsedArgs): Promise<string | undefined> {
  if (!hasCredentialHints()) return undefined;
  const { openApplySession } = await import('./cli/apply-session.js');
  const session = openApplySession(args, args.answers.region ?? process.env.AWS_REGION ?? 'us-east-1');
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000).unref());
  try {
    return await Promise.race([session.accountId().catch(() => undefined), timeout]);
  } finally {
    session.close();
  }
}

function print(io: Io, text: string): number {
  io.stdout.write(text);
  return 0;
}
