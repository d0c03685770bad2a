import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/cli/config-file.js';
import { offerSaveConfig } from '../../src/cli/offer-save-config.js';
import type { Answers } from '../../src/types.js';
import { CANCEL, scriptedUi } from '../helpers/scripted-ui.js';

const ANSWERS: Answers = {
  scheme: 'sse-kms',
  bucket: 'acme',
  region: 'eu-west-1',
  accountId: '111122223333',
  appRoles: ['contracts-app'],
  keyAdminRoles: ['key-admin'],
};

let where: string;
const initCwd = process.env.INIT_CWD;
beforeEach(() => {
  // Where the user ran the command (npm start keeps it in INIT_CWD), not the process cwd.
  where = mkdtempSync(join(tmpdir(), 'ceb-save-offer-'));
  process.env.INIT_CWD = where;
});
afterEach(() => {
  if (initCwd === undefined) delete process.env.INIT_CWD;
  else process.env.INIT_CWD = initCwd;
});

describe('the offer to save the answers', () => {
  it('writes ./<bucket>.create-encrypted-bucket.json where the user ran, readable by --config', async () => {
    const { ui, asked } = scriptedUi([true]);
    expect(await offerSaveConfig(ANSWERS, ui)).toBe('./acme.create-encrypted-bucket.json');
    expect(asked).toEqual([
      'Save these answers to ./acme.create-encrypted-bucket.json for the next project?',
    ]);
    expect(await readConfigFile(join(where, 'acme.create-encrypted-bucket.json'))).toEqual(ANSWERS);
  });

  it('writes nothing when declined', async () => {
    const { ui } = scriptedUi([false]);
    expect(await offerSaveConfig(ANSWERS, ui)).toBeUndefined();
    expect(existsSync(join(where, 'acme.create-encrypted-bucket.json'))).toBe(false);
  });

  it('never overwrites without asking: a no asks for another file, an empty one skips', async () => {
    const file = join(where, 'acme.create-encrypted-bucket.json');
    writeFileSync(file, 'mine');
    const first = scriptedUi([true, false, 'team.json']);
    expect(await offerSaveConfig(ANSWERS, first.ui)).toBe('team.json');
    expect(first.asked[1]).toMatch(/already exists. Overwrite it\?/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(await readConfigFile(join(where, 'team.json'))).toEqual(ANSWERS);

    const skip = scriptedUi([true, false, '']);
    expect(await offerSaveConfig(ANSWERS, skip.ui)).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('mine');

    const yes = scriptedUi([true, true]);
    expect(await offerSaveConfig(ANSWERS, yes.ui)).toBe('./acme.create-encrypted-bucket.json');
    expect(await readConfigFile(file)).toEqual(ANSWERS);
  });

  it('a cancel at the offer only skips saving; the run has already written its files', async () => {
    const { ui, printed } = scriptedUi([CANCEL]);
    expect(await offerSaveConfig(ANSWERS, ui)).toBeUndefined();
    expect(printed).toContain('Answers not saved.');
  });
});
