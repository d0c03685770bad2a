import { validateAccountId, validateBucket, validateRegion } from '../config/fields.js';
import { answerTraits } from '../plan/schemes.js';
import type { Answers } from '../types.js';
import type { Ui } from '../ui/ui.js';
import { askScheme } from './scheme-choice.js';
import { askAdvanced } from './wizard-advanced.js';
import { askFolder, defaultRenderDir, type FolderCheck } from './wizard-folder.js';
import { askRoles, type RoleChoices } from './wizard-roles.js';
import { summariseAnswers } from './wizard-summary.js';

export { defaultRenderDir } from './wizard-folder.js';

export type WizardOutcome = { kind: 'answers'; answers: Answers } | { kind: 'stopped'; reason: string };

export interface WizardContext {
  /** Resolves to the caller's account id (STS) when credentials exist; started early. */
  discoverAccountId?: () => Promise<string | undefined>;
  /** Whether apply can be offered, and why not. */
  credentials?: { found: true } | { found: false; reason: string };
  /** How many entries a folder holds (0 when it does not exist); the wizard asks before overwriting. */
  folderEntries?: FolderCheck;
  /** With credentials: the account's roles for the roles pick-list (started early, like the account id). */
  listRoles?: () => Promise<RoleChoices | undefined>;
  /** Filled as answers come in (the given ones first), so a stopped run can print them. */
  progress?: Answers;
}

/**
 * The quick path: protection, bucket, region, (account), roles, then one screen with the
 * summary and the next step: render, apply, or "Customise" for the advanced answers.
 * Asks only what flags and the config file left open; every prompt throws CancelledError on
 * Esc / Ctrl-C, and every answer is checked where it is typed.
 */
export async function askMissingAnswers(
  given: Answers,
  ui: Ui,
  context: WizardContext = {},
): Promise<WizardOutcome> {
  const flagged: Answers = { ...given };
  const answers: Answers = Object.assign(context.progress ?? {}, given);

  answers.scheme ??= await askScheme(ui);

  // Started now, so STS answers while the user types the bucket and region.
  const discovered = answers.accountId === undefined ? context.discoverAccountId?.() : undefined;
  const roleChoices = context.credentials?.found ? context.listRoles?.().catch(() => undefined) : undefined;
  answers.bucket ??= await ui.text({
    message: 'Bucket name',
    placeholder: 'acme-contracts',
    validate: validateBucket,
  });
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  answers.region ??= await ui.text({ message: 'Region', defaultValue: region, validate: validateRegion });
  if (answers.accountId === undefined) {
    const fromSts = await discovered;
    if (fromSts) {
      answers.accountId = fromSts;
      ui.info(`Account ${fromSts} (from your current credentials)`);
    } else {
      answers.accountId = (
        await ui.text({
          message: 'AWS account id (12 digits; 1111-2222-3333 is fine)',
          placeholder: '111122223333',
          validate: validateAccountId,
        })
      ).replace(/[-\s]/g, '');
    }
  }
  // Offline there is no caller to make the key administrator, so someone must be named.
  const keyAdminRequired = answerTraits(answers.scheme).usesKmsKey && context.credentials?.found !== true;
  await askRoles(
    answers,
    ui,
    ['appRoles', 'operatorRoles', 'auditorRoles', 'keyAdminRoles'],
    keyAdminRequired,
    roleChoices,
  );

  while (answers.mode === undefined) {
    ui.note(summariseAnswers(answers), 'Summary');
    const next = await ui.select<'render' | 'render-elsewhere' | 'apply' | 'customise'>({
      message: 'Next?',
      initialValue: 'render',
      options: [
        {
          value: 'render',
          label: `Render files to ${defaultRenderDir(answers.bucket)}`,
          hint: 'setup.sh, policies, Terraform to review; offline',
        },
        { value: 'render-elsewhere', label: 'Render files to another folder' },
        context.credentials?.found
          ? { value: 'apply', label: 'Apply now', hint: 'shows the diff and asks first' }
          : {
              value: 'apply',
              label: 'Apply now',
              hint: context.credentials?.reason ?? 'no AWS credentials found',
              disabled: true,
            },
        { value: 'customise', label: 'Customise (key, enforcement, re-encryption role, cost inputs)' },
      ],
    });
    if (next === 'customise') {
      await askAdvanced(answers, flagged, ui);
      continue;
    }
    answers.mode = next === 'apply' ? 'apply' : 'render';
    if (next === 'render') answers.renderDir = defaultRenderDir(answers.bucket);
  }
  if (answers.mode === 'render') await askFolder(answers, ui, context.folderEntries);
  return { kind: 'answers', answers };
}
