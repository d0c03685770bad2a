import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { BUILT_BIN, ensureBuilt, REPO_ROOT, strangerEnv } from './support/built-cli.js';
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
  const started = await TerminalSession.start({
    command: [process.execPath, BUILT_BIN],
    cwd,
    env: strangerEnv(home),
  });
  session = started;
  // A failing test keeps what the user saw, screen by screen, in .tmp/screens/.
  onTestFailed(({ task }) => {
    const dir = join(REPO_ROOT, '.tmp', 'screens');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${task.name.replace(/\W+/g, '-')}.txt`), started.lastScreen);
  });
  return { session: started, cwd };
}

/** Questions answered on the final screen: clack marks each submitted prompt with ◇ (notes have a box). */
function promptsAnswered(screen: string): number {
  return screen.split('\n').filter((line) => /^◇ {2}/.test(line) && !line.includes('─')).length;
}

async function quickPathToRoles(term: TerminalSession): Promise<void> {
  await term.waitForScreen('Which protection?');
  await term.press('Enter'); // SSE-KMS, the default
  await term.waitForScreen('Bucket name');
  await term.type('acme-e2e-bucket');
  await term.press('Enter');
  await term.waitForScreen('Region');
  await term.press('Enter'); // default us-east-1
  await term.waitForScreen('AWS account id');
  await term.type('1111-2222-3333');
  await term.press('Enter');
  await term.waitForScreen('Who does what?');
}

describe('the wizard in a real terminal', () => {
  test('the quick path: six prompts to files on disk, inline validation recovering, exit 0', async () => {
    const { session: term, cwd } = await startWizard('render');

    await term.waitForScreen('Which protection?');
    await term.press('Enter');

    await term.waitForScreen('Bucket name');
    await term.press('Enter'); // the placeholder is not a default
    await term.waitForScreen('type a bucket name');
    await term.type('Bad_Name');
    await term.press('Enter');
    await term.waitForScreen('only lowercase letters');
    await term.press(...Array<string>(8).fill('BSpace'));
    await term.type('acme-e2e-bucket');
    await term.press('Enter');

    await term.waitForScreen('Region');
    await term.press('Enter');
    await term.waitForScreen('AWS account id');
    await term.type('1111-2222-3333');
    await term.press('Enter');

    await term.waitForScreen('Who does what?');
    await term.type('app=contracts-app ops=contracts-app');
    await term.press('Enter');
    await term.waitForScreen('given as both app= and ops=');
    await term.press(...Array<string>('contracts-app'.length).fill('BSpace'));
    await term.type('platform-ops audit=security-audit admin=key-admin');
    await term.press('Enter');

    await term.waitForScreen('Next?');
    // No credentials in this home: apply is shown, disabled, with the reason.
    await term.waitForScreen('no AWS credentials found');
    await term.press('Enter'); // render to ./acme-e2e-bucket-encryption

    // After the files are written, one offer to keep the answers (not a seventh screen to a result).
    await term.waitForScreen('Save these answers to ./acme-e2e-bucket.create-encrypted-bucket.json');
    await term.press('Left', 'Enter'); // Yes

    const { code, screen } = await term.exit();
    expect(code, frame(screen)).toBe(0);
    expect(promptsAnswered(screen.slice(0, screen.indexOf('Wrote '))), frame(screen)).toBe(6);
    // The one-shot command, once and on one line, repeats what was chosen with the keyboard.
    expect(screen.match(/npx create-encrypted-bucket --yes/g), frame(screen)).toHaveLength(1);
    const flat = screen.replace(/[│\s]+/g, ' ');
    expect(flat).toMatch(
      /--bucket acme-e2e-bucket --region us-east-1 --account-id 111122223333 --app-role contracts-app/,
    );
    // The last thing on screen says what to do next.
    expect(screen.slice(screen.lastIndexOf('Next steps'))).toContain('./setup.sh');

    const out = join(cwd, 'acme-e2e-bucket-encryption');
    expect(screen.slice(screen.lastIndexOf('Next steps'))).toContain(
      '--config ./acme-e2e-bucket.create-encrypted-bucket.json',
    );
    expect(readdirSync(cwd).sort()).toEqual([
      'acme-e2e-bucket-encryption',
      'acme-e2e-bucket.create-encrypted-bucket.json',
    ]);
    expect(
      JSON.parse(readFileSync(join(cwd, 'acme-e2e-bucket.create-encrypted-bucket.json'), 'utf8')),
    ).toMatchObject({
      bucket: 'acme-e2e-bucket',
      accountId: '111122223333',
    });
    expect(statSync(join(out, 'setup.sh')).mode & 0o111, 'setup.sh is executable').toBe(0o111);
    const bucketPolicy = JSON.parse(readFileSync(join(out, 'policies', 'bucket-policy.json'), 'utf8'));
    expect(JSON.stringify(bucketPolicy)).toContain('arn:aws:s3:::acme-e2e-bucket');
  });

  test('declining to overwrite asks for another folder, and writes there', async () => {
    const { session: term, cwd } = await startWizard('overwrite');
    mkdirSync(join(cwd, 'acme-e2e-bucket-encryption'));
    writeFileSync(join(cwd, 'acme-e2e-bucket-encryption', 'mine.txt'), 'keep me');
    await quickPathToRoles(term);
    await term.type('app=contracts-app admin=key-admin');
    await term.press('Enter');
    await term.waitForScreen('Next?');
    await term.press('Enter');
    await term.waitForScreen('already holds 1 entry');
    await term.press('Enter'); // No, the default
    await term.waitForScreen('Another folder');
    await term.type('other');
    await term.press('Enter');
    await term.waitForScreen('Save these answers');
    await term.press('Enter'); // No, the default

    const { code, screen } = await term.exit();
    expect(code, frame(screen)).toBe(0);
    expect(readdirSync(join(cwd, 'acme-e2e-bucket-encryption'))).toEqual(['mine.txt']);
    expect(readdirSync(join(cwd, 'other'))).toContain('setup.sh');
  });

  test('Customise opens the advanced questions, the re-encryption role among them', async () => {
    const { session: term } = await startWizard('customise');
    await quickPathToRoles(term);
    await term.type('app=contracts-app admin=key-admin');
    await term.press('Enter');
    await term.waitForScreen('Next?');
    await term.press('Down', 'Down', 'Enter'); // the disabled apply is skipped over
    await term.waitForScreen('Create the bucket as well?');
    await term.press('Enter');
    await term.waitForScreen('Create a new customer-managed key');
    await term.press('Enter');
    await term.waitForScreen('Key alias');
    await term.press('Enter');
    await term.waitForScreen('Rotate the key');
    await term.press('Enter');
    await term.waitForScreen('Upload enforcement');
    await term.press('Down', 'Enter');
    await term.waitForScreen('reencrypt=');
    await term.type('reencrypt=reencrypt-job');
    await term.press('Enter');
    await term.waitForScreen('Expected uploads plus downloads');
    await term.press('C-c');

    const { code, screen } = await term.exit();
    expect(code, frame(screen)).toBe(130);
    expect(screen).toContain('Nothing was written');
  });

  test.each([
    ['at the first question', 0],
    ['at the bucket name', 1],
    ['at the roles line', 4],
  ])('Ctrl-C %s exits 130 and writes nothing', async (_where, steps) => {
    const { session: term, cwd } = await startWizard(`ctrl-c-${steps}`);
    if (steps >= 4) {
      await quickPathToRoles(term);
      await term.type('app=contracts-app');
    } else {
      await term.waitForScreen('Which protection?');
      if (steps >= 1) {
        await term.press('Enter');
        await term.waitForScreen('Bucket name');
        await term.type('acme-e2e');
      }
    }
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
