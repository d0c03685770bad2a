import { describe, expect, it } from 'vitest';
import { askMissingAnswers, splitRoles } from '../../src/cli/wizard.js';
import { CancelledError } from '../../src/errors.js';
import { CANCEL, scriptedUi } from '../helpers/scripted-ui.js';

describe('wizard', () => {
  it('asks every question in order and returns answers parseConfig accepts', async () => {
    const { ui, asked, remaining } = scriptedUi([
      'sse-kms',
      'acme-contracts',
      'eu-west-1',
      '111122223333',
      false,
      'contracts-app, batch-app',
      'platform-ops',
      '',
      '',
      'new',
      '',
      '',
      'compatible',
      '250000',
      'render',
      '',
    ]);
    const outcome = await askMissingAnswers({}, ui);
    expect(remaining).toEqual([]);
    expect(asked).toHaveLength(16);
    expect(outcome).toEqual({
      kind: 'answers',
      answers: {
        scheme: 'sse-kms',
        bucket: 'acme-contracts',
        region: 'eu-west-1',
        accountId: '111122223333',
        createBucket: false,
        appRoles: ['contracts-app', 'batch-app'],
        operatorRoles: ['platform-ops'],
        auditorRoles: [],
        keyAdminRoles: [],
        keyAlias: 'alias/acme-contracts',
        rotationDays: '365',
        enforcement: 'compatible',
        requestsPerMonth: '250000',
        mode: 'render',
        renderDir: './acme-contracts-encryption',
      },
    });
  });

  it('asks nothing that a flag already answered', async () => {
    const { ui, asked } = scriptedUi(['acme-contracts']);
    const outcome = await askMissingAnswers(
      {
        scheme: 'sse-s3',
        region: 'eu-west-1',
        accountId: '111122223333',
        createBucket: true,
        appRoles: ['app'],
        operatorRoles: [],
        auditorRoles: [],
        enforcement: 'strict',
        requestsPerMonth: '0',
        mode: 'render',
        renderDir: 'out',
      },
      ui,
    );
    expect(asked).toEqual(['Bucket name']);
    expect(outcome.kind).toBe('answers');
  });

  it('uses the account id found through STS as the starting value', async () => {
    const { ui } = scriptedUi(['sse-s3', 'acme-contracts', 'eu-west-1']);
    const answers = await askMissingAnswers(
      {
        createBucket: false,
        appRoles: [],
        operatorRoles: [],
        auditorRoles: [],
        enforcement: 'strict',
        requestsPerMonth: '1',
        mode: 'apply',
      },
      {
        ...ui,
        // The text prompt returns its initial value when the user just presses Enter.
        text: async (options) => options.initialValue ?? (await ui.text(options)),
      },
      async () => '444455556666',
    );
    expect(answers.kind === 'answers' && answers.answers.accountId).toBe('444455556666');
  });

  it('explains SSE-C and stops without building anything', async () => {
    const { ui, printed } = scriptedUi(['sse-c']);
    const outcome = await askMissingAnswers({}, ui);
    expect(outcome.kind).toBe('stopped');
    expect(printed.join('\n')).toMatch(/lose the key/);
  });

  it('rejects a bad role name at the prompt with the field validator', async () => {
    const { ui } = scriptedUi(['sse-kms', 'acme-contracts', 'eu-west-1', '111122223333', false, '$(whoami)']);
    await expect(askMissingAnswers({}, ui)).rejects.toThrow(/role name "\$\(whoami\)" is invalid/);
  });

  it('throws CancelledError when the user cancels', async () => {
    const { ui } = scriptedUi(['sse-kms', CANCEL]);
    await expect(askMissingAnswers({}, ui)).rejects.toBeInstanceOf(CancelledError);
  });

  it('splits role lists on commas and spaces', () => {
    expect(splitRoles(' a, b  c,,d ')).toEqual(['a', 'b', 'c', 'd']);
  });
});
