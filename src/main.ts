import { hasCredentialHints } from './aws/credential-hints.js';
import { type ParsedArgs, parseCommandLine } from './cli/args.js';
import { saveConfigFile } from './cli/config-file.js';
import { folderEntries, givenAnswers } from './cli/given-answers.js';
import { helpText } from './cli/help.js';
import { nextProjectLine, offerSaveConfig } from './cli/offer-save-config.js';
import { oneShotCommand, type RepeatedRunFlags } from './cli/one-shot-command.js';
import { reportError } from './cli/report-error.js';
import { showPlanSummary } from './cli/summary.js';
import { fromUserCwd } from './cli/user-cwd.js';
import { askMissingAnswers, defaultRenderDir } from './cli/wizard.js';
import { parseConfig, validateBeforeAccountIsKnown, withCallerAsKeyAdmin } from './config/parse-config.js';
import { ConfigError, exitCodeOf } from './errors.js';
import { type Io, processIo } from './io.js';
import { buildPlan } from './plan/build-plan.js';
import { schemeTraits } from './plan/schemes.js';
import type { Answers, Config } from './types.js';
import { createPlainUi } from './ui/plain-ui.js';
import type { Ui } from './ui/ui.js';
import { VERSION } from './version.js';

/** What a failure needs to report itself: the answers so far (for the resume command), warnings. */
interface RunState {
  args?: ParsedArgs;
  ui?: Ui;
  answers: Answers;
  warnings: string[];
}

