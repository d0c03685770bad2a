import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { BUILT_BIN, ensureBuilt, strangerEnv } from './support/built-cli.js';
import { frame, requireTmux, TerminalSession } from './support/terminal-session.js';

/*
 * The interactive wizard in a real pseudo-terminal (tmux), driven by keystrokes the way a
 * person drives it. Everything clack does with raw mode, cursor movement and Esc/Ctrl-C is
 * exercised for real here; the in-process tests use fake streams instead.
 */

let root: string;
let session: TerminalSession | undefined;

beforeAll(() => {
  requireTmux();
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'ceb-terminal-'));
});

afterEach(async () => {
  await session?.close();
  session = undefined;
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A fresh empty working folder and a home with no AWS configuration, outside that folder. */
async function startWizard(name: string): Promise<{ session: TerminalSession; cwd: string }> {
  const cwd = mkdtempSync(join(root, `${name}-work-`));
  const home = mkdtempSync(join(root, `${name}-home-`));
  session = await TerminalSession.start({
    command: [process.execPath, BUILT_BIN],
    cwd,
    env: strangerEnv(home),
  });
  return { session, cwd };
}

describe('the wizard in a real terminal', () => {
  test('defaults, typed answers and render write the files and exit 0', async () => {
    const { session: term, cwd } = await startWizard('render');

    await term.waitForScreen('Which protection?');
    await term.press('Enter'); // SSE-KMS, the default

    await term.waitForScreen('Bucket name');
    await term.type('Bad_Name');
    await term.press('Enter');
    // Inline validation: the prompt stays and says what is wrong.
    await term.waitForScreen('only lowercase letters');
    await term.press(...Array<string>(8).fill('BSpace'));
    await term.type('acme-e2e-bucket');
    await term.press('Enter');

    await term.waitForScreen('Region');
    await term.press('Enter'); // default us-east-1

    await term.waitForScreen('AWS account id');
    await term.type('111122223333');
    await term.press('Enter');

    await term.waitForScreen('Create the bucket as well?');
    await term.press('Enter'); // default: no

    await term.waitForScreen('Application roles');
    await term.type('contracts-app');
    await term.press('Enter');
    await term.waitForScreen('Operator roles');
    await term.type('platform-ops');
    await term.press('Enter');
    await term.waitForScreen('Auditor roles');
    await term.type('security-audit');
    await term.press('Enter');
    await term.waitForScreen('Key administrator role');
    await term.press('Enter'); // none

    await term.waitForScreen('Create a new customer-managed key');
    await term.press('Enter');
    await term.waitForScreen('Key alias');
    await term.press('Enter'); // alias/acme-e2e-bucket
    await term.waitForScreen('Rotate the key');
    await term.press('Enter'); // 365

    await term.waitForScreen('Upload enforcement');
    await term.press('Down', 'Enter'); // compatible

    await term.waitForScreen('Expected uploads plus downloads');
    await term.press('Enter');
    await term.waitForScreen('Apply now, or render files');
    await term.press('Enter'); // render
    await term.waitForScreen('Folder for the files');
    await term.press('Enter'); // ./acme-e2e-bucket-encryption

    const { code, screen } = await term.exit();
    expect(code, frame(screen)).toBe(0);
    // The one-shot command repeats exactly what was chosen with the keyboard.
    expect(screen).toMatch(/--bucket '?acme-e2e-bucket\b/);
    expect(screen).toMatch(/--region '?us-east-1\b/);
    expect(screen).toMatch(/--enforcement '?compatible\b/);
    expect(screen).toMatch(/--app-role '?arn:aws:iam::111122223333:role\/contracts-app\b/);

    const out = join(cwd, 'acme-e2e-bucket-encryption');
    expect(readdirSync(cwd)).toEqual(['acme-e2e-bucket-encryption']);
    expect(statSync(join(out, 'setup.sh')).mode & 0o111, 'setup.sh is executable').toBe(0o111);
    const bucketPolicy = JSON.parse(readFileSync(join(out, 'policies', 'bucket-policy.json'), 'utf8'));
    expect(JSON.stringify(bucketPolicy)).toContain('arn:aws:s3:::acme-e2e-bucket');
    expect(readFileSync(join(out, 'terraform', 'main.tf'), 'utf8')).toContain('aws_kms_key');
  });

  test('Ctrl-C at the roles question exits 130 and writes nothing', async () => {
    const { session: term, cwd } = await startWizard('ctrl-c');
    await term.waitForScreen('Which protection?');
    await term.press('Enter');
    await term.waitForScreen('Bucket name');
    await term.type('acme-e2e-bucket');
    await term.press('Enter');
    await term.waitForScreen('Region');
    await term.press('Enter');
    await term.waitForScreen('AWS account id');
    await term.type('111122223333');
    await term.press('Enter');
    await term.waitForScreen('Create the bucket as well?');
    await term.press('Enter');
    await term.waitForScreen('Application roles');
    await term.type('contracts-app');
    await term.press('C-c');

    const { code, screen } = await term.exit();
    expect(code, frame(screen)).toBe(130);
    // The wizard's own cancel path ran (not a bare SIGINT death).
    expect(screen).toContain('Nothing was written');
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('Esc at the first question exits 130', async () => {
    const { session: term, cwd } = await startWizard('escape');
    await term.waitForScreen('Which protection?');
    await term.press('Escape');

    const { code, screen } = await term.exit();
    expect(code, frame(screen)).toBe(130);
    expect(screen).toContain('Nothing was written');
    expect(readdirSync(cwd)).toEqual([]);
  });
});
