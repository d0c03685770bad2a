import { describe, expect, it } from 'vitest';
import { CRITERIA } from '../../src/cli/scheme-choice.js';
import { askMissingAnswers } from '../../src/cli/wizard.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { CancelledError } from '../../src/errors.js';
import { CANCEL, scriptedUi } from '../helpers/scripted-ui.js';

const OFFLINE = { credentials: { found: false as const, reason: 'no AWS credentials found' } };

describe('wizard', () => {
  it('reaches a result in six screens offline, with answers parseConfig accepts', async () => {
    const { ui, asked, remaining } = scriptedUi([
      'sse-kms',
      'acme-contracts',
      'eu-west-1',
      '1111-2222-3333',
      'app=contracts-app,batch-app ops=platform-ops audit=security-audit admin=key-admin',
      'render',
    ]);
    const outcome = await askMissingAnswers({}, ui, OFFLINE);
    expect(remaining).toEqual([]);
    expect(asked).toHaveLength(6);
    expect(outcome).toEqual({
      kind: 'answers',
      answers: {
        scheme: 'sse-kms',
        bucket: 'acme-contracts',
        region: 'eu-west-1',
        accountId: '111122223333',
        appRoles: ['contracts-app', 'batch-app'],
        operatorRoles: ['platform-ops'],
        auditorRoles: ['security-audit'],
        keyAdminRoles: ['key-admin'],
        mode: 'render',
        renderDir: './acme-contracts-encryption',
      },
    });
    if (outcome.kind === 'answers') expect(parseConfig(outcome.answers).roles.keyAdmin).toHaveLength(1);
  });

  it('takes the account id from STS and asks one screen fewer', async () => {
    const { ui, asked } = scriptedUi(['sse-s3', 'acme-contracts', '', 'app=a', 'render']);
    const outcome = await askMissingAnswers({}, ui, {
      ...OFFLINE,
      discoverAccountId: async () => '444455556666',
    });
    expect(asked).toHaveLength(5);
    expect(outcome.kind === 'answers' && outcome.answers.accountId).toBe('444455556666');
    // SSE-S3 has no key, but its guardrails still need someone who maintains them (optional).
    expect(asked[3]).toContain('admin= maintains this setup');
  });

  it('asks nothing that a flag already answered', async () => {
    const { ui, asked } = scriptedUi(['acme-contracts']);
    const outcome = await askMissingAnswers(
      {
        scheme: 'sse-s3',
        region: 'eu-west-1',
        accountId: '111122223333',
        appRoles: ['app'],
        operatorRoles: [],
        auditorRoles: [],
        keyAdminRoles: [],
        mode: 'render',
        renderDir: 'out',
      },
      ui,
    );
    expect(asked).toEqual(['Bucket name']);
    expect(outcome.kind).toBe('answers');
  });

  it('Customise asks the advanced answers, the re-encryption role among them, then returns to the choice', async () => {
    const { ui, asked, remaining } = scriptedUi([
      'acme-contracts',
      'app=contracts-app admin=key-admin',
      'customise',
      true, // create the bucket
      'new',
      'alias/contracts',
      '',
      'compatible',
      'reencrypt=reencrypt-job',
      '250000',
      'render',
    ]);
    const outcome = await askMissingAnswers(
      {
        scheme: 'sse-kms',
        region: 'eu-west-1',
        accountId: '111122223333',
        operatorRoles: [],
        auditorRoles: [],
      },
      ui,
      OFFLINE,
    );
    expect(remaining).toEqual([]);
    expect(asked.filter((message) => message === 'Next?')).toHaveLength(2);
    expect(outcome.kind === 'answers' && outcome.answers).toMatchObject({
      createBucket: true,
      keyAlias: 'alias/contracts',
      rotationDays: '365',
      enforcement: 'compatible',
      reencryptRoles: ['reencrypt-job'],
      requestsPerMonth: '250000',
    });
  });

  it('refuses a role given two duties at the roles prompt, comparing role names across paths', async () => {
    const { ui } = scriptedUi([
      'sse-kms',
      'acme-contracts',
      'eu-west-1',
      '111122223333',
      'app=app ops=arn:aws:iam::111122223333:role/svc/app',
    ]);
    await expect(askMissingAnswers({}, ui, OFFLINE)).rejects.toThrow(
      /role app is given as both app= and ops=/,
    );
  });

  it('refuses a role typed with a space, with a hint', async () => {
    const { ui } = scriptedUi([
      'sse-kms',
      'acme-contracts',
      'eu-west-1',
      '111122223333',
      'app=contracts app',
    ]);
    await expect(askMissingAnswers({}, ui, OFFLINE)).rejects.toThrow(/"app" has no duty.*no spaces/);
  });

  it('does not offer apply without credentials, and says why', async () => {
    const { ui } = scriptedUi(['sse-s3', 'acme-contracts', 'eu-west-1', '111122223333', '', 'apply']);
    await expect(askMissingAnswers({}, ui, OFFLINE)).rejects.toThrow(/disabled.*no AWS credentials found/);
  });

  it('asks for another folder when overwriting is declined', async () => {
    const { ui, asked } = scriptedUi(['render', false, 'elsewhere']);
    const outcome = await askMissingAnswers(
      {
        scheme: 'sse-s3',
        bucket: 'b-1',
        region: 'eu-west-1',
        accountId: '111122223333',
        appRoles: [],
        operatorRoles: [],
        auditorRoles: [],
        keyAdminRoles: [],
      },
      ui,
      { ...OFFLINE, folderEntries: async (dir) => (dir === 'elsewhere' ? 0 : 3) },
    );
    expect(asked[1]).toMatch(/already holds 3 entries/);
    expect(outcome.kind === 'answers' && outcome.answers).toMatchObject({ renderDir: 'elsewhere' });
    expect(outcome.kind === 'answers' && outcome.answers.overwrite).toBeUndefined();
  });

  it("compares the five schemes on the guides' criteria first, recommending SSE-KMS", async () => {
    const { ui, printed } = scriptedUi([CANCEL]);
    await expect(askMissingAnswers({}, ui)).rejects.toBeInstanceOf(CancelledError);
    const grid = printed.join('\n');
    for (const criterion of CRITERIA) expect(grid).toContain(criterion);
    for (const name of ['SSE-KMS *', 'SSE-S3', 'SSE-C', 'client-kms', 'client-app-key'])
      expect(grid).toContain(name);
    expect(grid).toMatch(/\* recommended/);
    // Stays within 92 columns.
    for (const line of grid.split('\n').slice(1, 8)) expect(line.length).toBeLessThanOrEqual(92);
  });

  it.each([
    ['sse-c', /lose it and every object it encrypted is gone/i],
    ['client-kms', /every reader and writer must go through the Encryption SDK/],
    ['client-app-key', /Lose it and the data is gone/],
  ])('builds %s after one confirmation naming its main risk', async (scheme, risk) => {
    const { ui, asked } = scriptedUi([
      scheme,
      true,
      'acme-contracts',
      'eu-west-1',
      '111122223333',
      'app=a',
      'render',
    ]);
    const outcome = await askMissingAnswers(
      {},
      ui,
      scheme === 'client-kms' ? { credentials: { found: true } } : OFFLINE,
    );
    expect(asked[1]).toMatch(risk);
    expect(outcome.kind === 'answers' && outcome.answers.scheme).toBe(scheme);
    if (outcome.kind === 'answers')
      expect(parseConfig(outcome.answers, { callerBecomesKeyAdmin: true }).scheme).toBe(scheme);
  });

  it('goes back to the menu when the risk is declined', async () => {
    const { ui, asked } = scriptedUi(['sse-c', false, 'sse-kms', 'acme-contracts', CANCEL]);
    await expect(askMissingAnswers({}, ui)).rejects.toBeInstanceOf(CancelledError);
    expect(asked.slice(0, 3)).toEqual([
      'Which protection?',
      expect.stringMatching(/^SSE-C/),
      'Which protection?',
    ]);
  });

  it('asks no confirmation for SSE-KMS or SSE-S3, and an optional administrator for SSE-C', async () => {
    const { ui, asked } = scriptedUi([
      'sse-c',
      true,
      'acme-contracts',
      'eu-west-1',
      '111122223333',
      'app=a',
      'render',
    ]);
    await askMissingAnswers({}, ui, OFFLINE);
    expect(asked[5]).toContain('admin= maintains this setup');
    const kms = scriptedUi(['sse-kms', 'acme-contracts', CANCEL]);
    await expect(askMissingAnswers({}, kms.ui)).rejects.toBeInstanceOf(CancelledError);
    expect(kms.asked[1]).toBe('Bucket name');
  });

  it('throws CancelledError when the user cancels, keeping the answers so far', async () => {
    const progress = {};
    const { ui } = scriptedUi(['sse-kms', 'acme-contracts', CANCEL]);
    await expect(askMissingAnswers({}, ui, { progress })).rejects.toBeInstanceOf(CancelledError);
    expect(progress).toEqual({ scheme: 'sse-kms', bucket: 'acme-contracts' });
  });
});