/** The whole program; returns the exit code (0 ok, 1 failure, 2 usage, 130 cancelled). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const state: RunState = { answers: {}, warnings: [] };
  try {
    const args = parseCommandLine(argv);
    state.args = args;
    if (args.run.help) return print(io, helpText());
    if (args.run.version) return print(io, `${VERSION}\n`);
    // Flags and the config file are checked before the first question.
    if (args.command === 'create') state.answers = await givenAnswers(args);
    if (args.command === 'create' && args.run.generateMasterKey) {
      const { checkMasterKeyFile } = await import('./cli/master-key-file.js');
      checkMasterKeyFile(args.run.generateMasterKey, state.answers);
    }
    state.ui = await createUi(args, io);
    if (args.command !== 'create') {
      const { runAwsCommand } = await import('./cli/run-aws-command.js');
      return await runAwsCommand(args, state.ui, io);
    }
    return await create(args, state.ui, io, state);
  } catch (error) {
    reportError(error, {
      io,
      ui: state.ui,
      json: state.args?.run.json ?? argv.includes('--json'),
      debug: state.args?.run.debug ?? false,
      answers: state.answers,
      run: repeated(state.args),
      warnings: state.warnings,
    });
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
async function create(args: ParsedArgs, ui: Ui, io: Io, state: RunState): Promise<number> {
  ui.intro('create-encrypted-bucket');
  if (ui.interactive) {
    const outcome = await askMissingAnswers(state.answers, ui, {
      discoverAccountId: () => discoverAccountIdQuietly(args),
      listRoles: async () =>
        (await import('./cli/account-roles.js')).listRolesQuietly(
          args,
          args.answers.region ?? process.env.AWS_REGION ?? 'us-east-1',
        ),
      credentials: hasCredentialHints()
        ? { found: true }
        : { found: false, reason: 'no AWS credentials found: run aws configure or set AWS_PROFILE' },
      folderEntries,
      progress: state.answers,
    });
    if (outcome.kind === 'stopped') {
      ui.outro(outcome.reason);
      return 0;
    }
  }
  const answers = state.answers;
  const mode = answers.mode ?? 'render';
  // Bad input must fail before any AWS call, even the read that finds the account id.
  if (mode === 'apply' && answers.accountId === undefined) validateBeforeAccountIsKnown(answers);
  // Render with credentials knows who runs it too: that principal maintains the setup unless
  // someone else is named.
  const callerBecomesKeyAdmin =
    mode === 'apply' || ((answers.keyAdminRoles ?? []).length === 0 && hasCredentialHints());
  const discoverAccount = mode === 'render' && (callerBecomesKeyAdmin || args.run.discover);
  const aws = callerBecomesKeyAdmin || discoverAccount ? await import('./cli/apply-session.js') : undefined;
  const session = aws ? aws.openApplySession(args, answers.region) : undefined;
  try {
    if (session && answers.accountId === undefined) answers.accountId = await session.accountId();
    const parsed = parseConfig(answers, { callerBecomesKeyAdmin });
    const config = session && callerBecomesKeyAdmin ? await withCaller(parsed, session) : parsed;
    const plan = buildPlan(config);
    state.warnings = plan.warnings;
    // Checked again now the output folder is known; written only once the run has succeeded.
    const masterKey = args.run.generateMasterKey ? await import('./cli/master-key-file.js') : undefined;
    const masterKeyFile =
      args.run.generateMasterKey &&
      masterKey?.checkMasterKeyFile(args.run.generateMasterKey, {
        ...answers,
        renderDir: answers.renderDir ?? defaultRenderDir(plan.config.bucket),
      });
    showPlanSummary(plan, ui);
    if (args.run.saveConfig) {
      await saveConfigFile(fromUserCwd(args.run.saveConfig), answers);
      ui.success(
        `Saved the answers to ${args.run.saveConfig}; next project: --config ${args.run.saveConfig} --bucket NAME`,
      );
    }

    let result: Record<string, unknown>;
    let outcome: Outcome = 'done';
    let next: string | undefined;
    if (session && mode === 'apply') {
      const applied = await session.apply(plan, ui);
      // A dry run reports blockers instead of throwing; they are still what a real run refuses.
      if (applied.blockers?.length) outcome = 'blocked';
      else if (applied.verification?.ok === false) outcome = 'unverified';
      result = { mode: 'apply', ...applied };
    } else {
      answers.renderDir ??= defaultRenderDir(plan.config.bucket);
      const { renderToFolder } = await import('./cli/render-to-folder.js');
      // With credentials, render reads the account and merges into it (see read-account-lock.ts).
      const locked = session
        ? await (await import('./cli/read-account-lock.js')).readAccountLock(
            session,
            plan,
            args.run.discover,
            ui,
          )
        : undefined;
      const written = await renderToFolder(
        locked?.plan ?? plan,
        fromUserCwd(answers.renderDir),
        answers.overwrite ?? false,
        ui,
        answers.renderDir,
        locked?.lock,
      );
      result = { mode: 'render', dir: written.dir, files: written.files };
      next = written.nextSteps;
    }
    if (masterKey && masterKeyFile) {
      await masterKey.writeMasterKeyFile(masterKeyFile);
      ui.success(
        `Wrote a new master key to ${args.run.generateMasterKey} (mode 0600): back it up; see client/README.md`,
      );
      result.masterKeyFile = masterKeyFile;
    }
    // Offered once the run worked, so the file holds answers proven to work.
    const savedAs =
      ui.interactive && !args.run.saveConfig && outcome === 'done'
        ? await offerSaveConfig(answers, ui)
        : undefined;
    const again = oneShotCommand(answers, repeated(args));
    ui.note(again, 'The same run without questions (CI)');
    const nextProject = savedAs ?? args.run.saveConfig;
    if (nextProject) {
      next = next ? `${next}\n${nextProjectLine(nextProject)}` : nextProjectLine(nextProject);
    }
    if (next) ui.note(next, 'Next steps');
    ui.outro(OUTCOMES[outcome].message);
    if (args.run.json) {
      const document = {
        ok: outcome === 'done',
        ...result,
        plan: planJson(plan),
        warnings: plan.warnings,
        command: again,
      };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    }
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
  if (schemeTraits(config.scheme).usesKmsKey && config.roles.keyAdmin.length === 0) {
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

function planJson(plan: ReturnType<typeof buildPlan>) {
  // `desired` first: what the account will hold, in one place; the steps are derived from it.
  return {
    desired: plan.desired,
    steps: plan.steps.map((step) => step.kind),
    documents: plan.documents,
    cost: plan.cost,
  };
}

function repeated(args: ParsedArgs | undefined): RepeatedRunFlags {
  const run = args?.run;
  return {
    ...(run?.profile ? { profile: run.profile } : {}),
    ...(run?.endpointUrl ? { endpointUrl: run.endpointUrl } : {}),
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
