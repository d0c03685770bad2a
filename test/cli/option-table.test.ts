import { describe, expect, it } from 'vitest';
import { FLAG_OPTIONS, parseCommandLine } from '../../src/cli/args.js';
import { answersFromObject, configFileContent } from '../../src/cli/config-file.js';
import { helpText } from '../../src/cli/help.js';
import { oneShotCommand } from '../../src/cli/one-shot-command.js';
import type { AnswerOption } from '../../src/cli/option-table.js';
import { ANSWER_OPTIONS, RUN_OPTIONS } from '../../src/cli/options.js';
import { askMissingAnswers } from '../../src/cli/wizard.js';
import type { Answers } from '../../src/types.js';
import { scriptedUi } from '../helpers/scripted-ui.js';

/*
 * Adding an option means adding a table entry; these fail when an entry (or a flag that
 * bypasses the table) is missing from the parser, --help, the wizard, the one-shot command
 * or the config file.
 */

const OPTIONS = ANSWER_OPTIONS as readonly AnswerOption[];

/** One non-default value per answer, valid together. */
const EVERY_ANSWER: Answers = {
  scheme: 'sse-kms',
  bucket: 'acme-contracts',
  region: 'eu-west-1',
  accountId: '111122223333',
  createBucket: true,
  appRoles: ['contracts-app', 'batch-app'],
  operatorRoles: ['platform-ops'],
  auditorRoles: ['security-audit'],
  keyAdminRoles: ['key-admin'],
  reencryptRoles: ['reencrypt-job'],
  keyAlias: 'alias/contracts',
  rotationDays: '180',
  enforcement: 'compatible',
  requestsPerMonth: '250000',
  mode: 'render',
  renderDir: './out',
  verifyRole: 'contracts-app',
};

describe('the option table', () => {
  it('is the parser: every flag parseArgs knows is a table entry, and the reverse', () => {
    const flags = [...OPTIONS, ...RUN_OPTIONS].map((option) => option.flag.slice(2));
    expect(Object.keys(FLAG_OPTIONS).sort()).toEqual([...new Set(flags)].sort());
  });

  it('is --help: every flag has a line', () => {
    const help = helpText();
    for (const flag of Object.keys(FLAG_OPTIONS))
      expect(help).toMatch(new RegExp(`^\\s+(-\\w, )?--${flag}\\b`, 'm'));
  });

  it('is the one-shot command: every answer survives command line -> parser', () => {
    const command = oneShotCommand(EVERY_ANSWER);
    const parsed = parseCommandLine(['node', 'bin', ...command.split(' ').slice(2)]);
    // Compact: the default scheme is left out, and means the same.
    expect(command).not.toContain('--scheme');
    expect({ scheme: 'sse-kms', ...parsed.answers }).toEqual(EVERY_ANSWER);
    expect(parsed.run.yes).toBe(true);
  });

  it('is the config file: every answer survives save -> load', () => {
    const text = configFileContent(EVERY_ANSWER);
    expect(answersFromObject(JSON.parse(text), 'team.json')).toEqual(EVERY_ANSWER);
  });

  it('leaves the default folder out of the file, so the next project’s folder follows its bucket', () => {
    const saved = JSON.parse(
      configFileContent({ bucket: 'acme-a', renderDir: './acme-a-encryption', region: 'eu-west-1' }),
    );
    expect(saved).toEqual({ bucket: 'acme-a', region: 'eu-west-1' });
    expect(JSON.parse(configFileContent({ bucket: 'acme-a', renderDir: './shared-out' })).renderDir).toBe(
      './shared-out',
    );
  });

  it('is the wizard: every answer an entry says is asked, is asked', async () => {
    const { ui, remaining } = scriptedUi([
      'sse-kms',
      'acme-contracts',
      'eu-west-1',
      '111122223333',
      'app=a ops=o audit=u admin=k',
      'customise',
      true,
      'new',
      'alias/x',
      '180',
      'compatible',
      'reencrypt=r',
      '5',
      'render-elsewhere',
      'out',
      true, // overwrite
    ]);
    const outcome = await askMissingAnswers({}, ui, {
      credentials: { found: false, reason: 'offline' },
      folderEntries: async () => 1,
    });
    expect(remaining).toEqual([]);
    const answers = outcome.kind === 'answers' ? outcome.answers : {};
    // --existing-key is the other branch of the key screen, asked in the customise test.
    const asked = OPTIONS.filter((option) => option.prompt.stage !== 'never' && option.key !== 'existingKey');
    for (const option of asked) expect(answers, option.flag).toHaveProperty(option.key);
    for (const option of OPTIONS.filter((candidate) => candidate.prompt.stage === 'never'))
      expect(option.prompt, option.flag).toHaveProperty('reason');
  });
});
